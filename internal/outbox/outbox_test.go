package outbox

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestBackoff checks the waits: doubling from the base, capped, and never
// more than a quarter above the nominal wait.
func TestBackoff(t *testing.T) {
	base, max := 10*time.Second, time.Hour
	for n, nominal := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 3: 40 * time.Second,
		9: 2560 * time.Second, 10: time.Hour, 40: time.Hour} {
		for range 50 {
			if d := Backoff(n, base, max); d < nominal || d > nominal+nominal/4 {
				t.Fatalf("Backoff(%d) = %v, want %v to %v", n, d, nominal, nominal+nominal/4)
			}
		}
	}
}

func TestPermanent(t *testing.T) {
	err := fmt.Errorf("send: %w", Permanent(errors.New("410 Gone")))
	if !IsPermanent(err) || IsPermanent(errors.New("503")) {
		t.Fatal("IsPermanent does not see through wrapping, or sees what is not there")
	}
}
