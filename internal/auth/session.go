package auth

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// Lifetimes of the secrets a user holds.
const (
	// SessionIdle ends a browser or login session not used for this long.
	SessionIdle = 12 * time.Hour
	// SessionMax ends a session this long after sign-in, used or not.
	SessionMax = 7 * 24 * time.Hour
	// TokenDays is how long an API token made with "token create" lasts
	// unless told otherwise.
	TokenDays = 90
	// MaxTokenDays bounds "token create --days".
	MaxTokenDays = 3650
	// LastUsedEvery is how stale the recorded last use may grow before a
	// request writes it again: one write a minute per session at most.
	LastUsedEvery = time.Minute
)

// Session is a live session or API token as its owner and the unit's
// administrator see it: never the secret, nor its digest.
type Session struct {
	ID         string    `json:"id"`   // public id: random, unrelated to the secret
	Kind       string    `json:"kind"` // session (sign-in) or api (token)
	Label      string    `json:"label"`
	Username   string    `json:"username"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"` // absent: never expires
	Current    bool      `json:"current"`             // the session of this request
}

// NewPublicID returns a random public id for a session.
func NewPublicID() (string, error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "t" + hex.EncodeToString(b), nil
}

// DeviceLabel summarises a User-Agent header as "browser on system", so
// that a user can tell his sessions apart without reading the header.
func DeviceLabel(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return ""
	}
	browser := ""
	for _, b := range []struct{ key, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"CocCoc", "Cốc Cốc"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.key) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ key, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.key) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " / " + system
	case browser != "":
		return browser
	case system != "":
		return system
	}
	r := []rune(strings.TrimSpace(ua))
	if len(r) > 40 {
		r = r[:40]
	}
	return string(r)
}
