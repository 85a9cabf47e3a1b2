package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CompareKey is the form two typings of a text are compared in: NFC, lower
// case, single spaces, and in each word the Vietnamese tone mark moved to
// the end, so that the old and new tone placements ("hoà", "hòa"; "thuý",
// "thúy") are equal while a missing mark is not.
func CompareKey(s string) string {
	var b strings.Builder
	for i, w := range strings.Fields(strings.ToLower(s)) {
		if i > 0 {
			b.WriteByte(' ')
		}
		var tones []rune
		for _, c := range norm.NFD.String(w) {
			if isTone(c) {
				tones = append(tones, c)
				continue
			}
			b.WriteRune(unicode.ToLower(c))
		}
		for _, t := range tones {
			b.WriteRune(t)
		}
	}
	return norm.NFC.String(b.String())
}

// isTone tells whether c is one of the five Vietnamese tone marks as a
// combining character: grave, acute, tilde, hook above, dot below.
func isTone(c rune) bool {
	return c == '\u0300' || c == '\u0301' || c == '\u0303' || c == '\u0309' || c == '\u0323'
}
