package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/unit"
)

// Residential groups are rows of units of kind 'group' under a commune
// (unit.KindGroup). They are kept out of everything that reads units as
// administrative units: Units (the children a ranking or a dashboard
// lists), AgencyCode (so no dossier is ever received at one), ReceivingUnits
// and PublicOffices (no counter officer can belong to one, see
// checkUserUnit).

// errGroupNoDossiers refuses a dossier or a counter filed at a group.
var errGroupNoDossiers = apperr.Invalid("unit_code", "Tổ dân phố, thôn không tiếp nhận hồ sơ, phản ánh: chọn xã, phường",
	"a residential group receives no dossiers or petitions: choose the commune or ward")

// groupLeader is the public name of a group's leader: the first active
// leader account of the group.
const groupLeader = `COALESCE((SELECT full_name FROM users WHERE unit_code = units.code AND role = '` + auth.RoleLeader +
	`' AND disabled = 0 ORDER BY id LIMIT 1), '')`

// Announce is the store of residential groups' announcements and
// subscriptions; it satisfies announce.Store.
type Announce struct{ DB *DB }

// Groups implements announce.Store: a commune's groups by code, those
// closed before today only when all is set.
func (s Announce) Groups(ctx context.Context, commune string, all bool) ([]announce.Group, error) {
	q := `SELECT ` + unitCols + `, ` + groupLeader + ` FROM units WHERE parent_code = ? AND kind = ?`
	args := []any{commune, unit.KindGroup}
	if !all {
		q += ` AND (valid_to = '' OR valid_to > ?)`
		args = append(args, s.DB.Now().In(calendar.Zone).Format(unit.DateLayout))
	}
	rows, err := s.DB.query(ctx, q+` ORDER BY code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []announce.Group
	for rows.Next() {
		g, err := scanResidential(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func scanResidential(sc interface{ Scan(...any) error }) (announce.Group, error) {
	var g announce.Group
	u := &g.Unit
	err := sc.Scan(&u.Code, &u.Name, &u.FullName, &u.NameEn, &u.Kind, &u.ParentCode, &u.AgencyCode, &u.ValidFrom, &u.ValidTo, &g.Leader)
	return g, err
}

// Group implements announce.Store.
func (s Announce) Group(ctx context.Context, code string) (*announce.Group, error) {
	g, err := scanResidential(s.DB.queryRow(ctx, `SELECT `+unitCols+`, `+groupLeader+` FROM units WHERE code = ? AND kind = ?`, code, unit.KindGroup))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy tổ dân phố, thôn "+code, "residential group "+code+" not found")
	}
	return &g, err
}

// SaveGroup adds a residential group under its commune, or renames one
// (its code and commune never change). A closed group is reopened.
func (db *DB) SaveGroup(ctx context.Context, g unit.Unit) error {
	if g.Kind != unit.KindGroup {
		return apperr.Invalid("kind", "Không phải tổ dân phố, thôn", "not a residential group")
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var kind, path string
		err := tx.queryRow(ctx, `SELECT kind, path FROM units WHERE code = ?`, g.ParentCode).Scan(&kind, &path)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !unit.IsCommuneLevel(kind)) {
			return apperr.Invalid("unit", "Tổ dân phố, thôn phải thuộc một xã, phường, đặc khu có trong danh mục", "a group belongs to a commune, ward or special zone of the list")
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO units (code, name, full_name, name_en, kind, parent_code, path, agency_code, valid_from, valid_to)
			VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, '')
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_name = excluded.full_name, name_en = excluded.name_en, valid_to = ''`,
			g.Code, g.Name, g.FullName, g.NameEn, unit.KindGroup, g.ParentCode, path+"/"+g.Code, g.ValidFrom)
		return err
	})
}

// CloseGroup ends a group on a day (YYYY-MM-DD): it leaves the public
// lists and is sent nothing more; its history stays.
func (db *DB) CloseGroup(ctx context.Context, code, day string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE units SET valid_to = ? WHERE code = ? AND kind = ?`, day, code, unit.KindGroup)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.NotFound("Không tìm thấy tổ dân phố, thôn "+code, "residential group "+code+" not found")
		}
		return err
	})
}

// checkUserUnit keeps a residential group's accounts to its leaders: a
// group has no counter, no specialists and no administrator of its own.
func checkUserUnit(u *auth.User, kind string) error {
	if kind == unit.KindGroup && u.Role != auth.RoleLeader {
		return apperr.Invalid("role", "Tài khoản của tổ dân phố, thôn chỉ có vai trò lãnh đạo (tổ trưởng, trưởng thôn)",
			"a residential group's only accounts are its leaders")
	}
	return nil
}
