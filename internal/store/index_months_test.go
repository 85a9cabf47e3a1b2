package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestIndexMonthsEqualsIndexOfEachMonth checks that the index read month by
// month in one pass (the ranking's chart) gives, for every month and unit,
// what Index gives for that month alone: roll-ups, the portal's count, the
// entries, and the dossiers running in the current month.
func TestIndexMonthsEqualsIndexOfEachMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		canbo := f.Actors["canbo"]
		first, err := f.Svc.Submit(ctx, canbo, counterSubmit("1.001612", "Lê Văn Hùng"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Act(ctx, canbo, first.Code, dossier.ActionRequest{Action: dossier.ActWithdraw, Reason: "Nộp nhầm"}); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.PortalSynced(ctx, first.Code, demo.Ward, 3, 2, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SaveIndexEntry(ctx, store.IndexEntry{UnitCode: demo.Ward, Period: "2026-03", Indicator: "5.2", Numerator: 3,
			Denominator: 4, EnteredBy: "lanhdao"}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(40 * 24 * time.Hour) // into April: the current month
		if _, err := f.Svc.Submit(ctx, canbo, counterSubmit("1.001612", "Phạm Thu Trang")); err != nil {
			t.Fatal(err)
		}
		units := []string{demo.Ward, demo.OtherWard, demo.Province}
		got, err := f.DB.IndexMonths(ctx, units, "2026-02", "2026-05")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"2026-02", "2026-03", "2026-04", "2026-05"} {
			mt, _ := time.Parse("2006-01", m)
			want, err := f.DB.Index(ctx, units, m+"-01", mt.AddDate(0, 1, -1).Format("2006-01-02"))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range units {
				if !reflect.DeepEqual(got[m][u], want[u]) {
					t.Errorf("%s %s:\n months %+v\n index  %+v", m, u, got[m][u], want[u])
				}
			}
		}
		if got["2026-03"][demo.Ward].Total == got["2026-02"][demo.Ward].Total {
			t.Errorf("March (a withdrawal, a portal sync, an entry) scores as February (nothing): %v", got["2026-03"][demo.Ward].Total)
		}
	})
}
