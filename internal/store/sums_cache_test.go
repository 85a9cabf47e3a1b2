package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestIndexKeepsPastSumsUntilTheEpochMoves shows the index's sums of past
// days kept in memory: a sum of a past day changed behind the store's back
// (without moving sums_epoch) is not seen by the server that read it, and
// is seen by another server and, once the epoch moves, by the first; the
// days since yesterday are always read, so today's dossier counts at once.
func TestIndexKeepsPastSumsUntilTheEpochMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		canbo := f.Actors["canbo"]
		if _, err := f.Svc.Submit(ctx, canbo, counterSubmit("1.001612", "Lê Văn Hùng")); err != nil {
			t.Fatal(err)
		}
		past := stats.Day(f.Clock.Now())
		f.Clock.Advance(10 * 24 * time.Hour)
		from, to := stats.Day(f.Clock.Now().AddDate(0, 0, -20)), stats.Day(f.Clock.Now())
		received := func(db *store.DB) int64 {
			t.Helper()
			facts, err := db.IndexFacts(ctx, []string{demo.Ward}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			return facts[demo.Ward].Totals[stats.Received]
		}
		if n := received(f.DB); n != 1 {
			t.Fatalf("received before: %d, want 1", n)
		}
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `UPDATE rollup_sums SET received = received + 5 WHERE grain = 'D' AND period = ?`, past)
		if n := received(f.DB); n != 1 {
			t.Errorf("the server that read the past days: %d, want its 1 kept", n)
		}
		other := migrateAgain(t, engine, f) // another server: nothing kept
		if n := received(other); n != 6 {
			t.Errorf("another server: %d, want 6", n)
		}
		if _, err := f.Svc.Submit(ctx, canbo, counterSubmit("1.001612", "Phạm Thu Trang")); err != nil {
			t.Fatal(err)
		}
		if n := received(f.DB); n != 2 {
			t.Errorf("after today's dossier: %d, want 2 (1 kept, 1 today)", n)
		}
		mustExec(t, raw, engine, `UPDATE sums_epoch SET n = n + 1 WHERE id = 1`)
		if n := received(f.DB); n != 7 {
			t.Errorf("after the epoch moved: %d, want 7", n)
		}
		// A rebuild (units moved) moves it too, and keeps the index right.
		mustExec(t, raw, engine, `UPDATE rollup_sums SET received = received + 5 WHERE grain = 'D' AND period = ?`, past)
		if err := f.DB.RebuildSums(ctx); err != nil {
			t.Fatal(err)
		}
		if err := storetest.IndexMatchesRecount(ctx, f.DB, demo.Ward, from, to); err != nil {
			t.Errorf("after a rebuild: %v", err)
		}
	})
}
