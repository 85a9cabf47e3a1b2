package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// liteConn is the bulk loader's own connection to the SQLite file, driven
// through the C API that modernc.org/sqlite/lib exposes. The database/sql
// driver prepares (parses and compiles) a statement again at every
// execution, which cost half of the load; here each INSERT is prepared once
// and then bound, stepped and reset row after row.
//
// Memory: SQLite only sees C memory (libc.Xmalloc). The rows' tape is
// copied there once per table and texts are bound in place with
// SQLITE_STATIC, so the copy must outlive every step that uses it: the
// bindings are cleared before it is reused or freed.
//
// The C functions' out parameters point at the uintptr fields of the
// liteConn, which is on the heap and so never moves while they write.
//
// A liteConn belongs to one goroutine (the writer) at a time.
type liteConn struct {
	tls   *libc.TLS
	db    uintptr
	path  string
	out   uintptr            // what sqlite3_prepare_v3 writes its statement to
	stmts map[string]uintptr // prepared INSERTs by SQL, finalized by close
	buf   uintptr            // C copy of the tape being written
	cap   int
	pins  []uintptr // see pinAllocator
}

// pinAllocator keeps one block of every small size class of the C
// allocator (modernc.org/memory) allocated while the connection is open.
// That allocator carves blocks of one size out of 64 KB pages and unmaps a
// page as soon as its last block is freed; B-tree page splits allocate and
// free a page-sized buffer each, so without a block that stays, nearly
// every split cost an mmap and a munmap (a fifth of the writer's time).
func (c *liteConn) pinAllocator() {
	for log := 4; log <= 14; log++ { // 16 B to 16 KB, the sizes it carves out of shared pages
		if p := libc.Xmalloc(c.tls, 1<<log); p != 0 {
			c.pins = append(c.pins, p)
		}
	}
}

// openLite opens path and sets the connection up for the load: the same
// timeout and durability as the pool's writer, no foreign key lookups (the
// loader writes each dossier before its events), a large page cache and
// no automatic checkpoints. Checkpoints would copy every page of the WAL
// back into the file each time it passes 1000 pages, with a sync each time;
// Close checkpoints once at the end instead.
func openLite(path string) (*liteConn, error) {
	c := &liteConn{tls: libc.NewTLS(), path: path, stmts: map[string]uintptr{}}
	c.pinAllocator()
	name, err := libc.CString(path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	defer libc.Xfree(c.tls, name)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, uintptr(unsafe.Pointer(&c.db)), sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	if rc != sqlite3.SQLITE_OK {
		err := c.error(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, 10000)
	err = c.exec(`PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536;
		PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0`)
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// close finalizes the statements and closes the connection.
func (c *liteConn) close() error {
	for _, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s)
	}
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.error(rc)
		}
	}
	if c.buf != 0 {
		libc.Xfree(c.tls, c.buf)
	}
	for _, p := range c.pins {
		libc.Xfree(c.tls, p)
	}
	c.tls.Close()
	return err
}

// exec runs statements without parameters.
func (c *liteConn) exec(sql string) error {
	q, err := libc.CString(sql)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, q)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, q, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.error(rc)
	}
	return nil
}

// prepare returns the prepared statement of sql, preparing it the first time.
func (c *liteConn) prepare(sql string) (uintptr, error) {
	if s, ok := c.stmts[sql]; ok {
		return s, nil
	}
	q, err := libc.CString(sql)
	if err != nil {
		return 0, err
	}
	defer libc.Xfree(c.tls, q)
	rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, q, -1, sqlite3.SQLITE_PREPARE_PERSISTENT, uintptr(unsafe.Pointer(&c.out)), 0)
	if rc != sqlite3.SQLITE_OK {
		return 0, c.error(rc)
	}
	s := c.out
	c.stmts[sql] = s
	return s, nil
}

// copyTape copies tape into the connection's C buffer, growing it as needed.
func (c *liteConn) copyTape(tape []byte) (uintptr, error) {
	if len(tape) > c.cap {
		if c.buf != 0 {
			libc.Xfree(c.tls, c.buf)
		}
		c.cap = max(len(tape), 2*c.cap)
		if c.buf = libc.Xmalloc(c.tls, uint64(c.cap)); c.buf == 0 {
			c.cap = 0
			return 0, fmt.Errorf("bulk: cannot allocate %d bytes", len(tape))
		}
	}
	if len(tape) > 0 {
		libc.Xmemcpy(c.tls, c.buf, uintptr(unsafe.Pointer(unsafe.SliceData(tape))), uint64(len(tape)))
		runtime.KeepAlive(tape)
	}
	return c.buf, nil
}

// insert writes rows into t, one step of a prepared single-row INSERT per
// row: with the statement compiled once, extra rows per statement save
// little and need a second statement for the remainder.
func (c *liteConn) insert(ctx context.Context, t bulkTable, rows *rowBuf) error {
	s, err := c.prepare(insertSQL(t.name, t.cols, t.suffix, width(t.cols), 1))
	if err != nil {
		return err
	}
	buf, err := c.copyTape(rows.tape)
	if err != nil {
		return err
	}
	defer sqlite3.Xsqlite3_clear_bindings(c.tls, s) // no pointer into buf may outlive this call
	w := int32(width(t.cols))
	r := tapeReader{tape: rows.tape}
	for i := range rows.rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for col := int32(1); col <= w; col++ {
			text, n, start, end := r.next()
			if text {
				rc := sqlite3.Xsqlite3_bind_text(c.tls, s, col, buf+uintptr(start), int32(end-start), 0) // SQLITE_STATIC
				if rc != sqlite3.SQLITE_OK {
					return c.error(rc)
				}
			} else {
				sqlite3.Xsqlite3_bind_int64(c.tls, s, col, n)
			}
		}
		rc := sqlite3.Xsqlite3_step(c.tls, s)
		sqlite3.Xsqlite3_reset(c.tls, s)
		if rc != sqlite3.SQLITE_DONE {
			return c.error(rc)
		}
	}
	return nil
}

// error turns a result code and the connection's message into the errors
// the rest of the store returns.
func (c *liteConn) error(rc int32) error {
	msg := "sqlite: " + libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	if c.db != 0 {
		msg = "sqlite: " + libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return sqliteError(int(rc), fmt.Errorf("%s (%d)", msg, rc))
}

// liteTx is a batch's transaction on a liteConn.
type liteTx struct{ c *liteConn }

func (t liteTx) insert(ctx context.Context, tb bulkTable, rows *rowBuf) error {
	return t.c.insert(ctx, tb, rows)
}

func (t liteTx) exec(_ context.Context, sql string) error { return t.c.exec(sql) }

// inTx runs fn in an immediate transaction.
func (c *liteConn) inTx(fn func(bulkTx) error) error {
	if err := c.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if err := fn(liteTx{c}); err != nil {
		_ = c.exec("ROLLBACK")
		return err
	}
	return c.exec("COMMIT")
}

// takeFile turns the WAL off for the load and writes each batch's pages
// straight into the file at its commit, with no journal and no sync until
// finish. With cache_spill off no page reaches the file before its commit,
// so a batch that fails has written nothing; SQLite's documentation leaves
// ROLLBACK without a journal undefined, though (this version puts the pager
// in its error state and reads the file again), so a failed load says that
// the database is to be loaded again (see Bulk.writer). What is lost is the
// protection of a commit cut short by a crash or a power cut, which a fresh
// load can afford: it is loaded again.
// (A rollback journal in memory cost more than the WAL's system calls
// saved: every page a batch changes is copied first.)
//
// Other connections may still read between the batches (each commit waits
// for their reads to end), but the switch needs the file to itself:
// takeFile reports false when another connection still has it open after a
// second, and the load then goes through the WAL, as into a database in use.
func (c *liteConn) takeFile() (bool, error) {
	if err := c.journal("off"); err != nil {
		return false, nil // loaded through the WAL instead
	}
	return true, c.exec(`PRAGMA synchronous = OFF; PRAGMA cache_spill = OFF`)
}

// journal sets the journal mode, trying for a second while other
// connections keep the file busy, and returns the last refusal.
func (c *liteConn) journal(mode string) error {
	var err error
	for range 20 {
		var got string
		if got, err = c.queryText(`PRAGMA journal_mode = ` + mode); err == nil && got == mode {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("bulk: the journal mode stayed %q, not %q", got, mode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// buildIndexes builds the indexes (after moving the WAL into the file,
// when the load went through it), reading the table through the file
// mapped in memory, which saves a read call per page.
func (c *liteConn) buildIndexes(indexes []string, direct bool) error {
	err := c.exec(`PRAGMA mmap_size = 2147418112`)
	if !direct {
		err = errors.Join(err, c.exec(`PRAGMA wal_checkpoint(TRUNCATE)`))
	}
	for _, q := range indexes {
		err = errors.Join(err, c.exec(q))
	}
	if !direct {
		err = errors.Join(err, c.exec(`PRAGMA wal_checkpoint(TRUNCATE)`))
	}
	return err
}

// walBack puts a file loaded without the WAL back in WAL mode; it needs
// the file to itself.
func (c *liteConn) walBack() error {
	if err := c.journal("wal"); err != nil {
		return fmt.Errorf("bulk: the database could not be put back in WAL mode: %w", err)
	}
	return nil
}

// queryText runs sql and returns the first column of its first row.
func (c *liteConn) queryText(sql string) (string, error) {
	q, err := libc.CString(sql)
	if err != nil {
		return "", err
	}
	defer libc.Xfree(c.tls, q)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, q, -1, uintptr(unsafe.Pointer(&c.out)), 0); rc != sqlite3.SQLITE_OK {
		return "", c.error(rc)
	}
	s := c.out
	defer sqlite3.Xsqlite3_finalize(c.tls, s)
	switch rc := sqlite3.Xsqlite3_step(c.tls, s); rc {
	case sqlite3.SQLITE_ROW:
		return libc.GoString(sqlite3.Xsqlite3_column_text(c.tls, s, 0)), nil
	case sqlite3.SQLITE_DONE:
		return "", nil
	default:
		return "", c.error(rc)
	}
}
