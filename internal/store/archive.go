package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
)

// The archive holds dossiers that ended long ago, moved whole (same columns)
// out of the working tables: dossiers, their units, history and files. A
// dossier is in exactly one of the two places, keeps its id and code, and is
// read by code from either; no action changes an archived one.

// ArchiveReport says what an archive run moved.
type ArchiveReport struct {
	Dossiers, Events, Attachments int
	Batches                       int // transactions that moved something
}

// attachmentsCols are the attachments' columns, the same in the archive.
const attachmentsCols = `id, dossier_id, component, file_name, content_type, size, sha256, uploaded_by, uploaded_at, kind`

// archiveCandidates are the ids of dossiers that ended before a time, in
// id order: refused, withdrawn or stopped ones by their end, returned ones
// by their return (a result ready but not yet handed over stays). The
// newest dossier always stays: SQLite gives a new row the largest id plus
// one, and an id must never come back for a second dossier once the first
// is archived.
const archiveCandidates = `SELECT id FROM dossiers
	WHERE status IN (3, 7, 8, 10) AND finished_at > 0 AND finished_at < ? AND (status <> 10 OR returned_at < ?)
	AND id < (SELECT MAX(id) FROM dossiers) ORDER BY id LIMIT ?`

// movedIn selects the dossiers of a batch that are now in the archive: the
// children and the deletions follow exactly what was copied.
const movedIn = `(SELECT id FROM dossiers_archive WHERE id BETWEEN ? AND ?)`

// ArchiveFinished moves the dossiers that ended before the given time into
// the archive, batch dossiers per transaction (copy, then delete), until none
// is left. A run stopped half way leaves whole batches moved and the rest
// in place, so running it again finishes the work; a run with nothing to
// move changes nothing. Roll-ups are not touched: they count what happened
// in each period, wherever the dossier is kept afterwards.
func (db *DB) ArchiveFinished(ctx context.Context, before time.Time, batch int) (ArchiveReport, error) {
	var rep ArchiveReport
	if batch <= 0 {
		batch = 500
	}
	for {
		n, err := db.archiveBatch(ctx, micros(before), batch, &rep)
		if err != nil || n < batch {
			return rep, err
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
}

// archiveBatch moves up to batch dossiers in one transaction and returns
// how many it moved.
func (db *DB) archiveBatch(ctx context.Context, before int64, batch int, rep *ArchiveReport) (int, error) {
	var moved ArchiveReport
	err := db.inTx(ctx, func(tx *Tx) error {
		moved = ArchiveReport{}
		q := archiveCandidates
		if db.Engine == Postgres {
			// Hold the rows: an action committing on another server between
			// the copy and the delete would otherwise lose its event.
			q += ` FOR UPDATE`
		}
		ids, err := column[int64](tx.query(ctx, q, before, before, batch))
		if err != nil || len(ids) == 0 {
			return err
		}
		lo, hi := ids[0], ids[len(ids)-1]
		res, err := tx.exec(ctx, `INSERT INTO dossiers_archive (`+dossiersTable.cols+`) SELECT `+dossiersTable.cols+` FROM dossiers
			WHERE id BETWEEN ? AND ? AND id IN (`+archiveCandidates+`)`, lo, hi, before, before, batch)
		if err != nil {
			return err
		}
		moved.Dossiers = affected(res)
		if moved.Dossiers != len(ids) {
			return apperr.Conflict("Hồ sơ thay đổi trong khi lưu trữ, vui lòng chạy lại", "dossiers changed while being archived; run again")
		}
		for _, t := range []struct {
			table, cols string
			n           *int
		}{
			{"dossier_units", unitsTable.cols, nil},
			{"dossier_events", eventsTable.cols, &moved.Events},
			{"attachments", attachmentsCols, &moved.Attachments},
		} {
			res, err := tx.exec(ctx, `INSERT INTO `+t.table+`_archive (`+t.cols+`) SELECT `+t.cols+` FROM `+t.table+`
				WHERE dossier_id IN `+movedIn, lo, hi)
			if err != nil {
				return err
			}
			if t.n != nil {
				*t.n = affected(res)
			}
			if _, err := tx.exec(ctx, `DELETE FROM `+t.table+` WHERE dossier_id IN `+movedIn, lo, hi); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `DELETE FROM dossiers WHERE id IN `+movedIn, lo, hi)
		return err
	})
	if err != nil {
		return 0, err
	}
	if moved.Dossiers > 0 {
		rep.Dossiers += moved.Dossiers
		rep.Events += moved.Events
		rep.Attachments += moved.Attachments
		rep.Batches++
	}
	return moved.Dossiers, nil
}

func affected(res sql.Result) int {
	n, _ := res.RowsAffected()
	return int(n)
}

// column reads a query's one column; it takes the query's result as it
// comes (rows, err), so that a call reads as column[T](db.query(...)).
func column[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

type rowFunc func(ctx context.Context, query string, args ...any) *sql.Row

// archivedBrief reads a dossier's row from the archive.
func archivedBrief(ctx context.Context, queryRow rowFunc, code string) (*dossier.Dossier, error) {
	d, _, err := scanDossier(queryRow(ctx, `SELECT `+dossierCols+` FROM dossiers_archive WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy hồ sơ", "dossier not found")
	}
	if err != nil {
		return nil, normalize(err)
	}
	d.Archived = true
	return d, nil
}

// withArchivedParts fills an archived dossier's units and history.
func withArchivedParts(ctx context.Context, query queryFunc, d *dossier.Dossier) (*dossier.Dossier, error) {
	var err error
	if d.Units, err = unitsOf(ctx, query, `SELECT unit_code FROM dossier_units_archive WHERE dossier_id = ?`, d.ID); err != nil {
		return nil, err
	}
	d.History, err = eventsOf(ctx, query, `SELECT `+eventCols+` FROM dossier_events_archive WHERE dossier_id = ? ORDER BY seq`, d.ID)
	return d, err
}

// refuseArchived answers an update of a dossier that is not in the working
// tables: not found, or, when it is archived, whatever fn says of it (the
// caller's right to see it first, then the domain's refusal), never a write.
func refuseArchived(ctx context.Context, tx *Tx, code string, fn func(d *dossier.Dossier) (dossier.Change, error)) error {
	d, err := archivedBrief(ctx, tx.queryRow, code)
	if err != nil {
		return err
	}
	if d, err = withArchivedParts(ctx, tx.query, d); err != nil {
		return err
	}
	if _, err := fn(d); err != nil {
		return err
	}
	return dossier.ErrArchived
}
