package vntext

import "strings"

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
