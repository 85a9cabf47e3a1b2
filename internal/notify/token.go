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
// page and tells nothing the message did not. Other links of the same kind
// (a residential group's unsubscribe and confirmation links) are signed the
// same way under a purpose of their own, so that no token serves another
// purpose than the one it was made for.

func mac(key []byte, purpose, id string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + "\x00" + id))
	return m.Sum(nil)[:16]
}

// Sign is the token of id for one purpose: id, a dot and the MAC.
func Sign(key []byte, purpose, id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(mac(key, purpose, id))
}

// Check returns the id a token was signed for under purpose, or false when
// it was not made with key for that purpose.
func Check(key []byte, purpose, token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(key) == 0 {
		return "", false
	}
	id := token[:i]
	sum, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(sum, mac(key, purpose, id)) {
		return "", false
	}
	return id, true
}

// purposeOff is the purpose of a dossier's unsubscribe token.
const purposeOff = "notify-off"

// Token is the unsubscribe token of a dossier.
func Token(key []byte, code string) string { return Sign(key, purposeOff, code) }

// CheckToken returns the dossier code a token was made for, or false when
// it was not made with key.
func CheckToken(key []byte, token string) (string, bool) {
	code, ok := Check(key, purposeOff, token)
	if !ok || !dossier.ValidCode(code) {
		return "", false
	}
	return code, true
}
