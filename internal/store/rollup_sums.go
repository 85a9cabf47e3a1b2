package store

import (
	"context"
	"hash/fnv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// The sums (table rollup_sums, migration 0004) hold the roll-ups added up
// by month, over every procedure, and into every unit above the receiving
// one, so that a dashboard reads rows in proportion to the months and units
// it shows, never to the dossiers or the days: a province over a year is a
// few thousand rows instead of half a million. They are kept in the same
// transaction as the roll-up row they follow, and rebuilt from the roll-ups
// when units move (rebuildSums).

// Grains of the sums.
const (
	grainDay      = "d" // a day, per procedure (units above the receiving one only)
	grainMonth    = "m" // a month, per procedure
	grainAllDay   = "D" // a day, every procedure
	grainAllMonth = "M" // a month, every procedure
)

const sumsKey = `unit_code, grain, period, procedure_code, below, slot`

// sumSlots is how many slots the rows of a unit above others are split
// over on PostgreSQL (see the migration).
const sumSlots = 16

// SumSlot is the slot of a receiving unit's share in the units above it.
func SumSlot(engine, unitCode string) int {
	if engine != Postgres {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(unitCode))
	return int(h.Sum32() % sumSlots)
}

// sumKey names one row of the sums but its slot.
type sumKey struct {
	unit, grain, period, proc string
	below                     int64
}

// sumRule calls add for each sum that a roll-up row of unit, procedure
// and day adds to: for the receiving unit its month and its all-procedure
// day and month; for each unit above it the same plus the day per
// procedure. every stands for "all procedures". The live writes (through
// sumKeys, in strings) and the bulk loader (in interned numbers) follow
// this rule, and the SQL rebuild (rebuildSums) writes it once more; the
// tests compare them.
func sumRule[U, T, P any](unit U, above []U, proc, every P, day, month T, add func(unit U, grain string, period T, proc P, below int64)) {
	add(unit, grainMonth, month, proc, 0)
	add(unit, grainAllDay, day, every, 0)
	add(unit, grainAllMonth, month, every, 0)
	for _, a := range above {
		add(a, grainDay, day, proc, 1)
		add(a, grainMonth, month, proc, 1)
		add(a, grainAllDay, day, every, 1)
		add(a, grainAllMonth, month, every, 1)
	}
}

// sumKeys lists the sums that a roll-up row of unit (at path), procedure
// and day (YYYY-MM-DD) adds to.
func sumKeys(unit, path, proc, day string) []sumKey {
	var keys []sumKey
	sumRule(unit, ancestors(path, unit), proc, "", day, day[:7], func(u, grain, period, p string, below int64) {
		keys = append(keys, sumKey{u, grain, period, p, below})
	})
	return keys
}

// addSums adds the counts of roll-up row k, of the unit at path, to its
// sums, in one statement.
func addSums(ctx context.Context, tx *Tx, k stats.Key, path string, counts map[string]int64) error {
	var metrics []string
	var vals []any
	for _, m := range stats.Metrics {
		if n, ok := counts[m]; ok {
			metrics, vals = append(metrics, m), append(vals, n)
		}
	}
	if n, ok := counts[stats.Received]; ok && k.Channel == 2 {
		metrics, vals = append(metrics, "received_online"), append(vals, n)
	}
	if len(metrics) == 0 {
		return nil
	}
	one := "(?" + strings.Repeat(", ?", 5+len(metrics)) + ")"
	var args []any
	var values []string
	slot := SumSlot(tx.db.Engine, k.UnitCode)
	for _, r := range sumKeys(k.UnitCode, path, k.ProcedureCode, k.Day) {
		args = append(args, r.unit, r.grain, r.period, r.proc, r.below, int64(slot)*r.below) // slots only above the receiving unit
		args = append(args, vals...)
		values = append(values, one)
	}
	_, err := tx.exec(ctx, `INSERT INTO rollup_sums (`+sumsKey+`, `+strings.Join(metrics, ", ")+`) VALUES `+strings.Join(values, ", ")+
		addOnConflict("rollup_sums", sumsKey, metrics), args...)
	if err == nil && k.Day != stats.Day(tx.db.Now()) {
		_, err = tx.exec(ctx, bumpSumsEpoch) // a past day's sums moved (sums_cache.go)
	}
	if err != nil || k.Channel != 2 || counts[stats.Received] <= 0 {
		return err
	}
	return addOnlineDay(ctx, tx, k.UnitCode, path, k.ProcedureCode, k.Day)
}

// ancestors returns the units above code on its path ("01/00004": 01).
func ancestors(path, code string) []string {
	parts := strings.Split(path, "/")
	out := parts[:0]
	for _, p := range parts {
		if p != code && p != "" {
			out = append(out, p)
		}
	}
	return out
}

// segment is a stretch of a date range read at one grain, added (sign 1)
// or taken away (sign -1).
type segment struct {
	month  bool
	lo, hi string // YYYY-MM or YYYY-MM-DD, inclusive
	sign   int64
}

// segments covers the inclusive local dates from..to with as few rows to
// read as it can: whole months as months, and a month the range covers in
// part as its days, or, when it covers more than half of it, as the month
// less the days left out. Neighbouring months are read as one range. A
// province over a year from the 2nd of a month is then twelve months, less
// a day, plus a day.
func segments(from, to string) ([]segment, error) {
	f, err := time.Parse("2006-01-02", from)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse("2006-01-02", to)
	if err != nil {
		return nil, err
	}
	const dayF, monthF = "2006-01-02", "2006-01"
	var out, less []segment
	var run *segment // the months being gathered into one range
	flush := func() {
		if run != nil {
			out = append(out, *run)
			run = nil
		}
	}
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
		last := m.AddDate(0, 1, -1)
		a, b := maxTime(f, m), minTime(t, last)
		days, in := last.Day(), int(b.Sub(a).Hours()/24)+1
		if in*2 <= days { // less than half: its days
			flush()
			out = append(out, segment{false, a.Format(dayF), b.Format(dayF), 1})
			continue
		}
		if a.After(m) {
			less = append(less, segment{false, m.Format(dayF), a.AddDate(0, 0, -1).Format(dayF), -1})
		}
		if b.Before(last) {
			less = append(less, segment{false, b.AddDate(0, 0, 1).Format(dayF), last.Format(dayF), -1})
		}
		if run == nil {
			run = &segment{true, m.Format(monthF), "", 1}
		}
		run.hi = m.Format(monthF)
	}
	flush()
	return append(out, less...), nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

var metricCols = strings.Join(stats.Metrics, ", ")

// source is the rows of one grain as (unit_code, period, procedure_code,
// below, received_online, metrics...). A receiving unit's own days per
// procedure are the roll-ups themselves.
func source(grain string) string {
	sums := `SELECT unit_code, period, procedure_code, below, received_online, ` + metricCols + ` FROM rollup_sums WHERE grain = '` + grain + `'`
	if grain == grainDay {
		sums = `SELECT unit_code, day AS period, procedure_code, 0 AS below, CASE WHEN channel = 2 THEN received ELSE 0 END AS received_online, ` +
			metricCols + ` FROM rollups UNION ALL ` + sums
	}
	return `(` + sums + `) s`
}

// summaryFromSums answers Summary for a unit from the sums, three grouped
// reads per segment: the unit's totals by month, its
// procedures, and its receiving units.
func (db *DB) summaryFromSums(ctx context.Context, q stats.Query) (*stats.Summary, error) {
	path, err := db.unitPathOf(ctx, q.UnitCode)
	if err != nil {
		return nil, err
	}
	segs, err := segments(q.From, q.To)
	if err != nil {
		return nil, err
	}
	f := newFolder(q)
	for _, sg := range segs {
		if err := db.foldSegment(ctx, f, q, path, sg); err != nil {
			return nil, err
		}
	}
	return f.finish(), nil
}

// foldSegment adds (or takes away) one segment of the range: the unit's
// totals by month, its procedures, and its receiving units. With a
// procedure, every read is of that procedure's rows.
func (db *DB) foldSegment(ctx context.Context, f *folder, q stats.Query, path string, sg segment) error {
	f.sign = sg.sign
	perProc, rows := grainDay, grainAllDay
	if sg.month {
		perProc, rows = grainMonth, grainAllMonth
	}
	span, filter := []any{sg.lo, sg.hi}, ""
	if q.ProcedureCode != "" {
		rows, filter = perProc, ` AND procedure_code = ?`
		span = append(span, q.ProcedureCode)
	}
	err := db.foldQuery(ctx, `SELECT SUBSTR(period, 1, 7), SUM(received_online), `+sumCols+` FROM `+source(rows)+
		` WHERE unit_code = ? AND period BETWEEN ? AND ?`+filter+` GROUP BY SUBSTR(period, 1, 7)`, append([]any{q.UnitCode}, span...),
		func(s scanner) error {
			var month string
			var online int64
			if err := f.scan(s, &month, &online); err != nil {
				return err
			}
			f.total(month, online*sg.sign)
			if q.ProcedureCode != "" {
				f.add(f.byProc, q.ProcedureCode)
			}
			return nil
		})
	if err != nil {
		return err
	}
	if q.ProcedureCode == "" {
		err := db.foldKeyed(ctx, f, f.byProc, `SELECT procedure_code, `+sumCols+` FROM `+source(perProc)+
			` WHERE unit_code = ? AND period BETWEEN ? AND ? GROUP BY procedure_code`, q.UnitCode, sg.lo, sg.hi)
		if err != nil {
			return err
		}
	}
	return db.foldKeyed(ctx, f, f.byUnit, `SELECT unit_code, `+sumCols+` FROM `+source(rows)+
		` WHERE below = 0 AND unit_code IN (`+subtree+`) AND period BETWEEN ? AND ?`+filter+` GROUP BY unit_code`,
		append([]any{path, path + "0", path, path + "/%"}, span...)...)
}

// subtree selects a unit and the units below it by path: the range from
// the path to the path followed by '0' (the character after '/') is read
// off the index of paths, and the exact test keeps only the unit itself and
// paths that continue it with '/'. Arguments: path, path+"0", path,
// path+"/%".
const subtree = `SELECT code FROM units WHERE path >= ? AND path < ? AND (path = ? OR path LIKE ?)`

type scanner interface{ Scan(...any) error }

// foldQuery runs a read and hands each row to fn.
func (db *DB) foldQuery(ctx context.Context, query string, args []any, fn func(scanner) error) error {
	rows, err := db.query(ctx, query, args...)
	return foldRows(rows, err, fn)
}

// foldKeyed adds rows of (key, metrics...) to a breakdown.
func (db *DB) foldKeyed(ctx context.Context, f *folder, to map[string]map[string]int64, query string, args ...any) error {
	return db.foldQuery(ctx, query, args, func(s scanner) error {
		var key string
		if err := f.scan(s, &key); err != nil {
			return err
		}
		f.add(to, key)
		return nil
	})
}

// rebuildSums derives every sum from the roll-ups again, for a database
// that had roll-ups before the sums existed and after units moved under
// another parent, and the online days with them. (The bulk loader adds its
// sums up in memory.)
func rebuildSums(ctx context.Context, tx *Tx) error {
	if err := rebuildSumsOf(ctx, tx, stats.Metrics); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, bumpSumsEpoch); err != nil { // every day's sums (sums_cache.go)
		return err
	}
	return rebuildOnlineDays(ctx, tx)
}

// rebuildSumsOf rebuilds the sums of the given metrics: a migration run
// before later columns were added knows only its own.
func rebuildSumsOf(ctx context.Context, tx *Tx, metrics []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM rollup_sums`); err != nil {
		return err
	}

	sums := make([]string, len(metrics))
	for i, m := range metrics {
		sums[i] = "SUM(r." + m + ")"
	}
	period := `CASE WHEN g.grain IN ('m', 'M') THEN SUBSTR(r.day, 1, 7) ELSE r.day END`
	proc := `CASE WHEN g.grain IN ('d', 'm') THEN r.procedure_code ELSE '' END`
	_, err := tx.exec(ctx, `WITH used (code) AS (SELECT DISTINCT unit_code FROM rollups),
		anc (unit_code, code, below) AS (
			SELECT x.code, a.code, CASE WHEN a.code = x.code THEN 0 ELSE 1 END
			FROM units x JOIN units a ON a.code = x.code OR x.path LIKE a.path || '/%'
			WHERE x.code IN (SELECT code FROM used)
			UNION ALL
			SELECT code, code, 0 FROM used WHERE code NOT IN (SELECT code FROM units)),
		g (grain) AS (VALUES ('d'), ('m'), ('D'), ('M'))
		INSERT INTO rollup_sums (`+sumsKey+`, received_online, `+strings.Join(metrics, ", ")+`)
		SELECT a.code, g.grain, `+period+`, `+proc+`, a.below, 0, SUM(CASE WHEN r.channel = 2 THEN r.received ELSE 0 END), `+strings.Join(sums, ", ")+`
		FROM rollups r JOIN anc a ON a.unit_code = r.unit_code CROSS JOIN g
		WHERE g.grain <> 'd' OR a.below = 1
		GROUP BY a.code, g.grain, `+period+`, `+proc+`, a.below`)
	return err
}

// SumRows returns the sums, keyed by their key columns but the slot joined
// with '|' (the slots added up), for checks.
func (db *DB) SumRows(ctx context.Context) (map[string][]int64, error) {
	out := map[string][]int64{}
	f := newFolder(stats.Query{})
	err := db.foldQuery(ctx, `SELECT unit_code, grain, period, procedure_code, below, SUM(received_online), `+sumCols+
		` FROM rollup_sums GROUP BY unit_code, grain, period, procedure_code, below`, nil, func(s scanner) error {
		var unit, grain, period, proc string
		var below int
		var online int64
		if err := f.scan(s, &unit, &grain, &period, &proc, &below, &online); err != nil {
			return err
		}
		key := strings.Join([]string{unit, grain, period, proc, string(rune('0' + below))}, "|")
		out[key] = append([]int64{online}, f.vals...)
		return nil
	})
	return out, err
}

// RebuildSums rebuilds the sums from the roll-ups in one transaction.
func (db *DB) RebuildSums(ctx context.Context) error {
	return db.inTx(ctx, func(tx *Tx) error { return rebuildSums(ctx, tx) })
}
