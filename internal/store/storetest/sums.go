package storetest

import (
	"context"
	"fmt"
	"slices"

	"github.com/motcua/motcua/internal/dossier"

	"github.com/motcua/motcua/internal/store"
)

// SumsMatchRebuild compares the dashboard sums and the online days that
// the writes kept with the ones rebuilt from the roll-ups, and says how
// they differ. It leaves the rebuilt ones in place.
func SumsMatchRebuild(ctx context.Context, db *store.DB) error {
	kept, err := db.SumRows(ctx)
	if err != nil {
		return err
	}
	keptOnline, err := db.OnlineDayRows(ctx)
	if err != nil {
		return err
	}
	if err := db.RebuildSums(ctx); err != nil {
		return err
	}
	rebuiltOnline, err := db.OnlineDayRows(ctx)
	if err != nil {
		return err
	}
	if err := onlineDaysMatchRebuild(keptOnline, rebuiltOnline); err != nil {
		return err
	}
	rebuilt, err := db.SumRows(ctx)
	if err != nil {
		return err
	}
	if len(kept) != len(rebuilt) {
		return fmt.Errorf("%d sums kept, %d rebuilt", len(kept), len(rebuilt))
	}
	for k, v := range rebuilt {
		if !slices.Equal(kept[k], v) {
			return fmt.Errorf("sum %s: kept %v, rebuilt %v", k, kept[k], v)
		}
	}
	return nil
}

// RunningMatchesRecount compares the running dues that the writes kept
// with a count of the open dossiers, and says where they first differ.
func RunningMatchesRecount(ctx context.Context, db *store.DB) error {
	kept, err := db.RunningRows(ctx)
	if err != nil {
		return err
	}
	ds, _, err := store.Dossiers{DB: db}.List(ctx, dossier.Filter{Limit: 1 << 30}, dossier.Scope{All: true})
	if err != nil {
		return err
	}
	want := map[string]int64{}
	for i := range ds {
		d := &ds[i]
		if !d.Status.Open() || d.DueAt.IsZero() {
			continue
		}
		// by the hour of its due time; or, waiting for the applicant, as
		// paused in time (1) or late (2)
		paused, hour := 0, d.DueAt.UnixMicro()/(3600*1_000_000)
		if d.Status.Paused() {
			paused, hour = 1, 0
			if d.DueAt.Before(d.PausedAt) {
				paused = 2
			}
		}
		want[store.RunningRowKey(d.UnitCode, paused, hour)]++
	}
	if len(kept) != len(want) {
		return fmt.Errorf("%d running dues kept, %d recounted (kept %v, recounted %v)", len(kept), len(want), kept, want)
	}
	for k, n := range want {
		if kept[k] != n {
			return fmt.Errorf("running due %s: kept %d, recounted %d", k, kept[k], n)
		}
	}
	return nil
}

// onlineDaysMatchRebuild compares the online days that the writes kept
// with the ones rebuilt from the roll-ups (SumsMatchRebuild rebuilds both).
func onlineDaysMatchRebuild(kept, rebuilt map[string][6]int64) error {
	if len(kept) != len(rebuilt) {
		return fmt.Errorf("%d rows of online days kept, %d rebuilt", len(kept), len(rebuilt))
	}
	for k, v := range rebuilt {
		if kept[k] != v {
			return fmt.Errorf("online days %s: kept %x, rebuilt %x", k, kept[k], v)
		}
	}
	return nil
}
