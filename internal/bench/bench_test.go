package bench

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/unit"
)

// TestGenerate checks that a generated province is what the benchmark
// claims: intact history chains, the announced shares, and prepared dossiers
// at the stage their action needs.
func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := storetest.Open(t, engine)
		prov, communes, ps := provinceOf(t)
		const n, pool = 4000, 12
		ds, err := Generate(ctx, db, DatasetConfig{Province: prov, Communes: communes, Procedures: ps, Dossiers: n,
			End: storetest.Start, PoolUnits: 2, Pool: pool, Password: password, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if ds.Dossiers != n+5*pool || len(ds.Samples) == 0 {
			t.Errorf("%d dossiers written, %d samples", ds.Dossiers, len(ds.Samples))
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.Broken != 0 || res.Checked != n+5*pool {
			t.Errorf("audit: %+v %v", res, err)
		}
		checkShares(t, db, prov.Code)
		checkPools(t, db, ds)
		checkSummaries(t, db, prov.Code, communes[0].Code)
	})
}

// checkShares compares the dataset's totals with the shares it aims at,
// with room for a small sample.
func checkShares(t *testing.T, db *store.DB, province string) {
	t.Helper()
	s, err := db.Summary(context.Background(), stats.Query{UnitCode: province, From: "2000-01-01", To: "2999-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Totals
	share := func(a, b int64) float64 { return float64(a) / float64(max(b, 1)) }
	finished := c[stats.FinishedEarly] + c[stats.FinishedOnTime] + c[stats.FinishedLate]
	rated := c[stats.RatedVery] + c[stats.RatedOK] + c[stats.RatedBad]
	for _, x := range []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"online share of received", s.OnlineRate, 0.50, 0.70},
		{"refused", share(c[stats.Refused], c[stats.Submitted]), 0.015, 0.05},
		{"supplement requests", share(c[stats.SupplementRequests], c[stats.Submitted]), 0.03, 0.08},
		{"late", share(c[stats.FinishedLate], finished), 0.05, 0.13},
		{"rated of returned", share(rated, c[stats.Returned]), 0.6, 0.8},
		{"satisfied", s.Satisfaction, 0.9, 1},
		{"returned", share(c[stats.Returned], c[stats.Submitted]), 0.85, 0.98},
	} {
		if x.got < x.lo || x.got > x.hi {
			t.Errorf("%s: %.3f, want %.2f–%.2f", x.name, x.got, x.lo, x.hi)
		}
	}
}

// checkSummaries compares the dashboard's figures, read from the sums,
// with the same figures added up from the day rows, over ranges that start
// and end inside months and on their edges, for the province and a commune,
// with and without a procedure.
func checkSummaries(t *testing.T, db *store.DB, province, commune string) {
	t.Helper()
	ctx := context.Background()
	end := storetest.Start.In(stats.Zone)
	ranges := [][2]string{{"2000-01-01", "2999-12-31"}}
	for _, back := range []struct{ y, m, d int }{{-1, 0, 1}, {0, -1, 0}, {0, 0, -7}, {-2, -3, -17}} {
		ranges = append(ranges, [2]string{end.AddDate(back.y, back.m, back.d).Format("2006-01-02"), end.Format("2006-01-02")})
	}
	ranges = append(ranges, [2]string{end.AddDate(-1, 0, 0).Format("2006-01") + "-01", end.AddDate(0, -1, 0).Format("2006-01") + "-01"})
	mid := end.AddDate(0, -2, 0).Format("2006-01")
	ranges = append(ranges, [2]string{mid + "-04", mid + "-27"}, [2]string{mid + "-04", mid + "-12"})
	all, err := db.Summary(ctx, stats.Query{UnitCode: province, From: ranges[0][0], To: ranges[0][1]})
	if err != nil || len(all.ByProcedure) == 0 {
		t.Fatalf("no procedures in the summary: %v", err)
	}
	// Callers asking at once, who may share one computation, each get the
	// whole answer. (That they share it is not checked here.)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := db.Summary(ctx, all.Query)
			if err != nil || !reflect.DeepEqual(s, all) {
				t.Errorf("concurrent summary differs: %v", err)
			}
		}()
	}
	wg.Wait()
	for _, unit := range []string{province, commune} {
		for _, proc := range []string{"", all.ByProcedure[0].Key} {
			for _, r := range ranges {
				q := stats.Query{UnitCode: unit, ProcedureCode: proc, From: r[0], To: r[1]}
				got, err := db.Summary(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, err := db.SummaryFromDays(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%+v: from the sums\n%+v\nfrom the days\n%+v", q, got, want)
				}
				if unit == province && proc == "" && r[0] == ranges[1][0] && got.Totals[stats.Submitted] == 0 {
					t.Errorf("%+v: nothing submitted in the last year", q)
				}
			}
		}
	}
}

// checkPools looks at every prepared dossier.
func checkPools(t *testing.T, db *store.DB, ds *Dataset) {
	t.Helper()
	want := map[string]func(d *dossier.Dossier) bool{
		dossier.ActReceive:      func(d *dossier.Dossier) bool { return d.Status == dossier.StatusSubmitted },
		dossier.ActForward:      func(d *dossier.Dossier) bool { return d.Status == dossier.StatusReceived && d.Step == 0 },
		dossier.ActApprove:      func(d *dossier.Dossier) bool { return d.Status == dossier.StatusProcessing && !d.Approved },
		dossier.ActFinish:       func(d *dossier.Dossier) bool { return d.Status == dossier.StatusProcessing && d.Approved },
		dossier.ActReturnResult: func(d *dossier.Dossier) bool { return d.Status == dossier.StatusDone },
	}
	for action, ok := range want {
		lists := ds.Pools[action]
		if len(lists) != 2 {
			t.Fatalf("%s: prepared for %d communes, want 2", action, len(lists))
		}
		for _, codes := range lists {
			for _, code := range codes {
				d, err := store.Dossiers{DB: db}.Get(context.Background(), code)
				if err != nil || !ok(d) {
					t.Fatalf("%s: dossier %s is not ready for it (status %v, step %v, %v)", action, code, d.Status, d.Step, err)
				}
			}
		}
	}
}

func TestMeasure(t *testing.T) {
	boom := errors.New("boom")
	r := measure(context.Background(), "x", 3, 300*time.Millisecond, func(ctx context.Context, client, n int) error {
		time.Sleep(time.Millisecond)
		switch {
		case client == 0 && n == 5:
			return errExhausted
		case n == 2:
			return boom
		}
		return nil
	})
	if !r.Exhausted || r.Errors != 3 || r.FirstError != "boom" || r.Count < 20 || r.Elapsed > 500*time.Millisecond {
		t.Errorf("result: %+v", r)
	}
	if r.P50 < time.Millisecond || r.P99 < r.P50 {
		t.Errorf("latencies: p50 %s, p99 %s", r.P50, r.P99)
	}
}

// TestMeasureSlow: a request still running at the end is waited for, up
// to twice the duration, and then counted as an error.
func TestMeasureSlow(t *testing.T) {
	r := measure(context.Background(), "slow", 2, 100*time.Millisecond, func(ctx context.Context, client, n int) error {
		wait := 150 * time.Millisecond
		if client == 1 {
			wait = time.Second
		}
		select {
		case <-time.After(wait):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if r.Count != 2 || r.Errors != 1 || r.P99 < 190*time.Millisecond || r.FirstError == "" {
		t.Errorf("result: %+v", r)
	}
}

func TestPercentiles(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	p50, p95, p99 := percentiles(lat)
	if p50 != 50*time.Millisecond || p95 != 95*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("percentiles: %s %s %s", p50, p95, p99)
	}
}

// TestCeilingWritesWhatASubmissionWrites runs the engine ceiling briefly
// on a generated province and checks that its rows are whole: chains that
// verify, roll-ups that the dashboard counts, and sums that equal the sums
// rebuilt from the roll-ups, as a live submission leaves them.
func TestCeilingWritesWhatASubmissionWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dsn := storetest.DSN(t, engine)
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		prov, communes, ps := provinceOf(t)
		ds, err := Generate(ctx, db, DatasetConfig{Province: prov, Communes: communes, Procedures: ps, Dossiers: 300,
			End: storetest.Start, PoolUnits: 1, Pool: 1, Password: password, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		before, err := db.Summary(ctx, stats.Query{UnitCode: prov.Code, From: "2000-01-01", To: "2999-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := openCeiling(engine, dsn, 4)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		c := newCeiling(raw, engine, []string{communes[0].Code, communes[1].Code}, ds)
		written := 0
		for _, per := range []int{1, 5} {
			r := c.run(ctx, "ceiling", 4, per, time.Second) // a second: a loaded machine still answers within two
			if r.Errors != 0 || r.Count == 0 {
				t.Fatalf("%d per transaction: %d written, %d errors (%s)", per, r.Count, r.Errors, r.FirstError)
			}
			written += r.Count * per
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.Broken != 0 || int64(res.Checked) != ds.Dossiers+int64(written) {
			t.Errorf("audit after the ceiling: %+v %v, want %d intact", res, err, ds.Dossiers+int64(written))
		}
		after, err := db.Summary(ctx, stats.Query{UnitCode: prov.Code, From: "2000-01-01", To: "2999-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if got := after.Totals[stats.Submitted] - before.Totals[stats.Submitted]; got != int64(written) {
			t.Errorf("the dashboard counts %d more submissions, the ceiling wrote %d", got, written)
		}
		if err := storetest.SumsMatchRebuild(ctx, db); err != nil {
			t.Errorf("the ceiling's sums: %v", err)
		}
	})
}

// provinceOf is Hà Nội's real communes and the demo's procedures, the
// province the dataset tests generate.
func provinceOf(t *testing.T) (unit.Unit, []unit.Unit, []procedure.Procedure) {
	t.Helper()
	prov, communes, err := ProvinceUnits(unitsFile(), "01")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := demo.Procedures()
	if err != nil {
		t.Fatal(err)
	}
	return prov, communes, ps
}
