package report_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/target"
)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, stats.Zone) }

// TestFirstWorkingDay checks the rule against the 2026 national schedule:
// New Year's holidays and the swapped 2 January push January's to the 5th,
// the 30/4–1/5 break pushes May's to the 4th, National Day September's to
// the 3rd; February (Tết falls mid-month) starts on Monday the 2nd. A unit
// that declares its own holiday on 1 June starts June a day later than
// its neighbour.
func TestFirstWorkingDay(t *testing.T) {
	f := storetest.NewFixture(t, storetest.Engines()[0])
	ctx := context.Background()
	national, err := f.Cals.For(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		month time.Month
		want  int
	}{{time.January, 5}, {time.February, 2}, {time.March, 2}, {time.May, 4}, {time.August, 3}, {time.September, 3}, {time.November, 2}} {
		if got := report.FirstWorkingDay(national, 2026, c.month); !got.Equal(time.Date(2026, c.month, c.want, 0, 0, 0, 0, stats.Zone)) {
			t.Errorf("%s 2026: %s, want the %d", c.month, got.Format("2006-01-02"), c.want)
		}
	}
	if _, err := f.Cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: "2026-06-01", Kind: calendar.Holiday, Name: "Nghỉ đột xuất",
		Reason: "Bầu cử", By: f.Actors["quantri"]}); err != nil {
		t.Fatal(err)
	}
	for unit, want := range map[string]int{demo.Ward: 2, demo.OtherWard: 1} {
		cal, err := f.Cals.For(ctx, unit)
		if err != nil {
			t.Fatal(err)
		}
		if got := report.FirstWorkingDay(cal, 2026, time.June); got.Day() != want {
			t.Errorf("June for %s: the %d, want the %d", unit, got.Day(), want)
		}
	}
}

// monthly is the job as a server runs it, on db and the fixture's clock.
func monthly(db *store.DB, now func() time.Time) *report.Monthly {
	return &report.Monthly{Store: db, Calendars: &store.Calendars{DB: db}, Now: now,
		Office: func(_ context.Context, unit string) doc.Office { return doc.Office{Name: "UBND " + unit} },
		Sections: []report.SectionFunc{report.Rollups(db), report.Targets(db, db),
			report.Index(db), report.Evaluation(&evaluation.Service{Store: store.Evaluations{DB: db}, Now: now})}}
}

// TestMonthlyReport: April's dossiers are reported on the first working day
// of May (the 4th, after the 30/4–1/5 break), not before; two servers on one
// database write each unit's report once, and a later run writes nothing.
func TestMonthlyReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		f.Clock.Set(at(2026, 4, 15, 9))
		if _, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: "1.000894", Components: demo.Required("1.000894"),
			UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.AddTarget(ctx, target.Target{UnitCode: demo.Ward, Year: 2026, Name: "Thu ngân sách", Kind: target.KindBudget, Plan: 1000}, f.Actors["lanhdao"]); err != nil {
			t.Fatal(err)
		}
		second, err := store.Open(ctx, f.DSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { second.Close() })
		second.Now = f.Clock.Now
		servers := []*report.Monthly{monthly(f.DB, f.Clock.Now), monthly(second, f.Clock.Now)}
		dbs := []*store.DB{f.DB, second}

		for _, day := range []int{1, 2, 3} { // Labour Day and the weekend
			f.Clock.Set(at(2026, 5, day, 9))
			if n, err := servers[0].Run(ctx); err != nil || n != 0 {
				t.Fatalf("May %d: wrote %d (%v), want nothing before the first working day", day, n, err)
			}
		}
		f.Clock.Set(at(2026, 5, 4, 7))
		var wg sync.WaitGroup
		written := make([]int, 2)
		for i := range servers {
			wg.Go(func() {
				_, err := dbs[i].RunOnce(ctx, "monthly-report", store.Holder(), 55*time.Minute, func(ctx context.Context) error {
					n, err := servers[i].Run(ctx)
					written[i] = n
					return err
				})
				if err != nil {
					t.Errorf("server %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		want := []string{demo.Province, demo.Ward} // the ward and every unit above it
		reports := map[string][]store.Report{}
		for _, u := range []string{demo.Province, demo.Ward, demo.OtherWard} {
			if reports[u], err = f.DB.Reports(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(written, []int{len(want), 0}) && !slices.Equal(written, []int{0, len(want)}) {
			t.Errorf("written %v, want %d by one server and none by the other", written, len(want))
		}
		for _, u := range want {
			if len(reports[u]) != 1 || reports[u][0].Month != "2026-04" || reports[u][0].Size == 0 {
				t.Errorf("reports of %s: %+v, want April's once", u, reports[u])
			}
		}
		if len(reports[demo.OtherWard]) != 0 {
			t.Errorf("the other ward had no dossiers in April but got %+v", reports[demo.OtherWard])
		}
		f.Clock.Set(at(2026, 5, 5, 9))
		if n, err := servers[1].Run(ctx); err != nil || n != 0 {
			t.Errorf("a later run wrote %d (%v), want nothing", n, err)
		}
		_, pdf, err := f.DB.ReportPDF(ctx, reports[demo.Ward][0].ID)
		if err != nil || len(pdf) < 1000 || string(pdf[:5]) != "%PDF-" {
			t.Errorf("kept report: %d bytes %v", len(pdf), err)
		}
	})
}
