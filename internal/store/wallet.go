package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// The citizen's wallet (dossier/wallet.go): the papers of an applicant's
// own dossiers, and their re-use by a new dossier (table dossier_reuses,
// migration 0033).

// paperFrom is the wallet's papers with their dossiers: the files handed
// in with the applicant's dossiers, and the latest result file of each of
// them returned (status 10) — a result not yet returned is not the
// applicant's to download, so not to re-use either. Archived dossiers keep
// their files apart and are not in the wallet.
const paperFrom = ` FROM attachments a JOIN dossiers d ON d.id = a.dossier_id
	WHERE d.applicant_user_id = ? AND d.applicant_user_id <> 0
	AND (a.kind = 'component' OR (a.kind = 'result' AND d.status = 10
		AND a.id = (SELECT MAX(r.id) FROM attachments r WHERE r.dossier_id = d.id AND r.kind = 'result')))`

const paperCols = `a.id, a.kind, a.file_name, a.component, d.code, d.procedure_name, a.content_type, a.size, a.sha256, a.uploaded_at, d.id`

func scanPaper(sc scanner) (dossier.Paper, int64, error) {
	var p dossier.Paper
	var at, dossierID int64
	err := sc.Scan(&p.ID, &p.Kind, &p.Name, &p.Component, &p.DossierCode, &p.ProcedureName, &p.ContentType, &p.Size, &p.SHA256, &at, &dossierID)
	p.UploadedAt = fromMicros(at)
	if p.Kind == KindResult {
		p.Kind, p.Component = dossier.PaperResult, p.ProcedureName
	} else {
		p.Kind = dossier.PaperAttachment
	}
	return p, dossierID, err
}

// Papers returns the papers of the applicant's own dossiers, newest first;
// with ids, only those of them (the others, someone else's or none, are
// left out).
func (s Dossiers) Papers(ctx context.Context, applicantUserID int64, ids []int64) ([]dossier.Paper, error) {
	q := `SELECT ` + paperCols + paperFrom
	args := []any{applicantUserID}
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		q += ` AND a.id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	var out []dossier.Paper
	err := s.DB.foldQuery(ctx, q+` ORDER BY a.uploaded_at DESC, a.id DESC`, args, func(sc scanner) error {
		p, _, err := scanPaper(sc)
		out = append(out, p)
		return err
	})
	return out, err
}

// writeReuses hands the papers d re-uses in with d, in its submit
// transaction: for each, a new attachment of d naming the same stored file
// (no copy), and the record of the re-use. The paper must still be one of
// the applicant's own, read again here under the transaction; otherwise
// the whole submission fails and nothing is written.
func writeReuses(ctx context.Context, tx *Tx, d *dossier.Dossier, username string) error {
	at := micros(d.SubmittedAt)
	for _, r := range d.Reused {
		var p dossier.Paper
		var source int64
		var err error
		p, source, err = scanPaper(tx.queryRow(ctx, `SELECT `+paperCols+paperFrom+` AND a.id = ?`, d.ApplicantUserID, r.DocumentID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && (p.Kind != r.Kind || source == d.ID) {
			return dossier.ErrNotYourPaper
		}
		if err != nil {
			return normalize(err)
		}
		var attID int64
		err = tx.queryRow(ctx, `INSERT INTO attachments (dossier_id, component, file_name, content_type, size, sha256, uploaded_by, uploaded_at, kind)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			d.ID, r.Component, p.Name, p.ContentType, p.Size, p.SHA256, username, at, KindComponent).Scan(&attID)
		if err != nil {
			return normalize(err)
		}
		// The applicant consented with the submission (dossier.New refuses a
		// re-use without it): its time is the consent's.
		if _, err := tx.exec(ctx, `INSERT INTO dossier_reuses (dossier_id, source_dossier_id, document_id, attachment_id, component, kind, consent_at, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, source, r.DocumentID, attID, r.Component, r.Kind, at, at); err != nil {
			return normalize(err)
		}
	}
	return nil
}

// Reuse is one paper a dossier re-used, as recorded.
type Reuse struct {
	DossierID, SourceDossierID, DocumentID, AttachmentID int64
	Component, Kind                                      string
	ConsentAt                                            int64 // unix microseconds: when the applicant consented
	At                                                   int64 // unix microseconds
}

// DossierReuses lists the re-uses recorded for a dossier, in order.
func (db *DB) DossierReuses(ctx context.Context, dossierID int64) ([]Reuse, error) {
	var out []Reuse
	err := db.foldQuery(ctx, `SELECT dossier_id, source_dossier_id, document_id, attachment_id, component, kind, consent_at, at FROM dossier_reuses
		WHERE dossier_id = ? ORDER BY id`, []any{dossierID}, func(sc scanner) error {
		var r Reuse
		err := sc.Scan(&r.DossierID, &r.SourceDossierID, &r.DocumentID, &r.AttachmentID, &r.Component, &r.Kind, &r.ConsentAt, &r.At)
		out = append(out, r)
		return err
	})
	return out, err
}

// WalletStart is when the wallet started (migration 0033): indicator 4.3
// counts the days from then on. An installation created with the wallet has
// no row, and its wallet started with it: the zero time.
func (db *DB) WalletStart(ctx context.Context) (time.Time, error) {
	var at int64
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(at), 0) FROM wallet_start`).Scan(&at)
	return fromMicros(at), err
}

// walletStartDay is the first day 4.3 counts, YYYY-MM-DD ("" from the
// beginning).
func (db *DB) walletStartDay(ctx context.Context) (string, error) {
	t, err := db.WalletStart(ctx)
	if err != nil || t.IsZero() {
		return "", err
	}
	return stats.Day(t), nil
}
