package bench

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
	_ "modernc.org/sqlite"             // SQLite driver

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/vntext"
)

// The ceiling writes the rows a counter submission writes (the daily
// counter, the dossier, its unit, its first event, its roll-up and the
// roll-up's sums for the commune and the province) straight
// through database/sql on the same database, with nothing of motcua around
// them: no HTTP, no JSON, no authentication, no reads, no lifecycle rules.
// It is the most the engine gives this write path, and motcua's submit is
// judged as a share of it.

const (
	sqlCounter = `INSERT INTO dossier_counters (agency, day, last) VALUES (?, ?, 1)
		ON CONFLICT (agency, day) DO UPDATE SET last = dossier_counters.last + 1 RETURNING last`
	sqlDossier = `INSERT INTO dossiers (code, unit_code, procedure_code, procedure_name, channel, status, applicant_name, applicant_fold,
		applicant_id_number, applicant_phone, applicant_user_id, submitted_at, received_at, due_at, step, version, event_count, last_hash, data)
		VALUES (?, ?, ?, ?, 1, 2, ?, ?, ?, ?, 0, ?, ?, ?, 0, 1, 1, ?, '{}') RETURNING id`
	sqlUnit  = `INSERT INTO dossier_units (dossier_id, unit_code, status, submitted_at) VALUES (?, ?, 2, ?)`
	sqlEvent = `INSERT INTO dossier_events (dossier_id, seq, action, actor, actor_name, actor_role, actor_unit, at, from_status, to_status,
		step, to_step, assignee, note, outcome, due_at, prev_hash, hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0, 2, 0, 0, '', '', '', ?, '', ?)`
	sqlRollup = `INSERT INTO rollups (unit_code, procedure_code, day, channel, submitted, received) VALUES (?, ?, ?, 1, 1, 1)
		ON CONFLICT (unit_code, day, procedure_code, channel) DO UPDATE SET submitted = rollups.submitted + 1, received = rollups.received + 1`
	// The sums of a commune's roll-up row: its month, its day and month over
	// every procedure; the province's day and month with and without the
	// procedure.
	sqlSums = `INSERT INTO rollup_sums (unit_code, grain, period, procedure_code, below, slot, submitted, received) VALUES
		(?, 'm', ?, ?, 0, 0, ?, ?), (?, 'D', ?, '', 0, 0, ?, ?), (?, 'M', ?, '', 0, 0, ?, ?), (?, 'd', ?, ?, 1, ?, ?, ?),
		(?, 'm', ?, ?, 1, ?, ?, ?), (?, 'D', ?, '', 1, ?, ?, ?), (?, 'M', ?, '', 1, ?, ?, ?)
		ON CONFLICT (unit_code, grain, period, procedure_code, below, slot)
		DO UPDATE SET submitted = rollup_sums.submitted + excluded.submitted, received = rollup_sums.received + excluded.received`
)

// ceiling is the raw writer.
type ceiling struct {
	db       *sql.DB
	engine   string
	province string
	units    []string
	procs    []*proc
	people   []dossier.Applicant
	sql      map[string]string // the statements in the engine's placeholder syntax
}

// openCeiling opens the database like the store does: on SQLite one
// connection with the store's settings (SQLite has one writer; the clients
// queue for it in Go), on PostgreSQL a pool with a connection per client.
func openCeiling(engine, dsn string, clients int) (*sql.DB, error) {
	if engine == store.Postgres {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(clients)
			db.SetMaxIdleConns(clients)
		}
		return db, err
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_txlock=immediate")
	if err == nil {
		db.SetMaxOpenConns(1)
	}
	return db, err
}

func newCeiling(db *sql.DB, engine string, units []string, ds *Dataset) *ceiling {
	c := &ceiling{db: db, engine: engine, province: ds.Province.Code, units: units, procs: ds.procs, people: ds.people, sql: map[string]string{}}
	for _, q := range []string{sqlCounter, sqlDossier, sqlUnit, sqlEvent, sqlRollup, sqlSums} {
		c.sql[q] = q
		if engine == store.Postgres {
			c.sql[q] = dollarParams(q)
		}
	}
	return c
}

// dollarParams rewrites ? placeholders as PostgreSQL's $1, $2, ...
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// run writes dossiers from clients goroutines for d, perTx dossiers in
// each transaction.
func (c *ceiling) run(ctx context.Context, name string, clients, perTx int, d time.Duration) Result {
	res := measure(ctx, name, clients, d, func(ctx context.Context, client, n int) error {
		r := rand.New(rand.NewPCG(uint64(client), uint64(n)))
		unit := c.units[client%len(c.units)]
		batch := make([]*proc, perTx)
		for i := range batch {
			batch[i] = c.procs[r.IntN(len(c.procs))]
		}
		// The same order of roll-up rows in every transaction, so that two
		// clients of one commune cannot deadlock on PostgreSQL.
		slices.SortFunc(batch, func(a, b *proc) int { return strings.Compare(a.Code, b.Code) })
		return c.tx(ctx, unit, batch, r)
	})
	res.PerOp = perTx
	return res
}

func (c *ceiling) tx(ctx context.Context, unit string, batch []*proc, r *rand.Rand) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, p := range batch {
		if err := c.dossier(ctx, tx, unit, p, c.people[r.IntN(len(c.people))]); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := c.sums(ctx, tx, unit, batch); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// sums adds the batch's dossiers to the sums, once per procedure, in the
// batch's (sorted) order so that transactions take the province's rows in
// the same order on PostgreSQL.
func (c *ceiling) sums(ctx context.Context, tx *sql.Tx, unit string, batch []*proc) error {
	local := time.Now().In(stats.Zone)
	day, month := local.Format("2006-01-02"), local.Format("2006-01")
	for i := 0; i < len(batch); {
		j := i
		for j < len(batch) && batch[j] == batch[i] {
			j++
		}
		p, n, slot := batch[i].Code, j-i, store.SumSlot(c.engine, unit)
		if _, err := tx.ExecContext(ctx, c.sql[sqlSums], unit, month, p, n, n, unit, day, n, n, unit, month, n, n,
			c.province, day, p, slot, n, n, c.province, month, p, slot, n, n, c.province, day, slot, n, n, c.province, month, slot, n, n); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// dossier writes one counter submission's rows.
func (c *ceiling) dossier(ctx context.Context, tx *sql.Tx, unit string, p *proc, a dossier.Applicant) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	local := now.In(stats.Zone)
	due := now.Add(72 * time.Hour)
	var n int
	if err := tx.QueryRowContext(ctx, c.sql[sqlCounter], unit, local.Format("20060102")).Scan(&n); err != nil {
		return err
	}
	code := dossier.FormatCode(unit, local, n)
	actor := "motcua." + unit
	ev := dossier.Event{Seq: 1, Action: dossier.ActSubmit, Actor: actor, ActorName: actor, ActorRole: auth.RoleCounter, ActorUnit: unit,
		At: now, ToStatus: dossier.StatusReceived, DueAt: due}
	ev.Seal(code, "")
	var id int64
	if err := tx.QueryRowContext(ctx, c.sql[sqlDossier], code, unit, p.Code, p.Name, a.Name, vntext.Fold(a.Name), a.IDNumber, a.Phone,
		now.UnixMicro(), now.UnixMicro(), due.UnixMicro(), ev.Hash).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, c.sql[sqlUnit], id, unit, now.UnixMicro()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, c.sql[sqlEvent], id, ev.Action, ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit,
		now.UnixMicro(), due.UnixMicro(), ev.Hash); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, c.sql[sqlRollup], unit, p.Code, local.Format("2006-01-02"))
	return err
}
