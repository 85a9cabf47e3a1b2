package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// receiveOnline has the citizen file walletProc online (with a new paper
// when sum is set, or re-using paper when it is not 0) and the counter
// receive it.
func receiveOnline(t *testing.T, f *storetest.Fixture, sum string, paper int64) (*dossier.Dossier, int64) {
	t.Helper()
	var reuse []dossier.ReuseRequest
	if paper != 0 {
		reuse = []dossier.ReuseRequest{{Component: demo.Required(walletProc)[0], DocumentID: paper}}
	}
	d, id := onlineWithPaper(t, f, f.Actors["congdan"], sum, reuse...)
	if _, err := f.Svc.Act(context.Background(), f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
		t.Fatal(err)
	}
	return d, id
}

func indexOf(t *testing.T, db *store.DB, from, to string) index.Score {
	t.Helper()
	res, err := db.Index(context.Background(), []string{demo.Ward}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return score(t, res[demo.Ward], "4.3")
}

// TestIndexReuseCombinesEntriesByMonth: 4.3 counts the dossiers received
// online (a counter dossier cannot re-use a paper and is left out); an
// entry for one month replaces that month only, the other months keep
// their roll-up count, and the score is then marked entered, month by month
// too.
func TestIndexReuseCombinesEntriesByMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f, _ := fixture(t, engine)
		ctx := context.Background()
		// March: two online dossiers received, one re-using a paper.
		_, paper := receiveOnline(t, f, sumA, 0)
		receiveOnline(t, f, "", paper)
		// April: the same, and a dossier received at the counter.
		f.Clock.Set(time.Date(2026, 4, 6, 9, 0, 0, 0, storetest.Start.Location()))
		receiveOnline(t, f, "", paper)
		receiveOnline(t, f, "", 0)
		if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit(walletProc, "Lê Thị Hoa")); err != nil {
			t.Fatal(err)
		}
		if s := indexOf(t, f.DB, "2026-03-01", "2026-04-30"); s.Numerator != 2 || s.Denominator != 4 || s.Source != index.Computed {
			t.Fatalf("4.3 over the online dossiers: %+v", s)
		}
		if err := storetest.IndexMatchesRecount(ctx, f.DB, demo.Ward, "2026-03-01", "2026-04-30"); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SaveIndexEntry(ctx, store.IndexEntry{UnitCode: demo.Ward, Period: "2026-03", Indicator: "4.3", Numerator: 9, Denominator: 10,
			Note: "Kho dữ liệu tỉnh", EnteredBy: "quantri", EnteredAt: f.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
		// March entered (9/10), April counted (1/2).
		if s := indexOf(t, f.DB, "2026-03-01", "2026-04-30"); s.Numerator != 10 || s.Denominator != 12 || s.Source != index.Entered {
			t.Fatalf("4.3 with March entered: %+v", s)
		}
		// A period that starts inside the entered month still takes it whole.
		if s := indexOf(t, f.DB, "2026-03-15", "2026-04-30"); s.Numerator != 10 || s.Denominator != 12 || s.Source != index.Entered {
			t.Fatalf("4.3 from mid-March: %+v", s)
		}
		if s := indexOf(t, f.DB, "2026-04-01", "2026-04-30"); s.Numerator != 1 || s.Denominator != 2 || s.Source != index.Computed {
			t.Fatalf("4.3 in April: %+v", s)
		}
		months, err := f.DB.IndexMonths(ctx, []string{demo.Ward}, "2026-03", "2026-04")
		if err != nil {
			t.Fatal(err)
		}
		if s := score(t, months["2026-03"][demo.Ward], "4.3"); s.Numerator != 9 || s.Denominator != 10 || s.Source != index.Entered {
			t.Fatalf("March: %+v", s)
		}
		if s := score(t, months["2026-04"][demo.Ward], "4.3"); s.Numerator != 1 || s.Denominator != 2 || s.Source != index.Computed {
			t.Fatalf("April: %+v", s)
		}
	})
}

// TestIndexReuseCountsFromTheWalletStart: 4.3 counts from the day the
// wallet started; a period that ended before it has no data (not zero),
// one that straddles it counts from that day, and the drill-down lists the
// same dossiers.
func TestIndexReuseCountsFromTheWalletStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f, raw := fixture(t, engine)
		ctx := context.Background()
		zone := storetest.Start.Location()
		if start, err := f.DB.WalletStart(ctx); err != nil || !start.IsZero() {
			t.Fatalf("a new installation's wallet start: %v, %v (want none: from its creation)", start, err)
		}
		_, paper := receiveOnline(t, f, sumA, 0) // 2 March, before the wallet
		start := time.Date(2026, 3, 4, 10, 0, 0, 0, zone)
		mustExec(t, raw, engine, `INSERT INTO wallet_start (at) VALUES (?)`, start.UnixMicro())
		f.Clock.Set(time.Date(2026, 3, 4, 9, 0, 0, 0, zone)) // the wallet's first day counts whole
		receiveOnline(t, f, "", 0)
		f.Clock.Set(time.Date(2026, 3, 5, 9, 0, 0, 0, zone))
		receiveOnline(t, f, "", paper)
		if s := indexOf(t, f.DB, "2026-03-01", "2026-03-03"); !s.NoData {
			t.Fatalf("4.3 before the wallet: %+v, want no data", s)
		}
		if s := indexOf(t, f.DB, "2026-03-01", "2026-03-31"); s.Numerator != 1 || s.Denominator != 2 || s.NoData {
			t.Fatalf("4.3 straddling the wallet's start: %+v", s)
		}
		for _, p := range [][2]string{{"2026-03-01", "2026-03-03"}, {"2026-03-01", "2026-03-31"}, {"2026-03-04", "2026-03-04"}} {
			if err := storetest.IndexMatchesRecount(ctx, f.DB, demo.Ward, p[0], p[1]); err != nil {
				t.Fatal(err)
			}
		}
		months, err := f.DB.IndexMonths(ctx, []string{demo.Ward}, "2026-02", "2026-03")
		if err != nil {
			t.Fatal(err)
		}
		if s := score(t, months["2026-02"][demo.Ward], "4.3"); !s.NoData {
			t.Fatalf("February: %+v", s)
		}
		if s := score(t, months["2026-03"][demo.Ward], "4.3"); s.Numerator != 1 || s.Denominator != 2 {
			t.Fatalf("March: %+v", s)
		}
		if _, n, err := f.DB.IndexCosts(ctx, demo.Ward, "4.3", "2026-03-01", "2026-03-31", 10, 0); err != nil || n != 1 {
			t.Fatalf("4.3 drill-down: %d, %v", n, err)
		}
	})
}
