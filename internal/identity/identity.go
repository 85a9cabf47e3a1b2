// Package identity signs citizens (and officers who choose to) in through
// an OpenID Connect provider, such as the national electronic identity
// (VNeID): the authorization code flow with PKCE (S256), state and nonce.
// The login under way is kept in the database (Store), never only in one
// server's memory, so that any server behind the balancer can take the
// provider's answer; the browser holds only a random handle to it. The ID
// token is checked by go-oidc (signature by the provider's published keys,
// issuer, audience, expiry), its nonce against the login's, and the
// personal ID number it carries by vntext. The verified number is the
// account: the citizen's account is made on the first sign-in.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/vntext"
)

// DefaultIDClaim is the ID token's claim read for the personal ID number
// when the configuration names none. Providers differ (VNeID-like ones put
// the 12-digit number in a claim of their own); the operator names it with
// --oidc-id-claim.
const DefaultIDClaim = "personal_id"

// DefaultNameClaim is the claim read for the full name.
const DefaultNameClaim = "name"

// CallbackPath is where the provider sends the browser back.
const CallbackPath = "/auth/oidc/callback"

// LoginTTL is how long a login started at the provider may take.
const LoginTTL = 10 * time.Minute

// Config is the relying party's configuration.
type Config struct {
	Issuer       string   // the provider's issuer URL, where its discovery document is
	ClientID     string   // motcua's client id at the provider
	ClientSecret string   // and its secret
	RedirectURL  string   // <public base>/auth/oidc/callback, registered at the provider
	IDClaim      string   // the claim of the personal ID number; DefaultIDClaim when empty
	NameClaim    string   // the claim of the full name; DefaultNameClaim when empty
	Scopes       []string // asked besides "openid"; "profile" when empty
	// Officers: officers must sign in through the provider; password
	// sign-in is refused for them (the server's own commands still work).
	Officers bool
}

// Validate checks the configuration and fills in the defaults.
func (c *Config) Validate() error {
	for _, f := range []struct{ name, v string }{{"issuer", c.Issuer}, {"redirect_url", c.RedirectURL}} {
		u, err := url.Parse(f.v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return apperr.Invalid("oidc_"+f.name, "Địa chỉ "+f.name+" của nhà cung cấp định danh không hợp lệ: cần URL http(s) đầy đủ",
				"the identity provider's "+f.name+" is not valid: want a full http(s) URL")
		}
	}
	if c.ClientID == "" || c.ClientSecret == "" {
		return apperr.Invalid("oidc_client_id", "Cần mã ứng dụng (client id) và khóa bí mật (client secret) đăng ký tại nhà cung cấp định danh",
			"the client id and the client secret registered at the identity provider are needed")
	}
	if c.IDClaim == "" {
		c.IDClaim = DefaultIDClaim
	}
	if c.NameClaim == "" {
		c.NameClaim = DefaultNameClaim
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"profile"}
	}
	return nil
}

// Login is a sign-in under way at the provider: what the callback checks.
// Handle is the digest of the secret the browser's cookie holds.
type Login struct {
	Handle    string
	State     string
	Nonce     string
	Verifier  string // the PKCE code verifier
	Next      string // the local path to go on to
	CreatedAt time.Time
	ExpiresAt time.Time
}

// NewLogin starts a login: the secret for the browser's cookie and the row
// to store.
func NewLogin(next string, now time.Time) (secret string, l Login, err error) {
	var vals [4]string
	for i := range vals {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", Login{}, err
		}
		vals[i] = base64.RawURLEncoding.EncodeToString(b)
	}
	secret = vals[0]
	return secret, Login{Handle: auth.TokenDigest(secret), State: vals[1], Nonce: vals[2], Verifier: vals[3], Next: next,
		CreatedAt: now, ExpiresAt: now.Add(LoginTTL)}, nil
}

// Errors of the callback. Each leaves nothing behind: no account, no
// session.
var (
	ErrNoLogin = apperr.Invalid("state", "Phiên đăng nhập bằng định danh điện tử không hợp lệ hoặc đã được dùng; vui lòng đăng nhập lại",
		"the electronic identity sign-in is not valid or was already used; please sign in again")
	ErrExpired = apperr.Invalid("state", "Phiên đăng nhập bằng định danh điện tử đã hết hạn (quá 10 phút); vui lòng đăng nhập lại",
		"the electronic identity sign-in expired (over 10 minutes); please sign in again")
	ErrToken = apperr.Invalid("id_token", "Không xác minh được thông tin định danh từ nhà cung cấp; vui lòng đăng nhập lại",
		"the identity provider's answer could not be verified; please sign in again")
)

// Check compares the state the provider sent back with the login's, and
// the login's expiry with now. The login was taken from the store already:
// it is used once whatever the answer.
func (l *Login) Check(state string, now time.Time) error {
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(l.State)) != 1 {
		return ErrNoLogin
	}
	if !now.Before(l.ExpiresAt) {
		return ErrExpired
	}
	return nil
}

// Identity is who the provider vouched for.
type Identity struct {
	Issuer   string
	Subject  string
	IDNumber string // a valid 12-digit personal ID number
	Name     string
}

// IDNumberOf reads the personal ID number from the claim's value: a
// 12-digit personal ID number (spaces, dots and dashes dropped), valid on
// the day. An old 9-digit identity card number is refused with its own
// message: it names no one for certain.
func IDNumberOf(v any, now time.Time) (string, error) {
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", apperr.Invalid("personal_id", "Nhà cung cấp định danh không gửi số định danh cá nhân; không thể đăng nhập",
			"the identity provider sent no personal ID number; cannot sign in")
	}
	n, err := vntext.NormalizeIDNumber(s, now)
	if err != nil {
		return "", apperr.Invalid("personal_id", "Số định danh cá nhân do nhà cung cấp gửi không hợp lệ: "+apperr.As(err).Message,
			"the personal ID number sent by the identity provider is not valid: "+apperr.As(err).MessageEn)
	}
	if len(n) != vntext.PersonalIDLen {
		return "", apperr.Invalid("personal_id", "Chỉ đăng nhập được bằng số định danh cá nhân 12 chữ số; số chứng minh nhân dân 9 chữ số không dùng để đăng nhập",
			"only a 12-digit personal ID number signs in; an old 9-digit identity card number does not")
	}
	return n, nil
}

// UsernameOf is the username of a citizen's account made on the first
// sign-in: "cd" and the personal ID number.
func UsernameOf(idNumber string) string { return "cd" + idNumber }

// UnusablePassword is the password hash of an account made by a sign-in
// through the provider: random and not in the argon2id form, so that no
// password ever matches it.
func UnusablePassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "!identity$" + hex.EncodeToString(b), nil
}

// Decision is what a sign-in does with the accounts found.
type Decision struct {
	User *auth.User // the account signed in; nil: Create
	Bind bool       // remember the identity on User
	// Create: a new citizen's account, with the identity remembered.
	Create *auth.User
}

// Linked is an account with the identity already remembered on it, if any.
type Linked struct {
	User     *auth.User
	IDNumber string // the number the identity had when remembered
}

// Decide applies the account rules to what the store found: the account
// that remembers this identity (bySubject), the accounts whose ID number
// is the verified one (byNumber), and for each of those whether another
// identity of the same provider is remembered on it (boundElsewhere).
//
//   - An identity remembered on an account signs in to that account, as
//     long as the number is the same: a different number is a conflict,
//     never a silent merge.
//   - Otherwise the accounts with the number: an officer's account first
//     (one only; two is a conflict), else the citizen's. One that holds
//     another identity of the provider is a conflict.
//   - Otherwise a new citizen's account.
//
// A disabled account is refused.
func Decide(id Identity, bySubject *Linked, byNumber []*auth.User, boundElsewhere map[int64]bool) (Decision, error) {
	if bySubject != nil {
		if bySubject.IDNumber != id.IDNumber || bySubject.User.IDNumber != id.IDNumber {
			return Decision{}, apperr.Conflict("Tài khoản định danh điện tử này đã gắn với một số định danh khác; liên hệ bộ phận một cửa",
				"this electronic identity is linked to a different ID number; please contact the one-stop shop")
		}
		return Decision{User: bySubject.User}, disabled(bySubject.User)
	}
	var officers, citizens []*auth.User
	for _, u := range byNumber {
		if u.Actor().IsOfficer() {
			officers = append(officers, u)
		} else {
			citizens = append(citizens, u)
		}
	}
	pick := citizens
	if len(officers) > 0 {
		pick = officers
	}
	switch {
	case len(pick) > 1:
		return Decision{}, apperr.Conflict("Có nhiều tài khoản cùng số định danh này; liên hệ quản trị đơn vị",
			"several accounts have this ID number; please contact the unit's administrator")
	case len(pick) == 1:
		u := pick[0]
		if boundElsewhere[u.ID] {
			return Decision{}, apperr.Conflict("Tài khoản có số định danh này đã gắn với một tài khoản định danh điện tử khác; liên hệ bộ phận một cửa",
				"the account with this ID number is linked to another electronic identity; please contact the one-stop shop")
		}
		return Decision{User: u, Bind: true}, disabled(u)
	}
	name := strings.TrimSpace(id.Name)
	if name == "" {
		name = UsernameOf(id.IDNumber)
	}
	return Decision{Create: &auth.User{Username: UsernameOf(id.IDNumber), FullName: name, Role: auth.RoleApplicant, IDNumber: id.IDNumber}}, nil
}

func disabled(u *auth.User) error {
	if u.Disabled {
		return apperr.Forbidden("Tài khoản đã bị khóa; liên hệ bộ phận một cửa", "the account is disabled; please contact the one-stop shop")
	}
	return nil
}

// Store keeps the logins under way and the accounts' identities.
type Store interface {
	// SaveLogin stores a login started.
	SaveLogin(ctx context.Context, l Login) error
	// TakeLogin returns the login of the handle's digest and deletes it,
	// in one step: a second call for it finds nothing (ErrNoLogin).
	TakeLogin(ctx context.Context, handle string) (*Login, error)
	// SignIn finds or makes the account of a verified identity, by
	// Decide, in one transaction.
	SignIn(ctx context.Context, id Identity) (*auth.User, error)
}

// OfficerPasswordRefused is the refusal of an officer's password sign-in
// when officers must sign in through the provider.
var OfficerPasswordRefused = apperr.Forbidden("Cán bộ đăng nhập bằng tài khoản định danh điện tử (VNeID), không dùng mật khẩu",
	"officers sign in with their electronic identity (VNeID), not with a password")
