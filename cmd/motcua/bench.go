package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/motcua/motcua/internal/bench"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/unit"
)

// defaultUnits is the list of units of the project's shared test data; where
// it is absent the benchmark falls back to the demo's units.
const defaultUnits = "../shared/data/units/vn_units_2025.json"

// bench runs the benchmark: a generated province in a fresh database, a real
// server driven over HTTP, and the engine's own ceiling for comparison.
func (m *Main) bench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "civil" {
		return m.benchCivil(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "portal" {
		return m.benchPortal(ctx, args[1:])
	}
	o := bench.Options{Out: m.Stdout, Log: m.Stderr}
	var unitsFile, province string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&o.DataDir, "data", "", "fresh data directory for SQLite (default: a new temporary directory)")
	fs.StringVar(&o.ServerURL, "db", "", "postgres://... server: run on a new database there instead of SQLite")
	fs.BoolVar(&o.Keep, "keep", false, "keep the database afterwards")
	fs.StringVar(&unitsFile, "units", "", "units file (JSON or CSV; default "+defaultUnits+" if present, else the demo's units)")
	fs.StringVar(&province, "province", "01", "code of the province to generate")
	fs.IntVar(&o.Dossiers, "dossiers", 100_000, "dossiers spread over 3 years")
	fs.IntVar(&o.Pool, "pool", 0, "dossiers prepared per lifecycle action (default: enough for -duration)")
	fs.IntVar(&o.Clients, "clients", 64, "concurrent HTTP clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "time per operation")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generated data")
	fs.StringVar(&o.LimitPublic, "limit-public", "off", "the server's limit on public look-ups per address (N/DURATION); off by default, since every client is on loopback")
	fs.StringVar(&o.LoadProfile, "loadprofile", "", "write a CPU profile of the dataset load to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || o.Dossiers < 1 || o.Clients < 1 || o.Duration <= 0 {
		return fmt.Errorf("usage: motcua bench [-data DIR | -db URL] [-dossiers N] [-clients K] [-duration D] [-units FILE] [-province CODE] [-pool N] [-keep] [-loadprofile FILE]")
	}
	var err error
	if o.Province, o.Communes, err = benchProvince(unitsFile, province); err != nil {
		return err
	}
	if o.Procedures, err = demo.Procedures(); err != nil {
		return err
	}
	if o.Exe, err = os.Executable(); err != nil {
		return err
	}
	return bench.Run(ctx, o)
}

// benchCivil runs the civil-status benchmark: a generated register of the
// province's communes imported in one transaction, then searched by name
// from several clients.
func (m *Main) benchCivil(ctx context.Context, args []string) error {
	o := bench.CivilOptions{Out: m.Stdout, Log: m.Stderr}
	var unitsFile, province, engine, dsn string
	fs := flag.NewFlagSet("bench civil", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&o.DataDir, "data", "", "fresh data directory for SQLite (default: a new temporary directory)")
	fs.StringVar(&o.ServerURL, "db", "", "postgres://... server: run on a new database there instead of SQLite")
	fs.StringVar(&engine, "engine", "sqlite", "sqlite or postgres (with -dsn)")
	fs.StringVar(&dsn, "dsn", "", "the PostgreSQL server for -engine postgres (same as -db)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the database afterwards")
	fs.StringVar(&unitsFile, "units", "", "units file (JSON or CSV; default "+defaultUnits+" if present, else the demo's units)")
	fs.StringVar(&province, "province", "01", "code of the province to generate")
	fs.IntVar(&o.Records, "records", 100_000, "records to generate and import")
	fs.IntVar(&o.Clients, "clients", 8, "concurrent searching clients")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "time of the whole search mix")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generated data")
	fs.StringVar(&o.Profile, "loadprofile", "", "write a CPU profile of the import to this file (go tool pprof)")
	fs.BoolVar(&o.Existing, "existing", false, "only search the register a run with -keep left in -data DIR, or in the database -dsn/-db names; give that run's -records, -seed, -units and -province")
	fs.StringVar(&o.SearchProfile, "searchprofile", "", "write a CPU profile of the searches to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if engine == "postgres" && o.ServerURL == "" {
		o.ServerURL = dsn
	}
	if fs.NArg() > 0 || o.Records < 1 || o.Clients < 1 || o.Duration <= 0 || (engine == "postgres") != (o.ServerURL != "") ||
		(o.Existing && (o.Keep || o.Profile != "" || (o.DataDir == "") == (o.ServerURL == ""))) {
		return fmt.Errorf("usage: motcua bench civil [-records N] [-data DIR | -db URL | -engine postgres -dsn URL] [-clients K] [-duration D] [-units FILE] [-province CODE] [-keep] [-loadprofile FILE] [-existing] [-searchprofile FILE]")
	}
	var err error
	if o.Province, o.Communes, err = benchProvince(unitsFile, province); err != nil {
		return err
	}
	return bench.RunCivil(ctx, o)
}

// benchProvince reads the province to generate and its communes from the
// units file, by default the shared list when it is there.
func benchProvince(unitsFile, province string) (unit.Unit, []unit.Unit, error) {
	if unitsFile == "" {
		if _, err := os.Stat(defaultUnits); err == nil {
			unitsFile = defaultUnits
		}
	}
	return bench.ProvinceUnits(unitsFile, province)
}

// benchPortal measures the public news pages against a static file of the
// same server: "motcua bench portal".
func (m *Main) benchPortal(ctx context.Context, args []string) error {
	o := bench.PortalOptions{Out: m.Stdout}
	fs := flag.NewFlagSet("bench portal", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&o.DataDir, "data", "", "fresh data directory for SQLite (default: a new temporary directory)")
	fs.StringVar(&o.DB, "db", "", "postgres://... empty database to serve from instead of SQLite")
	fs.IntVar(&o.Clients, "clients", 64, "concurrent HTTP clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "time per operation")
	fs.IntVar(&o.Articles, "articles", 50, "articles published before the run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || o.Clients < 1 || o.Duration <= 0 || o.Articles < 1 {
		return fmt.Errorf("usage: motcua bench portal [-data DIR | -db URL] [-clients K] [-duration D] [-articles N]")
	}
	var err error
	if o.Exe, err = os.Executable(); err != nil {
		return err
	}
	return bench.Portal(ctx, o)
}
