package store

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// The online days (table online_days, migration 0023) say, for each unit
// (the receiving one and each above it), procedure and year, on which days
// of the year a dossier was received online: six 64-bit columns, bit n of
// dK for day 64K + n. Indicator 3.2 asks whether a procedure had one in a
// period; that cannot be taken away day by day as a sum can, and seeking it
// per unit and procedure cost tens of microseconds a seek on PostgreSQL.
// Here the index reads one row per unit, procedure and year the period
// touches and tests the period's bits. The live writes set the bits in the
// transaction of the roll-up row they follow (addSums), the bulk loader
// from its roll-ups (bulk_online.go), and rebuildOnlineDays derives them
// from the roll-ups, with the sums, when units move.

const onlineWords = 6 // 6 × 64 bits cover the 366 days of a year

var onlineCols = func() string {
	cols := make([]string, onlineWords)
	for i := range cols {
		cols[i] = "d" + strconv.Itoa(i)
	}
	return strings.Join(cols, ", ")
}()

// onlineBits is a year's days as bits.
type onlineBits [onlineWords]int64

// set marks the day of the year (0 = 1 January).
func (b *onlineBits) set(yday int) { b[yday/64] |= int64(uint64(1) << (yday % 64)) }

// any tells whether a day from lo to hi (days of the year, inclusive) is
// marked.
func (b *onlineBits) any(lo, hi int) bool {
	for w := lo / 64; w <= hi/64; w++ {
		m := ^uint64(0)
		if w == lo/64 {
			m &= ^uint64(0) << (lo % 64)
		}
		if w == hi/64 {
			m &= ^uint64(0) >> (63 - hi%64)
		}
		if uint64(b[w])&m != 0 {
			return true
		}
	}
	return false
}

// onlineKey names a row of online_days.
type onlineKey struct {
	unit, proc string
	year       int
}

// yearDay splits a date (YYYY-MM-DD) into its year and day of the year (0
// = 1 January).
func yearDay(day string) (int, int, error) {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return 0, 0, err
	}
	return t.Year(), t.YearDay() - 1, nil
}

// addOnlineDay marks the day of a roll-up row with dossiers received
// online for the unit (at path) and the units above it, in one statement.
func addOnlineDay(ctx context.Context, tx *Tx, unit, path, proc, day string) error {
	year, yday, err := yearDay(day)
	if err != nil {
		return err
	}
	var bits onlineBits
	bits.set(yday)
	var values []string
	var args []any
	for _, u := range append([]string{unit}, ancestors(path, unit)...) {
		values = append(values, "(?, ?, ?"+strings.Repeat(", ?", onlineWords)+")")
		args = append(args, u, year, proc)
		for _, w := range bits {
			args = append(args, w)
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO online_days (unit_code, year, procedure_code, `+onlineCols+`) VALUES `+
		strings.Join(values, ", ")+orOnConflict, args...)
	return err
}

// orOnConflict adds the new row's days to the row already there.
var orOnConflict = func() string {
	sets := make([]string, onlineWords)
	for i := range sets {
		c := "d" + strconv.Itoa(i)
		sets[i] = c + " = online_days." + c + " | excluded." + c
	}
	return " ON CONFLICT (unit_code, year, procedure_code) DO UPDATE SET " + strings.Join(sets, ", ")
}()

// rebuildOnlineDays derives the online days from the roll-ups: the sum of
// a day's distinct bits is their union.
func rebuildOnlineDays(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `DELETE FROM online_days`); err != nil {
		return err
	}
	yday := `CAST(strftime('%j', r.day) AS INTEGER) - 1`
	if tx.db.Engine == Postgres {
		yday = `CAST(EXTRACT(DOY FROM CAST(r.day AS date)) AS INTEGER) - 1`
	}
	words := make([]string, onlineWords)
	for i := range words {
		words[i] = `SUM(DISTINCT CASE WHEN (` + yday + `) / 64 = ` + strconv.Itoa(i) + ` THEN CAST(1 AS BIGINT) << ((` + yday + `) % 64) ELSE 0 END)`
	}
	_, err := tx.exec(ctx, `WITH anc (unit_code, code) AS (
			SELECT x.code, a.code FROM units x JOIN units a ON a.code = x.code OR x.path LIKE a.path || '/%'
			WHERE x.code IN (SELECT DISTINCT unit_code FROM rollups)
			UNION ALL
			SELECT DISTINCT unit_code, unit_code FROM rollups WHERE unit_code NOT IN (SELECT code FROM units))
		INSERT INTO online_days (unit_code, year, procedure_code, `+onlineCols+`)
		SELECT a.code, CAST(SUBSTR(r.day, 1, 4) AS INTEGER), r.procedure_code, `+strings.Join(words, ", ")+`
		FROM rollups r JOIN anc a ON a.unit_code = r.unit_code
		WHERE r.channel = 2 AND r.received > 0
		GROUP BY a.code, CAST(SUBSTR(r.day, 1, 4) AS INTEGER), r.procedure_code`)
	return err
}

// OnlineDayRows returns the online days, keyed "unit|year|procedure", for
// checks.
func (db *DB) OnlineDayRows(ctx context.Context) (map[string][onlineWords]int64, error) {
	out := map[string][onlineWords]int64{}
	err := db.foldQuery(ctx, `SELECT unit_code, year, procedure_code, `+onlineCols+` FROM online_days`, nil, func(s scanner) error {
		var k onlineKey
		var b onlineBits
		if err := s.Scan(&k.unit, &k.year, &k.proc, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]); err != nil {
			return err
		}
		out[k.unit+"|"+strconv.Itoa(k.year)+"|"+k.proc] = b
		return nil
	})
	return out, err
}
