package web

import (
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/portal"
	"github.com/motcua/motcua/internal/store"
)

// maskRecipient shows where a message goes without giving away the
// citizen's phone or e-mail: an administrator needs to tell messages
// apart, not to read contacts. A webhook's recipient is the subscription's
// number and the portal's the dossier's code: neither is personal, so they
// are shown as they are.
func maskRecipient(channel, r string) string {
	if channel == store.ChannelWebhook || channel == portal.Channel {
		return r
	}
	return maskContact(r)
}

// maskContact keeps the first letter of an e-mail's name and its domain
// (n***@gmail.com), and the first two and last three characters of
// anything else (09*****678); what is too short to keep any of is all
// stars.
func maskContact(s string) string {
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		first, _ := utf8.DecodeRuneInString(s)
		return string(first) + "***" + s[at:]
	}
	runes := []rune(s)
	if len(runes) < 7 {
		return strings.Repeat("*", len(runes))
	}
	return string(runes[:2]) + strings.Repeat("*", len(runes)-5) + string(runes[len(runes)-3:])
}
