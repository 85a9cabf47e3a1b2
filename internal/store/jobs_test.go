package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// race runs n goroutines at once, each calling try with its own holder name,
// and returns how many of them won.
func race(t *testing.T, n int, try func(holder string) (bool, error)) int {
	t.Helper()
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			ok, err := try(fmt.Sprintf("server-%d", i))
			if err != nil {
				errs <- err
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("lock: %v", err)
	}
	return int(wins.Load())
}

// openServers opens n handles on one fresh database, as n servers would.
func openServers(t *testing.T, engine string, n int) []*store.DB {
	t.Helper()
	dsn := storetest.DSN(t, engine)
	clock := storetest.NewClock(storetest.Start)
	var dbs []*store.DB
	for range n {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("open %s: %v", engine, err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = clock.Now
		dbs = append(dbs, db)
	}
	return dbs
}

func TestTryLockOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		servers := openServers(t, engine, 4)
		ctx := context.Background()
		for round := range 3 {
			name := fmt.Sprintf("nightly-%d", round)
			var next atomic.Int32
			wins := race(t, 16, func(h string) (bool, error) {
				db := servers[int(next.Add(1))%len(servers)]
				return db.TryLock(ctx, name, h, time.Minute)
			})
			if wins != 1 {
				t.Fatalf("round %d: %d holders got the lock, want exactly 1", round, wins)
			}
		}
	})
}

func TestTryLockExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		db := storetest.Open(t, engine)
		clock := storetest.NewClock(storetest.Start)
		db.Now = clock.Now
		ctx := context.Background()
		mustLock := func(holder string, want bool) {
			t.Helper()
			got, err := db.TryLock(ctx, "reminders", holder, time.Minute)
			if err != nil || got != want {
				t.Fatalf("TryLock(%s) = %v, %v; want %v", holder, got, err, want)
			}
		}
		mustLock("a", true)
		mustLock("b", false)
		mustLock("a", true) // the holder renews it
		clock.Advance(59 * time.Second)
		mustLock("b", false)
		clock.Advance(2 * time.Second)
		mustLock("b", true) // a's lock ran out
		mustLock("a", false)
		// Only the holder can unlock.
		if err := db.Unlock(ctx, "reminders", "a"); err != nil {
			t.Fatal(err)
		}
		mustLock("a", false)
		if err := db.Unlock(ctx, "reminders", "b"); err != nil {
			t.Fatal(err)
		}
		mustLock("a", true)
		// An expired lock is taken over by exactly one of many.
		clock.Advance(2 * time.Minute)
		if wins := race(t, 8, func(h string) (bool, error) { return db.TryLock(ctx, "reminders", h, time.Minute) }); wins != 1 {
			t.Fatalf("%d holders took over the expired lock, want 1", wins)
		}
	})
}

func TestRunOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		db := storetest.Open(t, engine)
		clock := storetest.NewClock(storetest.Start)
		db.Now = clock.Now
		ctx := context.Background()
		var runs atomic.Int32
		job := func(ctx context.Context) error {
			if _, ok := ctx.Deadline(); !ok {
				t.Error("the job's context has no deadline")
			}
			runs.Add(1)
			return nil
		}
		ran := race(t, 12, func(h string) (bool, error) { return db.RunOnce(ctx, "daily-report", h, time.Hour, job) })
		if ran != 1 || runs.Load() != 1 {
			t.Fatalf("ran on %d servers (%d runs), want 1", ran, runs.Load())
		}
		// Later in the same round the others still skip.
		if ok, err := db.RunOnce(ctx, "daily-report", "late-server", time.Hour, job); ok || err != nil {
			t.Fatalf("a late server ran the job: %v, %v", ok, err)
		}
		// The next round, once the lock ran out, runs once again.
		clock.Advance(time.Hour + time.Second)
		if ran := race(t, 12, func(h string) (bool, error) { return db.RunOnce(ctx, "daily-report", h, time.Hour, job) }); ran != 1 {
			t.Fatalf("second round ran on %d servers, want 1", ran)
		}
	})
}

func TestRunOnceFailureFreesLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		db := storetest.Open(t, engine)
		ctx := context.Background()
		boom := errors.New("boom")
		ran, err := db.RunOnce(ctx, "export", "a", time.Hour, func(context.Context) error { return boom })
		if !ran || !errors.Is(err, boom) {
			t.Fatalf("RunOnce = %v, %v; want true, boom", ran, err)
		}
		// Another server may retry at once.
		ran, err = db.RunOnce(ctx, "export", "b", time.Hour, func(context.Context) error { return nil })
		if !ran || err != nil {
			t.Fatalf("retry after a failure: %v, %v", ran, err)
		}
	})
}

func TestHolderUnique(t *testing.T) {
	if a, b := store.Holder(), store.Holder(); a == b || a == "" {
		t.Fatalf("Holder() = %q, %q; want two different names", a, b)
	}
}
