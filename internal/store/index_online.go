package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/index"
)

// Indicator 3.2 asks which procedures offered online received at least one
// dossier online: whether a procedure had one cannot be taken away day by
// day as a sum can, so the range is read as its whole months (the monthly
// sums per procedure) and the days of the months it covers in part (the
// daily ones), each a row per unit and procedure that had one.

// onlineProcedures returns the codes of the active procedures offered
// online, in part or in full: the denominator of 3.1 and 3.2.
func (db *DB) onlineProcedures(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := db.foldQuery(ctx, `SELECT code FROM procedures WHERE active = 1 AND online_mode <> 'none'`, nil, func(s scanner) error {
		var code string
		err := s.Scan(&code)
		out[code] = true
		return err
	})
	return out, err
}

// indexOnlineUsed counts, for each unit (its subtree), the procedures
// offered online that received a dossier online from one date to another.
func (db *DB) indexOnlineUsed(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	online, err := db.onlineProcedures(ctx)
	if err != nil || len(online) == 0 {
		return err
	}
	used := map[string]map[string]bool{} // unit → procedures
	note := func(s scanner) error {
		var unit, proc string
		if err := s.Scan(&unit, &proc); err != nil {
			return err
		}
		if online[proc] {
			if used[unit] == nil {
				used[unit] = map[string]bool{}
			}
			used[unit][proc] = true
		}
		return nil
	}
	in := `unit_code IN (` + placeholders(len(units)) + `) AND period BETWEEN ? AND ? AND received_online > 0 GROUP BY unit_code, procedure_code`
	months, days, err := wholeMonths(from, to)
	if err != nil {
		return err
	}
	if months[0] != "" {
		err := db.foldQuery(ctx, `SELECT unit_code, procedure_code FROM rollup_sums WHERE grain = ? AND `+in,
			append(append([]any{grainMonth}, codesArgs(units)...), months[0], months[1]), note)
		if err != nil {
			return err
		}
	}
	for _, d := range days {
		if err := db.foldQuery(ctx, `SELECT unit_code, procedure_code FROM `+source(grainDay)+` WHERE `+in,
			append(codesArgs(units), d[0], d[1]), note); err != nil {
			return err
		}
	}
	for u, procs := range used {
		fa := out[u]
		fa.OnlineUsed = int64(len(procs))
		out[u] = fa
	}
	return nil
}

// wholeMonths splits the inclusive dates from..to into the months it
// covers whole (first and last, YYYY-MM; empty if none) and the stretches
// of days before and after them (YYYY-MM-DD, inclusive).
func wholeMonths(from, to string) (months [2]string, days [][2]string, err error) {
	const dayF = "2006-01-02"
	f, err := time.Parse(dayF, from)
	if err != nil {
		return months, nil, err
	}
	t, err := time.Parse(dayF, to)
	if err != nil {
		return months, nil, err
	}
	first := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC) // the first whole month
	if !first.Equal(f) {
		first = first.AddDate(0, 1, 0)
	}
	end := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0) // the day after the last whole month
	if !end.AddDate(0, 0, -1).Equal(t) {
		end = end.AddDate(0, -1, 0)
	}
	if !first.Before(end) { // no whole month
		return months, [][2]string{{from, to}}, nil
	}
	months = [2]string{first.Format("2006-01"), end.AddDate(0, -1, 0).Format("2006-01")}
	if f.Before(first) {
		days = append(days, [2]string{from, first.AddDate(0, 0, -1).Format(dayF)})
	}
	if t.After(end.AddDate(0, 0, -1)) {
		days = append(days, [2]string{end.Format(dayF), to})
	}
	return months, days, nil
}

// monthOnlineUsed counts, by unit and month, the procedures offered online
// that received a dossier online (indicator 3.2), from the monthly sums per
// procedure.
func (db *DB) monthOnlineUsed(ctx context.Context, units []string, first, last string, facts map[string]map[string]index.Facts) error {
	online, err := db.onlineProcedures(ctx)
	if err != nil || len(online) == 0 {
		return err
	}
	return db.foldQuery(ctx, `SELECT DISTINCT unit_code, period, procedure_code FROM rollup_sums WHERE grain = ? AND unit_code IN (`+
		placeholders(len(units))+`) AND period BETWEEN ? AND ? AND received_online > 0`,
		append(append([]any{grainMonth}, codesArgs(units)...), first, last), func(s scanner) error {
			var unit, month, proc string
			if err := s.Scan(&unit, &month, &proc); err != nil {
				return err
			}
			if online[proc] {
				fa := facts[month][unit]
				fa.OnlineUsed++
				facts[month][unit] = fa
			}
			return nil
		})
}
