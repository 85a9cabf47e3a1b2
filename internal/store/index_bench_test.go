package store

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
	"golang.org/x/sync/errgroup"
)

// BenchmarkRankingReads times, in process, each read of the ranking of the
// units under a province over the year to today, and the whole of it, on a
// database kept by `motcua bench -keep` (a SQLite file or a postgres://
// URL; opening it applies the migrations it lacks). It says where the
// ranking's time goes without the HTTP server and the other clients; the
// CPU time per op (cpu-ms/op) holds better than the elapsed time on a
// machine shared with other work.
//
//	MOTCUA_BENCH_DB=/tmp/bench/motcua.db go test -run '^$' -bench RankingReads ./internal/store/
func BenchmarkRankingReads(b *testing.B) {
	dsn := os.Getenv("MOTCUA_BENCH_DB")
	if dsn == "" {
		b.Skip("MOTCUA_BENCH_DB names no kept benchmark database")
	}
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	province := os.Getenv("MOTCUA_BENCH_UNIT")
	if province == "" {
		province = "01"
	}
	children, err := db.Units(ctx, province)
	if err != nil || len(children) == 0 {
		b.Fatalf("no units under %s (%v)", province, err)
	}
	units := make([]string, len(children))
	for i, c := range children {
		units[i] = c.Code
	}
	end := db.Now().In(stats.Zone)
	from, to := end.AddDate(-1, 0, 1).Format("2006-01-02"), end.Format("2006-01-02")
	facts := func() map[string]index.Facts {
		out := map[string]index.Facts{}
		for _, u := range units {
			out[u] = index.Facts{Totals: map[string]int64{}, Entries: map[string]index.Count{}}
		}
		return out
	}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"sums", func() error { return db.indexTotals(ctx, units, from, to, facts()) }},
		{"portal", func() error { return db.indexPortal(ctx, units, from, to, facts()) }},
		{"running", func() error { return db.indexRunning(ctx, units, facts()) }},
		{"online used", func() error { return db.indexOnlineUsed(ctx, units, from, to, facts()) }},
		{"entries", func() error { return db.indexEntries(ctx, units, from, to, facts()) }},
		{"index, 1 year", func() error { _, err := db.index(ctx, units, from, to); return err }},
		{"ranking: two years side by side", func() error {
			// as the ranking does (web.ranking): the year and the year before
			pf, pt := end.AddDate(-2, 0, 1).Format("2006-01-02"), end.AddDate(-1, 0, 0).Format("2006-01-02")
			var g errgroup.Group
			g.Go(func() error { _, err := db.index(ctx, units, from, to); return err })
			g.Go(func() error { _, err := db.index(ctx, units, pf, pt); return err })
			return g.Wait()
		}},
		{"index months, 12", func() error {
			_, err := db.IndexMonths(ctx, units, end.AddDate(0, -11, 0).Format("2006-01"), end.Format("2006-01"))
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) { loopCPU(b, c.run) })
	}
}

// cpuTime is the process's CPU time so far (user and system): on a shared
// machine it says what an operation costs better than the time it waits.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopCPU runs fn b.N times and reports its CPU time per op beside the
// elapsed time.
func loopCPU(b *testing.B, fn func() error) {
	start := cpuTime()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
