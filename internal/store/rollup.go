package store

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/motcua/motcua/internal/stats"
)

// addCounts upserts one roll-up row. The column names come from the fixed
// list stats.Metrics, never from input.
func addCounts(ctx context.Context, tx *Tx, k stats.Key, counts map[string]int64) error {
	cols := []string{"unit_code", "procedure_code", "day", "channel"}
	args := []any{k.UnitCode, k.ProcedureCode, k.Day, k.Channel}
	var sets []string
	for _, m := range stats.Metrics {
		if n, ok := counts[m]; ok {
			cols = append(cols, m)
			args = append(args, n)
			sets = append(sets, m+" = rollups."+m+" + excluded."+m)
		}
	}
	q := `INSERT INTO rollups (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) +
		`) ON CONFLICT (unit_code, day, procedure_code, channel) DO UPDATE SET ` + strings.Join(sets, ", ")
	_, err := tx.exec(ctx, q, args...)
	return err
}

var sumCols = func() string {
	var b []string
	for _, m := range stats.Metrics {
		b = append(b, "COALESCE(SUM("+m+"), 0)")
	}
	return strings.Join(b, ", ")
}()

// Summary adds up the roll-ups of a unit's subtree over a date range, in
// total, by procedure and by month.
func (db *DB) Summary(ctx context.Context, q stats.Query) (*stats.Summary, error) {
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
	return db.fold(ctx, q, where, args)
}

// fold reads the counters once, grouped by unit, procedure, month and
// channel, and adds them up in Go into the totals and the three breakdowns:
// one pass over the rows instead of one per breakdown.
func (db *DB) fold(ctx context.Context, q stats.Query, where string, args []any) (*stats.Summary, error) {
	rows, err := db.query(ctx, `SELECT r.unit_code, r.procedure_code, SUBSTR(r.day, 1, 7), r.channel, `+sumCols+
		` FROM rollups r WHERE `+where+` GROUP BY r.unit_code, r.procedure_code, SUBSTR(r.day, 1, 7), r.channel`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	s := &stats.Summary{Query: q, Totals: map[string]int64{}}
	byProc, byMonth, byUnit := map[string]map[string]int64{}, map[string]map[string]int64{}, map[string]map[string]int64{}
	vals := make([]int64, len(stats.Metrics))
	for rows.Next() {
		var unit, proc, month string
		var channel int
		dest := []any{&unit, &proc, &month, &channel}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, m := range stats.Metrics {
			s.Totals[m] += vals[i]
			addTo(byProc, proc, m, vals[i])
			addTo(byMonth, month, m, vals[i])
			addTo(byUnit, unit, m, vals[i])
		}
		if channel == 2 {
			s.Online += vals[slices.Index(stats.Metrics, stats.Received)]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.ByProcedure, s.ByMonth, s.ByUnit = sortedRows(byProc), sortedRows(byMonth), sortedRows(byUnit)
	s.Finish()
	return s, nil
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
