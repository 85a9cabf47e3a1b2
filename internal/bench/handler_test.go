package bench

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
)

// The handler benchmarks run the server's hot paths in-process, without
// sockets, on a generated province, so that a CPU profile shows where a
// request's time goes:
//
//	go test -run x -bench Handler -cpuprofile cpu.out ./internal/bench
//	go tool pprof -top cpu.out

var (
	benchDossiers = flag.Int("dossiers", 20_000, "dossiers in the handler benchmarks' dataset")
	benchPostgres = flag.String("postgres", "", "postgres://... server: run the handler benchmarks on a new database there")
	benchParallel = flag.Int("parallel", 1, "goroutines per CPU sending requests (RunParallel's parallelism)")
)

// handlerEnv is the server and what the requests need, built once.
type handlerEnv struct {
	h        http.Handler
	ds       *Dataset
	counter  string       // token of the first commune's counter officer
	province string       // the province leader
	forwards atomic.Int64 // prepared dossiers forwarded so far, over all runs
	from, to string
	err      error
	cleanup  func()
}

var (
	envOnce sync.Once
	env     handlerEnv
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if env.cleanup != nil {
		env.cleanup()
	}
	os.Exit(code)
}

func handlers(b *testing.B) *handlerEnv {
	b.Helper()
	envOnce.Do(func() { env.err = env.build() })
	if env.err != nil {
		b.Fatal(env.err)
	}
	return &env
}

func (e *handlerEnv) build() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "motcua-handler-bench-")
	if err != nil {
		return err
	}
	t, err := freshTarget(ctx, dir, *benchPostgres)
	if err != nil {
		return err
	}
	e.cleanup = func() { _ = t.drop(ctx); _ = os.RemoveAll(dir) }
	db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return err
	}
	prov, communes, err := ProvinceUnits(unitsFile(), "01")
	if err != nil {
		return err
	}
	ps, err := demo.Procedures()
	if err != nil {
		return err
	}
	now := time.Now()
	e.ds, err = Generate(ctx, db, DatasetConfig{Province: prov, Communes: communes, Procedures: ps, Dossiers: *benchDossiers,
		End: now, PoolUnits: 1, Pool: 5000, Password: password, Seed: 1})
	if err != nil {
		return err
	}
	if e.counter, err = token(ctx, db, e.ds.Staff[0].Counter); err != nil {
		return err
	}
	if e.province, err = token(ctx, db, e.ds.Leader); err != nil {
		return err
	}
	e.from, e.to = now.In(stats.Zone).AddDate(-1, 0, 1).Format("2006-01-02"), now.In(stats.Zone).Format("2006-01-02")
	cals := &store.Calendars{DB: db}
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: cals, Units: db, Officers: db, Now: time.Now}
	srv := &web.Server{DB: db, Dossiers: svc, Procs: store.Procedures{DB: db}, Calendar: cals, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: web.Limits{Public: web.Rate{N: -1}}} // one client address: the look-up's limit would refuse it
	e.h = srv.Handler()
	return nil
}

// unitsFile is the shared list of units when the project's test data is
// there, else none (the demo's units).
func unitsFile() string {
	p := filepath.Join("..", "..", "..", "shared", "data", "units", "vn_units_2025.json")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func token(ctx context.Context, db *store.DB, username string) (string, error) {
	u, err := db.UserByName(ctx, username)
	if err != nil {
		return "", err
	}
	return db.CreateToken(ctx, u.ID, store.TokenSession, time.Hour)
}

// serve runs requests from parallel goroutines; next builds request i.
func (e *handlerEnv) serve(b *testing.B, want int, next func(i int) *http.Request) {
	b.Helper()
	var n atomic.Int64
	b.SetParallelism(*benchParallel)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, next(int(n.Add(1))))
			if w.Code != want {
				b.Errorf("status %d: %s", w.Code, w.Body.String())
				return
			}
		}
	})
}

func (e *handlerEnv) request(method, path, token string, body []byte) *http.Request {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func BenchmarkHandlerSubmit(b *testing.B) {
	e := handlers(b)
	e.serve(b, http.StatusCreated, func(i int) *http.Request {
		return e.request(http.MethodPost, "/api/v1/dossiers", e.counter, e.ds.submitBodies[i%len(e.ds.submitBodies)])
	})
}

func BenchmarkHandlerForward(b *testing.B) {
	e := handlers(b)
	codes := e.ds.Pools[dossier.ActForward][0]
	if left := len(codes) - int(e.forwards.Load()); b.N > left {
		b.Skipf("%d prepared dossiers left for %d requests", left, b.N)
	}
	e.serve(b, http.StatusOK, func(int) *http.Request {
		code := codes[e.forwards.Add(1)-1]
		return e.request(http.MethodPost, "/api/v1/dossiers/"+code+"/actions/forward", e.counter, nil)
	})
}

func BenchmarkHandlerLookup(b *testing.B) {
	e := handlers(b)
	e.serve(b, http.StatusOK, func(i int) *http.Request {
		s := e.ds.Samples[(i*104729)%len(e.ds.Samples)]
		return e.request(http.MethodGet, "/api/v1/lookup?code="+url.QueryEscape(s.Code)+"&id="+s.IDNumber, "", nil)
	})
}

func BenchmarkHandlerQueue(b *testing.B) {
	e := handlers(b)
	e.serve(b, http.StatusOK, func(int) *http.Request {
		return e.request(http.MethodGet, "/api/v1/dossiers?status=4", e.counter, nil)
	})
}

func BenchmarkHandlerStatsCommune(b *testing.B) {
	e := handlers(b)
	path := "/api/v1/stats?unit=" + e.ds.Communes[0].Code + "&from=" + e.from + "&to=" + e.to
	e.serve(b, http.StatusOK, func(int) *http.Request { return e.request(http.MethodGet, path, e.counter, nil) })
}

func BenchmarkHandlerStatsProvince(b *testing.B) {
	e := handlers(b)
	path := "/api/v1/stats?unit=" + e.ds.Province.Code + "&from=" + e.from + "&to=" + e.to
	e.serve(b, http.StatusOK, func(int) *http.Request { return e.request(http.MethodGet, path, e.province, nil) })
}
