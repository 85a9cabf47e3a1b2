package store

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/motcua/motcua/internal/stats"
)

// addCounts upserts one roll-up row and its sums (see rollup_sums.go). The
// column names come from the fixed list stats.Metrics, never from input.
func addCounts(ctx context.Context, tx *Tx, k stats.Key, counts map[string]int64) error {
	cols := []string{"unit_code", "procedure_code", "day", "channel"}
	args := []any{k.UnitCode, k.ProcedureCode, k.Day, k.Channel}
	var metrics []string
	for _, m := range stats.Metrics {
		if n, ok := counts[m]; ok {
			metrics = append(metrics, m)
			args = append(args, n)
		}
	}
	cols = append(cols, metrics...)
	// The unit's path comes back with the upsert, for the sums of the units
	// above it: on PostgreSQL a statement is a round trip.
	q := `INSERT INTO rollups (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)` +
		addOnConflict("rollups", rollupsKey, metrics) + ` RETURNING COALESCE((SELECT path FROM units WHERE code = rollups.unit_code), '')`
	var path string
	if err := tx.queryRow(ctx, q, args...).Scan(&path); err != nil {
		return normalize(err)
	}
	if path == "" {
		path = k.UnitCode // a unit outside the tree counts for itself only
	}
	return addSums(ctx, tx, k, path, counts)
}

const rollupsKey = `unit_code, day, procedure_code, channel`

// addOnConflict is the clause that, when a row of table with the same key
// exists, adds the new row's cols to it: how every counter here is kept.
func addOnConflict(table, key string, cols []string) string {
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + table + "." + c + " + excluded." + c
	}
	return " ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(sets, ", ")
}

var sumCols = func() string {
	var b []string
	for _, m := range stats.Metrics {
		b = append(b, "COALESCE(SUM("+m+"), 0)")
	}
	return strings.Join(b, ", ")
}()

// Summary adds up the counters of a unit's subtree over a date range, in
// total, by procedure, by month and by receiving unit. For a unit it reads
// the sums (rollup_sums.go): whole months as months, the days at either end
// as days. Without a unit (every unit, for checks and exports) it adds up
// the day rows themselves.
//
// Identical requests that arrive while one is being answered share its
// answer (many leaders open the same province's dashboard at once): it may
// miss a write committed in the last few milliseconds, never more. The
// summary returned is shared and must not be changed.
func (db *DB) Summary(ctx context.Context, q stats.Query) (*stats.Summary, error) {
	if q.UnitCode == "" {
		return db.SummaryFromDays(ctx, q)
	}
	key := strings.Join([]string{q.UnitCode, q.ProcedureCode, q.From, q.To}, "|")
	ch := db.summaries.DoChan(key, func() (any, error) {
		return db.summaryFromSums(context.WithoutCancel(ctx), q) // one caller leaving must not fail the others
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*stats.Summary), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// SummaryFromDays is Summary computed from the day rows alone, the way it
// was before the sums: kept for the unit-less case and as the reference the
// sums are tested against.
func (db *DB) SummaryFromDays(ctx context.Context, q stats.Query) (*stats.Summary, error) {
	where := `r.day >= ? AND r.day <= ?`
	args := []any{q.From, q.To}
	if q.UnitCode != "" {
		where += ` AND r.unit_code IN (SELECT code FROM units WHERE code = ? OR path LIKE ?)`
		path, err := db.unitPathOf(ctx, q.UnitCode)
		if err != nil {
			return nil, err
		}
		args = append(args, q.UnitCode, path+"/%")
	}
	if q.ProcedureCode != "" {
		where += ` AND r.procedure_code = ?`
		args = append(args, q.ProcedureCode)
	}
	rows, err := db.query(ctx, `SELECT r.unit_code, r.procedure_code, SUBSTR(r.day, 1, 7), r.channel, `+sumCols+
		` FROM rollups r WHERE `+where+` GROUP BY r.unit_code, r.procedure_code, SUBSTR(r.day, 1, 7), r.channel`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	f := newFolder(q)
	for rows.Next() {
		var unit, proc, month string
		var channel int
		if err := f.scan(rows, &unit, &proc, &month, &channel); err != nil {
			return nil, err
		}
		online := int64(0)
		if channel == 2 {
			online = f.vals[receivedIndex]
		}
		f.total(month, online)
		f.add(f.byProc, proc)
		f.add(f.byUnit, unit)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return f.finish(), nil
}

// folder adds counter rows up into a summary.
type folder struct {
	s                       *stats.Summary
	byProc, byMonth, byUnit map[string]map[string]int64
	vals                    []int64
	sign                    int64 // 1 to add the rows read, -1 to take them away
}

func newFolder(q stats.Query) *folder {
	totals := map[string]int64{}
	for _, m := range stats.Metrics {
		totals[m] = 0 // every metric, even over a range without dossiers
	}
	return &folder{s: &stats.Summary{Query: q, Totals: totals},
		byProc: map[string]map[string]int64{}, byMonth: map[string]map[string]int64{}, byUnit: map[string]map[string]int64{},
		vals: make([]int64, len(stats.Metrics)), sign: 1}
}

// scan reads a row of the given key columns followed by every metric.
func (f *folder) scan(rows interface{ Scan(...any) error }, keys ...any) error {
	dest := keys
	for i := range f.vals {
		dest = append(dest, &f.vals[i])
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	for i := range f.vals {
		f.vals[i] *= f.sign
	}
	return nil
}

// total adds the scanned metrics to the totals and to the month, and
// online to the dossiers received online.
func (f *folder) total(month string, online int64) {
	for i, m := range stats.Metrics {
		f.s.Totals[m] += f.vals[i]
	}
	f.add(f.byMonth, month)
	f.s.Online += online
}

var receivedIndex = slices.Index(stats.Metrics, stats.Received)

// add adds the scanned metrics to the breakdown's row for key.
func (f *folder) add(to map[string]map[string]int64, key string) {
	for i, m := range stats.Metrics {
		addTo(to, key, m, f.vals[i])
	}
}

// finish sorts the breakdowns and fills the rates. A row whose counts are
// all zero (a month less its only busy days) is no row.
func (f *folder) finish() *stats.Summary {
	for _, m := range []map[string]map[string]int64{f.byProc, f.byMonth, f.byUnit} {
		for k, c := range m {
			if allZero(c) {
				delete(m, k)
			}
		}
	}
	f.s.ByProcedure, f.s.ByMonth, f.s.ByUnit = sortedRows(f.byProc), sortedRows(f.byMonth), sortedRows(f.byUnit)
	f.s.Finish()
	return f.s
}

func allZero(c map[string]int64) bool {
	for _, n := range c {
		if n != 0 {
			return false
		}
	}
	return true
}

func addTo(m map[string]map[string]int64, key, metric string, n int64) {
	if m[key] == nil {
		m[key] = map[string]int64{}
	}
	m[key][metric] += n
}

func sortedRows(m map[string]map[string]int64) []stats.Row {
	out := make([]stats.Row, 0, len(m))
	for k, c := range m {
		out = append(out, stats.Row{Key: k, Counts: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (db *DB) unitPathOf(ctx context.Context, code string) (string, error) {
	var p string
	err := db.queryRow(ctx, `SELECT path FROM units WHERE code = ?`, code).Scan(&p)
	if err != nil {
		_, err = db.Unit(ctx, code) // a clear not-found
	}
	return p, err
}

// RollupRows returns every roll-up row, for checks and exports.
func (db *DB) RollupRows(ctx context.Context) (map[stats.Key]map[string]int64, error) {
	rows, err := db.query(ctx, `SELECT unit_code, procedure_code, day, channel, `+strings.Join(stats.Metrics, ", ")+` FROM rollups`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[stats.Key]map[string]int64{}
	for rows.Next() {
		var k stats.Key
		vals := make([]int64, len(stats.Metrics))
		dest := []any{&k.UnitCode, &k.ProcedureCode, &k.Day, &k.Channel}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		c := map[string]int64{}
		for i, m := range stats.Metrics {
			c[m] = vals[i]
		}
		out[k] = c
	}
	return out, rows.Err()
}
