package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/motcua/motcua/internal/stats"
)

// The loader adds its roll-ups into rollup_sums in memory, as addSums
// would have row by row: a rebuild from the roll-ups in SQL took about as
// long as writing a million dossiers.

// sumsTable adds to the sums already there (those of an earlier load, or of
// an earlier flush of this one).
var sumsTable = func() bulkTable {
	cols := append([]string{"received_online"}, stats.Metrics...)
	return bulkTable{name: "rollup_sums", cols: sumsKey + ", " + strings.Join(cols, ", "),
		suffix: addOnConflict("rollup_sums", sumsKey, cols)}
}()

// writeSums writes the sums of the batch's roll-ups, in key order.
func (b *Bulk) writeSums(ctx context.Context, tx bulkTx, batch *bulkBatch) error {
	sums := map[sumKey]*[nMetrics + 1]int64{} // received_online, then the metrics
	for k, r := range batch.rollups {
		unit, proc := batch.unitNames[k.unit], batch.procNames[k.proc]
		day := dayString(k.day)
		var online int64
		if k.channel == 2 {
			online = int64(r[receivedIndex])
		}
		for _, key := range sumKeys(unit, b.paths[unit], proc, day) {
			s := sums[key]
			if s == nil {
				s = new([nMetrics + 1]int64)
				sums[key] = s
			}
			s[0] += online
			for i, n := range r {
				s[i+1] += int64(n)
			}
		}
	}
	keys := make([]sumKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b sumKey) int {
		return cmp.Or(strings.Compare(a.unit, b.unit), strings.Compare(a.grain, b.grain), strings.Compare(a.period, b.period),
			strings.Compare(a.proc, b.proc), cmp.Compare(a.below, b.below))
	})
	var rows rowBuf
	for _, k := range keys {
		rows.row()
		rows.text(k.unit)
		rows.text(k.grain)
		rows.text(k.period)
		rows.text(k.proc)
		rows.int(k.below)
		rows.int(0) // slot: one row per key, as a rebuild writes them
		for _, n := range sums[k] {
			rows.int(n)
		}
		if rows.rows == 10_000 {
			if err := b.insert(ctx, tx, sumsTable, &rows); err != nil {
				return err
			}
			rows = rowBuf{}
		}
	}
	return b.insert(ctx, tx, sumsTable, &rows)
}

// loadPaths reads every unit's path, for the sums of the units above the
// receiving ones.
func (b *Bulk) loadPaths(ctx context.Context) error {
	b.paths = map[string]string{}
	rows, err := b.db.read.QueryContext(ctx, `SELECT code, path FROM units`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code, path string
		if err := rows.Scan(&code, &path); err != nil {
			return err
		}
		b.paths[code] = path
	}
	return rows.Err()
}
