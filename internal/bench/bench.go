// Package bench measures motcua on a realistic province: it generates years
// of dossiers of a province's real communes into a fresh database, starts a
// real `motcua serve` on it, drives it over loopback HTTP with concurrent
// clients, and in the same run measures what the database engine alone
// gives the submission's write path, so that motcua's numbers read as a
// share of the engine's.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

// Options configure a run.
type Options struct {
	DataDir    string // SQLite data directory; empty: a new temporary one
	ServerURL  string // postgres://...: run on a new database of this server instead
	Keep       bool   // keep the database afterwards
	Province   unit.Unit
	Communes   []unit.Unit
	Procedures []procedure.Procedure
	Dossiers   int
	Pool       int // prepared dossiers per lifecycle action; 0: enough for the duration
	Clients    int
	Duration   time.Duration // per operation
	Exe        string        // the motcua binary to serve with
	Seed       uint64
	Out, Log   io.Writer // results; progress
	// LoadProfile, when set, names a file for a CPU profile of the dataset
	// load (the generator and the loader run in this process; the server,
	// in its own, is profiled in-process by the handler benchmarks).
	LoadProfile string
	// LimitPublic is the server's --limit-public; empty: off, since every
	// client comes from loopback and the limit per address would refuse
	// them. A high limit measures the look-up with its counting write.
	LimitPublic string
}

// maxSignedIn bounds the communes whose officers the clients act for: each
// login costs a deliberately slow password hash (argon2id, 64 MiB).
const maxSignedIn = 32

// password is the generated officers' password, used only on the fresh
// database.
const password = "motcua-bench"

// Run performs the whole benchmark and prints the results.
func Run(ctx context.Context, o Options) (err error) {
	if o.Pool == 0 {
		o.Pool = min(max(int(o.Duration.Seconds())*2500, 2000), 50_000)
	}
	t, err := freshTarget(ctx, o.DataDir, o.ServerURL)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish(ctx, t, o)) }()
	printHeader(o, t)
	signed := min(o.Clients, len(o.Communes), maxSignedIn)
	ds, err := loadDataset(ctx, o, t, signed)
	if err != nil {
		return err
	}
	rep := &report{engine: t.engine, ds: ds}
	if err := serveAndMeasure(ctx, o, t, ds, signed, rep); err != nil {
		return err
	}
	if err := measureCeiling(ctx, o, t, ds, signed, rep); err != nil {
		return err
	}
	rep.printSummary(o.Out)
	return nil
}

// finish drops the database, or says where it is.
func finish(ctx context.Context, t *target, o Options) error {
	if o.Keep {
		fmt.Fprintf(o.Out, "\ndatabase kept: %s\n", t.where)
		return nil
	}
	return t.drop(ctx)
}

func printHeader(o Options, t *target) {
	fmt.Fprintf(o.Out, "motcua bench: %s, %d CPUs (%s), %s %s/%s\n", t.engine, runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(o.Out, "database: %s\n", t.where)
}

// cpuModel reads the processor's name where the system tells it (Linux).
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func loadDataset(ctx context.Context, o Options, t *target, signed int) (*Dataset, error) {
	db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if o.LoadProfile != "" {
		stop, err := startProfile(o.LoadProfile)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	ds, err := Generate(ctx, db, DatasetConfig{Province: o.Province, Communes: o.Communes, Procedures: o.Procedures,
		Dossiers: o.Dossiers, End: time.Now(), PoolUnits: signed, Pool: o.Pool, Password: password, Seed: o.Seed, Progress: o.Log})
	if err != nil {
		return nil, err
	}
	size, _ := t.size(ctx)
	fmt.Fprintf(o.Out, "dataset: %s (%s), %d communes, %d procedures, %d officers; %d dossiers over 3 years + %d prepared for the lifecycle actions\n",
		o.Province.FullName, o.Province.Code, len(o.Communes), len(ds.procs), 3*len(o.Communes)+1, o.Dossiers, 5*o.Pool)
	fmt.Fprintf(o.Out, "loaded: %d rows in %s (%.0f dossiers/s, %.0f rows/s), database %s\n", ds.Rows, ds.Elapsed.Round(time.Second),
		float64(ds.Dossiers)/ds.Elapsed.Seconds(), float64(ds.Rows)/ds.Elapsed.Seconds(), megabytes(size))
	return ds, nil
}

// startProfile writes a CPU profile to path until stop is called.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// serveAndMeasure starts the server, signs the officers in and times every
// operation, then reads the server's peak memory and stops it.
func serveAndMeasure(ctx context.Context, o Options, t *target, ds *Dataset, signed int, rep *report) error {
	limit := o.LimitPublic
	if limit == "" {
		limit = "off"
	}
	srv, err := StartServer(ctx, o.Exe, append([]string{"serve", "--addr", "127.0.0.1:0", "--limit-public", limit}, t.serve...)...)
	if err != nil {
		return err
	}
	defer srv.Stop()
	c := newClient(srv.URL, o.Clients)
	began := time.Now()
	s, err := signIn(ctx, c, ds, signed, password)
	if err != nil {
		return fmt.Errorf("sign in: %w\n%s", err, srv.Logs())
	}
	fmt.Fprintf(o.Out, "server: %s; %d clients for %s per operation, acting for the officers of %d communes (%d logins in %s)\n\n",
		srv.URL, o.Clients, o.Duration, signed, 2*signed+1, time.Since(began).Round(time.Millisecond))
	printResultHead(o.Out)
	for _, op := range s.ops(ds, time.Now()) {
		clients := o.Clients
		if op.clients > 0 {
			clients = op.clients
		}
		r := measure(ctx, op.name, clients, o.Duration, op.run)
		rep.http = append(rep.http, r)
		printResult(o.Out, r)
		// A pause, so that the requests this operation gave up on are
		// over on the server before the next one is timed.
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	printServerLog(o.Out, rep.http, srv.Logs())
	var anon int64
	rep.peak, rep.rss, anon, err = srv.Memory()
	if err != nil {
		fmt.Fprintf(o.Out, "server memory: not available here (%v)\n", err)
	} else {
		fmt.Fprintf(o.Out, "server memory: peak %s (VmHWM), %s at the end (VmRSS), of which %s its own (RssAnon); the rest is mapped files: the program and, on SQLite, database pages\n",
			megabytes(rep.peak), megabytes(rep.rss), megabytes(anon))
	}
	return srv.Stop()
}

// printServerLog shows the end of the server's log when requests failed,
// since a 500 says nothing of its cause. Requests the clients gave up on
// are left out: they only say "context canceled".
func printServerLog(w io.Writer, results []Result, log string) {
	failed := false
	for _, r := range results {
		failed = failed || r.Errors > 0
	}
	if !failed {
		return
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		if !strings.Contains(l, "context canceled") {
			lines = append(lines, l)
		}
	}
	fmt.Fprintf(w, "server log, last lines other than cancelled requests:\n")
	for _, l := range lines[max(0, len(lines)-8):] {
		fmt.Fprintf(w, "    %s\n", oneLine(l, 300))
	}
}

// measureCeiling writes submissions' rows straight through database/sql,
// one dossier per transaction and then batched, with the server stopped.
func measureCeiling(ctx context.Context, o Options, t *target, ds *Dataset, signed int, rep *report) error {
	db, err := openCeiling(t.engine, t.dsn, o.Clients)
	if err != nil {
		return err
	}
	defer db.Close()
	units := make([]string, signed)
	for i := range units {
		units[i] = ds.Communes[i].Code
	}
	c := newCeiling(db, t.engine, units, ds)
	fmt.Fprintf(o.Out, "\nengine ceiling: the submission's rows through database/sql alone, %d clients, %s each\n", o.Clients, o.Duration)
	printResultHead(o.Out)
	for _, per := range []int{1, 100} {
		name := "1 dossier per transaction"
		if per > 1 {
			name = fmt.Sprintf("%d dossiers per transaction", per)
		}
		r := c.run(ctx, name, o.Clients, per, o.Duration)
		rep.ceiling = append(rep.ceiling, r)
		printResult(o.Out, r)
	}
	return ctx.Err()
}
