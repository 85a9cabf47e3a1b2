package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// TryLock takes the named lock for holder until ttl from now, and tells
// whether it got it. The lock is free when nobody holds it or its time ran
// out; its holder may take it again, which extends it. The lock lives in the
// database, so that several servers on one database agree on who runs
// scheduled work. Times come from db.Now: keep the servers' clocks in sync
// and ttl well above their drift.
func (db *DB) TryLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, fmt.Errorf("lock %q: name, holder and a positive ttl are needed", name)
	}
	now := db.Now()
	var got bool
	err := db.inTx(ctx, func(tx *Tx) error {
		// One statement on both engines: the insert wins for a new name, the
		// update only when the row is expired or already ours. A lost race
		// changes no row.
		res, err := tx.exec(ctx, `INSERT INTO job_locks (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE job_locks.expires_at < ? OR job_locks.holder = excluded.holder`,
			name, holder, now.Add(ttl).UnixMicro(), now.UnixMicro())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		got = n == 1
		return err
	})
	return got, err
}

// Unlock frees the named lock if holder holds it.
func (db *DB) Unlock(ctx context.Context, name, holder string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM job_locks WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
}

// RunOnce runs fn if holder can take the named lock, so that scheduled work
// runs on one server rather than on each. After fn succeeds the lock is kept
// until ttl has passed: the other servers, whose timers fire a little later,
// then skip this round, while the same holder may run the next one. Choose
// ttl a little shorter than the schedule's period. When fn fails the lock is
// freed so that another server may retry at once. fn's context ends when the
// lock does, so that it never runs while another server may hold the lock.
func (db *DB) RunOnce(ctx context.Context, name, holder string, ttl time.Duration, fn func(context.Context) error) (ran bool, err error) {
	ok, err := db.TryLock(ctx, name, holder, ttl)
	if err != nil || !ok {
		return false, err
	}
	jobCtx, cancel := context.WithTimeout(ctx, ttl)
	defer cancel()
	if err := fn(jobCtx); err != nil {
		// Free the lock even when ctx was cancelled; if this fails too, the
		// lock still runs out after ttl.
		unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return true, errors.Join(err, db.Unlock(unlockCtx, name, holder))
	}
	return true, nil
}

// Holder returns a name for this process to hold locks under: the host, the
// process id and a random part, so that two servers never share it even in
// containers with the same host name and pid.
func Holder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Lock waits until holder takes the named lock, trying again with a growing
// pause, for at most wait: for work that must run on one server at a time
// but must not be skipped, as a calendar change. It answers a conflict when
// the lock stays taken.
func (db *DB) Lock(ctx context.Context, name, holder string, ttl, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for pause := 10 * time.Millisecond; ; pause = min(2*pause, 500*time.Millisecond) {
		ok, err := db.TryLock(ctx, name, holder, ttl)
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return apperr.Conflict("Một thao tác khác đang chạy, vui lòng thử lại sau ít phút",
				"another operation ("+name+") is running; try again in a few minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}
