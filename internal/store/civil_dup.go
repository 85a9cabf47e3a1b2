package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
)

// flagDuplicates flags the records of the unit likely the same as r: the
// candidates share the principal's birth date (index civil_people_dup), and
// civil.Likely decides on the folded names and parents.
func flagDuplicates(ctx context.Context, tx *Tx, r *civil.Record) error {
	if r.Status == civil.StatusMerged || r.Kind == civil.KindChange {
		return nil
	}
	_, birth, ok := civil.DupKey(r)
	if !ok {
		return nil
	}
	role := r.Principal().Role
	ids, err := column[int64](tx.query(ctx, `SELECT DISTINCT p.record_id FROM civil_people p JOIN civil_records c ON c.id = p.record_id
		WHERE p.unit_code = ? AND p.birth_date = ? AND p.role = ? AND p.record_id <> ? AND c.kind = ? AND c.status <> ? ORDER BY p.record_id LIMIT 50`,
		r.UnitCode, birth, role, r.ID, r.Kind, civil.StatusMerged))
	if err != nil {
		return err
	}
	for _, id := range ids {
		other := &civil.Record{ID: id, Kind: r.Kind}
		if err := loadCivilPeople(ctx, tx.query, other); err != nil {
			return err
		}
		reason, score, ok := civil.Likely(r, other)
		if !ok {
			continue
		}
		a, b := min(id, r.ID), max(id, r.ID)
		if _, err := tx.exec(ctx, `INSERT INTO civil_duplicates (unit_code, a, b, reason, score, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (a, b) DO NOTHING`, r.UnitCode, a, b, reason, score, micros(tx.db.Now())); err != nil {
			return err
		}
	}
	return nil
}

const civilDupCols = `d.id, d.unit_code, d.a, d.b, d.reason, d.score, d.status, d.decided_by, d.decided_at,
	COALESCE((SELECT full_name FROM civil_people WHERE record_id = d.a ORDER BY position LIMIT 1), ''),
	COALESCE((SELECT full_name FROM civil_people WHERE record_id = d.b ORDER BY position LIMIT 1), '')`

func scanCivilDup(sc scanner) (*civil.Duplicate, error) {
	var d civil.Duplicate
	err := sc.Scan(&d.ID, &d.UnitCode, &d.A, &d.B, &d.Reason, &d.Score, &d.Status, &d.DecidedBy, &d.DecidedAt, &d.NameA, &d.NameB)
	return &d, err
}

var errCivilDupNotFound = apperr.NotFound("Không tìm thấy cặp trùng lặp", "duplicate pair not found")

// Duplicates lists a page of the unit's flagged pairs, the likeliest first.
func (s Civil) Duplicates(ctx context.Context, unit, status string, limit, offset int) ([]civil.Duplicate, int, error) {
	var n int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM civil_duplicates WHERE unit_code = ? AND (? = '' OR status = ?)`, unit, status, status).Scan(&n); err != nil {
		return nil, 0, normalize(err)
	}
	rows, err := s.DB.query(ctx, `SELECT `+civilDupCols+` FROM civil_duplicates d WHERE d.unit_code = ? AND (? = '' OR d.status = ?)
		ORDER BY d.score DESC, d.id LIMIT ? OFFSET ?`, unit, status, status, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []civil.Duplicate{}
	for rows.Next() {
		d, err := scanCivilDup(rows)
		if err != nil {
			return nil, 0, normalize(err)
		}
		out = append(out, *d)
	}
	return out, n, normalize(rows.Err())
}

// Duplicate returns one flagged pair.
func (s Civil) Duplicate(ctx context.Context, id int64) (*civil.Duplicate, error) {
	d, err := scanCivilDup(s.DB.queryRow(ctx, `SELECT `+civilDupCols+` FROM civil_duplicates d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCivilDupNotFound
	}
	return d, normalize(err)
}

// Decide closes an open pair. Merging marks the merged record merged into
// the other one and tells both histories; no row is deleted, so both
// provenance trails stay.
func (s Civil) Decide(ctx context.Context, id int64, status string, merged int64, ev civil.Event) (*civil.Duplicate, error) {
	err := s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE civil_duplicates SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?`,
			status, ev.Actor, micros(ev.At), id, civil.DupOpen)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Conflict("Cặp này đã được xử lý", "this pair was already decided")
		}
		if status != civil.DupMerged {
			return nil
		}
		var a, b int64
		if err := tx.queryRow(ctx, `SELECT a, b FROM civil_duplicates WHERE id = ?`, id).Scan(&a, &b); err != nil {
			return normalize(err)
		}
		keep := a
		if merged == a {
			keep = b
		}
		return mergeCivil(ctx, tx, merged, keep, ev)
	})
	if err != nil {
		return nil, err
	}
	return s.Duplicate(ctx, id)
}

// mergeCivil marks a record merged into the kept one, each history told.
func mergeCivil(ctx context.Context, tx *Tx, merged, keep int64, ev civil.Event) error {
	for _, id := range []int64{merged, keep} {
		r, chain, err := scanCivilRecord(tx.queryRow(ctx, `SELECT `+civilRecordCols+` FROM civil_records WHERE id = ?`, id))
		if err != nil {
			return normalize(err)
		}
		if err := loadCivilPeople(ctx, tx.query, r); err != nil {
			return err
		}
		e := ev
		from := r.Status
		if id == keep && r.Status == civil.StatusMerged {
			return apperr.Conflict("Bản ghi giữ lại đã được gộp vào bản ghi khác", "the record kept was itself merged into another")
		}
		if id == merged {
			if r.Status == civil.StatusMerged {
				return apperr.Conflict("Bản ghi đã được gộp trước đó", "the record was already merged")
			}
			r.Status, r.MergedInto, r.Version = civil.StatusMerged, keep, r.Version+1
			if err := writeCivilRecord(ctx, tx, r, r.Version-1); err != nil {
				return err
			}
			if err := moveBookCounts(ctx, tx, r.BookID, from, r.Status); err != nil {
				return err
			}
			if err := closeMergedPairs(ctx, tx, merged, ev); err != nil {
				return err
			}
		} else {
			e.Action, e.Note = "merged_from", "Bản ghi "+civil.ChainName(merged)+" được gộp vào bản ghi này"
		}
		e.FromStatus, e.ToStatus = statusOf(from), statusOf(r.Status)
		if err := appendCivilEvent(ctx, tx, r, chain, e); err != nil {
			return err
		}
	}
	return nil
}

// closeMergedPairs closes the merged record's other open pairs as
// obsolete: each would weigh a record that is no longer live, and merging
// by one of them could leave no live record. The kept record's own pairs
// stay open.
func closeMergedPairs(ctx context.Context, tx *Tx, merged int64, ev civil.Event) error {
	_, err := tx.exec(ctx, `UPDATE civil_duplicates SET status = ?, decided_by = ?, decided_at = ? WHERE (a = ? OR b = ?) AND status = ?`,
		civil.DupObsolete, ev.Actor, micros(ev.At), merged, merged, civil.DupOpen)
	return err
}
