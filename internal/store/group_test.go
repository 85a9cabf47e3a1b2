package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// TestGroupCommit queues writes behind one that holds the writer, so that
// they run as one transaction, and checks that each one that failed after
// writing left nothing while the others all committed.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	insert := func(tx *Tx, name string) error {
		_, err := tx.exec(ctx, `INSERT INTO job_locks (name, holder, expires_at) VALUES (?, 'test', 0)`, name)
		return err
	}
	hold, held := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error {
			close(held)
			<-hold
			return insert(tx, "first")
		})
		if err != nil {
			t.Error(err)
		}
	}()
	<-held
	const n = 20
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error {
				if err := insert(tx, fmt.Sprint("w", i)); err != nil {
					return err
				}
				switch i % 4 {
				case 1: // fails after writing
					return apperr.Invalid("x", "lỗi thử", "test failure")
				case 2: // a second write of the same key: a unique violation
					return insert(tx, fmt.Sprint("w", i))
				}
				return nil
			})
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); len(db.group.reqs) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes queued", len(db.group.reqs))
		}
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	for i, err := range errs {
		var want string
		switch i % 4 {
		case 1:
			want = apperr.EINVALID
		case 2:
			want = apperr.ECONFLICT
		}
		if got := codeOf(err); got != want {
			t.Errorf("write %d: error %v (code %q), want code %q", i, err, got, want)
		}
		var count int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM job_locks WHERE name = ?`, fmt.Sprint("w", i)).Scan(&count); err != nil {
			t.Fatal(err)
		}
		if wantRows := map[bool]int{true: 1, false: 0}[want == ""]; count != wantRows {
			t.Errorf("write %d: %d rows, want %d", i, count, wantRows)
		}
	}
	if groups, writes := db.group.groups.Load(), db.group.grouped.Load(); groups != 1 || writes != n {
		t.Errorf("%d grouped transactions of %d writes, want 1 of %d", groups, writes, n)
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	if e := apperr.As(err); e != nil {
		return e.Code
	}
	return "not an application error"
}

// TestGroupCommitCancelled checks that a write whose caller gave up before
// its turn is not run.
func TestGroupCommitCancelled(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	hold, held := make(chan struct{}), make(chan struct{})
	go db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error { close(held); <-hold; return nil })
	<-held
	cctx, cancel := context.WithCancel(ctx)
	ran := false
	done := make(chan error)
	go func() { done <- db.inGroupTx(cctx, func(_ context.Context, tx *Tx) error { ran = true; return nil }) }()
	go db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error { return nil }) // a second write, so that the batch is grouped
	for len(db.group.reqs) < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(hold)
	if err := <-done; !errors.Is(err, context.Canceled) || ran {
		t.Errorf("cancelled write: %v, ran %v", err, ran)
	}
}

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestBulkKeepsWriterSettings checks that a bulk load gives the writer back
// its own settings: the grouped writes' savepoints need their journal in
// memory, which a load that restored the engine's default took away.
func TestBulkKeepsWriterSettings(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	b, err := db.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var temp int
	if err := db.write.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&temp); err != nil || temp != 2 {
		t.Errorf("temp_store after a bulk load: %d %v, want 2 (memory)", temp, err)
	}
}

// TestGroupCommitClosed checks that writes asked for while the database
// closes are answered, not left waiting.
func TestGroupCommitClosed(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error { return nil })
		}()
	}
	db.group.stop()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("writes asked for while closing are still waiting")
	}
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, errClosed) {
			t.Errorf("write during close: %v", err)
		}
	}
}

// TestGroupCommitCallerGivesUp cancels a caller's context while its write
// runs in a shared transaction: the write must run to its end with the
// context it is given, and the other writes of the group must commit.
func TestGroupCommitCallerGivesUp(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	insert := func(ctx context.Context, tx *Tx, name string) error {
		_, err := tx.exec(ctx, `INSERT INTO job_locks (name, holder, expires_at) VALUES (?, 'test', 0)`, name)
		return err
	}
	hold, held := make(chan struct{}), make(chan struct{})
	go db.inGroupTx(ctx, func(_ context.Context, tx *Tx) error { close(held); <-hold; return nil })
	<-held
	cctx, cancel := context.WithCancel(ctx)
	errs := make(chan error, 2)
	go func() {
		errs <- db.inGroupTx(cctx, func(ctx context.Context, tx *Tx) error {
			cancel() // the caller gives up halfway through its write
			if err := insert(ctx, tx, "a"); err != nil {
				return err
			}
			return insert(ctx, tx, "a2")
		})
	}()
	go func() {
		errs <- db.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, "b") })
	}()
	for deadline := time.Now().Add(10 * time.Second); len(db.group.reqs) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the writes did not queue")
		}
		time.Sleep(time.Millisecond)
	}
	close(hold)
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a grouped write: %v", err)
		}
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM job_locks WHERE name IN ('a', 'a2', 'b')`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d of the group's 3 rows written (%v)", n, err)
	}
}
