package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCalendarPerUnitInheritance is the finding that a ward's holiday
// moved another ward's due dates: a ward's change moves only its own
// dossiers; the province's moves both wards', except a ward that set the
// date itself; a ward unsetting an inherited day removes it for itself only.
func TestCalendarPerUnitInheritance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		// Received Monday 2026-03-02 09:00 with 3 working days: due Thursday 09:00.
		a, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Đỗ Minh Châu"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Svc.Submit(ctx, f.Actors["canbo.ngocha"], counterSubmit("1.001612", "Lê Văn Bình"))
		if err != nil {
			t.Fatal(err)
		}
		if b.UnitCode != demo.OtherWard {
			t.Fatalf("the second dossier is of unit %s, want %s", b.UnitCode, demo.OtherWard)
		}
		wardAdmin := f.Actors["quantri"]
		provinceAdmin := auth.Actor{Username: "quantri.hanoi", Role: auth.RoleAdmin, UnitCode: demo.Province}
		day := func(n int) time.Time { return time.Date(2026, 3, n, 9, 0, 0, 0, storetest.Start.Location()) }
		holiday := func(by auth.Actor, unit, date string, checked, moved int) {
			t.Helper()
			res, err := f.Cals.ChangeDay(ctx, unit, store.DayChange{Date: date, Kind: calendar.Holiday, Name: "Nghỉ đột xuất",
				Reason: "Quyết định số 1/QĐ-UBND", By: by})
			if err != nil {
				t.Fatal(err)
			}
			if res.Checked != checked || res.Moved != moved {
				t.Fatalf("%s sets %s: checked %d, moved %d; want %d and %d", unit, date, res.Checked, res.Moved, checked, moved)
			}
		}
		due := func(code string, want time.Time, events int) {
			t.Helper()
			got, err := f.Svc.Store.Get(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if !got.DueAt.Equal(want) || len(got.History) != events {
				t.Fatalf("%s: due %v with %d events, want %v with %d", code, got.DueAt.In(want.Location()), len(got.History), want, events)
			}
			if events > 1 && got.History[events-1].Action != dossier.ActRecompute {
				t.Fatalf("%s: last event %s, want %s", code, got.History[events-1].Action, dossier.ActRecompute)
			}
		}

		holiday(wardAdmin, demo.Ward, "2026-03-04", 1, 1) // ward A only
		due(a.Code, day(6), 2)
		due(b.Code, day(5), 1)

		holiday(provinceAdmin, demo.Province, "2026-03-04", 1, 1) // ward B; A set that date itself
		due(a.Code, day(6), 2)
		due(b.Code, day(6), 2)

		holiday(provinceAdmin, demo.Province, "2026-03-03", 2, 2) // both wards
		due(a.Code, day(9), 3)
		due(b.Code, day(9), 3)

		// Ward A works on the province's day off: its own level says so.
		if _, err := f.Cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: "2026-03-03", Unset: true, Reason: "UBND phường làm việc", By: wardAdmin}); err != nil {
			t.Fatal(err)
		}
		due(a.Code, day(6), 4)
		due(b.Code, day(9), 3)

		// Another unit's calendar is refused, and nothing is written.
		_, err = f.Cals.ChangeDay(ctx, demo.OtherWard, store.DayChange{Date: "2026-03-05", Kind: calendar.Holiday, Name: "x", Reason: "y", By: wardAdmin})
		if apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("ward A's administrator on ward B's calendar: %v, want forbidden", err)
		}
		if log, err := f.DB.CalendarChanges(ctx, demo.OtherWard); err != nil || len(log) != 0 {
			t.Fatalf("ward B's change log: %v %v, want empty", log, err)
		}
		due(b.Code, day(9), 3)
		if res, _ := f.DB.VerifyAudit(ctx); res.Broken != 0 {
			t.Fatalf("audit after recompute: %+v", res)
		}
	})
}

// TestCalendarYearShowsOrigins checks that each unit's year lists the days
// it inherits and its own, each named for who set it, and that the national
// calendar carries none of a unit's days.
func TestCalendarYearShowsOrigins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		province := auth.Actor{Username: "quantri.hanoi", Role: auth.RoleAdmin, UnitCode: demo.Province}
		operator := auth.Actor{Username: "vanhanh", Role: auth.RoleAdmin}
		set := func(unit, date string, by auth.Actor) {
			t.Helper()
			if _, err := f.Cals.ChangeDay(ctx, unit, store.DayChange{Date: date, Kind: calendar.Holiday, Name: "Nghỉ " + date,
				Reason: "Thông báo", By: by}); err != nil {
				t.Fatal(err)
			}
		}
		set("", "2026-03-10", operator)
		set(demo.Province, "2026-03-11", province)
		set(demo.Ward, "2026-03-12", f.Actors["quantri"])
		want := map[string]map[string]string{ // unit → date → source; "" = not listed
			"":             {"2026-03-10": "quản trị toàn quốc", "2026-03-11": "", "2026-03-12": ""},
			demo.Province:  {"2026-03-10": "quản trị toàn quốc", "2026-03-11": "quản trị Thành phố Hà Nội", "2026-03-12": ""},
			demo.Ward:      {"2026-03-10": "quản trị toàn quốc", "2026-03-11": "quản trị Thành phố Hà Nội", "2026-03-12": "quản trị Phường Ba Đình"},
			demo.OtherWard: {"2026-03-10": "quản trị toàn quốc", "2026-03-11": "quản trị Thành phố Hà Nội", "2026-03-12": ""},
		}
		for unit, dates := range want {
			days, err := f.Cals.Year(ctx, unit, 2026)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, d := range days {
				got[d.Date] = d.Source
			}
			for date, src := range dates {
				if got[date] != src {
					t.Errorf("unit %q, %s: source %q, want %q", unit, date, got[date], src)
				}
			}
			if got["2026-09-02"] == "" {
				t.Errorf("unit %q lost the shipped Quốc khánh", unit)
			}
		}
		// The cached calendars follow too: ward B counts 12 March as a working day.
		cal, err := f.Cals.For(ctx, demo.OtherWard)
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 3, 11, 17, 0, 0, 0, calendar.Zone)
		if got, want := cal.Due(from, 1), time.Date(2026, 3, 12, 17, 0, 0, 0, calendar.Zone); !got.Equal(want) {
			t.Errorf("ward B, one day from 11 March 17:00: due %v, want %v", got, want)
		}
		if _, err := f.Cals.Year(ctx, "99999", 2026); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("an unknown unit's year: %v, want not found", err)
		}
	})
}
