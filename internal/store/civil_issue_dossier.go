package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
)

// IssuanceForDossier returns the extract issued for a dossier (of the
// "cấp bản sao trích lục hộ tịch" procedure), the latest when there were
// several, so that its applicant can download it as the dossier's result.
func (s Civil) IssuanceForDossier(ctx context.Context, code string) (*civil.Issuance, error) {
	var i civil.Issuance
	var at int64
	err := s.DB.queryRow(ctx, `SELECT id, record_id, unit_code, dossier_code, year, serial, copies, issued_by, issued_at
		FROM civil_issuances WHERE dossier_code = ? ORDER BY id DESC LIMIT 1`, code).
		Scan(&i.ID, &i.RecordID, &i.UnitCode, &i.DossierCode, &i.Year, &i.Serial, &i.Copies, &i.IssuedBy, &at)
	if errors.Is(err, sql.ErrNoRows) || code == "" {
		return nil, apperr.NotFound("Hồ sơ chưa được cấp trích lục", "no extract was issued for this dossier")
	}
	if err != nil {
		return nil, normalize(err)
	}
	i.IssuedAt = fromMicros(at)
	return &i, nil
}
