package outbox

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
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

// TestMetricsShowChannelsFromTheStart checks that a running worker's
// channels are on /metrics at 0 before any message.
func TestMetricsShowChannelsFromTheStart(t *testing.T) {
	m := NewMetrics(nil)
	reg := prometheus.NewRegistry()
	reg.MustRegister(m)
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{Queue: emptyQueue{}, Senders: map[string]Sender{"webhook": SenderFunc(func(context.Context, Message) error { return nil })},
		Metrics: m, Poll: time.Millisecond}
	cancel() // Run returns at once; the counters are shown before the loop
	w.Run(ctx)
	families, err := reg.Gather()
	got := 0
	for _, f := range families {
		for _, s := range f.GetMetric() {
			if len(s.GetLabel()) == 1 && s.GetLabel()[0].GetValue() == "webhook" && s.GetCounter().GetValue() == 0 {
				got++
			}
		}
	}
	if err != nil || got != 3 {
		t.Fatalf("%d series (%v), want the webhook channel's 3 at 0", got, err)
	}
}

type emptyQueue struct{}

func (emptyQueue) Claim(context.Context, []string, string, int, time.Duration) ([]Message, error) {
	return nil, nil
}
func (emptyQueue) Delivered(context.Context, int64, string) error                       { return nil }
func (emptyQueue) Failed(context.Context, int64, string, string, time.Time, bool) error { return nil }
