package vntext

import (
	"strings"
	"unicode/utf8"
)

// MaskIDNumber hides the middle of an ID number for paper that leaves the
// office: the first 3 digits (province of birth registration) and the last
// 3 stay, so that the applicant recognises the number and an officer can
// match it, and the rest become '*' ("001190012345" → "001******345"). A
// number of 6 characters or fewer is hidden whole.
func MaskIDNumber(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-3:])
}

// MaskContact hides a phone number or an e-mail address while letting an
// administrator tell them apart: the first letter of an e-mail's name and
// its domain stay (n***@gmail.com), and the first two and last three
// characters of anything else (09*****678); what is too short to keep any
// of is all stars.
func MaskContact(s string) string {
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
