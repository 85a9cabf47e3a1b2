package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

// A unit's administrator manages the officers of that unit only. Every
// method here takes the unit and puts it in the WHERE clause, so that an
// officer of another unit is "not found" whatever the caller passes.

var errNoUnitUser = apperr.NotFound("Không tìm thấy cán bộ này trong đơn vị", "no such officer in the unit")

// officerRoles are the roles an administrator may give.
var officerRoles = []string{auth.RoleCounter, auth.RoleSpecialist, auth.RoleLeader, auth.RoleAdmin}

// OfficerRoles lists the roles an administrator may give, in display order.
func OfficerRoles() []string { return append([]string(nil), officerRoles...) }

func isOfficerRole(r string) bool {
	for _, x := range officerRoles {
		if x == r {
			return true
		}
	}
	return false
}

// UnitUsers lists the officers of a unit, disabled ones included, without
// their password hashes.
func (db *DB) UnitUsers(ctx context.Context, unitCode string) ([]auth.User, error) {
	rows, err := db.query(ctx, `SELECT id, username, full_name, role, unit_code, department, disabled, civil_registrar, id_number FROM users
		WHERE unit_code = ? AND role <> ? ORDER BY disabled, full_name, username`, unitCode, auth.RoleApplicant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUnitUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func scanUnitUser(sc interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var disabled, civil int
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.UnitCode, &u.Department, &disabled, &civil, &u.IDNumber)
	u.Disabled, u.CivilRegistrar = disabled != 0, civil != 0
	return u, err
}

// UnitUser returns one officer of a unit, without the password hash.
func (db *DB) UnitUser(ctx context.Context, unitCode, username string) (*auth.User, error) {
	u, err := scanUnitUser(db.queryRow(ctx, `SELECT id, username, full_name, role, unit_code, department, disabled, civil_registrar, id_number FROM users
		WHERE unit_code = ? AND username = ? AND role <> ?`, unitCode, username, auth.RoleApplicant))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUnitUser
	}
	return &u, normalize(err)
}

// CreateUnitUser adds an officer to a unit: an officer's role, and a
// department of that unit or none.
func (db *DB) CreateUnitUser(ctx context.Context, u *auth.User, password string) error {
	if !isOfficerRole(u.Role) {
		return apperr.Invalid("role", "Vai trò phải là cán bộ một cửa, chuyên viên, lãnh đạo hoặc quản trị", "the role must be counter, specialist, leader or admin")
	}
	if err := db.checkDepartment(ctx, u.UnitCode, u.Department); err != nil {
		return err
	}
	if err := idNumberFree(ctx, db, u.IDNumber, u.Username); err != nil {
		return err
	}
	return db.CreateUser(ctx, u, password)
}

func (db *DB) checkDepartment(ctx context.Context, unitCode, code string) error {
	if code == "" {
		return nil
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE unit_code = ? AND code = ?`, unitCode, code).Scan(&n); err != nil {
		return normalize(err)
	}
	if n == 0 {
		return apperr.Invalid("department", "Phòng ban "+code+" không thuộc đơn vị", "department "+code+" is not in the unit")
	}
	return nil
}

// SetUserRole changes an officer's role, department and civil registrar
// flag (công chức tư pháp - hộ tịch: keeps the unit's civil-status books).
func (db *DB) SetUserRole(ctx context.Context, unitCode, username, role, department string, civil bool) error {
	if !isOfficerRole(role) {
		return apperr.Invalid("role", "Vai trò phải là cán bộ một cửa, chuyên viên, lãnh đạo hoặc quản trị", "the role must be counter, specialist, leader or admin")
	}
	if civil && role == auth.RoleAdmin {
		return apperr.Invalid("civil_registrar", "Công chức tư pháp - hộ tịch không là quản trị hệ thống", "a civil registrar cannot be an administrator")
	}
	if err := db.checkDepartment(ctx, unitCode, department); err != nil {
		return err
	}
	// Sessions stay: each request reads the user afresh, so the new role
	// holds from the officer's next click.
	return db.updateUnitUser(ctx, unitCode, username, false, `UPDATE users SET role = ?, department = ?, civil_registrar = ? WHERE unit_code = ? AND username = ? AND role <> ?`,
		role, department, boolInt(civil))
}

// SetUserDisabled disables or enables an officer. A disabled officer's
// tokens are refused at once (UserByToken); disabling also deletes the
// sessions, so that enabling the account later does not revive them.
func (db *DB) SetUserDisabled(ctx context.Context, unitCode, username string, disabled bool) error {
	return db.updateUnitUser(ctx, unitCode, username, disabled, `UPDATE users SET disabled = ? WHERE unit_code = ? AND username = ? AND role <> ?`,
		boolInt(disabled))
}

// ResetPassword gives an officer a new password and ends the officer's
// sessions, so that whoever knew the old one is signed out.
func (db *DB) ResetPassword(ctx context.Context, unitCode, username, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return db.updateUnitUser(ctx, unitCode, username, true, `UPDATE users SET password_hash = ? WHERE unit_code = ? AND username = ? AND role <> ?`, hash)
}

// updateUnitUser runs one UPDATE on an officer of the unit (set holds the
// new values; the unit, username and role guard follow) and, when asked,
// ends the officer's sessions in the same transaction.
func (db *DB) updateUnitUser(ctx context.Context, unitCode, username string, endSessions bool, query string, set ...any) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, query, append(set, unitCode, username, auth.RoleApplicant)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errNoUnitUser
		}
		if !endSessions {
			return nil
		}
		_, err = tx.exec(ctx, `DELETE FROM tokens WHERE kind = ? AND user_id = (SELECT id FROM users WHERE username = ?)`, TokenSession, username)
		return err
	})
}

// rowQuerier is a DB or a Tx.
type rowQuerier interface {
	queryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// idNumberFree refuses a personal ID number that an active account other
// than username already has: the sign-in through the identity provider
// finds accounts by their number, and two would be a conflict at the
// officer's first sign-in.
func idNumberFree(ctx context.Context, q rowQuerier, number, username string) error {
	if number == "" {
		return nil
	}
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id_number = ? AND username <> ? AND disabled = 0`, number, username).Scan(&n); err != nil {
		return normalize(err)
	}
	if n > 0 {
		return apperr.Invalid("id_number", "Số định danh "+number+" đã thuộc một tài khoản khác đang hoạt động",
			"the ID number "+number+" belongs to another active account")
	}
	return nil
}

// SetIDNumber gives an account its personal ID number (normalised by the
// caller) or removes it (""). With a unit, only an officer of that unit
// (the unit's administrator); without, any account (the server's command).
// A number another active account has is refused.
func (db *DB) SetIDNumber(ctx context.Context, unitCode, username, number string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := idNumberFree(ctx, tx, number, username); err != nil {
			return err
		}
		var res sql.Result
		var err error
		notFound := errNoUser
		if unitCode == "" {
			res, err = tx.exec(ctx, `UPDATE users SET id_number = ? WHERE username = ?`, number, username)
		} else {
			notFound = errNoUnitUser
			res, err = tx.exec(ctx, `UPDATE users SET id_number = ? WHERE unit_code = ? AND username = ? AND role <> ?`, number, unitCode, username, auth.RoleApplicant)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound
		}
		return nil
	})
}
