package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestIndexOnlineServiceCountsProceduresUsedOnline checks indicator 3.2:
// the procedures offered online that received a dossier online, over the
// procedures offered online, for the receiving ward and the province above
// it, over whole months, a part of a month, and the months of the chart;
// and that an entry still replaces the computed count.
func TestIndexOnlineServiceCountsProceduresUsedOnline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		procs, err := store.Procedures{DB: f.DB}.List(ctx, store.ProcedureFilter{ActiveOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var offered []procedure.Procedure
		for _, p := range procs {
			if p.OnlineMode != procedure.OnlineNone {
				offered = append(offered, p)
			}
		}
		if len(offered) < 2 {
			t.Fatalf("the demo catalogue offers %d procedures online, want at least 2", len(offered))
		}
		n := int64(len(offered))
		// An online dossier of a second procedure on the last day of 2025;
		// two online dossiers of the first on 10 March 2026, one received;
		// a counter dossier of the second.
		online := func(p procedure.Procedure) *dossier.Dossier {
			t.Helper()
			d, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: p.Code, Components: dossier.MissingRequired(&p, nil),
				UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Vũ Thị Lan", IDNumber: "001190054321", Phone: "0912000111"}})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		f.Clock.Set(time.Date(2025, 12, 31, 9, 0, 0, 0, storetest.Start.Location()))
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], online(offered[1]).Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, storetest.Start.Location()))
		p := offered[0]
		for range 2 {
			if _, err := f.Svc.Act(ctx, f.Actors["canbo"], online(p).Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit(offered[1].Code, "Đinh Văn Tú")); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2026, 5, 4, 9, 0, 0, 0, storetest.Start.Location()))
		check := func(unit, from, to string, want int64) {
			t.Helper()
			res, err := f.DB.Index(ctx, []string{unit}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			got := score(t, res[unit], "3.2")
			if got.Numerator != want || got.Denominator != n || got.NoData {
				t.Errorf("3.2 of %s %s..%s: %d/%d, want %d/%d", unit, from, to, got.Numerator, got.Denominator, want, n)
			}
			if err := storetest.IndexMatchesRecount(ctx, f.DB, unit, from, to); err != nil {
				t.Error(err)
			}
		}
		check(demo.Ward, "2026-03-01", "2026-04-30", 1)     // whole months
		check(demo.Province, "2026-03-01", "2026-03-31", 1) // the unit above, from its sums
		check(demo.OtherWard, "2026-03-01", "2026-04-30", 0)
		check(demo.Ward, "2026-03-10", "2026-03-10", 1)     // the day itself
		check(demo.Ward, "2026-03-11", "2026-04-30", 0)     // a month less the day: nothing left
		check(demo.Province, "2026-02-20", "2026-03-09", 0) // parts of two months
		check(demo.Province, "2026-02-20", "2026-04-02", 1)
		check(demo.Ward, "2025-12-31", "2026-03-10", 2)     // across the new year
		check(demo.Province, "2025-06-01", "2026-01-15", 1) // the last day of 2025 only
		check(demo.Ward, "2026-01-01", "2026-03-09", 0)
		check(demo.Ward, "2024-12-01", "2026-12-31", 2) // three years
		check(demo.Ward, "2026-03-11", "2027-01-31", 0) // from the day after, into the next year
		months, err := f.DB.IndexMonths(ctx, []string{demo.Ward, demo.Province}, "2025-12", "2026-04")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			month string
			want  int64
		}{{"2025-12", 1}, {"2026-01", 0}, {"2026-02", 0}, {"2026-03", 1}, {"2026-04", 0}} {
			if got := score(t, months[m.month][demo.Province], "3.2"); got.Numerator != m.want || got.Denominator != n {
				t.Errorf("chart, %s: 3.2 %d/%d, want %d/%d", m.month, got.Numerator, got.Denominator, m.want, n)
			}
		}
		// An administrator's entry still replaces what the system counts.
		if err := f.DB.SaveIndexEntry(ctx, store.IndexEntry{UnitCode: demo.Ward, Period: "2026-03", Indicator: "3.2", Numerator: 2,
			Denominator: 3, EnteredBy: "quantri"}); err != nil {
			t.Fatal(err)
		}
		res, err := f.DB.Index(ctx, []string{demo.Ward}, "2026-03-01", "2026-03-31")
		if err != nil {
			t.Fatal(err)
		}
		if got := score(t, res[demo.Ward], "3.2"); got.Numerator != 2 || got.Denominator != 3 {
			t.Errorf("3.2 with an entry: %d/%d, want the entry's 2/3", got.Numerator, got.Denominator)
		}
	})
}

func score(t *testing.T, r index.Result, id string) index.Score {
	t.Helper()
	for _, s := range r.Indicators {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no indicator %s in %+v", id, r)
	return index.Score{}
}
