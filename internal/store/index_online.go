package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/index"
)

// Indicator 3.2: the procedures offered online that received at least one
// dossier online in the period, read from the online days (online_days.go):
// a row per unit, procedure offered online and year the period touches.

// foldOnlineDays hands each row of the online days of the units, for the
// procedures offered online, over the years first..last, to fn.
func (db *DB) foldOnlineDays(ctx context.Context, units []string, first, last int, fn func(k onlineKey, days *onlineBits)) error {
	return db.foldQuery(ctx, `SELECT unit_code, year, procedure_code, `+onlineCols+` FROM online_days
		WHERE unit_code IN (`+placeholders(len(units))+`) AND year BETWEEN ? AND ?
		AND procedure_code IN (SELECT code FROM procedures WHERE active = 1 AND online_mode <> 'none')`,
		append(codesArgs(units), first, last), func(s scanner) error {
			var k onlineKey
			var b onlineBits
			if err := s.Scan(&k.unit, &k.year, &k.proc, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]); err != nil {
				return err
			}
			fn(k, &b)
			return nil
		})
}

// indexOnlineUsed counts, for each unit (its subtree), the procedures
// offered online that received a dossier online from one date to another:
// a procedure's row of a year counts if a day of the period is marked in
// it, and counts once over the years.
func (db *DB) indexOnlineUsed(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	fy, fd, err := yearDay(from)
	if err != nil {
		return err
	}
	ty, td, err := yearDay(to)
	if err != nil {
		return err
	}
	used := map[onlineKey]bool{} // unit and procedure, the year left out
	err = db.foldOnlineDays(ctx, units, fy, ty, func(k onlineKey, days *onlineBits) {
		lo, hi := 0, 365
		if k.year == fy {
			lo = fd
		}
		if k.year == ty {
			hi = td
		}
		if days.any(lo, hi) {
			used[onlineKey{unit: k.unit, proc: k.proc}] = true
		}
	})
	for k := range used {
		fa := out[k.unit]
		fa.OnlineUsed++
		out[k.unit] = fa
	}
	return err
}

// monthOnlineUsed counts, by unit and month, the procedures offered online
// that received a dossier online (indicator 3.2).
func (db *DB) monthOnlineUsed(ctx context.Context, units []string, first, last string, facts map[string]map[string]index.Facts) error {
	months, err := monthsBetween(first, last)
	if err != nil {
		return err
	}
	type span struct {
		month  string
		lo, hi int // days of the year
	}
	byYear := map[int][]span{}
	for _, m := range months {
		t, _ := time.Parse("2006-01", m)
		end := t.AddDate(0, 1, -1)
		byYear[t.Year()] = append(byYear[t.Year()], span{m, t.YearDay() - 1, end.YearDay() - 1})
	}
	fy, _ := time.Parse("2006-01", first)
	ly, _ := time.Parse("2006-01", last)
	return db.foldOnlineDays(ctx, units, fy.Year(), ly.Year(), func(k onlineKey, days *onlineBits) {
		for _, s := range byYear[k.year] {
			if days.any(s.lo, s.hi) {
				fa := facts[s.month][k.unit]
				fa.OnlineUsed++
				facts[s.month][k.unit] = fa
			}
		}
	})
}
