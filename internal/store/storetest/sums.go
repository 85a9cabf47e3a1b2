package storetest

import (
	"context"
	"fmt"
	"slices"

	"github.com/motcua/motcua/internal/store"
)

// SumsMatchRebuild compares the dashboard sums that the writes kept with
// the sums rebuilt from the roll-ups, and says how they differ. It leaves
// the rebuilt sums in place.
func SumsMatchRebuild(ctx context.Context, db *store.DB) error {
	kept, err := db.SumRows(ctx)
	if err != nil {
		return err
	}
	if err := db.RebuildSums(ctx); err != nil {
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
