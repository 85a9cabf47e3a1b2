package store

import (
	"context"
	"strconv"
	"strings"
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
// offered online that received a dossier online from one date to another.
// The procedures each unit used online before yesterday come from memory
// (as the sums do, sums_cache.go), those of the days since from the table;
// a procedure counts if it is offered online now.
func (db *DB) indexOnlineUsed(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	cut, err := db.cutPeriod(ctx, from, to)
	if err != nil {
		return err
	}
	offered := map[string]bool{}
	if err := db.foldQuery(ctx, `SELECT code FROM procedures WHERE active = 1 AND online_mode <> 'none'`, nil, func(s scanner) error {
		var code string
		err := s.Scan(&code)
		offered[code] = true
		return err
	}); err != nil {
		return err
	}
	used := map[string]map[string]bool{}
	add := func(pairs [][2]string) {
		for _, p := range pairs {
			if offered[p[1]] {
				if used[p[0]] == nil {
					used[p[0]] = map[string]bool{}
				}
				used[p[0]][p[1]] = true
			}
		}
	}
	if cut.pastFrom != "" {
		key := "online|" + cut.pastFrom + "|" + cut.pastTo + "|" + strings.Join(units, ",")
		pairs, ok := db.sums.get(cut.epoch, key)
		if !ok {
			if pairs, err = db.onlinePairs(ctx, units, cut.pastFrom, cut.pastTo); err != nil {
				return err
			}
			db.sums.put(cut.epoch, key, pairs)
		}
		add(pairs.([][2]string))
	}
	if cut.liveFrom != "" {
		pairs, err := db.onlinePairs(ctx, units, cut.liveFrom, cut.liveTo)
		if err != nil {
			return err
		}
		add(pairs)
	}
	for u, procs := range used {
		fa := out[u]
		fa.OnlineUsed = int64(len(procs))
		out[u] = fa
	}
	return nil
}

// onlinePairs lists the units and procedures with a dossier received
// online from one date to another. The query tests each row's days against
// the period's days of its year, so that only a row per unit and procedure
// comes back.
func (db *DB) onlinePairs(ctx context.Context, units []string, from, to string) ([][2]string, error) {
	fy, fd, err := yearDay(from)
	if err != nil {
		return nil, err
	}
	ty, td, err := yearDay(to)
	if err != nil {
		return nil, err
	}
	first, last := periodBits(fd, 365), periodBits(0, td) // the period's days of its first and last year
	if fy == ty {
		first = periodBits(fd, td)
	}
	test := func(mask onlineBits) (string, []any) {
		terms := make([]string, onlineWords)
		args := make([]any, onlineWords)
		for i := range terms {
			terms[i], args[i] = "(d"+strconv.Itoa(i)+" & ?)", mask[i]
		}
		return strings.Join(terms, " | "), args
	}
	firstTest, firstArgs := test(first)
	lastTest, lastArgs := test(last)
	args := append(codesArgs(units), fy, ty, fy)
	args = append(append(append(args, firstArgs...), ty), lastArgs...)
	pairs := [][2]string{}
	err = db.foldQuery(ctx, `SELECT unit_code, procedure_code FROM online_days
		WHERE unit_code IN (`+placeholders(len(units))+`) AND year BETWEEN ? AND ?
		AND CASE year WHEN ? THEN `+firstTest+` WHEN ? THEN `+lastTest+` ELSE d0 | d1 | d2 | d3 | d4 | d5 END <> 0
		GROUP BY unit_code, procedure_code`, args, func(s scanner) error {
		var p [2]string
		err := s.Scan(&p[0], &p[1])
		pairs = append(pairs, p)
		return err
	})
	return pairs, err
}

// periodBits marks the days of the year from lo to hi (inclusive).
func periodBits(lo, hi int) onlineBits {
	var b onlineBits
	for d := lo; d <= hi; d++ {
		b.set(d)
	}
	return b
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
