package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/unit"
)

// ImportResult says what an import did.
type ImportResult struct {
	Added, Changed, Unchanged int
}

// ImportUnits upserts units in one transaction: running it twice on the same
// file changes nothing. Parents must come before their children.
func (db *DB) ImportUnits(ctx context.Context, units []unit.Unit) (ImportResult, error) {
	var res ImportResult
	err := db.inTx(ctx, func(tx *Tx) error {
		paths := map[string]string{}
		moved := false
		for i := range units {
			u := &units[i]
			if err := u.Validate(); err != nil {
				return err
			}
			path, err := unitPath(ctx, tx, paths, u)
			if err != nil {
				return err
			}
			paths[u.Code] = path
			r, err := upsertUnit(ctx, tx, u, path)
			if err != nil {
				return err
			}
			moved = moved || r == 3
			switch r {
			case 1:
				res.Added++
			case 2, 3:
				res.Changed++
			default:
				res.Unchanged++
			}
		}
		if moved {
			// Counts added up into the old parents must move to the new ones.
			return rebuildSums(ctx, tx)
		}
		return nil
	})
	return res, err
}

func unitPath(ctx context.Context, tx *Tx, paths map[string]string, u *unit.Unit) (string, error) {
	if u.ParentCode == "" {
		return u.Code, nil
	}
	if p, ok := paths[u.ParentCode]; ok {
		return p + "/" + u.Code, nil
	}
	var p string
	err := tx.queryRow(ctx, `SELECT path FROM units WHERE code = ?`, u.ParentCode).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Invalid("parent_code", "Không tìm thấy đơn vị cấp trên "+u.ParentCode+" của "+u.Code, "parent unit "+u.ParentCode+" of "+u.Code+" not found")
	}
	return p + "/" + u.Code, err
}

// upsertUnit returns 1 when the unit was added, 2 when changed, 3 when moved
// under another parent, 0 otherwise.
func upsertUnit(ctx context.Context, tx *Tx, u *unit.Unit, path string) (int, error) {
	var old unit.Unit
	var oldPath string
	err := tx.queryRow(ctx, `SELECT name, full_name, name_en, kind, parent_code, path, agency_code, valid_from, valid_to FROM units WHERE code = ?`, u.Code).
		Scan(&old.Name, &old.FullName, &old.NameEn, &old.Kind, &old.ParentCode, &oldPath, &old.AgencyCode, &old.ValidFrom, &old.ValidTo)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.exec(ctx, `INSERT INTO units (code, name, full_name, name_en, kind, parent_code, path, agency_code, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Code, u.Name, u.FullName, u.NameEn, u.Kind, u.ParentCode, path, u.AgencyCode, u.ValidFrom, u.ValidTo)
		return 1, err
	}
	if err != nil {
		return 0, err
	}
	if u.AgencyCode == "" {
		u.AgencyCode = old.AgencyCode // an import does not erase a code set by hand
	}
	old.Code = u.Code
	if old == *u && oldPath == path {
		return 0, nil
	}
	_, err = tx.exec(ctx, `UPDATE units SET name = ?, full_name = ?, name_en = ?, kind = ?, parent_code = ?, path = ?, agency_code = ?, valid_from = ?, valid_to = ? WHERE code = ?`,
		u.Name, u.FullName, u.NameEn, u.Kind, u.ParentCode, path, u.AgencyCode, u.ValidFrom, u.ValidTo, u.Code)
	if err != nil || oldPath == path {
		return 2, err
	}
	// The units below it move with it (a district with its wards, in old
	// data), whether or not the import lists them.
	_, err = tx.exec(ctx, `UPDATE units SET path = CAST(? AS TEXT) || substr(path, ?) WHERE path LIKE ?`, path, len(oldPath)+1, oldPath+"/%")
	return 3, err
}

const unitCols = `code, name, full_name, name_en, kind, parent_code, agency_code, valid_from, valid_to`

func scanUnit(sc interface{ Scan(...any) error }) (unit.Unit, error) {
	var u unit.Unit
	err := sc.Scan(&u.Code, &u.Name, &u.FullName, &u.NameEn, &u.Kind, &u.ParentCode, &u.AgencyCode, &u.ValidFrom, &u.ValidTo)
	return u, err
}

// Unit returns one unit.
func (db *DB) Unit(ctx context.Context, code string) (*unit.Unit, error) {
	u, err := scanUnit(db.queryRow(ctx, `SELECT `+unitCols+` FROM units WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy đơn vị "+code, "unit "+code+" not found")
	}
	return &u, err
}

// Units lists the administrative units under parent ("" = the top
// level): residential groups are not among them (announce.Store's Groups
// lists those).
func (db *DB) Units(ctx context.Context, parent string) ([]unit.Unit, error) {
	return db.queryUnits(ctx, `SELECT `+unitCols+` FROM units WHERE parent_code = ? AND kind <> ? ORDER BY code`, parent, unit.KindGroup)
}

// queryUnits runs a query selecting unitCols and scans its rows.
func (db *DB) queryUnits(ctx context.Context, query string, args ...any) ([]unit.Unit, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []unit.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUnits counts units by kind.
func (db *DB) CountUnits(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT kind, COUNT(*) FROM units GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// AgencyCode returns the code that prefixes the unit's dossier codes: its
// agency code on the national systems when set, else its unit code.
func (db *DB) AgencyCode(ctx context.Context, code string) (string, error) {
	u, err := db.Unit(ctx, code)
	if err != nil {
		return "", err
	}
	if u.Kind == unit.KindGroup {
		return "", errGroupNoDossiers
	}
	if u.AgencyCode != "" {
		return u.AgencyCode, nil
	}
	return u.Code, nil
}

// UnitWithin tells whether unit code lies at or under ancestor.
func (db *DB) UnitWithin(ctx context.Context, code, ancestor string) (bool, error) {
	var path string
	err := db.queryRow(ctx, `SELECT path FROM units WHERE code = ?`, code).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return false, apperr.NotFound("Không tìm thấy đơn vị "+code, "unit "+code+" not found")
	}
	if err != nil {
		return false, err
	}
	return path == ancestor || hasSegment(path, ancestor), nil
}

func hasSegment(path, code string) bool {
	for len(path) > 0 {
		i := 0
		for i < len(path) && path[i] != '/' {
			i++
		}
		if path[:i] == code {
			return true
		}
		if i == len(path) {
			break
		}
		path = path[i+1:]
	}
	return false
}

// SaveDepartment adds or renames a department of a unit.
func (db *DB) SaveDepartment(ctx context.Context, d unit.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if _, err := db.Unit(ctx, d.UnitCode); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO departments (unit_code, code, name) VALUES (?, ?, ?) ON CONFLICT (unit_code, code) DO UPDATE SET name = excluded.name`, d.UnitCode, d.Code, d.Name)
		return err
	})
}

// Departments lists a unit's departments.
func (db *DB) Departments(ctx context.Context, unitCode string) ([]unit.Department, error) {
	rows, err := db.query(ctx, `SELECT unit_code, code, name FROM departments WHERE unit_code = ? ORDER BY code`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []unit.Department
	for rows.Next() {
		var d unit.Department
		if err := rows.Scan(&d.UnitCode, &d.Code, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// UnitContact returns how the public reaches a unit.
func (db *DB) UnitContact(ctx context.Context, code string) (unit.Contact, error) {
	var c unit.Contact
	err := db.queryRow(ctx, `SELECT address, hotline, email FROM units WHERE code = ?`, code).Scan(&c.Address, &c.Hotline, &c.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.NotFound("Không tìm thấy đơn vị "+code, "unit "+code+" not found")
	}
	return c, err
}

// SetUnitContact checks and stores how the public reaches a unit.
func (db *DB) SetUnitContact(ctx context.Context, code string, c unit.Contact) error {
	c, err := c.Normalize()
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE units SET address = ?, hotline = ?, email = ? WHERE code = ?`, c.Address, c.Hotline, c.Email, code)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.NotFound("Không tìm thấy đơn vị "+code, "unit "+code+" not found")
		}
		return err
	})
}

// PublicOffice is a receiving unit as the home page introduces it.
type PublicOffice struct {
	Unit    unit.Unit
	Contact unit.Contact
	Hours   calendar.OfficeHours
}

// PublicOffices lists the units that receive dossiers (an active counter
// officer) and have published an address or a hotline, with their office
// hours.
func (db *DB) PublicOffices(ctx context.Context) ([]PublicOffice, error) {
	rows, err := db.query(ctx, `SELECT `+unitCols+`, address, hotline, email, office_hours FROM units
		WHERE code IN (SELECT unit_code FROM users WHERE role = ? AND disabled = 0) AND (address <> '' OR hotline <> '')
		ORDER BY full_name`, auth.RoleCounter)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicOffice
	for rows.Next() {
		var o PublicOffice
		var hours string
		u := &o.Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.FullName, &u.NameEn, &u.Kind, &u.ParentCode, &u.AgencyCode, &u.ValidFrom, &u.ValidTo,
			&o.Contact.Address, &o.Contact.Hotline, &o.Contact.Email, &hours); err != nil {
			return nil, err
		}
		if o.Hours, err = officeHoursOf(hours); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
