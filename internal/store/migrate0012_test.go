package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0012 takes the calendar tables back to what they were before
// calendars per unit (one installation-wide calendar) and runs the
// migration again: the days and the log become the national calendar's,
// which every unit inherits.
func TestMigration0012(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			f := storetest.NewFixture(t, engine)
			db := migrateAgain(t, engine, f,
				`DROP TABLE calendar_days`,
				`CREATE TABLE calendar_days (date TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL)`,
				`INSERT INTO calendar_days VALUES ('2026-03-04', 'holiday', 'Nghỉ đột xuất', 'quantri', 1)`,
				`DROP INDEX calendar_changes_unit`,
				`ALTER TABLE calendar_changes DROP COLUMN unit_code`,
				`INSERT INTO calendar_changes (date, op, kind, name, reason, changed_by, changed_at) VALUES ('2026-03-04', 'set', 'holiday', 'Nghỉ đột xuất', 'Quyết định số 1', 'quantri', 1)`,
				`DELETE FROM schema_migrations WHERE version = 12`)
			cals := &store.Calendars{DB: db}
			for _, unit := range []string{"", demo.Province, demo.Ward, demo.OtherWard} {
				days, err := cals.Year(ctx, unit, 2026)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, d := range days {
					found = found || (d.Date == "2026-03-04" && d.Source == store.NationalSource && d.Unit == "")
				}
				if !found {
					t.Errorf("unit %q: the old day is not its national day", unit)
				}
			}
			if log, err := db.CalendarChanges(ctx, ""); err != nil || len(log) != 1 {
				t.Errorf("the national log after the migration: %v %v", log, err)
			}
			// The new key holds a unit's day beside the national one of the same date.
			ward := f.Actors["quantri"]
			if _, err := cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: "2026-03-04", Kind: "workday", Name: "Làm việc", Reason: "x", By: ward}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
