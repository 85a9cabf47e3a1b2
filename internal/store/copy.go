package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
)

// copyTables are the tables of an installation (the files the attachments
// name are copied apart, by CopyFiles), parents before children so
// that foreign keys hold at every insert, each with the key that orders its
// rows. job_locks, throttle and oidc_logins (short-lived) and
// schema_migrations (written by Migrate) are not copied.
var copyTables = []struct{ name, order string }{
	{"units", "id"},
	{"departments", "id"},
	{"procedures", "id"},
	{"procedure_settings", "unit_code, procedure_code"},
	{"users", "id"},
	{"user_identities", "issuer, subject"},
	{"tokens", "digest"},
	{"dossiers", "id"},
	{"dossier_units", "dossier_id, unit_code"},
	{"dossier_events", "dossier_id, seq"},
	{"attachments", "id"},
	{"dossier_reuses", "id"},
	{"wallet_start", "at"},
	{"dossiers_archive", "id"},
	{"dossier_units_archive", "dossier_id, unit_code"},
	{"dossier_events_archive", "dossier_id, seq"},
	{"attachments_archive", "dossier_id, id"},
	{"dossier_counters", "agency, day"},
	{"rollups", "unit_code, day, procedure_code, channel"},
	{"rollup_sums", "unit_code, grain, period, procedure_code, below, slot"},
	{"running_dues", "unit_code, paused, due_hour"},
	{"online_days", "unit_code, year, procedure_code"},
	{"calendar_days", "unit_code, date"},
	{"calendar_changes", "id"},
	{"webhooks", "id"},
	{"outbox", "id"}, // pending and dead messages go on from the new database
	{"portal_sync", "dossier_code"},
	{"portal_sync_days", "unit_code, day"},
	{"payments", "id"},
	{"payment_refusals", "id"},
	{"notify_templates", "unit_code, kind, lang, channel"},
	{"notify_keys", "name"}, // the links already sent keep working after the move
	{"evaluation_entries", "id"},
	{"evaluations", "unit_code, period, officer"},
	{"index_entries", "unit_code, period, indicator"},
	{"index_entry_log", "id"},
	{"outbox_channels", "channel"},
	{"targets", "id"},
	{"target_actuals", "target_id, period"},
	{"target_changes", "id"},
	{"reports", "id"},
	{"petitions", "id"},
	{"petition_events", "petition_id, seq"},
	{"petition_files", "id"},
	{"petition_counters", "unit_code, day"},
	{"petition_words", "word, petition_id"},
	{"petition_votes", "petition_id, voter"},
	{"petition_settings", "unit_code"},
	{"petition_rollups", "unit_code, day"},
	{"queue_groups", "id"},
	{"queue_desks", "id"},
	{"queue_counters", "unit_code, group_code, day"},
	{"queue_tickets", "id"},
	{"queue_appointments", "id"},
	{"queue_event_seq", "unit_code"},
	{"queue_events", "unit_code, seq"},
	{"queue_ratings", "ticket_id"},
	{"queue_stats", "unit_code, day, hour, group_code, desk_id, officer"},
	{"civil_books", "id"},
	{"civil_records", "id"},
	{"civil_people", "id"},
	{"civil_events", "record_id, seq"},
	{"civil_duplicates", "id"},
	{"civil_reads", "id"},
	{"civil_issuances", "id"},
	{"news_categories", "id"},
	{"news_articles", "id"}, // on SQLite its triggers fill the search index (news_fts) as the rows go in
	{"news_images", "unit_code, sha256"},
	{"announcements", "id"},
	{"announcement_groups", "announcement_id, group_code"},
	{"group_subscriptions", "id"},
	{"population_lookups", "id"},
}

// CopyTables returns the names of the tables Copy copies, in order.
func CopyTables() []string {
	var out []string
	for _, t := range copyTables {
		out = append(out, t.name)
	}
	return out
}

// Batches: maxParams keeps one insert under both engines' limit on bound
// parameters (32766 in SQLite, 65535 in PostgreSQL).
const (
	maxParams = 30000
	batchRows = 500
	// progressEvery is how many rows of a big table pass between two
	// progress lines.
	progressEvery = 20000
)

// TableCount is one line of a copy's report.
type TableCount struct {
	Table          string
	Source, Target int64
}

// CopyReport is what Copy did and found.
type CopyReport struct {
	Tables []TableCount
	Audit  AuditResult // of the target, after the copy
}

// OK tells whether every table has as many rows in the target as in the
// source and no history chain is broken.
func (r CopyReport) OK() bool {
	for _, t := range r.Tables {
		if t.Source != t.Target {
			return false
		}
	}
	return r.Audit.Broken == 0
}

// Copy copies a whole installation from one database to another, either
// engine to either, keeping every id so that links and history hashes stay
// true. The target must be migrated to the same version and empty. The
// source is read in one snapshot, so a running server does no harm, and the
// target is written in one transaction, so a failed copy leaves it empty
// and the copy can simply be run again. Progress lines go to progress (nil
// for none). Afterwards the row counts and the target's audit chains are
// checked; a mismatch is an error, returned with the report. A copy that
// failed earlier returns an empty report.
func Copy(ctx context.Context, from, to *DB, progress io.Writer) (CopyReport, error) {
	if progress == nil {
		progress = io.Discard
	}
	var rep CopyReport
	if err := sameVersion(ctx, from, to); err != nil {
		return rep, err
	}
	src, err := from.snapshot(ctx)
	if err != nil {
		return rep, err
	}
	defer src.Rollback() // read-only: nothing to keep
	err = to.inTx(ctx, func(tx *Tx) error {
		if err := requireEmpty(ctx, tx); err != nil {
			return err
		}
		for _, t := range copyTables {
			n, err := copyTable(ctx, src, tx, t.name, t.order, progress)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			rep.Tables = append(rep.Tables, TableCount{Table: t.name, Source: n})
		}
		return resetSequences(ctx, tx)
	})
	if err != nil {
		return CopyReport{}, err // nothing was written
	}
	return rep, to.verifyCopy(ctx, &rep)
}

func sameVersion(ctx context.Context, from, to *DB) error {
	a, err := from.Version(ctx)
	if err != nil {
		return err
	}
	b, err := to.Version(ctx)
	if err != nil {
		return err
	}
	if a != b {
		return apperr.New(apperr.EINVALID,
			fmt.Sprintf("Phiên bản cấu trúc dữ liệu khác nhau (nguồn %d, đích %d); hãy chạy cùng một phiên bản motcua trên cả hai", a, b),
			fmt.Sprintf("schema versions differ (source %d, target %d); run the same motcua version on both", a, b))
	}
	return nil
}

// snapshot begins a read-only transaction that sees one moment of the
// source: REPEATABLE READ on PostgreSQL; on SQLite (WAL) any read
// transaction does.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	return tx, normalize(err)
}

// requireEmpty refuses a target that holds any data: merging two
// installations would mix their ids and their dossier counters.
func requireEmpty(ctx context.Context, tx *Tx) error {
	for _, t := range copyTables {
		var n int64
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
			return normalize(err)
		}
		if n > 0 {
			return apperr.New(apperr.ECONFLICT,
				fmt.Sprintf("Cơ sở dữ liệu đích không trống (bảng %s có %d dòng); chỉ chuyển dữ liệu vào một cơ sở dữ liệu mới", t.name, n),
				fmt.Sprintf("the target database is not empty (table %s has %d rows); copy only into a new database", t.name, n))
		}
	}
	return nil
}

// copyTable streams one table from the source snapshot into the target in
// multi-row inserts. The column list is read from the source's answer, so
// that it is written down nowhere but in the migrations.
func copyTable(ctx context.Context, src *sql.Tx, dst *Tx, table, order string, progress io.Writer) (int64, error) {
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` ORDER BY `+order)
	if err != nil {
		return 0, normalize(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	b := &batch{tx: dst, table: table, cols: cols, progress: progress}
	b.vals = make([]any, 0, min(batchRows, maxParams/len(cols))*len(cols))
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return b.done, err
		}
		if err := b.add(ctx, row); err != nil {
			return b.done, err
		}
	}
	if err := rows.Err(); err != nil {
		return b.done, err
	}
	if err := b.flush(ctx); err != nil {
		return b.done, err
	}
	// Count apart from the stream, in the same snapshot, so that a stream
	// cut short cannot pass for the whole table.
	var n int64
	if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(table)).Scan(&n); err != nil {
		return b.done, normalize(err)
	}
	if n != b.done {
		return b.done, fmt.Errorf("read %d rows of %d", b.done, n)
	}
	fmt.Fprintf(progress, "%s: %d rows copied\n", table, b.done)
	return b.done, nil
}

// batch gathers rows for one multi-row insert.
type batch struct {
	tx       *Tx
	table    string
	cols     []string
	vals     []any
	done     int64
	progress io.Writer
}

func (b *batch) add(ctx context.Context, row []any) error {
	b.vals = append(b.vals, row...)
	if len(b.vals) < cap(b.vals) {
		return nil
	}
	return b.flush(ctx)
}

func (b *batch) flush(ctx context.Context) error {
	if len(b.vals) == 0 {
		return nil
	}
	if err := insertBatch(ctx, b.tx, b.table, b.cols, b.vals); err != nil {
		return err
	}
	before := b.done
	b.done += int64(len(b.vals) / len(b.cols))
	b.vals = b.vals[:0]
	if b.done/progressEvery != before/progressEvery {
		fmt.Fprintf(b.progress, "  %s: %d rows…\n", b.table, b.done)
	}
	return nil
}

// insertBatch writes len(vals)/len(cols) rows in one statement. Table and
// column names come from the schema, never from input.
func insertBatch(ctx context.Context, tx *Tx, table string, cols []string, vals []any) error {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	row := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	rowsSQL := strings.Repeat(row+", ", len(vals)/len(cols)-1) + row
	q := `INSERT INTO ` + quoteIdent(table) + ` (` + strings.Join(quoted, ", ") + `) VALUES ` + rowsSQL
	// Only two texts per table (a full batch and the last one), so the
	// cache of rebound queries stays small.
	_, err := tx.exec(ctx, q, vals...)
	return err
}

// quoteIdent quotes a name the same way on both engines, so that a column
// called like a keyword (date, day, last) is always a name.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// resetSequences moves PostgreSQL's identity sequences past the copied ids,
// or the next insert would reuse id 1. SQLite needs nothing: it takes the
// next rowid after the largest.
func resetSequences(ctx context.Context, tx *Tx) error {
	if tx.db.Engine != Postgres {
		return nil
	}
	for _, t := range copyTables {
		if t.order != "id" {
			continue
		}
		// is_called = false with max+1 works for an empty table too.
		_, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+t.name, t.name)
		if err != nil {
			return fmt.Errorf("reset the id sequence of %s: %w", t.name, err)
		}
	}
	return nil
}

// verifyCopy counts the target's rows and checks its history chains.
func (db *DB) verifyCopy(ctx context.Context, rep *CopyReport) error {
	var bad []string
	for i := range rep.Tables {
		t := &rep.Tables[i]
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Table)).Scan(&t.Target); err != nil {
			return normalize(err)
		}
		if t.Target != t.Source {
			bad = append(bad, fmt.Sprintf("%s %d/%d", t.Table, t.Target, t.Source))
		}
	}
	audit, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	rep.Audit = audit
	if len(bad) > 0 {
		return apperr.New(apperr.EINTERNAL, "Số dòng sau khi chuyển không khớp: "+strings.Join(bad, ", "),
			"row counts differ after the copy: "+strings.Join(bad, ", "))
	}
	if audit.Broken > 0 {
		return apperr.New(apperr.EINTERNAL,
			fmt.Sprintf("Chuỗi lịch sử của %d hồ sơ bị hỏng sau khi chuyển, đầu tiên là %s", audit.Broken, audit.FirstBroken),
			fmt.Sprintf("%d history chains are broken after the copy, the first in %s", audit.Broken, audit.FirstBroken))
	}
	return nil
}

// CopyFiles copies the files that db's attachments name from one file store
// to another, checking each against its checksum, and skips those the
// target has. Files are never changed once written, so the copy may run
// while a server receives new ones; run it again after the last upload
// before switching over. It returns how many files it wrote.
func CopyFiles(ctx context.Context, db *DB, from, to blob.Store, progress io.Writer) (int, error) {
	if progress == nil {
		progress = io.Discard
	}
	sums, err := db.AttachmentSums(ctx)
	if err != nil {
		return 0, err
	}
	n, err := blob.Copy(ctx, from, to, sums)
	if err != nil {
		return n, err
	}
	fmt.Fprintf(progress, "files: %d of %d copied, the others were there already\n", n, len(sums))
	return n, nil
}
