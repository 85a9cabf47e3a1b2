package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
)

// Indicator 4.3 (the dossiers received online that re-used papers of the
// applicant's wallet ÷ the dossiers received online) counts from the day
// the wallet started (WalletStart) and, where a unit entered 4.3 for a
// month, leaves that month to the entry (index.Monthly).

// reuseCount is 4.3 as the roll-ups count it in a unit's facts.
func reuseCount(f index.Facts) index.Count {
	return index.Count{Numerator: f.Totals[stats.ReceivedReused], Denominator: f.Online}
}

// indexReuse sets each unit's 4.3 over from..to: the roll-ups from the
// wallet's first day, less the months the unit entered 4.3 for (their
// entries are added by Counts). Read after indexTotals and indexEntries.
func (db *DB) indexReuse(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	start, err := db.walletStartDay(ctx)
	if err != nil {
		return err
	}
	lo := max(from, start)
	if lo > to {
		return nil // the period ended before the wallet: no data
	}
	counted := out
	if lo != from {
		if counted, err = db.reuseTotals(ctx, units, lo, to); err != nil {
			return err
		}
	}
	entered, err := db.enteredMonths(ctx, units, "4.3", lo[:7], to[:7])
	if err != nil {
		return err
	}
	parts, err := db.enteredParts(ctx, entered, lo, to)
	if err != nil {
		return err
	}
	for _, u := range units {
		c := reuseCount(counted[u])
		for _, m := range entered[u] {
			p := reuseCount(parts[m][u])
			c.Numerator -= p.Numerator
			c.Denominator -= p.Denominator
		}
		fa := out[u]
		fa.Reuse = c
		out[u] = fa
	}
	return nil
}

// enteredParts reads, by month and unit, the roll-ups of the months the
// units entered, clipped to lo..to: the whole months in one query, the
// first and the last month (when the period starts or ends inside them)
// in one query each, whatever the number of units.
func (db *DB) enteredParts(ctx context.Context, entered map[string][]string, lo, to string) (map[string]map[string]index.Facts, error) {
	parts := map[string]map[string]index.Facts{}
	var whole []string // units with an entry for a month the period covers whole
	edge := map[string][]string{}
	for u, months := range entered {
		hasWhole := false
		for _, m := range months {
			if parts[m] == nil {
				parts[m] = map[string]index.Facts{}
			}
			parts[m][u] = index.Facts{Totals: map[string]int64{}}
			if lo > m+"-01" || to < monthEnd(m) {
				edge[m] = append(edge[m], u)
			} else {
				hasWhole = true
			}
		}
		if hasWhole {
			whole = append(whole, u)
		}
	}
	if len(whole) > 0 {
		// monthTotals fills every month of the period for these units:
		// give each a place (only the entered months are read after).
		months, err := monthsBetween(lo[:7], to[:7])
		if err != nil {
			return nil, err
		}
		read := map[string]map[string]index.Facts{}
		for _, m := range months {
			read[m] = map[string]index.Facts{}
			for _, u := range whole {
				read[m][u] = index.Facts{Totals: map[string]int64{}}
			}
		}
		if err := db.monthTotals(ctx, whole, lo[:7], to[:7], read); err != nil {
			return nil, err
		}
		for m, byUnit := range parts {
			for u := range byUnit {
				if f, ok := read[m][u]; ok {
					parts[m][u] = f
				}
			}
		}
	}
	for m, us := range edge { // at most the first and the last month
		part, err := db.reuseTotals(ctx, us, max(lo, m+"-01"), min(to, monthEnd(m)))
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			parts[m][u] = part[u]
		}
	}
	return parts, nil
}

// reuseTotals reads the roll-ups of the units over from..to.
func (db *DB) reuseTotals(ctx context.Context, units []string, from, to string) (map[string]index.Facts, error) {
	part := map[string]index.Facts{}
	for _, u := range units {
		part[u] = index.Facts{Totals: map[string]int64{}}
	}
	return part, db.indexTotals(ctx, units, from, to, part)
}

// enteredMonths lists, by unit, the months (YYYY-MM) from first to last
// that the unit entered the indicator for.
func (db *DB) enteredMonths(ctx context.Context, units []string, indicator, first, last string) (map[string][]string, error) {
	out := map[string][]string{}
	err := db.foldQuery(ctx, `SELECT unit_code, period FROM index_entries WHERE indicator = ? AND unit_code IN (`+placeholders(len(units))+`)
		AND period >= ? AND period <= ? ORDER BY unit_code, period`,
		append(append([]any{indicator}, codesArgs(units)...), first, last), func(s scanner) error {
			var unit, month string
			if err := s.Scan(&unit, &month); err != nil {
				return err
			}
			out[unit] = append(out[unit], month)
			return nil
		})
	return out, err
}

// monthReuse sets each month's 4.3 (IndexMonths): none for a month that
// ended before the wallet started or that the unit entered 4.3 for, the
// days from the wallet's first for the month it started in, and the
// month's roll-ups otherwise. Read after monthTotals and monthEntries.
func (db *DB) monthReuse(ctx context.Context, units []string, first, last string, facts map[string]map[string]index.Facts) error {
	start, err := db.walletStartDay(ctx)
	if err != nil {
		return err
	}
	for m, byUnit := range facts {
		end := monthEnd(m)
		if start > end {
			continue
		}
		counted := byUnit
		if start > m+"-01" {
			if counted, err = db.reuseTotals(ctx, units, start, end); err != nil {
				return err
			}
		}
		for u, fa := range byUnit {
			if _, ok := fa.Entries["4.3"]; !ok {
				fa.Reuse = reuseCount(counted[u])
				byUnit[u] = fa
			}
		}
	}
	return nil
}

// walletStartAt is the first instant 4.3 counts dossiers from: the start
// of the day the wallet started, in the roll-ups' zone (zero: always).
func (db *DB) walletStartAt(ctx context.Context) (time.Time, error) {
	day, err := db.walletStartDay(ctx)
	if err != nil || day == "" {
		return time.Time{}, err
	}
	return time.ParseInLocation("2006-01-02", day, stats.Zone)
}
