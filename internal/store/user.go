package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

const userCols = `id, username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled, civil_registrar`

func scanUser(sc interface{ Scan(...any) error }) (*auth.User, error) {
	var u auth.User
	var disabled, civil int
	err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.UnitCode, &u.Department, &u.IDNumber, &u.Phone, &u.PasswordHash, &disabled, &civil)
	u.Disabled, u.CivilRegistrar = disabled != 0, civil != 0
	return &u, err
}

var errNoUser = apperr.NotFound("Không tìm thấy người dùng", "user not found")

// CreateUser stores a new user with the password hashed.
func (db *DB) CreateUser(ctx context.Context, u *auth.User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.UnitCode != "" {
		un, err := db.Unit(ctx, u.UnitCode)
		if err != nil {
			return err
		}
		if err := checkUserUnit(u, un.Kind); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return db.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `INSERT INTO users (username, full_name, role, unit_code, department, id_number, phone, password_hash, disabled, created_at, civil_registrar) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.FullName, u.Role, u.UnitCode, u.Department, u.IDNumber, u.Phone, u.PasswordHash, boolInt(u.Disabled), db.Now().UnixMicro(), boolInt(u.CivilRegistrar)).Scan(&u.ID)
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

// TokenSpec describes a token or session to create.
type TokenSpec struct {
	UserID int64
	Kind   string        // TokenAPI or TokenSession
	Label  string        // shown in the list of sessions
	TTL    time.Duration // lifetime from now; 0 = no end
	Idle   time.Duration // ends when unused this long; 0 = no idle limit
}

// CreateToken stores a new token for the user and returns its secret, shown
// once. ttl 0 means it does not expire.
func (db *DB) CreateToken(ctx context.Context, userID int64, kind string, ttl time.Duration) (string, error) {
	secret, _, err := db.NewToken(ctx, TokenSpec{UserID: userID, Kind: kind, TTL: ttl})
	return secret, err
}

// NewToken stores a new token or session and returns its secret, shown
// once, and its public id. Expired rows of the same user are removed on
// the way.
func (db *DB) NewToken(ctx context.Context, sp TokenSpec) (secret, id string, err error) {
	prefix := "mc_"
	if sp.Kind == TokenSession {
		prefix = ""
	}
	secret, digest, err := auth.NewToken(prefix)
	if err != nil {
		return "", "", err
	}
	if id, err = auth.NewPublicID(); err != nil {
		return "", "", err
	}
	now := db.Now()
	var exp int64
	if sp.TTL > 0 {
		exp = now.Add(sp.TTL).UnixMicro()
	}
	label := []rune(strings.TrimSpace(sp.Label))
	if len(label) > 100 {
		label = label[:100]
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND ((expires_at > 0 AND expires_at <= ?) OR (idle_ttl > 0 AND last_used_at + idle_ttl <= ?))`,
			sp.UserID, now.UnixMicro(), now.UnixMicro()); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO tokens (digest, user_id, kind, created_at, expires_at, id, label, last_used_at, idle_ttl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			digest, sp.UserID, sp.Kind, now.UnixMicro(), exp, id, string(label), now.UnixMicro(), sp.Idle.Microseconds())
		return err
	})
	return secret, id, err
}

var errBadToken = apperr.New(apperr.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ, đã hết hạn hoặc đã bị thu hồi", "invalid, expired or revoked token")

// UserByToken returns the user holding a valid token of the kind.
func (db *DB) UserByToken(ctx context.Context, secret, kind string) (*auth.User, error) {
	u, _, err := db.UserBySecret(ctx, secret, kind)
	return u, err
}

// UserBySecret returns the user holding a valid token of the kind and the
// token's public id. A token past its end or unused for longer than its
// idle limit is refused; the time of last use is written again when it is
// more than a minute old, so a busy client costs one write a minute.
func (db *DB) UserBySecret(ctx context.Context, secret, kind string) (*auth.User, string, error) {
	now := db.Now().UnixMicro()
	var id string
	var lastUsed, idle int64
	var u auth.User
	var disabled, civil int
	digest := auth.TokenDigest(secret)
	err := db.queryRow(ctx, `SELECT u.id, u.username, u.full_name, u.role, u.unit_code, u.department, u.id_number, u.phone, u.password_hash, u.disabled, u.civil_registrar, t.id, t.last_used_at, t.idle_ttl
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.digest = ? AND t.kind = ? AND (t.expires_at = 0 OR t.expires_at > ?)`, digest, kind, now).Scan(
		&u.ID, &u.Username, &u.FullName, &u.Role, &u.UnitCode, &u.Department, &u.IDNumber, &u.Phone, &u.PasswordHash, &disabled, &civil, &id, &lastUsed, &idle)
	u.CivilRegistrar = civil != 0
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled != 0 || (idle > 0 && lastUsed+idle <= now))) {
		return nil, "", errBadToken
	}
	if err != nil {
		return nil, "", normalize(err)
	}
	if now-lastUsed > auth.LastUsedEvery.Microseconds() {
		err = db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE digest = ?`, now, digest)
			return err
		})
		if err != nil {
			return nil, "", err
		}
	}
	return &u, id, nil
}

// DeleteToken revokes a token or ends a session.
func (db *DB) DeleteToken(ctx context.Context, secret string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM tokens WHERE digest = ?`, auth.TokenDigest(secret))
		return err
	})
}

// Sessions lists the user's live sessions and API tokens, the most recently
// used first; current names the public id of the caller's own session.
func (db *DB) Sessions(ctx context.Context, userID int64, current string) ([]auth.Session, error) {
	now := db.Now().UnixMicro()
	rows, err := db.query(ctx, `SELECT t.id, t.kind, t.label, u.username, t.created_at, t.last_used_at, t.expires_at
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.user_id = ? AND (t.expires_at = 0 OR t.expires_at > ?) AND (t.idle_ttl = 0 OR t.last_used_at + t.idle_ttl > ?)
		ORDER BY t.last_used_at DESC, t.id`, userID, now, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []auth.Session{}
	for rows.Next() {
		var s auth.Session
		var created, used, exp int64
		if err := rows.Scan(&s.ID, &s.Kind, &s.Label, &s.Username, &created, &used, &exp); err != nil {
			return nil, normalize(err)
		}
		s.CreatedAt, s.LastUsedAt = time.UnixMicro(created).UTC(), time.UnixMicro(used).UTC()
		if exp > 0 {
			s.ExpiresAt = time.UnixMicro(exp).UTC()
		}
		s.Current = s.ID == current
		out = append(out, s)
	}
	return out, normalize(rows.Err())
}

var errNoSession = apperr.NotFound("Không tìm thấy phiên đăng nhập", "session not found")

// RevokeSession ends one of the user's sessions or tokens by its public
// id. Another user's session is "not found".
func (db *DB) RevokeSession(ctx context.Context, userID int64, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND id = ?`, userID, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errNoSession
		}
		return nil
	})
}

// CountUsers returns how many users exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
