package store

import (
	"context"

	"github.com/motcua/motcua/internal/population"
)

// Population keeps the log of look-ups in the national population database.
type Population struct{ DB *DB }

// AddLookup writes one entry of the log and sets its ID.
func (s Population) AddLookup(ctx context.Context, e *population.Entry) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		return normalize(tx.queryRow(ctx, `INSERT INTO population_lookups (at, username, actor_name, actor_role, unit_code, id_number, reason,
		dossier_code, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			micros(e.At), e.Username, e.ActorName, e.ActorRole, e.UnitCode, e.IDNumber, e.Reason, e.DossierCode, e.Outcome, e.Detail).Scan(&e.ID))
	})
}

// Lookups returns a page of the unit's log, the newest first, and its count.
func (s Population) Lookups(ctx context.Context, unit string, limit, offset int) ([]population.Entry, int, error) {
	var n int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM population_lookups WHERE unit_code = ?`, unit).Scan(&n); err != nil {
		return nil, 0, normalize(err)
	}
	rows, err := s.DB.query(ctx, `SELECT id, at, username, actor_name, actor_role, unit_code, id_number, reason, dossier_code, outcome, detail
		FROM population_lookups WHERE unit_code = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, unit, limit, offset)
	if err != nil {
		return nil, 0, normalize(err)
	}
	defer rows.Close()
	out := []population.Entry{}
	for rows.Next() {
		var e population.Entry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Username, &e.ActorName, &e.ActorRole, &e.UnitCode, &e.IDNumber, &e.Reason, &e.DossierCode,
			&e.Outcome, &e.Detail); err != nil {
			return nil, 0, normalize(err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, n, normalize(rows.Err())
}
