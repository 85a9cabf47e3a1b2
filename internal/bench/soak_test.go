package bench

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"

	"github.com/motcua/motcua/internal/web"
)

var soakFor = flag.Duration("soak", time.Minute, "length of TestSoak's write load (6 intervals)")

// TestSoak sends counter submissions to a real server on loopback over a
// SQLite file for a minute (-soak), in six intervals, and after each one
// collects the garbage and reads the heap in use, and the interval's
// latencies. A leak that keeps anything per request (a cache without a
// bound, a slice of every dossier) grows the heap with the tens of
// thousands of dossiers written; a flat heap stays near its first value.
// The bounds are wide so that a slow shared machine cannot fail them: the
// last heap at most twice the first plus 8 MB, the last median latency at
// most five times the first plus 10 ms. The numbers per interval go to the
// log (and docs/benchmarks.md), not to pass or fail.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: a minute of load")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "soak.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	prov, communes, ps := provinceOf(t)
	ds, err := Generate(ctx, db, DatasetConfig{Province: prov, Communes: communes, Procedures: ps, Dossiers: 2000,
		End: time.Now(), PoolUnits: 1, Pool: 10, Password: password, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := token(ctx, db, ds.Staff[0].Counter)
	if err != nil {
		t.Fatal(err)
	}
	cals := &store.Calendars{DB: db}
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: cals, Units: db, Officers: db, Now: time.Now}
	srv := httptest.NewServer((&web.Server{DB: db, Dossiers: svc, Procs: store.Procedures{DB: db}, Calendar: cals, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	const clients, intervals = 4, 6
	c := newClient(srv.URL, clients)
	submit := func(ctx context.Context, client, n int) error {
		body := ds.submitBodies[(client*7919+n)%len(ds.submitBodies)]
		return c.do(ctx, http.MethodPost, "/api/v1/dossiers", tok, body, http.StatusCreated, nil)
	}
	measure(ctx, "warm-up", clients, 3*time.Second, submit) // statements prepared, pools filled
	var heap []uint64
	var p50 []time.Duration
	total := 0
	for i := range intervals {
		r := measure(ctx, "submit", clients, *soakFor/intervals, submit)
		if r.Errors > 0 || r.Count == 0 {
			t.Fatalf("interval %d: %d requests, %d failed, the first: %s", i+1, r.Count, r.Errors, r.FirstError)
		}
		total += r.Count
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heap, p50 = append(heap, ms.HeapInuse), append(p50, r.P50)
		t.Logf("interval %d: %d submissions (%.0f/s), p50 %v p95 %v p99 %v, heap in use after GC %.1f MB, %d dossiers written",
			i+1, r.Count, r.PerSec(), r.P50, r.P95, r.P99, float64(ms.HeapInuse)/(1<<20), total)
	}
	first, last := heap[0], heap[len(heap)-1]
	if last > 2*first+8<<20 {
		t.Errorf("heap in use grew from %.1f MB to %.1f MB over %d submissions", float64(first)/(1<<20), float64(last)/(1<<20), total)
	}
	if lim := 5*p50[0] + 10*time.Millisecond; p50[len(p50)-1] > lim {
		t.Errorf("median latency went from %v to %v (more than %v)", p50[0], p50[len(p50)-1], lim)
	}
}
