package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

const userCols = `id, username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled`

func scanUser(sc interface{ Scan(...any) error }) (*auth.User, error) {
	var u auth.User
	var disabled int
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.UnitCode, &u.Department, &u.IDNumber, &u.Phone, &u.PasswordHash, &disabled)
	u.Disabled = disabled != 0
	return &u, err
}

var errNoUser = apperr.NotFound("Không tìm thấy người dùng", "user not found")

// CreateUser stores a new user with the password hashed.
func (db *DB) CreateUser(ctx context.Context, u *auth.User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.UnitCode != "" {
		if _, err := db.Unit(ctx, u.UnitCode); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return db.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `INSERT INTO users (username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.FullName, u.Role, u.UnitCode, u.Department, u.IDNumber, u.Phone, u.PasswordHash, boolInt(u.Disabled), db.Now().UnixMicro()).Scan(&u.ID)
		if apperr.Code(normalize(err)) == apperr.ECONFLICT {
			return apperr.Conflict("Tên đăng nhập "+u.Username+" đã được dùng", "username "+u.Username+" is taken")
		}
		return normalize(err)
	})
}

// UserByName returns a user by username.
func (db *DB) UserByName(ctx context.Context, username string) (*auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUser
	}
	return u, err
}

// Officer satisfies dossier.Officers.
func (db *DB) Officer(ctx context.Context, username string) (*auth.User, error) {
	return db.UserByName(ctx, username)
}

// Authenticate checks a username and password. Unknown users and wrong
// passwords get the same answer.
func (db *DB) Authenticate(ctx context.Context, username, password string) (*auth.User, error) {
	u, err := db.UserByName(ctx, username)
	bad := apperr.New(apperr.EUNAUTHORIZED, "Sai tên đăng nhập hoặc mật khẩu", "wrong username or password")
	if err != nil {
		auth.CheckPassword(dummyHash, password) // spend the same time as a real check
		return nil, bad
	}
	if !auth.CheckPassword(u.PasswordHash, password) || u.Disabled {
		return nil, bad
	}
	return u, nil
}

var dummyHash, _ = auth.HashPassword("motcua-dummy-password")

// Token kinds.
const (
	TokenAPI     = "api"
	TokenSession = "session"
)

// CreateToken stores a new token for the user and returns its secret, shown
// once. ttl 0 means it does not expire.
func (db *DB) CreateToken(ctx context.Context, userID int64, kind string, ttl time.Duration) (string, error) {
	prefix := "mc_"
	if kind == TokenSession {
		prefix = ""
	}
	secret, digest, err := auth.NewToken(prefix)
	if err != nil {
		return "", err
	}
	var exp int64
	if ttl > 0 {
		exp = db.Now().Add(ttl).UnixMicro()
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO tokens (digest, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`, digest, userID, kind, db.Now().UnixMicro(), exp)
		return err
	})
	return secret, err
}

// UserByToken returns the user holding a valid token of the kind.
func (db *DB) UserByToken(ctx context.Context, secret, kind string) (*auth.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT u.id, u.username, u.full_name, u.role, u.unit_code, u.department, u.id_number, u.phone, u.password_hash, u.disabled
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.digest = ? AND t.kind = ? AND (t.expires_at = 0 OR t.expires_at > ?)`, auth.TokenDigest(secret), kind, db.Now().UnixMicro()))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Disabled) {
		return nil, apperr.New(apperr.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn", "invalid or expired token")
	}
	return u, err
}

// DeleteToken revokes a token or ends a session.
func (db *DB) DeleteToken(ctx context.Context, secret string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM tokens WHERE digest = ?`, auth.TokenDigest(secret))
		return err
	})
}

// CountUsers returns how many users exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
