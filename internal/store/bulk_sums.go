package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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

// sumID is a sumKey in the loader's numbers: units and procedures as
// interned, periods as day numbers or months since year 0, every procedure
// as -1. Adding millions of roll-up rows into keys of four strings each
// took most of the load's last seconds.
type sumID struct {
	unit, period, proc int32
	grain              byte
	below              int8
}

// sumRows adds the batch's roll-ups into their sums and returns the rows,
// in key order, 10,000 to a buffer.
func (b *Bulk) sumRows(batch *bulkBatch) []*rowBuf {
	sums := map[sumID]*[nMetrics + 1]int64{} // received_online, then the metrics
	units := intern{}                        // the batch's units first, then the units above them
	for _, name := range batch.unitNames {
		units.id(name)
	}
	above := map[int32][]int32{}
	months := map[int32]int32{}
	for k, r := range batch.rollups {
		up, ok := above[k.unit]
		if !ok {
			name := batch.unitNames[k.unit]
			for _, a := range ancestors(b.paths[name], name) {
				up = append(up, units.id(a))
			}
			above[k.unit] = up
		}
		month, ok := months[k.day]
		if !ok {
			t := time.Unix(int64(k.day)*86400, 0).UTC()
			month = int32(t.Year()*12 + int(t.Month()) - 1)
			months[k.day] = month
		}
		var online int64
		if k.channel == 2 {
			online = int64(r[receivedIndex])
		}
		sumRule(k.unit, up, k.proc, -1, k.day, month, func(unit int32, grain string, period, proc int32, below int64) {
			id := sumID{unit: unit, period: period, proc: proc, grain: grain[0], below: int8(below)}
			s := sums[id]
			if s == nil {
				s = new([nMetrics + 1]int64)
				sums[id] = s
			}
			s[0] += online
			for i, n := range r {
				s[i+1] += int64(n)
			}
		})
	}
	keys := make([]sumKey, 0, len(sums))
	values := make(map[sumKey]*[nMetrics + 1]int64, len(sums))
	for id, v := range sums {
		k := sumKey{unit: units.names[id.unit], grain: string(id.grain), below: int64(id.below)}
		if id.proc >= 0 {
			k.proc = batch.procNames[id.proc]
		}
		if k.grain == grainDay || k.grain == grainAllDay {
			k.period = dayString(id.period)
		} else {
			k.period = fmt.Sprintf("%04d-%02d", id.period/12, id.period%12+1)
		}
		keys, values[k] = append(keys, k), v
	}
	slices.SortFunc(keys, func(a, b sumKey) int {
		return cmp.Or(strings.Compare(a.unit, b.unit), strings.Compare(a.grain, b.grain), strings.Compare(a.period, b.period),
			strings.Compare(a.proc, b.proc), cmp.Compare(a.below, b.below))
	})
	rows := &rowBuf{}
	out := []*rowBuf{rows}
	for _, k := range keys {
		if rows.rows == 10_000 {
			rows = &rowBuf{}
			out = append(out, rows)
		}
		rows.row()
		rows.text(k.unit)
		rows.text(k.grain)
		rows.text(k.period)
		rows.text(k.proc)
		rows.int(k.below)
		rows.int(0) // slot: one row per key, as a rebuild writes them
		for _, n := range values[k] {
			rows.int(n)
		}
	}
	return out
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
