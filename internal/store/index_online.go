package store

import (
	"context"

	"github.com/motcua/motcua/internal/index"
)

// Indicator 3.2 asks which procedures offered online received at least one
// dossier online: whether a procedure had one cannot be taken away day by
// day as a sum can, nor read from a month the period covers in part. So for
// each unit asked and each procedure offered online, one seek in the
// partial indexes of migration 0023 finds the first day in the period with
// a dossier received online: in the roll-ups (the unit's own dossiers) and
// in the daily sums per procedure (those of the units below it). The cost
// is the units times the procedures, whatever the dossiers and the length
// of the period.

// onlineUsedSQL counts them by unit; the arguments are the units, then
// from, to, from, to. SQLite, without statistics, would rather range over
// the primary keys: the indexes are named for it.
func (db *DB) onlineUsedSQL(units int) string {
	rollups, sums := "rollups r", "rollup_sums s"
	if db.Engine == SQLite {
		rollups, sums = rollups+" INDEXED BY rollups_online", sums+" INDEXED BY rollup_sums_online"
	}
	return `SELECT u.code, COUNT(*) FROM units u, procedures p WHERE u.code IN (` + placeholders(units) + `)
		AND p.active = 1 AND p.online_mode <> 'none' AND (
		EXISTS (SELECT 1 FROM ` + rollups + ` WHERE r.unit_code = u.code AND r.procedure_code = p.code
			AND r.channel = 2 AND r.received > 0 AND r.day BETWEEN ? AND ?) OR
		EXISTS (SELECT 1 FROM ` + sums + ` WHERE s.unit_code = u.code AND s.grain = 'd' AND s.procedure_code = p.code
			AND s.received_online > 0 AND s.period BETWEEN ? AND ?))
		GROUP BY u.code`
}

// indexOnlineUsed counts, for each unit (its subtree), the procedures
// offered online that received a dossier online from one date to another.
func (db *DB) indexOnlineUsed(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	return db.foldQuery(ctx, db.onlineUsedSQL(len(units)), append(codesArgs(units), from, to, from, to), func(s scanner) error {
		var unit string
		var n int64
		if err := s.Scan(&unit, &n); err != nil {
			return err
		}
		fa := out[unit]
		fa.OnlineUsed = n
		out[unit] = fa
		return nil
	})
}

// monthOnlineUsed counts, by unit and month, the procedures offered online
// that received a dossier online (indicator 3.2): the monthly sums per
// procedure of the months asked, counted in the query.
func (db *DB) monthOnlineUsed(ctx context.Context, units []string, first, last string, facts map[string]map[string]index.Facts) error {
	return db.foldQuery(ctx, `SELECT unit_code, period, COUNT(DISTINCT procedure_code) FROM rollup_sums
		WHERE grain = ? AND unit_code IN (`+placeholders(len(units))+`) AND period BETWEEN ? AND ? AND received_online > 0
		AND procedure_code IN (SELECT code FROM procedures WHERE active = 1 AND online_mode <> 'none')
		GROUP BY unit_code, period`,
		append(append([]any{grainMonth}, codesArgs(units)...), first, last), func(s scanner) error {
			var unit, month string
			var n int64
			if err := s.Scan(&unit, &month, &n); err != nil {
				return err
			}
			fa := facts[month][unit]
			fa.OnlineUsed = n
			facts[month][unit] = fa
			return nil
		})
}
