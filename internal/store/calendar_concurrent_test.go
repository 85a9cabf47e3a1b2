package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestConcurrentCalendarChanges has two servers (two handles on one
// database) change the calendar at the same moment, the province's and a
// ward's administrators, over several rounds: every
// open dossier's due time is then what its working time, measured on the
// calendar it was received under, gives on the final calendar, as if the
// changes had been made one after the other.
func TestConcurrentCalendarChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		other, err := store.Open(ctx, f.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		other.Now = f.Clock.Now
		servers := []*store.Calendars{f.Cals, {DB: other}}

		type open struct {
			code, unit string
			received   time.Time
			work       time.Duration // between reception and due, on the first calendar
		}
		var dossiers []open
		for i, who := range []string{"canbo", "canbo", "canbo", "canbo.ngocha", "canbo", "canbo.ngocha"} {
			d, err := f.Svc.Submit(ctx, f.Actors[who], counterSubmit("1.001612", "Người nộp "+string(rune('A'+i))))
			if err != nil {
				t.Fatal(err)
			}
			cal, err := f.Cals.For(ctx, d.UnitCode)
			if err != nil {
				t.Fatal(err)
			}
			dossiers = append(dossiers, open{d.Code, d.UnitCode, d.ReceivedAt, cal.Between(d.ReceivedAt, d.DueAt)})
		}

		province := auth.Actor{Username: "quantri.hanoi", Role: auth.RoleAdmin, UnitCode: demo.Province}
		ward := f.Actors["quantri"]
		// On one date the province's day off and the ward working all the
		// same (the ward's own day must win whichever change comes first),
		// and days off on different dates. The ward's dossiers, received
		// Monday 2 March with 3 working days, are due on Thursday 5 March on
		// the right calendar: its first three dates fall within their time.
		type change struct{ date, kind string }
		for _, round := range [][2]change{
			{{"2026-03-03", calendar.Holiday}, {"2026-03-03", calendar.Workday}},
			{{"2026-03-04", calendar.Holiday}, {"2026-03-04", calendar.Workday}},
			{{"2026-03-05", calendar.Holiday}, {"2026-03-05", calendar.Workday}},
			{{"2026-03-06", calendar.Holiday}, {"2026-03-09", calendar.Holiday}},
			{{"2026-03-10", calendar.Holiday}, {"2026-03-10", calendar.Workday}},
		} {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, who := range []struct {
				unit string
				by   auth.Actor
			}{{demo.Province, province}, {demo.Ward, ward}} {
				wg.Go(func() {
					_, errs[i] = servers[i].ChangeDay(ctx, who.unit, store.DayChange{Date: round[i].date, Kind: round[i].kind, Name: "Thay đổi",
						Reason: "Thông báo " + round[i].date, By: who.by})
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		}

		fresh := &store.Calendars{DB: f.DB} // no cache from before the changes
		for _, o := range dossiers {
			cal, err := fresh.For(ctx, o.unit)
			if err != nil {
				t.Fatal(err)
			}
			d, err := f.Svc.Store.Get(ctx, o.code)
			if err != nil {
				t.Fatal(err)
			}
			if want := cal.Add(o.received, o.work); !d.DueAt.Equal(want) {
				t.Errorf("%s (unit %s): due %v, want %v from the final calendar", o.code, o.unit, d.DueAt.In(calendar.Zone), want.In(calendar.Zone))
			}
		}
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 {
			t.Fatalf("audit after the changes: %+v %v", res, err)
		}
	})
}
