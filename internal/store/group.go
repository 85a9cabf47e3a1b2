package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/motcua/motcua/internal/apperr"
)

// SQLite has one writer, and what a write transaction costs is mostly its
// commit (the pages it writes to the log) and its BEGIN/COMMIT round, not
// its statements. Under load, the dossier writes that queue for the writer
// are therefore run together: one transaction, each write inside its own
// savepoint so that a write that fails is undone alone, then one commit.
// A write waits for no timer: a lone write runs at once, in a transaction
// of its own; writes gather only while the writer is busy.

// maxGroup bounds the writes of one transaction, so that a single commit
// keeps its latency close to that of the writes it carries.
const maxGroup = 128

type groupReq struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *Tx) error
	err  error
	done chan struct{}
}

// committer runs the grouped writes on the writer.
type committer struct {
	db      *DB
	reqs    chan *groupReq
	quit    chan struct{} // closed by stop
	stopped chan struct{} // closed when the loop has ended
	close   sync.Once

	// Transactions that carried more than one write, and the writes they
	// carried: how much grouping the load gave.
	groups, grouped atomic.Int64
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, reqs: make(chan *groupReq, 4*maxGroup), quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.loop()
	return c
}

var errClosed = apperr.New(apperr.EINTERNAL, "Máy chủ đang dừng", "the server is shutting down")

// do runs fn in a write transaction, perhaps shared with other writes, and
// returns once that transaction is committed (or fn's error).
func (c *committer) do(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case c.reqs <- r:
	case <-c.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write is waited for even if ctx ends: it may already
	// be part of a transaction being committed. A write queued as the
	// database closed, after the loop's last look, is never run.
	select {
	case <-r.done:
	case <-c.stopped:
		select {
		case <-r.done:
		default:
			return errClosed
		}
	}
	return r.err
}

func (c *committer) loop() {
	defer close(c.stopped)
	batch := make([]*groupReq, 0, maxGroup)
	for {
		select {
		case r := <-c.reqs:
			batch = append(batch[:0], r)
		case <-c.quit:
			c.drain()
			return
		}
	gather:
		for len(batch) < maxGroup {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		c.run(batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// drain answers the writes still queued when the database closes.
func (c *committer) drain() {
	for {
		select {
		case r := <-c.reqs:
			r.err = errClosed
			close(r.done)
		default:
			return
		}
	}
}

// run commits a batch; every request's err is set.
func (c *committer) run(batch []*groupReq) {
	if len(batch) == 1 {
		r := batch[0]
		r.err = c.db.inTx(r.ctx, func(tx *Tx) error { return r.fn(r.ctx, tx) })
		return
	}
	c.groups.Add(1)
	c.grouped.Add(int64(len(batch)))
	sqlTx, err := c.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		setAll(batch, normalize(err))
		return
	}
	tx := &Tx{tx: sqlTx, db: c.db}
	ok := 0
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		// Once its turn has come, a write runs to its end even if its
		// caller gives up: cancelling a statement interrupts SQLite, which
		// then rolls back the whole transaction, the other writes with it.
		if r.err = savepoint(context.WithoutCancel(r.ctx), tx, r.fn); r.err == nil {
			ok++
			continue
		}
		if errors.Is(r.err, errTxLost) {
			// The engine ended the transaction itself (a full disk, an I/O
			// error): the writes before this one are gone with it.
			_ = sqlTx.Rollback()
			setAll(batch[:i], errTxLost)
			setAll(batch[i+1:], errTxLost)
			return
		}
	}
	if ok == 0 {
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		for _, r := range batch {
			if r.err == nil {
				r.err = normalize(err)
			}
		}
	}
}

var errTxLost = apperr.New(apperr.ECONFLICT, "Không ghi được dữ liệu, vui lòng thử lại", "the write was lost; please retry")

// savepoint runs fn inside a savepoint of tx and undoes it alone if fn
// fails. If the savepoint itself is gone, the transaction is lost.
func savepoint(ctx context.Context, tx *Tx, fn func(ctx context.Context, tx *Tx) error) error {
	if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
		return errors.Join(errTxLost, err)
	}
	err := fn(ctx, tx)
	if err == nil {
		if _, err := tx.tx.ExecContext(context.Background(), `RELEASE w`); err != nil {
			return errors.Join(errTxLost, err)
		}
		return nil
	}
	if _, e := tx.tx.ExecContext(context.Background(), `ROLLBACK TO w`); e != nil {
		return errors.Join(errTxLost, err, e)
	}
	if _, e := tx.tx.ExecContext(context.Background(), `RELEASE w`); e != nil {
		return errors.Join(errTxLost, err, e)
	}
	return err
}

func setAll(batch []*groupReq, err error) {
	for _, r := range batch {
		r.err = err
	}
}

func (c *committer) stop() {
	c.close.Do(func() {
		close(c.quit)
		<-c.stopped
	})
}

// inGroupTx runs fn in a write transaction: on SQLite possibly shared with
// other dossier writes (see committer); on PostgreSQL, whose writers run in
// parallel, always its own. fn must use the context it is given, which in
// a shared transaction is no longer cancelled with ctx.
func (db *DB) inGroupTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if db.group == nil {
		return db.inTx(ctx, func(tx *Tx) error { return fn(ctx, tx) })
	}
	return db.group.do(ctx, fn)
}
