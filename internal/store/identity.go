package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/identity"
)

// Identities keeps the logins through an OpenID provider under way and the
// identities remembered on accounts (identity.Store).
type Identities struct{ DB *DB }

var _ identity.Store = Identities{}

// SaveLogin stores a login started, and drops the expired ones on the way.
func (s Identities) SaveLogin(ctx context.Context, l identity.Login) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM oidc_logins WHERE expires_at <= ?`, s.DB.Now().UnixMicro()); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO oidc_logins (handle, state, nonce, verifier, next_path, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			l.Handle, l.State, l.Nonce, l.Verifier, l.Next, l.CreatedAt.UnixMicro(), l.ExpiresAt.UnixMicro())
		return normalize(err)
	})
}

// TakeLogin returns the login and deletes it: of two servers taking the
// same handle at once, one only gets it.
func (s Identities) TakeLogin(ctx context.Context, handle string) (*identity.Login, error) {
	var l identity.Login
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		var created, expires int64
		err := tx.queryRow(ctx, `SELECT handle, state, nonce, verifier, next_path, created_at, expires_at FROM oidc_logins WHERE handle = ?`, handle).Scan(
			&l.Handle, &l.State, &l.Nonce, &l.Verifier, &l.Next, &created, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return identity.ErrNoLogin
		}
		if err != nil {
			return normalize(err)
		}
		l.CreatedAt, l.ExpiresAt = fromMicros(created), fromMicros(expires)
		res, err := tx.exec(ctx, `DELETE FROM oidc_logins WHERE handle = ?`, handle)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return identity.ErrNoLogin
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// SignIn finds or makes the account of a verified identity by
// identity.Decide, and remembers the identity on it, in one transaction.
//
// Two first sign-ins of the same person at once both find nothing and both
// make the account: the second's insert hits the unique username (or the
// identity's key). On PostgreSQL the second may also read between the
// first's statements and its commit (the subject not yet there, the number
// already linked). So a conflict runs the transaction again, once: it then
// finds the account the first one made, by the subject or by the number. A
// real conflict is found again and refused.
func (s Identities) SignIn(ctx context.Context, id identity.Identity) (*auth.User, error) {
	u, err := s.signIn(ctx, id)
	if apperr.Code(err) == apperr.ECONFLICT {
		u, err = s.signIn(ctx, id)
	}
	if race := (*raceError)(nil); errors.As(err, &race) {
		return nil, race.conflict
	}
	return u, err
}

// raceError is a unique violation met by a sign-in: another sign-in made
// the same account or link meanwhile. conflict is what the user is told if
// it happens again.
type raceError struct{ conflict error }

func (e *raceError) Error() string { return e.conflict.Error() }
func (e *raceError) Unwrap() error { return e.conflict }

func (s Identities) signIn(ctx context.Context, id identity.Identity) (*auth.User, error) {
	var out *auth.User
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		var bySubject *identity.Linked
		var uid int64
		var number string
		err := tx.queryRow(ctx, `SELECT user_id, id_number FROM user_identities WHERE issuer = ? AND subject = ?`, id.Issuer, id.Subject).Scan(&uid, &number)
		switch {
		case err == nil:
			u, err := scanUser(tx.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, uid))
			if err != nil {
				return normalize(err)
			}
			bySubject = &identity.Linked{User: u, IDNumber: number}
		case !errors.Is(err, sql.ErrNoRows):
			return normalize(err)
		}
		var byNumber []*auth.User
		bound := map[int64]bool{}
		if bySubject == nil {
			rows, err := tx.query(ctx, `SELECT `+userCols+` FROM users WHERE id_number = ? ORDER BY id`, id.IDNumber)
			if err != nil {
				return err
			}
			for rows.Next() {
				u, err := scanUser(rows)
				if err != nil {
					rows.Close()
					return normalize(err)
				}
				byNumber = append(byNumber, u)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return normalize(err)
			}
			for _, u := range byNumber {
				var n int
				if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM user_identities WHERE user_id = ? AND issuer = ?`, u.ID, id.Issuer).Scan(&n); err != nil {
					return normalize(err)
				}
				bound[u.ID] = n > 0
			}
		}
		d, err := identity.Decide(id, bySubject, byNumber, bound)
		if err != nil {
			return err
		}
		switch {
		case d.Create != nil:
			u := d.Create
			if err := u.Validate(); err != nil {
				return err
			}
			if u.PasswordHash, err = identity.UnusablePassword(); err != nil {
				return err
			}
			err := tx.queryRow(ctx, `INSERT INTO users (username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled, created_at, civil_registrar) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0) RETURNING id`,
				u.Username, u.FullName, u.Role, u.UnitCode, u.Department, u.IDNumber, u.Phone, u.PasswordHash, s.DB.Now().UnixMicro()).Scan(&u.ID)
			if apperr.Code(normalize(err)) == apperr.ECONFLICT {
				return &raceError{apperr.Conflict("Tên đăng nhập "+u.Username+" đã được dùng bởi một tài khoản khác; liên hệ bộ phận một cửa",
					"username "+u.Username+" is taken by another account; please contact the one-stop shop")}
			}
			if err != nil {
				return normalize(err)
			}
			out = u
		default:
			out = d.User
		}
		if d.Create != nil || d.Bind {
			_, err := tx.exec(ctx, `INSERT INTO user_identities (issuer, subject, user_id, id_number, created_at) VALUES (?, ?, ?, ?, ?)`,
				id.Issuer, id.Subject, out.ID, id.IDNumber, s.DB.Now().UnixMicro())
			if apperr.Code(normalize(err)) == apperr.ECONFLICT {
				return &raceError{apperr.Conflict("Tài khoản định danh điện tử này vừa được gắn với một tài khoản khác; vui lòng đăng nhập lại",
					"this electronic identity was just linked to another account; please sign in again")}
			}
			return normalize(err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Unlink forgets the provider identities remembered on an account (any
// account, by username): its next sign-in through the provider finds it,
// or another account, by the personal ID number again. It returns how many
// links were removed.
func (s Identities) Unlink(ctx context.Context, username string) (int64, error) {
	var n int64
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		var uid int64
		err := tx.queryRow(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&uid)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoUser
		}
		if err != nil {
			return normalize(err)
		}
		res, err := tx.exec(ctx, `DELETE FROM user_identities WHERE user_id = ?`, uid)
		if err != nil {
			return normalize(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
