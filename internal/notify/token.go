package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
)

// An unsubscribe token names a dossier and proves that the server wrote
// it: the code, a dot, and 16 bytes of HMAC-SHA256 over the code with the
// installation's notification key. Whoever holds a message may turn that
// dossier's notifications off, and nothing else: the token opens no other
// page and tells nothing the message did not.

func mac(key []byte, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("notify-off\x00" + code))
	return m.Sum(nil)[:16]
}

// Token is the unsubscribe token of a dossier.
func Token(key []byte, code string) string {
	return code + "." + base64.RawURLEncoding.EncodeToString(mac(key, code))
}

// CheckToken returns the dossier code a token was made for, or false when
// it was not made with key.
func CheckToken(key []byte, token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(key) == 0 {
		return "", false
	}
	code := token[:i]
	sum, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !dossier.ValidCode(code) || !hmac.Equal(sum, mac(key, code)) {
		return "", false
	}
	return code, true
}
