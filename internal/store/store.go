// Package store implements every domain Store interface over database/sql,
// on SQLite (embedded, the default) and PostgreSQL with the same code. SQL is
// written with '?' placeholders and rebound for PostgreSQL once, at startup.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver
	"golang.org/x/sync/singleflight"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/motcua/motcua/internal/apperr"
)

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database: a writer and a reader pool. On SQLite the writer
// is a single connection (SQLite allows one writer at a time; queuing in Go is
// cheaper than busy-waiting in the engine), and readers run in parallel
// under WAL. On PostgreSQL both are the same pool.
type DB struct {
	Engine string
	write  *sql.DB
	read   *sql.DB
	Now    func() time.Time

	mu      sync.Mutex
	rebound map[string]string

	writeStmts, readStmts stmtCache

	group *committer // SQLite: dossier writes grouped into shared transactions

	producers []Producer // messages caused by dossier changes (outbox.go)

	summaries singleflight.Group // dashboard summaries being computed, by query
	indexes   singleflight.Group // service indexes being computed, by units and period
	sums      sumsCache          // the index's sums of past days (sums_cache.go)
	procs     sync.Map           // procedure code (with the units of its settings, see ForUnit) → *parsedProcedure

	newsViews  viewBuffer // articles' readings not yet written (news_views.go)
	newsStamps stampCache // the news pages' versions of the last second (news_stamp.go)
}

// stmtCache keeps prepared statements by query text. The SQLite driver
// (modernc.org/sqlite since v1.41) keeps a prepared statement and only binds
// and steps it again, while a statement run unprepared is parsed at every
// execution, and parsing was most of the cost of a write (measured: see
// docs/benchmarks.md). PostgreSQL's driver caches prepared statements itself.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
	// preparing counts the background preparations still running: Close
	// waits for them, so that none opens a connection (and the database's
	// side files) after the store is closed.
	preparing sync.WaitGroup
}

// maxCachedStmts bounds the cache: queries are built from fixed pieces, so
// their number is small, but a bug must not grow it without end.
const maxCachedStmts = 512

// get returns the prepared statement for query, or nil when it is not
// prepared yet. A missing one is prepared in the background: on SQLite the
// writer pool has one connection, which the caller's transaction holds, so
// preparing now would wait for itself; the background preparation gets the
// connection when the transaction ends, and the next use finds it.
func (c *stmtCache) get(pool *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	if len(c.m) >= maxCachedStmts {
		return nil
	}
	c.m[query] = nil // pending: one preparation per query
	c.preparing.Add(1)
	go func() {
		defer c.preparing.Done()
		st, err := pool.Prepare(query)
		c.mu.Lock()
		defer c.mu.Unlock()
		switch {
		case c.m == nil && err == nil: // closed meanwhile
			st.Close()
		case err != nil:
			delete(c.m, query)
		default:
			c.m[query] = st
		}
	}()
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		if st != nil {
			st.Close()
		}
	}
	c.m = nil
}

// Open opens the database named by dsn: "postgres://..." or a SQLite file
// path (optionally prefixed by "sqlite:"). It runs the migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	// Webhooks and the portal's updates are always produced, so that no
	// server or command can change a dossier without them: with no
	// subscriber, or the portal off, they cost one indexed read per change.
	// A finished birth, marriage or death dossier registers its civil-status
	// record the same way (civil_dossier.go).
	db := &DB{Now: time.Now, rebound: map[string]string{}, producers: []Producer{webhookMessages, portalMessages, civilFromDossier}}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Engine = Postgres
		db.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.write.SetMaxOpenConns(32)
		db.write.SetMaxIdleConns(32)
		db.read = db.write
	} else {
		db.Engine = SQLite
		if err := db.openSQLite(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
			return nil, err
		}
	}
	if err := db.ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Engine, err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.Engine == SQLite {
		db.group = newCommitter(db)
	}
	return db, nil
}

// ping connects the writer. Switching a new SQLite file to WAL needs the
// file to itself and does not wait on the busy timeout, so when several
// processes open a new file at once the losers try again.
func (db *DB) ping(ctx context.Context) error {
	for i := 0; ; i++ {
		err := db.write.PingContext(ctx)
		if err == nil || db.Engine != SQLite || i == 50 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (db *DB) openSQLite(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	// busy_timeout first, so that the other pragmas wait rather than fail.
	// temp_store(MEMORY): grouped writes each run in a savepoint, whose undo
	// pages SQLite keeps in a statement journal: in memory, not a temp file.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)"
	var err error
	db.write, err = sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return err
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxLifetime(0)
	// WAL is a property of the file once the writer set it; readers only
	// need the timeout and their own settings.
	// mmap_size: readers map the first 2 GiB of the file (the most this
	// build of SQLite maps) instead of copying each page they miss into
	// their small page cache with a system call (measured: a look-up 170 →
	// 107 µs; a name search in a register of 5,000,000 records, 5.7 GB, 29 →
	// 19 ms of CPU with 2 GiB instead of 1). The mapped pages are the
	// kernel's file cache, shared by the readers, and count in the server's
	// RSS.
	readPragmas := "_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=query_only(1)&_pragma=mmap_size(2147418112)"
	db.read, err = sql.Open("sqlite", "file:"+path+"?"+readPragmas)
	if err != nil {
		return err
	}
	db.keepIdle()
	db.read.SetMaxOpenConns(sqliteReaders)
	return nil
}

// sqliteReaders is the size of SQLite's reader pool; the writer pool has one
// connection.
const sqliteReaders = 8

// withoutIdle runs fn with the SQLite pools' idle connections closed and
// none kept, so that the bulk loader's connection can have the file to
// itself (to switch its journal mode), then lets the pools keep theirs again.
func (db *DB) withoutIdle(fn func() error) error {
	db.read.SetMaxIdleConns(0)
	db.write.SetMaxIdleConns(0)
	defer db.keepIdle()
	return fn()
}

// keepIdle lets the SQLite pools keep their connections open between uses.
func (db *DB) keepIdle() {
	db.read.SetMaxIdleConns(sqliteReaders)
	db.write.SetMaxIdleConns(1)
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.write != nil {
		_ = News{DB: db}.FlushViews(context.Background())
	}
	if db.group != nil {
		db.group.stop()
	}
	var err error
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		err = errors.Join(err, db.write.Close())
	}
	// The pools refuse new work now: a preparation still running fails or
	// releases its connection, which the closed pool then closes.
	db.writeStmts.preparing.Wait()
	db.readStmts.preparing.Wait()
	db.writeStmts.close()
	db.readStmts.close()
	return err
}

// q returns query with its placeholders in the engine's syntax.
func (db *DB) q(query string) string {
	if db.Engine != Postgres {
		return query
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if s, ok := db.rebound[query]; ok {
		return s
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	db.rebound[query] = b.String()
	return b.String()
}

// Tx is a write transaction with the engine's placeholder syntax.
type Tx struct {
	tx *sql.Tx
	db *DB
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.prepared(ctx, query); st != nil {
		r, err := st.ExecContext(ctx, args...)
		return r, normalize(err)
	}
	r, err := t.tx.ExecContext(ctx, t.db.q(query), args...)
	return r, normalize(err)
}

func (t *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(ctx, query); st != nil {
		r, err := st.QueryContext(ctx, args...)
		return r, normalize(err)
	}
	r, err := t.tx.QueryContext(ctx, t.db.q(query), args...)
	return r, normalize(err)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// prepared returns the transaction's handle on the cached prepared statement
// for query, or nil to run it unprepared (PostgreSQL, or a full cache). The
// handle is released with the transaction; the statement stays prepared on
// the connection.
func (t *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if t.db.Engine != SQLite {
		return nil
	}
	st := t.db.writeStmts.get(t.db.write, query)
	if st == nil {
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

// inTx runs fn in a write transaction, committed when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return normalize(err)
	}
	tx := &Tx{tx: sqlTx, db: db}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	return normalize(sqlTx.Commit())
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.readPrepared(ctx, query); st != nil {
		r, err := st.QueryContext(ctx, args...)
		return r, normalize(err)
	}
	r, err := db.read.QueryContext(ctx, db.q(query), args...)
	return r, normalize(err)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.readPrepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) readPrepared(ctx context.Context, query string) *sql.Stmt {
	if db.Engine != SQLite {
		return nil
	}
	return db.readStmts.get(db.read, query)
}

// normalize maps driver errors to application errors, the same on both
// engines: a unique violation is a conflict, a busy database is a conflict the
// client may retry, and the rest stays internal.
func normalize(err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return wrap(apperr.ECONFLICT, "Dữ liệu đã tồn tại", "already exists", err)
		case "40001", "40P01", "55P03":
			return wrap(apperr.ECONFLICT, "Dữ liệu đang được người khác cập nhật, vui lòng thử lại", "concurrent update, please retry", err)
		case "23503", "23502", "23514", "22001":
			return wrap(apperr.EINVALID, "Dữ liệu không hợp lệ", "invalid data", err)
		}
		return err
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return sqliteError(lite.Code(), err)
	}
	return err
}

// sqliteError maps an SQLite result code to the same application errors,
// for the driver's errors and the bulk loader's own connection alike.
func sqliteError(code int, err error) error {
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return wrap(apperr.ECONFLICT, "Dữ liệu đã tồn tại", "already exists", err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return wrap(apperr.ECONFLICT, "Dữ liệu đang được người khác cập nhật, vui lòng thử lại", "concurrent update, please retry", err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK:
		return wrap(apperr.EINVALID, "Dữ liệu không hợp lệ", "invalid data", err)
	}
	return err
}

// dbError keeps the driver's error for logs while answering with a code.
type dbError struct {
	app   *apperr.Error
	cause error
}

func (e *dbError) Error() string   { return e.app.Error() + ": " + e.cause.Error() }
func (e *dbError) Unwrap() []error { return []error{e.app, e.cause} }

func wrap(code, vi, en string, cause error) error {
	return &dbError{app: apperr.New(code, vi, en), cause: cause}
}

// micros converts a time to the stored integer (0 for the zero time).
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros converts a stored integer back to a UTC time.
func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
