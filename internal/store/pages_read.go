package store

import (
	"context"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/unit"
)

// ReceivingUnits lists the units that have at least one active counter
// officer: an applicant submitting online picks among the offices that will
// actually receive the dossier, not among every commune of the country.
func (db *DB) ReceivingUnits(ctx context.Context) ([]unit.Unit, error) {
	return db.queryUnits(ctx, `SELECT `+unitCols+` FROM units WHERE code IN
		(SELECT unit_code FROM users WHERE role = ? AND disabled = 0) ORDER BY full_name`, auth.RoleCounter)
}

// UnitOfficers lists the active officers of a unit, for the assignee list of
// a hand-off. Password hashes are not read.
func (db *DB) UnitOfficers(ctx context.Context, unitCode string) ([]auth.User, error) {
	rows, err := db.query(ctx, `SELECT id, username, full_name, role, unit_code, department FROM users
		WHERE unit_code = ? AND disabled = 0 AND role <> ? ORDER BY full_name`, unitCode, auth.RoleApplicant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		var u auth.User
		if err := rows.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.UnitCode, &u.Department); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
