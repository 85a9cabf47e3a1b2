package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestThrottleCounters counts attempts per kind, key and fixed window, shares
// the counts between servers on one database, loses no hit when servers hit
// at once, and purges the windows that ended.
func TestThrottleCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dbs := openServers(t, engine, 2)
		now := storetest.Start
		pair := store.Counter{Kind: "signin_pair", Key: "lan|10.0.0.1", Window: time.Minute}
		addr := store.Counter{Kind: "signin_addr", Key: "10.0.0.1", Window: 15 * time.Minute}
		for i := 1; i <= 3; i++ {
			got, err := dbs[i%2].Hit(ctx, now, pair, addr)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []int{i, i}) {
				t.Fatalf("hit %d: counts %v, want [%d %d]", i, got, i, i)
			}
		}
		other := store.Counter{Kind: "signin_pair", Key: "mai|10.0.0.1", Window: time.Minute}
		got, err := dbs[1].Counts(ctx, now, pair, other, addr)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, []int{3, 0, 3}) {
			t.Fatalf("counts %v, want [3 0 3]", got)
		}

		// Both servers at once: every hit counts.
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if _, err := dbs[i%2].Hit(ctx, now, other); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got, _ := dbs[0].Counts(ctx, now, other); got[0] != 20 {
			t.Fatalf("20 hits at once counted %d", got[0])
		}

		// The next window starts at zero; the ended one is purged.
		later := pair.WindowEnd(now)
		if got, _ := dbs[0].Counts(ctx, later, pair, addr); !slices.Equal(got, []int{0, 3}) {
			t.Fatalf("after the pair's window: counts %v, want [0 3]", got)
		}
		n, err := dbs[0].PurgeCounters(ctx, later.Add(time.Microsecond))
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 { // the two minute-long pair counters
			t.Fatalf("purged %d rows, want 2", n)
		}
		if got, _ := dbs[0].Counts(ctx, now, pair, addr); !slices.Equal(got, []int{0, 3}) {
			t.Fatalf("after the purge: counts %v, want [0 3]", got)
		}
		if _, err := dbs[0].Hit(ctx, now, pair, pair); err == nil {
			t.Fatal("the same counter twice in one hit was accepted")
		}
	})
}
