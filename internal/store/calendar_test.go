package store

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

// TestCalendarUnitReadError checks that a database that cannot answer is
// reported as such, not as a missing unit (an officer would be told the
// unit does not exist while the file is busy).
func TestCalendarUnitReadError(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	cals := &Calendars{DB: db}
	if _, err := cals.For(ctx, "99999"); apperr.Code(err) != apperr.ENOTFOUND {
		t.Errorf("an unknown unit: %v, want not found", err)
	}
	db.readStmts.close()
	db.read.Close()
	if _, err := cals.For(ctx, "99999"); err == nil || apperr.Code(err) == apperr.ENOTFOUND {
		t.Errorf("a closed database: %v, want an error other than not found", err)
	}
}
