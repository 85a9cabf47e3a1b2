package store

import (
	"context"

	"github.com/motcua/motcua/internal/civil"
)

// LogRead records an officer's read of a record, or a search (RecordID 0).
func (s Civil) LogRead(ctx context.Context, r *civil.Read) error {
	var rec any
	if r.RecordID != 0 {
		rec = r.RecordID
	}
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		return normalize(tx.queryRow(ctx, `INSERT INTO civil_reads (unit_code, username, record_id, reason, note, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			r.UnitCode, r.Username, rec, r.Reason, r.Note, micros(r.At)).Scan(&r.ID))
	})
}

// Reads lists a page of the unit's read log, the newest first.
func (s Civil) Reads(ctx context.Context, unit string, limit, offset int) ([]civil.Read, int, error) {
	var n int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM civil_reads WHERE unit_code = ?`, unit).Scan(&n); err != nil {
		return nil, 0, normalize(err)
	}
	rows, err := s.DB.query(ctx, `SELECT id, unit_code, username, COALESCE(record_id, 0), reason, note, at FROM civil_reads WHERE unit_code = ?
		ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, unit, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []civil.Read{}
	for rows.Next() {
		var r civil.Read
		var at int64
		if err := rows.Scan(&r.ID, &r.UnitCode, &r.Username, &r.RecordID, &r.Reason, &r.Note, &at); err != nil {
			return nil, 0, normalize(err)
		}
		r.At = fromMicros(at)
		out = append(out, r)
	}
	return out, n, normalize(rows.Err())
}
