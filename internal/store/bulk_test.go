package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// recount adds up, from the dossiers themselves, what the roll-ups should
// hold in total, metric by metric in the order of stats.Metrics.
const recount = `SELECT COUNT(*),
	SUM(CASE WHEN received_at <> 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN status = 3 THEN 1 ELSE 0 END),
	SUM(supplement_count),
	SUM(CASE WHEN outcome = 'early' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'on_time' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END),
	SUM(CASE WHEN status = 10 THEN 1 ELSE 0 END),
	SUM(CASE WHEN status = 7 THEN 1 ELSE 0 END),
	SUM(CASE WHEN status = 8 THEN 1 ELSE 0 END),
	SUM(CASE WHEN paid_at <> 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN extended_at <> 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 2 THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 1 THEN 1 ELSE 0 END),
	(SELECT COUNT(*) FROM attachments WHERE kind = 'result' AND dossier_id IS NOT NULL),
	SUM(CASE WHEN outcome IN ('early', 'on_time') AND supplement_count > 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN received_at <> 0 AND id IN (SELECT dossier_id FROM dossier_reuses) THEN 1 ELSE 0 END)
	FROM dossiers`

// scenario is a path through the lifecycle: who does what, one hour apart.
type scenario struct {
	online bool
	steps  []string // actor:action
	late   bool     // finish after the due time
}

var scenarios = []scenario{
	{steps: []string{"canbo:forward", "chuyenvien:forward", "lanhdao:approve", "canbo:finish", "canbo:return_result", "congdan:rate"}},
	{online: true, steps: []string{"canbo:receive", "canbo:request_supplement", "canbo:supplement", "canbo:forward", "chuyenvien:forward",
		"lanhdao:approve", "canbo:finish", "canbo:return_result"}},
	{steps: []string{"canbo:request_payment", "canbo:confirm_payment", "canbo:forward", "chuyenvien:forward", "lanhdao:approve",
		"canbo:finish"}, late: true},
	{online: true, steps: []string{"canbo:refuse"}},
	{steps: []string{"canbo:withdraw"}},
	{steps: []string{"canbo:forward", "lanhdao:stop"}},
	{steps: []string{"canbo:forward", "lanhdao:extend", "chuyenvien:forward"}},
	{online: true},
}

// history runs a scenario from at and returns the dossier and its changes.
func history(t *testing.T, f *storetest.Fixture, sc scenario, i int, at time.Time) (*dossier.Dossier, []dossier.Change) {
	t.Helper()
	ctx := context.Background()
	cal, err := f.Cals.For(ctx, demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	procs := []string{"1.004873", "2.000635", "1.001612", "1.004194"}
	p, err := store.Procedures{DB: f.DB}.Get(ctx, procs[i%len(procs)])
	if err != nil {
		t.Fatal(err)
	}
	req := dossier.SubmitRequest{ProcedureCode: p.Code, Components: dossier.MissingRequired(p, nil), UnitCode: demo.Ward, Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001087004321", Phone: "0987654321"}}
	by := f.Actors["canbo"]
	if sc.online {
		req.Channel, by = dossier.ChannelOnline, f.Actors["congdan"]
	}
	d, ch, err := dossier.New(req, dossier.Env{Proc: p, Cal: cal, Actor: by, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	hist := []dossier.Change{ch}
	for _, s := range sc.steps {
		who, action, _ := strings.Cut(s, ":")
		at = at.Add(time.Hour)
		if sc.late && action == dossier.ActFinish {
			at = d.DueAt.Add(24 * time.Hour)
		}
		r := dossier.ActionRequest{Action: action, Reason: "Lý do", Missing: []string{"Tờ khai"}, Rating: 1 + i%3,
			NewDueAt: cal.Add(d.DueAt, 2*cal.DayLength())} // a working time
		ch, err := dossier.Apply(d, r, dossier.Env{Proc: p, Cal: cal, Actor: f.Actors[who], Now: at, Proven: who == "congdan"})
		if err != nil {
			t.Fatalf("scenario %d, %s: %v", i, s, err)
		}
		hist = append(hist, ch)
	}
	if i%5 == 0 {
		d.Units = append(d.Units, demo.OtherWard) // passed through another unit too
	}
	return d, hist
}

// fixture is storetest's fixture plus a plain connection to the same
// database, for the recount.
func fixture(t *testing.T, engine string) (*storetest.Fixture, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t, engine)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := storetest.NewClock(storetest.Start)
	db.Now = clock.Now
	users, err := demo.Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f := &storetest.Fixture{DB: db, Clock: clock, Cals: &store.Calendars{DB: db}, Actors: map[string]auth.Actor{}, Users: map[string]auth.User{}}
	for _, u := range users {
		f.Actors[u.Username], f.Users[u.Username] = u.Actor(), u
	}
	f.Svc = &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: f.Cals,
		Units: db, Officers: db, Now: clock.Now}
	driver, name := "pgx", dsn
	if engine == store.SQLite {
		driver, name = "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return f, raw
}

func TestBulkLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, raw := fixture(t, engine)
		indexes := indexNames(t, raw, engine)
		b, err := f.DB.NewBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const n = 400
		start := storetest.Start.Add(-40 * 24 * time.Hour)
		firstDay := 0 // dossiers submitted on start's day
		for i := range n {
			at := start.Add(time.Duration(i) * 2 * time.Hour) // several dossiers a day, so codes count up
			if stats.Day(at) == stats.Day(start) {
				firstDay++
			}
			d, hist := history(t, f, scenarios[i%len(scenarios)], i, at)
			if err := b.Add(ctx, d, demo.Ward, hist); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.Progress(); got != n {
			t.Errorf("progress: %d dossiers written, want %d", got, n)
		}
		if got := indexNames(t, raw, engine); strings.Join(got, ",") != strings.Join(indexes, ",") {
			t.Errorf("indexes after the load:\n%v\nwant\n%v", got, indexes)
		}
		checkAudit(t, f.DB, n)
		checkRollups(t, f.DB, raw)
		if err := storetest.SumsMatchRebuild(ctx, f.DB); err != nil {
			t.Error(err)
		}
		checkRunning(t, f.DB)
		checkUnitStatuses(t, raw)
		checkLiveAfterBulk(t, f, start, firstDay)
	})
}

// checkRunning compares the running dues the load wrote with a count of
// the open dossiers; the scenarios leave some open.
func checkRunning(t *testing.T, db *store.DB) {
	t.Helper()
	if err := storetest.RunningMatchesRecount(context.Background(), db); err != nil {
		t.Error(err)
	}
	if rows, err := db.RunningRows(context.Background()); err != nil || len(rows) == 0 {
		t.Errorf("no running dues after the load (%v)", err)
	}
}

// checkUnitStatuses checks that every dossier_units row carries its
// dossier's status and submission time, which the unit's queues read.
func checkUnitStatuses(t *testing.T, raw *sql.DB) {
	t.Helper()
	var rows, wrong int
	err := raw.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN du.status <> d.status OR du.submitted_at <> d.submitted_at THEN 1 ELSE 0 END), 0)
		FROM dossier_units du JOIN dossiers d ON d.id = du.dossier_id`).Scan(&rows, &wrong)
	if err != nil {
		t.Fatal(err)
	}
	if rows == 0 || wrong != 0 {
		t.Errorf("%d of %d dossier_units rows with another status or time than their dossier's", wrong, rows)
	}
}

func checkAudit(t *testing.T, db *store.DB, n int) {
	t.Helper()
	res, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked != n || res.Broken != 0 {
		t.Errorf("audit: %+v, want %d chains intact", res, n)
	}
}

// checkRollups compares the dashboard's totals with a recount over the
// dossiers.
func checkRollups(t *testing.T, db *store.DB, raw *sql.DB) {
	t.Helper()
	ctx := context.Background()
	sum, err := db.Summary(ctx, stats.Query{UnitCode: demo.Province, From: "2000-01-01", To: "2999-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, len(stats.Metrics))
	dest := make([]any, len(want))
	for i := range want {
		dest[i] = &want[i]
	}
	if err := raw.QueryRowContext(ctx, recount).Scan(dest...); err != nil {
		t.Fatal(err)
	}
	for i, m := range stats.Metrics {
		if sum.Totals[m] != want[i] {
			t.Errorf("%s: roll-ups say %d, the dossiers %d", m, sum.Totals[m], want[i])
		}
	}
	if want[0] == 0 || want[2] == 0 || want[3] == 0 || want[6] == 0 || want[12] == 0 {
		t.Errorf("the scenarios should move every kind of count: %v", want)
	}
}

// checkLiveAfterBulk: the service carries on where the load stopped, with
// the next code of the day and chains that extend.
func checkLiveAfterBulk(t *testing.T, f *storetest.Fixture, start time.Time, loaded int) {
	t.Helper()
	ctx := context.Background()
	f.Clock.Set(start.Add(30 * time.Minute))
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004873", Components: demo.Required("1.004873"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Trần Thị Mai", IDNumber: "001190012345"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := dossier.FormatCode(demo.Ward, start.In(stats.Zone), loaded+1); d.Code != want {
		t.Errorf("code after the load: %s, want %s (%d loaded that day)", d.Code, want, loaded)
	}
	open, _, err := f.Svc.List(ctx, f.Actors["canbo"], dossier.Filter{Status: dossier.StatusReceived})
	if err != nil || len(open) == 0 {
		t.Fatalf("no loaded dossier waiting at the counter (%v)", err)
	}
	if _, err := f.Svc.Act(ctx, f.Actors["canbo"], open[len(open)-1].Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
		t.Fatal(err)
	}
	res, err := f.DB.VerifyAudit(ctx)
	if err != nil || res.Broken != 0 {
		t.Errorf("audit after live changes: %+v %v", res, err)
	}
}

func indexNames(t *testing.T, db *sql.DB, engine string) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`
	if engine == store.Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`
	}
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestBulkLoadAgain loads twice into one database: the second load adds to
// the roll-ups (upserts), keeps the indexes and continues the codes. Its
// texts hold what a row encoding could get wrong (quotes, backslashes,
// control characters, a NUL, invalid UTF-8); they must come back byte for
// byte.
func TestBulkLoadAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, raw := fixture(t, engine)
		start := storetest.Start.Add(-10 * 24 * time.Hour)
		odd := "Nguyễn \"Văn\" \\ Bình\t\n' 😀"
		if engine == store.SQLite {
			odd += "\x00\xff" // PostgreSQL's text takes neither
		}
		var codes []string
		for load := range 2 {
			b, err := f.DB.NewBulk(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 30 {
				at := start.Add(time.Duration(load*30+i) * 3 * time.Hour)
				d, hist := history(t, f, scenarios[i%len(scenarios)], i, at)
				d.Applicant.Name = odd
				hist[len(hist)-1].Event.Note = odd
				if err := b.Add(ctx, d, demo.Ward, hist); err != nil {
					t.Fatal(err)
				}
				codes = append(codes, d.Code)
			}
			if err := b.Close(ctx); err != nil {
				t.Fatal(err)
			}
			// The index read between the loads keeps the first load's
			// past days in memory; the second load must move them.
			if err := storetest.IndexMatchesRecount(ctx, f.DB, demo.Ward, stats.Day(start), stats.Day(f.Clock.Now())); err != nil {
				t.Errorf("after load %d: %v", load+1, err)
			}
		}
		checkAudit(t, f.DB, 60)
		checkRollups(t, f.DB, raw)
		if err := storetest.SumsMatchRebuild(ctx, f.DB); err != nil {
			t.Error(err)
		}
		checkRunning(t, f.DB)
		for _, code := range []string{codes[0], codes[len(codes)-1]} {
			d, err := store.Dossiers{DB: f.DB}.Get(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if d.Applicant.Name != odd || d.History[len(d.History)-1].Note != odd {
				t.Errorf("%s: name %q, last note %q, want %q", code, d.Applicant.Name, d.History[len(d.History)-1].Note, odd)
			}
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				t.Errorf("code %s given twice", c)
			}
			seen[c] = true
		}
	})
}
