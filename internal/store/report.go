package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// MaxReportBytes bounds a kept report: the monthly PDF is a few pages.
const MaxReportBytes = 4 << 20

// Report is a kept report, without its bytes.
type Report struct {
	ID        int64     `json:"id"`
	UnitCode  string    `json:"unit"`
	Month     string    `json:"month"` // YYYY-MM, the month reported on
	Kind      string    `json:"kind"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// SaveReport keeps a unit's report of a month unless one is kept already,
// and tells whether this call wrote it: two servers writing the same report
// leave one row.
func (db *DB) SaveReport(ctx context.Context, unitCode, month, kind string, pdf []byte) (bool, error) {
	if len(pdf) == 0 || len(pdf) > MaxReportBytes {
		return false, apperr.Invalid("pdf", "Báo cáo rỗng hoặc quá lớn", "the report is empty or too large")
	}
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO reports (unit_code, month, kind, pdf, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (unit_code, month, kind) DO NOTHING`, unitCode, month, kind, pdf, db.Now().UnixMicro())
		if err != nil {
			return normalize(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// HasReport tells whether a unit's report of a month is kept.
func (db *DB) HasReport(ctx context.Context, unitCode, month, kind string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE unit_code = ? AND month = ? AND kind = ?`, unitCode, month, kind).Scan(&n)
	return n > 0, normalize(err)
}

// Reports lists a unit's kept reports, newest month first.
func (db *DB) Reports(ctx context.Context, unitCode string) ([]Report, error) {
	rows, err := db.query(ctx, `SELECT id, unit_code, month, kind, LENGTH(pdf), created_at FROM reports WHERE unit_code = ? ORDER BY month DESC, kind`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		var at int64
		if err := rows.Scan(&r.ID, &r.UnitCode, &r.Month, &r.Kind, &r.Size, &at); err != nil {
			return nil, err
		}
		r.CreatedAt = fromMicros(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportPDF reads a kept report with its bytes.
func (db *DB) ReportPDF(ctx context.Context, id int64) (Report, []byte, error) {
	var r Report
	var at int64
	var pdf []byte
	err := db.queryRow(ctx, `SELECT id, unit_code, month, kind, created_at, pdf FROM reports WHERE id = ?`, id).Scan(&r.ID, &r.UnitCode, &r.Month, &r.Kind, &at, &pdf)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil, apperr.NotFound("Không tìm thấy báo cáo", "report not found")
	}
	r.CreatedAt, r.Size = fromMicros(at), int64(len(pdf))
	return r, pdf, normalize(err)
}

// ActiveUnits lists the units with roll-up activity between two local dates
// (YYYY-MM-DD, inclusive) and every unit above them, whose reports count
// their subtree's dossiers.
func (db *DB) ActiveUnits(ctx context.Context, from, to string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT r.unit_code, COALESCE(u.path, '') FROM rollups r LEFT JOIN units u ON u.code = r.unit_code
		WHERE r.day >= ? AND r.day <= ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for rows.Next() {
		var code, path string
		if err := rows.Scan(&code, &path); err != nil {
			return nil, err
		}
		for _, c := range strings.Split(path, "/") {
			add(c)
		}
		add(code)
	}
	return out, rows.Err()
}
