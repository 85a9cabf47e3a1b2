package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
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

// TestIndexKeepsPastOnlineDays: the procedures used online before
// yesterday (indicator 3.2) are kept like the sums: the online days taken
// away behind the store's back are still counted by the server that read
// them, not by another, and no longer once the epoch moves.
func TestIndexKeepsPastOnlineDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		procs, err := store.Procedures{DB: f.DB}.List(ctx, store.ProcedureFilter{ActiveOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(procs, func(p procedure.Procedure) bool { return p.OnlineMode != procedure.OnlineNone })
		if i < 0 {
			t.Fatal("the demo catalogue offers no procedure online")
		}
		p := procs[i]
		d, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: p.Code, Components: dossier.MissingRequired(&p, nil),
			UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Vũ Thị Lan", IDNumber: "001190054321", Phone: "0912000111"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(10 * 24 * time.Hour)
		from, to := stats.Day(f.Clock.Now().AddDate(0, 0, -20)), stats.Day(f.Clock.Now())
		used := func(db *store.DB) int64 {
			t.Helper()
			facts, err := db.IndexFacts(ctx, []string{demo.Ward}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			return facts[demo.Ward].OnlineUsed
		}
		if n := used(f.DB); n != 1 {
			t.Fatalf("procedures used online: %d, want 1", n)
		}
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `DELETE FROM online_days`)
		if n := used(f.DB); n != 1 {
			t.Errorf("the server that read the past days: %d, want its 1 kept", n)
		}
		if n := used(migrateAgain(t, engine, f)); n != 0 {
			t.Errorf("another server: %d, want 0", n)
		}
		mustExec(t, raw, engine, `UPDATE sums_epoch SET n = n + 1 WHERE id = 1`)
		if n := used(f.DB); n != 0 {
			t.Errorf("after the epoch moved: %d, want 0", n)
		}
	})
}
