package store

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

// TestCalendarUnitReadError checks that a read that fails is
// reported as such, not as a missing unit (an officer would be told the
// unit does not exist while the file is busy).
func TestCalendarUnitReadError(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	cals := &Calendars{DB: db}
	if _, err := cals.For(ctx, "99999"); apperr.Code(err) != apperr.ENOTFOUND {
		t.Errorf("an unknown unit: %v, want not found", err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel() // the read fails without an answer, as on a busy or broken file
	if _, err := cals.For(gone, "99999"); err == nil || apperr.Code(err) == apperr.ENOTFOUND {
		t.Errorf("a read that failed: %v, want an error other than not found", err)
	}
}
