package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

// Procedures is the procedure store; it satisfies dossier.Procedures.
type Procedures struct{ DB *DB }

// SaveProcedures validates and upserts procedures in one transaction and
// reports what changed.
func (db *DB) SaveProcedures(ctx context.Context, ps []procedure.Procedure) (ImportResult, error) {
	var res ImportResult
	for i := range ps {
		if err := ps[i].Validate(); err != nil {
			e := apperr.As(err)
			return res, apperr.Invalid(e.Field, "Thủ tục "+ps[i].Code+": "+e.Message, "procedure "+ps[i].Code+": "+e.MessageEn)
		}
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		for i := range ps {
			r, err := upsertProcedure(ctx, tx, &ps[i], db.Now().UnixMicro())
			if err != nil {
				return err
			}
			res.Added += boolInt(r == 1)
			res.Changed += boolInt(r == 2)
			res.Unchanged += boolInt(r == 0)
		}
		return nil
	})
	return res, err
}

func upsertProcedure(ctx context.Context, tx *Tx, p *procedure.Procedure, now int64) (int, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var old string
	err = tx.queryRow(ctx, `SELECT data FROM procedures WHERE code = ?`, p.Code).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.exec(ctx, `INSERT INTO procedures (code, name, name_fold, field, online_mode, active, data, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Code, p.Name, vntext.Fold(p.Name+" "+p.Field+" "+p.Code), p.Field, p.OnlineMode, boolInt(p.Active), string(data), now)
		return 1, err
	case err != nil:
		return 0, err
	case old == string(data):
		return 0, nil
	}
	_, err = tx.exec(ctx, `UPDATE procedures SET name = ?, name_fold = ?, field = ?, online_mode = ?, active = ?, data = ?, updated_at = ? WHERE code = ?`,
		p.Name, vntext.Fold(p.Name+" "+p.Field+" "+p.Code), p.Field, p.OnlineMode, boolInt(p.Active), string(data), now, p.Code)
	return 2, err
}

// Get returns one procedure.
func (s Procedures) Get(ctx context.Context, code string) (*procedure.Procedure, error) {
	var data string
	var id int64
	err := s.DB.queryRow(ctx, `SELECT id, data FROM procedures WHERE code = ?`, code).Scan(&id, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy thủ tục "+code, "procedure "+code+" not found")
	}
	if err != nil {
		return nil, err
	}
	if c, ok := s.DB.procs.Load(code); ok && c.(*parsedProcedure).data == data {
		p := c.(*parsedProcedure).p.Clone()
		p.ID = id
		return p, nil
	}
	var p procedure.Procedure
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return nil, err
	}
	s.DB.procs.Store(code, &parsedProcedure{data: data, p: p.Clone()})
	p.ID = id
	return &p, nil
}

// parsedProcedure keeps a procedure as decoded from its stored JSON: every
// submission and action reads its procedure, and decoding was a third of a
// submission's request handling. The row is still read each time, so a
// change by another server is seen at once; only an unchanged text is not
// decoded again.
type parsedProcedure struct {
	data string
	p    *procedure.Procedure
}

// ProcedureFilter selects procedures from the catalogue.
type ProcedureFilter struct {
	Query      string // any words of the name, field or code, accents ignored
	Field      string
	OnlineMode string
	ActiveOnly bool
}

// List returns the procedures matching f, by name.
func (s Procedures) List(ctx context.Context, f ProcedureFilter) ([]procedure.Procedure, error) {
	q := `SELECT id, data FROM procedures WHERE 1 = 1`
	var args []any
	for _, w := range strings.Fields(vntext.Fold(f.Query)) {
		q += ` AND name_fold LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(w)+"%")
	}
	if f.Field != "" {
		q += ` AND field = ?`
		args = append(args, f.Field)
	}
	if f.OnlineMode != "" {
		q += ` AND online_mode = ?`
		args = append(args, f.OnlineMode)
	}
	if f.ActiveOnly {
		q += ` AND active = 1`
	}
	rows, err := s.DB.query(ctx, q+` ORDER BY field, name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []procedure.Procedure
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var p procedure.Procedure
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return nil, err
		}
		p.ID = id
		out = append(out, p)
	}
	return out, rows.Err()
}
