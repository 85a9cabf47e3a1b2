package store

import (
	"context"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/civil"
)

// Issue records an extract or copy issued from a record, with the next
// serial number of the unit's year.
func (s Civil) Issue(ctx context.Context, iss *civil.Issuance) error {
	iss.Year = iss.IssuedAt.In(calendar.Zone).Year()
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(serial), 0) + 1 FROM civil_issuances WHERE unit_code = ? AND year = ?`,
			iss.UnitCode, iss.Year).Scan(&iss.Serial); err != nil {
			return normalize(err)
		}
		return normalize(tx.queryRow(ctx, `INSERT INTO civil_issuances (record_id, unit_code, dossier_code, year, serial, copies, issued_by, issued_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, iss.RecordID, iss.UnitCode, iss.DossierCode, iss.Year, iss.Serial, iss.Copies,
			iss.IssuedBy, micros(iss.IssuedAt)).Scan(&iss.ID))
	})
}

// Issuances lists the issuances of a record, the oldest first.
func (s Civil) Issuances(ctx context.Context, recordID int64) ([]civil.Issuance, error) {
	rows, err := s.DB.query(ctx, `SELECT id, record_id, unit_code, dossier_code, year, serial, copies, issued_by, issued_at
		FROM civil_issuances WHERE record_id = ? ORDER BY id`, recordID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []civil.Issuance{}
	for rows.Next() {
		var i civil.Issuance
		var at int64
		if err := rows.Scan(&i.ID, &i.RecordID, &i.UnitCode, &i.DossierCode, &i.Year, &i.Serial, &i.Copies, &i.IssuedBy, &at); err != nil {
			return nil, normalize(err)
		}
		i.IssuedAt = fromMicros(at)
		out = append(out, i)
	}
	return out, normalize(rows.Err())
}
