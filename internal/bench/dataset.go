package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

// DatasetConfig says what to generate.
type DatasetConfig struct {
	Province   unit.Unit
	Communes   []unit.Unit // the province's communes, wards and special zones
	Procedures []procedure.Procedure
	Dossiers   int       // spread over Years before End
	Years      int       // 3 by default
	End        time.Time // the dataset's "now"
	PoolUnits  int       // communes that get the prepared dossiers (the clients' communes)
	Pool       int       // prepared dossiers per lifecycle action
	Password   string    // every generated officer's password
	Seed       uint64
	Progress   io.Writer // a line a second while loading; nil for none
}

// Dataset is what was generated, as the load needs it.
type Dataset struct {
	Province unit.Unit
	Communes []unit.Unit
	Staff    []StaffNames // by commune, in Communes' order
	Leader   string       // the province-level leader, for province statistics
	Samples  []Sample     // existing dossiers for the public look-up
	// Pools holds the prepared dossiers' codes by action and then by
	// commune (the first PoolUnits communes).
	Pools    map[string][][]string
	Dossiers int64 // written, pools included
	Rows     int64
	Elapsed  time.Duration

	submitBodies [][]byte // counter submissions for the load
	procs        []*proc
	people       []dossier.Applicant
}

// StaffNames are one commune's officers' usernames.
type StaffNames struct {
	Counter, Specialist, Leader string
}

// Sample is a dossier code with the proof a citizen gives to look it up.
type Sample struct {
	Code, IDNumber string
}

// poolActions are the lifecycle actions the benchmark times, with the stage
// their dossiers are prepared at.
var poolActions = []struct {
	action string
	stage  stage
}{
	{dossier.ActReceive, stageSubmitted},
	{dossier.ActForward, stageReceived},
	{dossier.ActApprove, stageLeader},
	{dossier.ActFinish, stageLastStep},
	{dossier.ActReturnResult, stageDone},
}

const maxSamples = 20_000

// generator holds what every day's generation shares; it is read-only once
// built, so that days generate in parallel.
type generator struct {
	cfg       DatasetConfig
	cal       dossier.Calendar
	procs     []*proc
	online    []*proc
	procW     weighted
	onlineW   weighted
	unitW     weighted
	staff     []staff
	pOnline   float64 // chance that an online-capable dossier is submitted online
	place     string  // ID number place code of the province
	days      []time.Time
	perDay    []int
	isWorkday func(time.Time) bool
}

// Generate writes the units, procedures, officers and dossiers into db, which
// should be empty, and returns what the load needs.
func Generate(ctx context.Context, db *store.DB, cfg DatasetConfig) (*Dataset, error) {
	start := time.Now()
	if cfg.Years == 0 {
		cfg.Years = 3
	}
	ds := &Dataset{Province: cfg.Province, Communes: cfg.Communes, Pools: map[string][][]string{}}
	g, err := newGenerator(ctx, db, cfg, ds)
	if err != nil {
		return nil, err
	}
	bulk, err := db.NewBulk(ctx)
	if err != nil {
		return nil, err
	}
	stop := progress(cfg.Progress, bulk)
	err = g.load(ctx, bulk, ds)
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress, "load: generated; writing the last rows and the roll-ups, building the indexes")
	}
	err = errors.Join(err, bulk.Close(ctx))
	stop()
	ds.Dossiers, ds.Rows = bulk.Progress()
	ds.Elapsed = time.Since(start)
	return ds, err
}

// progress prints the load's progress every second until stop is called.
func progress(w io.Writer, b *store.Bulk) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		began, lastRows, last := time.Now(), int64(0), time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				d, rows := b.Progress()
				fmt.Fprintf(w, "load: %9d dossiers, %10d rows, %7.0f rows/s (%s)\n", d, rows,
					float64(rows-lastRows)/now.Sub(last).Seconds(), now.Sub(began).Round(time.Second))
				lastRows, last = rows, now
			}
		}
	}()
	return func() { close(done); <-finished }
}

func newGenerator(ctx context.Context, db *store.DB, cfg DatasetConfig, ds *Dataset) (*generator, error) {
	if len(cfg.Communes) == 0 {
		return nil, fmt.Errorf("province %s has no communes", cfg.Province.Code)
	}
	if _, err := db.ImportUnits(ctx, append([]unit.Unit{cfg.Province}, cfg.Communes...)); err != nil {
		return nil, err
	}
	if _, err := db.SaveProcedures(ctx, cfg.Procedures); err != nil {
		return nil, err
	}
	g := &generator{cfg: cfg, place: "0" + cfg.Province.Code}
	if err := g.createStaff(ctx, db, ds); err != nil {
		return nil, err
	}
	cal, err := (&store.Calendars{DB: db}).For(ctx, cfg.Communes[0].Code)
	if err != nil {
		return nil, err
	}
	g.cal = cal
	g.isWorkday = func(t time.Time) bool { return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday }
	if wc, ok := cal.(interface{ IsWorkingDay(time.Time) bool }); ok {
		g.isWorkday = wc.IsWorkingDay
	}
	g.pickProcedures()
	g.weighUnits()
	g.planDays()
	ds.submitBodies, ds.people = g.submitBodies(4096)
	ds.procs = g.procs
	return g, nil
}

// submitBodies makes counter submissions for the load, with the dataset's
// mix of procedures and people, and returns the people too.
func (g *generator) submitBodies(n int) ([][]byte, []dossier.Applicant) {
	r := rand.New(rand.NewPCG(g.cfg.Seed, 5))
	bodies, people := make([][]byte, n), make([]dossier.Applicant, n)
	for i := range bodies {
		p := g.procs[g.procW.pick(r)]
		people[i] = applicant(r, g.place, g.cfg.End.Year())
		bodies[i], _ = json.Marshal(dossier.SubmitRequest{ProcedureCode: p.Code, Channel: dossier.ChannelCounter,
			Applicant: people[i], Components: p.components})
	}
	return bodies, people
}

// createStaff adds a counter officer, a specialist and a leader to every
// commune and a leader to the province, all with one password hash.
func (g *generator) createStaff(ctx context.Context, db *store.DB, ds *Dataset) error {
	hash, err := auth.HashPassword(g.cfg.Password)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(g.cfg.Seed, 1))
	var users []auth.User
	for _, c := range g.cfg.Communes {
		n := StaffNames{Counter: "motcua." + c.Code, Specialist: "chuyenvien." + c.Code, Leader: "lanhdao." + c.Code}
		ds.Staff = append(ds.Staff, n)
		users = append(users,
			auth.User{Username: n.Counter, FullName: applicant(r, g.place, 2000).Name, Role: auth.RoleCounter, UnitCode: c.Code, PasswordHash: hash},
			auth.User{Username: n.Specialist, FullName: applicant(r, g.place, 2000).Name, Role: auth.RoleSpecialist, UnitCode: c.Code, Department: "TP-HT", PasswordHash: hash},
			auth.User{Username: n.Leader, FullName: applicant(r, g.place, 2000).Name, Role: auth.RoleLeader, UnitCode: c.Code, Department: "LD", PasswordHash: hash})
	}
	ds.Leader = "lanhdao." + g.cfg.Province.Code
	users = append(users, auth.User{Username: ds.Leader, FullName: applicant(r, g.place, 2000).Name, Role: auth.RoleLeader,
		UnitCode: g.cfg.Province.Code, PasswordHash: hash})
	if err := db.BulkUsers(ctx, users); err != nil {
		return err
	}
	for i := range g.cfg.Communes {
		u := users[3*i : 3*i+3]
		g.staff = append(g.staff, staff{counter: u[0].Actor(), specialist: u[1].Actor(), leader: u[2].Actor()})
	}
	return nil
}

// pickProcedures weighs the active procedures and works out how often an
// online-capable one is submitted online, so that about 60% of all dossiers
// come online, 38% at the counter and 2% by post.
func (g *generator) pickProcedures() {
	var all, online []float64
	onlineShare, total := 0.0, 0.0
	for i := range g.cfg.Procedures {
		p := &g.cfg.Procedures[i]
		if !p.Active {
			continue
		}
		w, ok := procedureShare[p.Code]
		if !ok {
			w = 0.5
		}
		gp := &proc{Procedure: p, online: p.OnlineMode != procedure.OnlineNone}
		for _, c := range p.Components {
			if c.Required {
				gp.components = append(gp.components, c.Name)
			}
		}
		g.procs, all, total = append(g.procs, gp), append(all, w), total+w
		if gp.online {
			g.online, online, onlineShare = append(g.online, gp), append(online, w), onlineShare+w
		}
	}
	g.procW, g.onlineW = newWeighted(all), newWeighted(online)
	g.pOnline = 1
	if onlineShare > 0 {
		g.pOnline = min(0.97, 0.60*total/onlineShare)
	}
}

// weighUnits gives each commune a size: wards (urban) are busier, and sizes
// vary several-fold, as populations do.
func (g *generator) weighUnits() {
	r := rand.New(rand.NewPCG(g.cfg.Seed, 2))
	ws := make([]float64, len(g.cfg.Communes))
	for i, c := range g.cfg.Communes {
		ws[i] = math.Exp(r.NormFloat64() * 0.5)
		if c.Kind == unit.KindWard {
			ws[i] *= 1.6
		}
	}
	g.unitW = newWeighted(ws)
}

// planDays spreads the dossiers over the days: working days carry most,
// days off only online submissions, and the volume grows a fifth a year.
func (g *generator) planDays() {
	end := g.cfg.End.In(stats.Zone)
	first := time.Date(end.Year()-g.cfg.Years, end.Month(), end.Day(), 0, 0, 0, 0, stats.Zone)
	var ws []float64
	total := 0.0
	for d := first; !d.After(end); d = d.AddDate(0, 0, 1) {
		w := 0.12
		if g.isWorkday(d) {
			w = 1
		}
		w *= 1 + 0.2*d.Sub(first).Hours()/(24*365)
		g.days, ws, total = append(g.days, d), append(ws, w), total+w
	}
	carry := 0.0
	for _, w := range ws {
		x := float64(g.cfg.Dossiers)*w/total + carry
		n := int(x)
		carry = x - float64(n)
		g.perDay = append(g.perDay, n)
	}
	g.perDay[len(g.perDay)-1] += g.cfg.Dossiers - sum(g.perDay)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// load generates the days in parallel, one goroutine per CPU, and adds them
// to the bulk loader in date order, so that ids follow submission times;
// then the prepared dossiers.
func (g *generator) load(ctx context.Context, bulk *store.Bulk, ds *Dataset) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	chans := make([]chan dayResult, workers)
	for w := range chans {
		chans[w] = make(chan dayResult, 4)
		go g.worker(ctx, w, workers, chans[w])
	}
	sampler := rand.New(rand.NewPCG(g.cfg.Seed, 3))
	seen := 0
	for i := range g.days {
		res := <-chans[i%workers]
		if res.err != nil {
			return res.err
		}
		for _, s := range res.stories {
			if err := bulk.Add(ctx, s.d, s.d.UnitCode, s.hist); err != nil {
				return err
			}
			seen++
			sampleInto(&ds.Samples, seen, sampler, Sample{Code: s.d.Code, IDNumber: s.d.Applicant.IDNumber})
		}
	}
	return g.loadPools(ctx, bulk, ds)
}

// sampleInto keeps a uniform sample of the dossiers seen (reservoir
// sampling), for look-ups spread over the whole history.
func sampleInto(dst *[]Sample, seen int, r *rand.Rand, s Sample) {
	if len(*dst) < maxSamples {
		*dst = append(*dst, s)
		return
	}
	if j := r.IntN(seen); j < maxSamples {
		(*dst)[j] = s
	}
}

type dayResult struct {
	stories []*story
	err     error
}

// worker generates the days w, w+n, w+2n, ...; each day has its own random
// stream, so the dataset does not depend on the number of workers.
func (g *generator) worker(ctx context.Context, w, n int, out chan<- dayResult) {
	for i := w; i < len(g.days); i += n {
		stories, err := g.day(i)
		select {
		case out <- dayResult{stories, err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// day generates day i's dossiers in the order they were submitted.
func (g *generator) day(i int) ([]*story, error) {
	r := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)+100))
	l := &life{cal: g.cal, end: g.cfg.End, r: r}
	day, working := g.days[i], g.isWorkday(g.days[i])
	plans := make([]plan, g.perDay[i])
	for k := range plans {
		plans[k] = g.plan(r, l, day, working)
	}
	slices.SortFunc(plans, func(a, b plan) int { return a.at.Compare(b.at) })
	out := make([]*story, 0, len(plans))
	for _, pl := range plans {
		if pl.at.After(g.cfg.End) {
			pl.at = g.cfg.End.Add(-time.Duration(r.IntN(3600)) * time.Second)
		}
		c := g.unitW.pick(r)
		a := applicant(r, g.place, day.Year())
		s, err := l.run(pl.at, g.cfg.Communes[c].Code, g.staff[c], pl.p, pl.channel, a, drawFate(r, pl.p))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// plan is a dossier's procedure, channel and submission time.
type plan struct {
	at      time.Time
	p       *proc
	channel int
}

// plan draws a dossier's procedure, channel and submission time: online at
// any hour (mostly daytime), at the counter or by post in office hours.
func (g *generator) plan(r *rand.Rand, l *life, day time.Time, working bool) (p plan) {
	if !working && len(g.online) > 0 {
		p.p, p.channel = g.online[g.onlineW.pick(r)], dossier.ChannelOnline
	} else {
		p.p = g.procs[g.procW.pick(r)]
		switch {
		case p.p.online && r.Float64() < g.pOnline:
			p.channel = dossier.ChannelOnline
		case r.Float64() < 0.05:
			p.channel = dossier.ChannelPost
		default:
			p.channel = dossier.ChannelCounter
		}
	}
	if p.channel == dossier.ChannelOnline {
		p.at = day.Add(6*time.Hour + time.Duration(r.Int64N(int64(17*time.Hour))))
	} else {
		p.at = g.cal.Add(day, l.working(time.Minute, g.cal.DayLength()))
	}
	return p
}

// loadPools prepares, for each timed lifecycle action, dossiers submitted in
// the last hours and left at the stage the action applies to, spread over
// the clients' communes.
func (g *generator) loadPools(ctx context.Context, bulk *store.Bulk, ds *Dataset) error {
	units := min(max(g.cfg.PoolUnits, 1), len(g.cfg.Communes))
	r := rand.New(rand.NewPCG(g.cfg.Seed, 4))
	l := &life{cal: g.cal, end: g.cfg.End, r: r}
	for _, pa := range poolActions {
		lists := make([][]string, units)
		for k := range g.cfg.Pool {
			c := k % units
			p := g.procs[g.procW.pick(r)]
			channel := dossier.ChannelCounter
			if pa.stage == stageSubmitted {
				p, channel = g.online[g.onlineW.pick(r)], dossier.ChannelOnline
			}
			at := g.cfg.End.Add(-2*time.Hour + time.Duration(r.IntN(3600))*time.Second)
			s, err := l.run(at, g.cfg.Communes[c].Code, g.staff[c], p, channel, applicant(r, g.place, at.Year()), fate{stop: pa.stage, fast: true})
			if err != nil {
				return err
			}
			if err := bulk.Add(ctx, s.d, s.d.UnitCode, s.hist); err != nil {
				return err
			}
			lists[c] = append(lists[c], s.d.Code)
		}
		ds.Pools[pa.action] = lists
	}
	return nil
}
