package store

import (
	"context"

	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/stats"
)

// The petitions' part of the service index (5.2, 5.3 and the complaints of
// 5.4): the petition roll-ups of each unit's subtree, and for a period that
// ends today or later the open petitions late now, read through the
// petitions' (unit, status, due) index. Never a scan of the petitions.

// petitionSums is the sum of the roll-up columns, in PetitionFacts' order.
const petitionSums = `COALESCE(SUM(r.answered), 0), COALESCE(SUM(r.answered_on_time), 0), COALESCE(SUM(r.late), 0),
	COALESCE(SUM(r.dissatisfied), 0), COALESCE(SUM(r.dossier_complaints), 0)`

func scanPetitionFacts(s scanner, lead ...any) (index.PetitionFacts, error) {
	var p index.PetitionFacts
	err := s.Scan(append(lead, &p.Settled, &p.OnTime, &p.Late, &p.Dissatisfied, &p.DossierComplaints)...)
	return p, err
}

// indexPetitions adds each unit's petition facts from one day to another.
func (db *DB) indexPetitions(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	err := db.foldQuery(ctx, `SELECT u.code, `+petitionSums+` FROM units u
		JOIN units x ON x.code = u.code OR x.path LIKE u.path || '/%'
		JOIN petition_rollups r ON r.unit_code = x.code
		WHERE u.code IN (`+placeholders(len(units))+`) AND r.day >= ? AND r.day <= ? GROUP BY u.code`,
		append(codesArgs(units), from, to), func(s scanner) error {
			var unit string
			p, err := scanPetitionFacts(s, &unit)
			if err != nil {
				return err
			}
			fa := out[unit]
			fa.Petitions = p
			out[unit] = fa
			return nil
		})
	if err != nil || to < stats.Day(db.Now()) {
		return err
	}
	late, err := db.petitionsLateNow(ctx, units)
	for u, n := range late {
		fa := out[u]
		fa.Petitions.LateOpen = n
		out[u] = fa
	}
	return err
}

// petitionsLateNow counts each unit's subtree's open petitions late now.
func (db *DB) petitionsLateNow(ctx context.Context, units []string) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.foldQuery(ctx, `SELECT u.code, COUNT(*) FROM units u
		JOIN units x ON x.code = u.code OR x.path LIKE u.path || '/%'
		JOIN petitions p ON p.unit_code = x.code
		WHERE u.code IN (`+placeholders(len(units))+`) AND p.status IN (1, 2, 3, 4)
		AND (p.status IN (1, 2, 4) AND p.due_at < ? OR p.status = 3 AND p.due_at < p.paused_at) GROUP BY u.code`,
		append(codesArgs(units), db.Now().UnixMicro()), func(s scanner) error {
			var u string
			var n int64
			if err := s.Scan(&u, &n); err != nil {
				return err
			}
			out[u] = n
			return nil
		})
	return out, err
}

// monthPetitions reads the petition facts by unit and month, and adds the
// petitions late now to the months that end today or later.
func (db *DB) monthPetitions(ctx context.Context, units []string, first, last string, facts map[string]map[string]index.Facts) error {
	err := db.foldQuery(ctx, `SELECT u.code, SUBSTR(r.day, 1, 7), `+petitionSums+` FROM units u
		JOIN units x ON x.code = u.code OR x.path LIKE u.path || '/%'
		JOIN petition_rollups r ON r.unit_code = x.code
		WHERE u.code IN (`+placeholders(len(units))+`) AND r.day >= ? AND r.day <= ? GROUP BY u.code, SUBSTR(r.day, 1, 7)`,
		append(codesArgs(units), first+"-01", monthEnd(last)), func(s scanner) error {
			var unit, month string
			p, err := scanPetitionFacts(s, &unit, &month)
			if err != nil {
				return err
			}
			fa := facts[month][unit]
			fa.Petitions = p
			facts[month][unit] = fa
			return nil
		})
	if err != nil {
		return err
	}
	today := stats.Day(db.Now())
	late, err := db.petitionsLateNow(ctx, units)
	for m := range facts {
		if monthEnd(m) < today {
			continue
		}
		for u, n := range late {
			fa := facts[m][u]
			fa.Petitions.LateOpen = n
			facts[m][u] = fa
		}
	}
	return err
}

// PetitionSummary adds up the petition roll-ups of a unit's subtree from
// one day to another (inclusive, YYYY-MM-DD), with the open ones late now.
func (db *DB) PetitionSummary(ctx context.Context, unitCode, from, to string) (petition.Summary, error) {
	var s petition.Summary
	err := db.queryRow(ctx, `SELECT COALESCE(SUM(r.received), 0), `+petitionSums+` FROM units u
		JOIN units x ON x.code = u.code OR x.path LIKE u.path || '/%'
		JOIN petition_rollups r ON r.unit_code = x.code
		WHERE u.code = ? AND r.day >= ? AND r.day <= ?`, unitCode, from, to).
		Scan(&s.Received, &s.Settled, &s.OnTime, &s.Late, &s.Dissatisfied, &s.DossierComplaints)
	if err != nil {
		return s, normalize(err)
	}
	late, err := db.petitionsLateNow(ctx, []string{unitCode})
	s.LateNow = late[unitCode]
	return s, err
}
