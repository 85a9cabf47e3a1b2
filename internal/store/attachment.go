package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
)

// Attachment is a file handed in for one component of a dossier. Its
// content is in the file store under SHA256.
type Attachment struct {
	ID          int64
	DossierID   int64 // 0 while pending
	Component   string
	FileName    string
	ContentType string
	Size        int64
	SHA256      string
	UploadedBy  string // username
	UploadedAt  time.Time
	Kind        string // KindComponent (the default) or KindResult
}

// AttachmentRef names a pending upload from a form: its id and checksum, so
// that a guessed id alone binds nothing.
type AttachmentRef struct {
	ID     int64
	SHA256 string
}

const attachmentCols = `id, COALESCE(dossier_id, 0), component, file_name, content_type, size, sha256, uploaded_by, uploaded_at, kind`

func scanAttachment(sc interface{ Scan(...any) error }) (Attachment, error) {
	var a Attachment
	var at int64
	err := sc.Scan(&a.ID, &a.DossierID, &a.Component, &a.FileName, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedBy, &at, &a.Kind)
	a.UploadedAt = fromMicros(at)
	return a, err
}

// AddPendingAttachment records an upload that belongs to no dossier yet.
func (db *DB) AddPendingAttachment(ctx context.Context, a *Attachment) error {
	if a.UploadedBy == "" || a.SHA256 == "" || a.FileName == "" {
		return apperr.Invalid("file", "Tệp tải lên thiếu thông tin", "the upload is missing its details")
	}
	a.DossierID = 0
	if a.Kind == "" {
		a.Kind = KindComponent
	}
	a.UploadedAt = db.Now().UTC().Truncate(time.Microsecond)
	return db.inTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO attachments (dossier_id, component, file_name, content_type, size, sha256, uploaded_by, uploaded_at, kind)
			VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Component, a.FileName, a.ContentType, a.Size, a.SHA256, a.UploadedBy, micros(a.UploadedAt), a.Kind).Scan(&a.ID)
	})
}

// PendingAttachments returns those of refs that are still pending and were
// uploaded by username, in the order of refs; the others (bound, forgotten,
// or someone else's) are left out.
func (db *DB) PendingAttachments(ctx context.Context, username string, refs []AttachmentRef) ([]Attachment, error) {
	var out []Attachment
	for _, r := range refs {
		a, err := scanAttachment(db.queryRow(ctx, `SELECT `+attachmentCols+` FROM attachments
			WHERE id = ? AND sha256 = ? AND uploaded_by = ? AND dossier_id IS NULL AND kind = 'component'`, r.ID, r.SHA256, username))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, normalize(err)
		}
		out = append(out, a)
	}
	return out, nil
}

var errUploadGone = apperr.Conflict("Một tệp đã tải lên không còn được giữ; vui lòng tải lên lại",
	"an uploaded file is no longer kept; please upload it again")

// PendingBytes is how much username has uploaded that is still pending:
// what an applicant may pile up with forms never sent, before the purge.
func (db *DB) PendingBytes(ctx context.Context, username string) (int64, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploaded_by = ? AND dossier_id IS NULL`, username).Scan(&n)
	return n, normalize(err)
}

// BindAttachments gives pending uploads of username to a dossier, all or
// none.
func (db *DB) BindAttachments(ctx context.Context, dossierID int64, username string, refs []AttachmentRef) error {
	if len(refs) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, r := range refs {
			res, err := tx.exec(ctx, `UPDATE attachments SET dossier_id = ?
				WHERE id = ? AND sha256 = ? AND uploaded_by = ? AND dossier_id IS NULL AND kind = 'component'`, dossierID, r.ID, r.SHA256, username)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return errUploadGone
			}
		}
		return nil
	})
}

// DossierAttachments lists the files handed in with a dossier's components
// in the order they came (the result file is apart: ResultAttachment).
func (db *DB) DossierAttachments(ctx context.Context, dossierID int64) ([]Attachment, error) {
	// A dossier is either in the working tables or in the archive, with its
	// files: the other half of the union finds nothing.
	rows, err := db.query(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE dossier_id = ? AND kind = 'component'
		UNION ALL SELECT `+attachmentCols+` FROM attachments_archive WHERE dossier_id = ? AND kind = 'component' ORDER BY 1`, dossierID, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DossierAttachment returns one file of a dossier; a file of another
// dossier, or its result file (shown only as the result), is not found, so
// ids cannot be probed through a dossier one may see.
func (db *DB) DossierAttachment(ctx context.Context, dossierID, id int64) (*Attachment, error) {
	a, err := scanAttachment(db.queryRow(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE id = ? AND dossier_id = ? AND kind = 'component'
		UNION ALL SELECT `+attachmentCols+` FROM attachments_archive WHERE id = ? AND dossier_id = ? AND kind = 'component'`, id, dossierID, id, dossierID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy tệp", "file not found")
	}
	return &a, normalize(err)
}

// PurgePendingAttachments forgets uploads left pending since before (forms
// never sent) and returns the checksums no row names any more: the files
// the caller may delete from the file store.
func (db *DB) PurgePendingAttachments(ctx context.Context, before time.Time) ([]string, error) {
	var orphans []string
	err := db.inTx(ctx, func(tx *Tx) error {
		orphans = nil
		rows, err := tx.query(ctx, `SELECT DISTINCT sha256 FROM attachments WHERE dossier_id IS NULL AND uploaded_at < ?`, micros(before))
		if err != nil {
			return err
		}
		var sums []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			sums = append(sums, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM attachments WHERE dossier_id IS NULL AND uploaded_at < ?`, micros(before)); err != nil {
			return err
		}
		for _, s := range sums {
			var n int
			if err := tx.queryRow(ctx, fileNamedQuery, s, s, s, s).Scan(&n); err != nil {
				return normalize(err)
			}
			if n == 0 {
				orphans = append(orphans, s)
			}
		}
		return nil
	})
	return orphans, err
}

// AttachmentSums lists every checksum the attachments name, archived ones
// the petitions' files and the civil-status records' scans too, for copying the files of an installation.
func (db *DB) AttachmentSums(ctx context.Context) ([]string, error) {
	return column[string](db.query(ctx, `SELECT sha256 FROM attachments UNION SELECT sha256 FROM attachments_archive
		UNION SELECT sha256 FROM petition_files UNION SELECT scan_sha256 FROM civil_records WHERE scan_sha256 <> '' ORDER BY 1`))
}

// Kinds of attachment.
const (
	KindComponent = "component" // handed in with a component of the dossier
	KindResult    = "result"    // the signed result file
)

// bindResultFile gives a pending result upload of username to the dossier,
// in the transaction of the finish that records it, and fills in its name
// and size. An upload that is not the caller's, not a result, already bound
// or forgotten fails the finish.
func bindResultFile(ctx context.Context, tx *Tx, dossierID int64, username string, f *dossier.ResultFile) error {
	err := tx.queryRow(ctx, `UPDATE attachments SET dossier_id = ?
		WHERE id = ? AND sha256 = ? AND uploaded_by = ? AND kind = ? AND dossier_id IS NULL RETURNING file_name, size`,
		dossierID, f.ID, f.SHA256, username, KindResult).Scan(&f.Name, &f.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Invalid("result.file", "Tệp kết quả đã tải lên không còn được giữ; vui lòng tải lên lại",
			"the uploaded result file is no longer kept; please upload it again")
	}
	return normalize(err)
}

// ResultAttachment returns the dossier's result file.
func (db *DB) ResultAttachment(ctx context.Context, dossierID int64) (*Attachment, error) {
	a, err := scanAttachment(db.queryRow(ctx, `SELECT * FROM (SELECT `+attachmentCols+` FROM attachments WHERE dossier_id = ? AND kind = ?
		UNION ALL SELECT `+attachmentCols+` FROM attachments_archive WHERE dossier_id = ? AND kind = ?) a
		ORDER BY 1 DESC LIMIT 1`, dossierID, KindResult, dossierID, KindResult))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy tệp", "file not found")
	}
	return &a, normalize(err)
}
