package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

// Bulk writes many dossiers with their whole history (an import, a
// benchmark's dataset) in large transactions, instead of one transaction per
// change. It numbers the dossiers and their codes itself and keeps the daily
// counters and the roll-ups in memory, so no other writer may add dossiers
// while it is open.
//
// Add prepares the rows on the caller's goroutine (codes, hash chains, the
// row values); one writer goroutine sends them to the database, so preparing
// the next batch overlaps with writing the last one. Into an empty dossiers
// table the secondary indexes are dropped first and built again by Close:
// building an index from sorted rows is several times cheaper than keeping
// it up to date row by row. A load killed before Close leaves them missing,
// with a partial import.
//
// On SQLite a load into an empty dossiers table also bypasses the WAL (see
// liteConn.takeFile): a page written through the WAL costs four system
// calls (two to append it, a read and a write to checkpoint it) against one
// straight into the file, and those calls were half of the load. Without
// the WAL and its syncs, a load killed midway (or a machine that loses
// power) leaves a file to throw away rather than a partial import.
type Bulk struct {
	db     *DB
	nextID int64

	counters map[counterKey]*counter
	rollups  map[rollupKey][nMetrics]int32
	running  map[bulkRunningKey]int64 // the running dues of the dossiers loaded
	upsert   bool                     // the roll-ups table has rows: add to them
	paths    map[string]string        // unit code → path, for the sums
	units    intern
	procs    intern
	agencies intern

	lite    *liteConn // SQLite: the writer's own connection
	fresh   bool      // the dossiers table was empty: indexes dropped, and on SQLite the file taken
	direct  bool      // SQLite: the loader holds the file and writes it without the WAL
	cur     *bulkBatch
	work    chan *bulkBatch
	free    chan *bulkBatch // written batches, for their memory
	done    chan error
	failed  atomic.Pointer[error]
	indexes []string // CREATE INDEX statements to run again at Close

	dossiers, rows atomic.Int64
}

// Sizes: a batch is one transaction; the roll-ups are written once at the
// end unless they outgrow rollupFlushAt rows (about 100 bytes each).
const (
	bulkBatchDossiers = 4000
	rollupFlushAt     = 4_000_000
	nMetrics          = 18
)

type counterKey struct {
	agency int32
	day    int32 // days since 1970-01-01 in stats.Zone
}

type counter struct {
	last  int
	dirty bool
}

// bulkRunningKey is a runningKey with the unit interned.
type bulkRunningKey struct {
	unit   int32
	paused int
	hour   int64
}

type rollupKey struct {
	unit, proc int32
	day        int32
	channel    int32
}

// intern numbers strings so that map keys stay small: a province's roll-ups
// can hold millions of rows.
type intern struct {
	ids   map[string]int32
	names []string
}

func (in *intern) id(s string) int32 {
	if in.ids == nil {
		in.ids = map[string]int32{}
	}
	if i, ok := in.ids[s]; ok {
		return i
	}
	in.ids[s] = int32(len(in.names))
	in.names = append(in.names, s)
	return in.ids[s]
}

// bulkBatch holds the rows of one transaction, in the form the engine
// loads (see rowBuf).
type bulkBatch struct {
	dossiers, units, events rowBuf
	nDossiers               int
	counters                rowBuf // the daily counters, at the end
	running                 rowBuf // the running dues, at the end
	rollups                 map[rollupKey][nMetrics]int32
	unitNames, procNames    []string // the roll-ups' interned codes, copied for the writer
	upsert                  bool     // add the roll-ups to existing rows
}

// metricIndex maps a metric name to its column position.
var metricIndex = func() map[string]int {
	m := map[string]int{}
	for i, name := range stats.Metrics {
		m[name] = i
	}
	return m
}()

// NewBulk starts a bulk load. Close must be called, even after an error: it
// writes the counters and roll-ups and builds the indexes again.
func (db *DB) NewBulk(ctx context.Context) (*Bulk, error) {
	if len(stats.Metrics) != nMetrics {
		return nil, fmt.Errorf("bulk: %d metrics, expected %d", len(stats.Metrics), nMetrics)
	}
	b := &Bulk{db: db, counters: map[counterKey]*counter{}, rollups: map[rollupKey][nMetrics]int32{}, running: map[bulkRunningKey]int64{},
		work: make(chan *bulkBatch, 2), free: make(chan *bulkBatch, 3), done: make(chan error, 1)}
	b.cur = &bulkBatch{}
	if err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers`).Scan(&b.nextID); err != nil {
		return nil, err
	}
	var rollups int
	if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM rollups LIMIT 1) r`).Scan(&rollups); err != nil {
		return nil, err
	}
	b.upsert = rollups > 0
	if err := b.loadCounters(ctx); err != nil {
		return nil, err
	}
	if err := b.loadPaths(ctx); err != nil {
		return nil, err
	}
	if err := b.dropIndexes(ctx); err != nil {
		return nil, errors.Join(err, b.undo(ctx))
	}
	if err := b.openLite(ctx); err != nil {
		return nil, errors.Join(err, b.undo(ctx))
	}
	go b.writer(ctx)
	return b, nil
}

// loadCounters reads the daily counters so that codes continue after the
// dossiers already there.
func (b *Bulk) loadCounters(ctx context.Context) error {
	rows, err := b.db.write.QueryContext(ctx, `SELECT agency, day, last FROM dossier_counters`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var agency, day string
		var last int
		if err := rows.Scan(&agency, &day, &last); err != nil {
			return err
		}
		t, err := time.ParseInLocation("20060102", day, stats.Zone)
		if err != nil {
			return fmt.Errorf("dossier counter %s/%s: %w", agency, day, err)
		}
		b.counters[counterKey{b.agencies.id(agency), dayNumber(t)}] = &counter{last: last}
	}
	return rows.Err()
}

// openLite opens the writer's own connection to the SQLite file and, for
// a load into an empty table, lets it take the file: the pools close their
// idle connections for the time of the load.
func (b *Bulk) openLite(ctx context.Context) error {
	if b.db.Engine != SQLite {
		return nil
	}
	file, err := b.db.sqliteFile(ctx)
	if err != nil {
		return err
	}
	if b.lite, err = openLite(file); err != nil || !b.fresh {
		return err
	}
	return b.db.withoutIdle(func() (err error) {
		b.direct, err = b.lite.takeFile()
		return err
	})
}

// secondaryIndexes lists the table's indexes that neither a primary key nor
// a unique constraint needs, with the statements that create them: a load
// into an empty table drops them and builds them again afterwards.
func (db *DB) secondaryIndexes(ctx context.Context, table string) (names, defs []string, err error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`
	if db.Engine == Postgres {
		q = `SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() AND tablename = ?
			AND indexdef NOT LIKE 'CREATE UNIQUE%' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`
	}
	rows, err := db.write.QueryContext(ctx, db.q(q), table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	return names, defs, rows.Err()
}

// sqliteFile returns the path of the SQLite database's file, which the bulk
// writers open a connection of their own to.
func (db *DB) sqliteFile(ctx context.Context) (string, error) {
	var seq int
	var name, file string
	if err := db.write.QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		return "", err
	}
	if name != "main" || file == "" {
		return "", fmt.Errorf("bulk: the database is not in a file (%q %q)", name, file)
	}
	return file, nil
}

// dropIndexes drops the dossiers' secondary indexes when the table is empty
// and keeps their definitions for Close. Primary keys and unique
// constraints stay: they guard the load. So do the indexes whose keys
// arrive nearly in order, because dossiers are loaded in the order they
// were submitted (see inOrderIndexes).
func (b *Bulk) dropIndexes(ctx context.Context) error {
	var n int
	if err := b.db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM dossiers LIMIT 1) d`).Scan(&n); err != nil || n > 0 {
		return err
	}
	b.fresh = true
	all, defs, err := b.db.secondaryIndexes(ctx, "dossiers")
	if err != nil {
		return err
	}
	var names []string
	for i, name := range all {
		if !inOrderIndexes[name] {
			names, b.indexes = append(names, name), append(b.indexes, defs[i])
		}
	}
	for _, name := range names {
		if _, err := b.db.write.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
	}
	return nil
}

// inOrderIndexes are the dossiers' indexes that a load in order of
// submission appends to, at the right edge of each status: kept up to date
// they cost less than building them again at the end (measured: 3 s of a
// million dossiers).
var inOrderIndexes = map[string]bool{"dossiers_submitted": true, "dossiers_status_due": true}

// Progress returns how many dossiers and rows (of every table) are written.
func (b *Bulk) Progress() (dossiers, rows int64) {
	return b.dossiers.Load(), b.rows.Load()
}

// Add queues a dossier with the changes that made it, oldest first, as
// dossier.New and dossier.Apply return them. It sets the dossier's ID and
// code (the daily counter of agency on the day of submission), seals the
// events into a chain and adds the changes' counts to the roll-ups, keyed as
// a live change is. Add is not safe for concurrent use.
func (b *Bulk) Add(ctx context.Context, d *dossier.Dossier, agency string, history []dossier.Change) error {
	if p := b.failed.Load(); p != nil {
		return *p
	}
	if len(history) == 0 {
		return fmt.Errorf("bulk: dossier without history")
	}
	d.ID = b.nextID
	b.nextID++
	day := d.SubmittedAt.In(stats.Zone)
	c := b.counterFor(agency, day)
	c.last++
	c.dirty = true
	d.Code = dossier.FormatCode(agency, day, c.last)
	prev := ""
	for i := range history {
		ev := &history[i].Event
		ev.Seq = i + 1
		ev.Seal(d.Code, prev)
		prev = ev.Hash
		b.count(d, ev.At, history[i].Counts)
		appendEvent(&b.cur.events, d.ID, ev)
	}
	appendDossier(&b.cur.dossiers, d, len(history), prev)
	b.cur.nDossiers++
	if k := runningKeyOfDossier(d); k.ok {
		b.running[bulkRunningKey{b.units.id(k.unit), k.paused, k.hour}]++
	}
	units := d.Units
	if len(units) == 0 {
		units = []string{d.UnitCode}
	}
	for _, u := range units {
		b.cur.units.row()
		b.cur.units.int(d.ID)
		b.cur.units.text(u)
		b.cur.units.int(int64(d.Status))
		b.cur.units.int(micros(d.SubmittedAt))
	}
	if b.cur.nDossiers >= bulkBatchDossiers {
		return b.send(ctx, false)
	}
	return nil
}

func (b *Bulk) counterFor(agency string, day time.Time) *counter {
	k := counterKey{b.agencies.id(agency), dayNumber(day)}
	c := b.counters[k]
	if c == nil {
		c = &counter{}
		b.counters[k] = c
	}
	return c
}

// dayNumber counts local days since 1970-01-01, so that a day is an int in
// map keys and converts back without a time zone lookup.
func dayNumber(t time.Time) int32 {
	_, off := t.In(stats.Zone).Zone()
	return int32((t.Unix() + int64(off)) / 86400)
}

func dayString(n int32) string {
	return time.Unix(int64(n)*86400, 0).UTC().Format("2006-01-02")
}

func (b *Bulk) count(d *dossier.Dossier, at time.Time, counts map[string]int64) {
	if len(counts) == 0 {
		return
	}
	k := rollupKey{b.units.id(d.UnitCode), b.procs.id(d.ProcedureCode), dayNumber(at), int32(d.Channel)}
	r := b.rollups[k]
	for m, n := range counts {
		r[metricIndex[m]] += int32(n)
	}
	b.rollups[k] = r
}

// appendDossier adds a row of dossiersTable.
func appendDossier(r *rowBuf, d *dossier.Dossier, events int, lastHash string) {
	r.row()
	r.int(d.ID)
	for _, s := range [...]string{d.Code, d.UnitCode, d.ProcedureCode, d.ProcedureName} {
		r.text(s)
	}
	r.int(int64(d.Channel))
	r.int(int64(d.Status))
	for _, s := range [...]string{d.Applicant.Name, vntext.Fold(d.Applicant.Name), d.Applicant.IDNumber, d.Applicant.Phone} {
		r.text(s)
	}
	r.int(d.ApplicantUserID)
	for _, t := range [...]time.Time{d.SubmittedAt, d.ReceivedAt, d.DueAt, d.FinishedAt, d.ReturnedAt} {
		r.int(micros(t))
	}
	r.text(d.Outcome)
	r.int(int64(d.Step))
	r.text(d.StepDepartment)
	r.text(d.StepAssignee)
	for _, n := range [...]int64{micros(d.StepStartedAt), micros(d.StepDueAt), micros(d.PausedAt), int64(d.ResumeStatus),
		int64(d.SupplementCount), d.FeeAmount, micros(d.PaidAt), int64(boolInt(d.Approved)), micros(d.ExtendedAt),
		int64(d.Rating), micros(d.RatedAt), int64(d.Version), int64(events)} {
		r.int(n)
	}
	r.text(lastHash)
	r.text(dataOf(d))
	r.text(subjectFold(d.Subject))
}

// appendEvent adds a row of eventsTable.
func appendEvent(r *rowBuf, id int64, e *dossier.Event) {
	r.row()
	r.int(id)
	r.int(int64(e.Seq))
	for _, s := range [...]string{e.Action, e.Actor, e.ActorName, e.ActorRole, e.ActorUnit} {
		r.text(s)
	}
	for _, n := range [...]int64{micros(e.At), int64(e.FromStatus), int64(e.ToStatus), int64(e.Step), int64(e.ToStep)} {
		r.int(n)
	}
	for _, s := range [...]string{e.Assignee, e.Note, e.Outcome} {
		r.text(s)
	}
	r.int(micros(e.DueAt))
	r.text(e.PrevHash)
	r.text(e.Hash)
}

// send hands the current batch to the writer, with the roll-ups when they
// have outgrown memory or the load ends. Once some are written, later ones
// are added to them.
func (b *Bulk) send(ctx context.Context, final bool) error {
	batch := b.cur
	select {
	case b.cur = <-b.free:
	default:
		b.cur = &bulkBatch{}
	}
	if final || len(b.rollups) >= rollupFlushAt {
		batch.rollups, batch.upsert = b.rollups, b.upsert
		batch.unitNames, batch.procNames = slices.Clone(b.units.names), slices.Clone(b.procs.names)
		b.rollups, b.upsert = map[rollupKey][nMetrics]int32{}, true
	}
	if final {
		for k, c := range b.counters {
			if c.dirty {
				batch.counters.row()
				batch.counters.text(b.agencies.names[k.agency])
				batch.counters.text(strings.ReplaceAll(dayString(k.day), "-", ""))
				batch.counters.int(int64(c.last))
			}
		}
		for k, n := range b.running {
			batch.running.row()
			batch.running.text(b.units.names[k.unit])
			batch.running.int(int64(k.paused))
			batch.running.int(k.hour)
			batch.running.int(n)
		}
	}
	select {
	case b.work <- batch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is left, the counters and the roll-ups, waits for the
// writer, builds the dropped indexes again and puts the settings back. The
// dossiers' identity sequence on PostgreSQL is moved past the ids used.
func (b *Bulk) Close(ctx context.Context) error {
	err := b.send(ctx, true)
	close(b.work)
	err = errors.Join(err, <-b.done)
	return errors.Join(err, b.undo(context.WithoutCancel(ctx)))
}

// undo builds the indexes again, whatever happened to the load, and on
// SQLite hands the file back to the pools.
func (b *Bulk) undo(ctx context.Context) error {
	if b.lite != nil {
		lite, indexes := b.lite, b.indexes
		b.lite, b.indexes = nil, nil
		err := lite.buildIndexes(indexes, b.direct)
		if b.direct {
			err = errors.Join(err, b.db.withoutIdle(lite.walBack))
		}
		err = errors.Join(err, lite.close())
		if b.direct { // the load wrote without syncing
			err = errors.Join(err, syncFile(lite.path))
		}
		return err
	}
	var err error
	for _, q := range b.indexes {
		_, e := b.db.write.ExecContext(ctx, q)
		err = errors.Join(err, e)
	}
	if b.db.Engine == Postgres {
		_, e := b.db.write.ExecContext(ctx, `ANALYZE`) // as autovacuum soon would; the queries that follow need the statistics
		err = errors.Join(err, e)
	}
	b.indexes = nil
	return err
}

// writer runs the batches' transactions one after the other. After a
// failure it keeps draining the channel, so that Add never blocks, and Add
// reports the error.
func (b *Bulk) writer(ctx context.Context) {
	var err error
	for batch := range b.work {
		if err != nil {
			continue
		}
		if err = b.inTx(ctx, func(tx bulkTx) error { return b.write(ctx, tx, batch) }); err != nil {
			err = fmt.Errorf("bulk load: %w", err)
			if b.direct {
				err = fmt.Errorf("%w (the database was being loaded without its journal: load it again into a fresh one)", err)
			}
			b.failed.Store(&err)
		}
		b.recycle(batch)
	}
	b.done <- err
}

var metricSets = addOnConflict("rollups", rollupsKey, stats.Metrics)

// bulkTable is a table the loader writes: its columns in the order the
// rows hold them, and what to do on conflict.
type bulkTable struct {
	name, cols, suffix string
}

var (
	dossiersTable = bulkTable{name: "dossiers", cols: `id, code, unit_code, procedure_code, procedure_name, channel, status,
		applicant_name, applicant_fold, applicant_id_number, applicant_phone, applicant_user_id, submitted_at, received_at, due_at,
		finished_at, returned_at, outcome, step, step_department, step_assignee, step_started_at, step_due_at, paused_at,
		resume_status, supplement_count, fee_amount, paid_at, approved, extended_at, rating, rated_at, version, event_count,
		last_hash, data, subject_fold`}
	unitsTable  = bulkTable{name: "dossier_units", cols: `dossier_id, unit_code, status, submitted_at`}
	eventsTable = bulkTable{name: "dossier_events", cols: `dossier_id, seq, action, actor, actor_name, actor_role, actor_unit, at,
		from_status, to_status, step, to_step, assignee, note, outcome, due_at, prev_hash, hash`}
	countersTable = bulkTable{name: "dossier_counters", cols: "agency, day, last",
		suffix: " ON CONFLICT (agency, day) DO UPDATE SET last = excluded.last"}
	rollupsTable = bulkTable{name: "rollups", cols: "unit_code, procedure_code, day, channel, " + strings.Join(stats.Metrics, ", ")}
	// runningTable adds to the running dues already there.
	runningTable = bulkTable{name: "running_dues", cols: "unit_code, paused, due_hour, dossiers",
		suffix: addOnConflict("running_dues", "unit_code, paused, due_hour", []string{"dossiers"})}
)

// recycle hands a written batch back to Add, emptied, so that its tapes
// are filled again instead of grown from nothing (and collected) each time.
func (b *Bulk) recycle(batch *bulkBatch) {
	*batch = bulkBatch{dossiers: batch.dossiers.reset(), units: batch.units.reset(), events: batch.events.reset()}
	select {
	case b.free <- batch:
	default:
	}
}

// bulkTx is one batch's transaction, on the engine's fastest path.
type bulkTx interface {
	insert(ctx context.Context, t bulkTable, rows *rowBuf) error
	exec(ctx context.Context, query string) error
}

func (b *Bulk) inTx(ctx context.Context, fn func(bulkTx) error) error {
	if b.lite != nil {
		return b.lite.inTx(fn)
	}
	return b.db.pgInTx(ctx, fn)
}

func (b *Bulk) write(ctx context.Context, tx bulkTx, batch *bulkBatch) error {
	for _, s := range []struct {
		t    bulkTable
		rows *rowBuf
	}{
		{dossiersTable, &batch.dossiers}, {unitsTable, &batch.units}, {eventsTable, &batch.events}, {countersTable, &batch.counters},
		{runningTable, &batch.running},
	} {
		if err := b.insert(ctx, tx, s.t, s.rows); err != nil {
			return err
		}
	}
	// The sums are added up on another goroutine while the roll-ups are
	// written: at the end of a load nothing else keeps the second CPU busy.
	// It reads the batch, so it is waited for even when the roll-ups fail:
	// the batch is emptied and reused once written.
	if len(batch.rollups) > 0 {
		sums := make(chan []*rowBuf, 1)
		go func() { sums <- b.sumRows(batch) }()
		err := b.writeRollups(ctx, tx, batch)
		summed := <-sums
		if err != nil {
			return err
		}
		t := sumsTable
		if !batch.upsert {
			t.suffix = "" // the first sums into an empty table: COPY on PostgreSQL
		}
		for _, rows := range summed {
			if err := b.insert(ctx, tx, t, rows); err != nil {
				return err
			}
		}
		online := b.onlineRows(batch)
		if err := b.insert(ctx, tx, onlineTable, &online); err != nil {
			return err
		}
		if err := tx.exec(ctx, bumpSumsEpoch); err != nil { // past days' sums (sums_cache.go)
			return err
		}
	}
	if batch.counters.rows > 0 && b.db.Engine == Postgres {
		if err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT COALESCE(MAX(id), 1) FROM dossiers))`); err != nil {
			return err
		}
	}
	b.dossiers.Add(int64(batch.nDossiers))
	return nil
}

// writeRollups inserts the roll-ups a chunk at a time, so that their rows
// never all sit in memory twice.
func (b *Bulk) writeRollups(ctx context.Context, tx bulkTx, batch *bulkBatch) error {
	t := rollupsTable
	if batch.upsert {
		t.suffix = metricSets
	}
	var rows rowBuf
	for _, k := range sortedRollups(batch) {
		r := batch.rollups[k]
		rows.row()
		rows.text(batch.unitNames[k.unit])
		rows.text(batch.procNames[k.proc])
		rows.text(dayString(k.day))
		rows.int(int64(k.channel))
		for _, n := range r {
			rows.int(int64(n))
		}
		if rows.rows == 10_000 {
			if err := b.insert(ctx, tx, t, &rows); err != nil {
				return err
			}
			rows = rowBuf{}
		}
	}
	return b.insert(ctx, tx, t, &rows)
}

// sortedRollups returns the batch's roll-up keys in the order of the
// table's primary key, so that the rows are appended to its index rather
// than inserted all over it.
func sortedRollups(batch *bulkBatch) []rollupKey {
	keys := slices.Collect(maps.Keys(batch.rollups))
	slices.SortFunc(keys, func(a, b rollupKey) int {
		return cmp.Or(strings.Compare(batch.unitNames[a.unit], batch.unitNames[b.unit]), cmp.Compare(a.day, b.day),
			strings.Compare(batch.procNames[a.proc], batch.procNames[b.proc]), cmp.Compare(a.channel, b.channel))
	})
	return keys
}

// insert writes rows into t and counts them in the progress.
func (b *Bulk) insert(ctx context.Context, tx bulkTx, t bulkTable, rows *rowBuf) error {
	if rows.rows == 0 {
		return nil
	}
	if err := tx.insert(ctx, t, rows); err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	b.rows.Add(int64(rows.rows))
	return nil
}

// BulkUsers stores users whose PasswordHash is already set, in one
// transaction: a benchmark creates hundreds of officers with one password,
// and hashing it for each would take minutes. It sets the users' IDs.
func (db *DB) BulkUsers(ctx context.Context, users []auth.User) error {
	now := db.Now().UnixMicro()
	return db.inTx(ctx, func(tx *Tx) error {
		for i := range users {
			u := &users[i]
			if err := u.Validate(); err != nil {
				return err
			}
			if u.PasswordHash == "" {
				return fmt.Errorf("user %s: no password hash", u.Username)
			}
			err := tx.queryRow(ctx, `INSERT INTO users (username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.FullName, u.Role, u.UnitCode, u.Department, u.IDNumber,
				u.Phone, u.PasswordHash, boolInt(u.Disabled), now).Scan(&u.ID)
			if err != nil {
				return normalize(err)
			}
		}
		return nil
	})
}
