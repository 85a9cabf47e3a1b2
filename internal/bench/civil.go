package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// CivilOptions configure a civil-status benchmark: a province's register
// of generated births, marriages and deaths, imported in one transaction
// through the store's import path, then searched by several clients.
type CivilOptions struct {
	DataDir   string // SQLite data directory; empty: a new temporary one
	ServerURL string // postgres://...: run on a new database of this server instead
	Keep      bool
	Province  unit.Unit
	Communes  []unit.Unit
	Records   int
	Clients   int
	Duration  time.Duration // of the search measurement
	Seed      uint64
	Profile   string // write a CPU profile of the import to this file
	// Existing searches a register a previous run kept (-keep) instead
	// of importing one: DataDir holds it (SQLite) or ServerURL is its
	// database (PostgreSQL). Records, Seed and the units must be those
	// of that run: the generator, deterministic, then yields the same
	// sample of people without writing anything.
	Existing      bool
	SearchProfile string // write a CPU profile of the searches to this file
	Out, Log      io.Writer
}

// RunCivil performs the civil-status benchmark and prints its results.
func RunCivil(ctx context.Context, o CivilOptions) (err error) {
	if o.Existing {
		return searchExisting(ctx, o)
	}
	t, err := freshTarget(ctx, o.DataDir, o.ServerURL)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish(ctx, t, Options{Keep: o.Keep, Out: o.Out})) }()
	fmt.Fprintf(o.Out, "motcua bench civil: %s, %d CPUs (%s), %s %s/%s\n", t.engine, runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(o.Out, "database: %s\n", t.where)
	db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ImportUnits(ctx, append([]unit.Unit{o.Province}, o.Communes...)); err != nil {
		return err
	}
	g := newCivilGen(o.Seed, o.Province, o.Communes)
	stopProfile := func() {}
	if o.Profile != "" {
		if stopProfile, err = startProfile(o.Profile); err != nil {
			return err
		}
	}
	took, err := civilImport(ctx, db, g, o)
	stopProfile()
	if err != nil {
		return err
	}
	size, _ := t.size(ctx)
	fmt.Fprintf(o.Out, "import: %d records (%d people) of %d communes in %s: %.0f records/s; database %s\n",
		o.Records, g.people, len(o.Communes), took.Round(10*time.Millisecond), float64(o.Records)/took.Seconds(), megabytes(size))
	return civilSearches(ctx, db, g, o)
}

// searchExisting runs the search mix on a kept register: the generator
// replays the run's records, only to draw the same sample of people.
func searchExisting(ctx context.Context, o CivilOptions) error {
	t, err := existingTarget(o.DataDir, o.ServerURL)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "motcua bench civil: %s, %d CPUs (%s), %s %s/%s\n", t.engine, runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(o.Out, "database: %s (existing)\n", t.where)
	db, err := store.Open(ctx, t.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := t.count(ctx, "civil_records")
	if err != nil {
		return err
	}
	if n != o.Records {
		return fmt.Errorf("the register holds %d records, not %d: give the -records, -seed and -units of the run that kept it", n, o.Records)
	}
	g := newCivilGen(o.Seed, o.Province, o.Communes)
	for range o.Records {
		g.record()
	}
	size, _ := t.size(ctx)
	fmt.Fprintf(o.Out, "register: %d records (%d people) of %d communes; database %s\n", o.Records, g.people, len(o.Communes), megabytes(size))
	return civilSearches(ctx, db, g, o)
}

// civilImport writes the generated register through the import path, one
// transaction, with a progress line on the log.
func civilImport(ctx context.Context, db *store.DB, g *civilGen, o CivilOptions) (time.Duration, error) {
	now := time.Now()
	start := now
	var done atomic.Int64
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				fmt.Fprintf(o.Log, "civil import: %d/%d records, %.0f/s\n", done.Load(), o.Records, float64(done.Load())/time.Since(start).Seconds())
			}
		}
	}()
	defer close(stop)
	err := store.Civil{DB: db}.ImportCivil(ctx, func(add func(*civil.Record, int, string, string) error) error {
		for i := range o.Records {
			r, year, number := g.record()
			if err := r.Validate(now); err != nil {
				return fmt.Errorf("generated record %d: %w (%+v)", i, err, r)
			}
			if err := add(&r, year, number, "bench"); err != nil {
				return err
			}
			done.Add(1)
		}
		return nil
	})
	return time.Since(start), err
}

// civilQueryKinds are the search mix, with their shares: how a registrar
// looks a record up when a citizen asks for an extract.
var civilQueryKinds = []struct {
	name  string
	share int
}{
	{"full name, unaccented", 30},
	{"partial name", 20},
	{"name + birth year", 20},
	{"given name + parent's name", 15},
	{"ID number", 15},
}

// civilSearches measures searches from o.Clients clients, each picking
// people from the sample of generated ones.
func civilSearches(ctx context.Context, db *store.DB, g *civilGen, o CivilOptions) error {
	st := store.Civil{DB: db}
	sample := g.sample
	if len(sample) == 0 {
		return errors.New("bench civil: no people sampled")
	}
	withID := g.withID
	if len(withID) == 0 {
		withID = sample
	}
	if err := explainCivil(ctx, st, sample[0], withID[0], o.Out); err != nil {
		return err
	}
	stopProfile := func() {}
	if o.SearchProfile != "" {
		var err error
		if stopProfile, err = startProfile(o.SearchProfile); err != nil {
			return err
		}
	}
	defer stopProfile()
	clients := []int{1}
	if o.Clients > 1 {
		clients = append(clients, o.Clients)
	}
	for _, n := range clients {
		results := civilMix(ctx, st, sample, withID, n, o.Duration)
		mix := Result{Name: "all searches", Count: 0}
		var all []time.Duration
		var cpu time.Duration
		for _, r := range results {
			mix.Errors += r.Errors
			mix.Elapsed += r.Elapsed
			all = append(all, r.lat...)
			cpu += r.cpu
		}
		mix.Count = len(all)
		mix.P50, mix.P95, mix.P99 = percentiles(all)
		fmt.Fprintf(o.Out, "\nname search, %d client(s), in-process through the store (%d records):\n", n, o.Records)
		printResultHead(o.Out)
		for _, r := range results {
			printResult(o.Out, r.Result)
		}
		printResult(o.Out, mix)
		if cpu > 0 {
			// The process's CPU time: the whole search on SQLite, only the
			// client's part on PostgreSQL.
			fmt.Fprintf(o.Out, "CPU time of this process per search:")
			for _, r := range append(results, civilResult{Result: mix, cpu: cpu}) {
				fmt.Fprintf(o.Out, " %s %s;", r.Name, cpuPer(r.cpu, r.Count))
			}
			fmt.Fprintln(o.Out)
		}
	}
	return nil
}

// civilResult is a query kind's result with its latencies and the
// process's CPU time while it ran.
type civilResult struct {
	Result
	lat []time.Duration
	cpu time.Duration
}

func cpuPer(cpu time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fms", float64(cpu.Microseconds())/1000/float64(n))
}

// civilMix runs each kind of query of the mix for its share of d.
func civilMix(ctx context.Context, st store.Civil, sample, withID []civilPerson, clients int, d time.Duration) []civilResult {
	var results []civilResult
	for k, qk := range civilQueryKinds {
		cpu := processCPU()
		res, lat := measureCivil(ctx, qk.name, clients, d*time.Duration(qk.share)/100, func(ctx context.Context, client, n int) error {
			r := rand.New(rand.NewPCG(uint64(client), uint64(n)*7919+uint64(k)))
			p := sample[r.IntN(len(sample))]
			if k == len(civilQueryKinds)-1 {
				p = withID[r.IntN(len(withID))]
			}
			_, _, err := st.Search(ctx, civilQuery(r, k, p))
			return err
		})
		results = append(results, civilResult{res, lat, processCPU() - cpu})
	}
	return results
}

// measureCivil is measure, keeping the latencies for the whole mix.
func measureCivil(ctx context.Context, name string, clients int, d time.Duration, op func(ctx context.Context, client, n int) error) (Result, []time.Duration) {
	var lat []time.Duration
	var mu sync.Mutex
	res := measure(ctx, name, clients, d, func(ctx context.Context, client, n int) error {
		t := time.Now()
		err := op(ctx, client, n)
		mu.Lock()
		lat = append(lat, time.Since(t))
		mu.Unlock()
		return err
	})
	return res, lat
}

// civilQuery makes a query of kind k about person p, typed as registrars
// type: without accents, sometimes in another order.
func civilQuery(r *rand.Rand, k int, p civilPerson) civil.Query {
	q := civil.Query{Unit: p.unit}
	words := strings.Fields(vntext.Fold(p.name))
	switch k {
	case 0:
		if r.IntN(3) == 0 { // given name first, as people also say it
			words = append(words[len(words)-1:], words[:len(words)-1]...)
		}
		q.Q = strings.Join(words, " ")
	case 1:
		// The family name and the start of the given name: "nguyen hu".
		given := words[len(words)-1]
		q.Q = words[0] + " " + given[:min(len(given), 1+r.IntN(3))]
	case 2:
		q.Q = words[0] + " " + words[len(words)-1]
		q.BirthYear = p.birthYear
	case 3:
		q.Q = words[len(words)-1]
		q.Parent = vntext.Fold(p.mother)
	default:
		q.Q = p.id
	}
	return q
}

// explainCivil prints the plans of a name search and of an ID number
// search, to show the indexes at work.
func explainCivil(ctx context.Context, st store.Civil, p, withID civilPerson, w io.Writer) error {
	for _, q := range []civil.Query{{Unit: p.unit, Q: vntext.Fold(p.name)}, {Unit: withID.unit, Q: withID.id}} {
		plan, err := st.ExplainSearch(ctx, q)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nplan of the search %q:\n  %s\n", q.Q, strings.ReplaceAll(plan, "\n", "\n  "))
	}
	return nil
}
