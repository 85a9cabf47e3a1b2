package store

import (
	"context"
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
	s := &stats.Summary{Query: q}
	groups, err := db.sumBy(ctx, "", where, args)
	if err != nil {
		return nil, err
	}
	s.Totals = map[string]int64{}
	if len(groups) == 1 {
		s.Totals = groups[0].Counts
	}
	var online int64
	if err := db.queryRow(ctx, `SELECT COALESCE(SUM(received), 0) FROM rollups r WHERE `+where+` AND r.channel = 2`, args...).Scan(&online); err != nil {
		return nil, err
	}
	s.Online = online
	if s.ByProcedure, err = db.sumBy(ctx, `r.procedure_code`, where, args); err != nil {
		return nil, err
	}
	if s.ByMonth, err = db.sumBy(ctx, `SUBSTR(r.day, 1, 7)`, where, args); err != nil {
		return nil, err
	}
	if s.ByUnit, err = db.sumBy(ctx, `r.unit_code`, where, args); err != nil {
		return nil, err
	}
	s.Finish()
	return s, nil
}

func (db *DB) unitPathOf(ctx context.Context, code string) (string, error) {
	var p string
	err := db.queryRow(ctx, `SELECT path FROM units WHERE code = ?`, code).Scan(&p)
	if err != nil {
		_, err = db.Unit(ctx, code) // a clear not-found
	}
	return p, err
}

func (db *DB) sumBy(ctx context.Context, key, where string, args []any) ([]stats.Row, error) {
	q := `SELECT '', ` + sumCols + ` FROM rollups r WHERE ` + where
	if key != "" {
		q = `SELECT ` + key + `, ` + sumCols + ` FROM rollups r WHERE ` + where + ` GROUP BY ` + key + ` ORDER BY 1`
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stats.Row
	for rows.Next() {
		vals := make([]int64, len(stats.Metrics))
		dest := []any{new(string)}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r := stats.Row{Key: *dest[0].(*string), Counts: map[string]int64{}}
		for i, m := range stats.Metrics {
			r.Counts[m] = vals[i]
		}
		out = append(out, r)
	}
	return out, rows.Err()
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
