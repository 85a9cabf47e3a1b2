// Package vntext holds helpers for Vietnamese text: normalisation, search
// folding and the validation of identity numbers and phone numbers that
// citizens type into forms.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Vietnamese text arrives both
// precomposed and decomposed (some keyboards and PDFs emit base letter plus
// combining marks); storing one form keeps equality and sorting predictable.
func NFC(s string) string { return norm.NFC.String(s) }

// Clean returns s in NFC with leading and trailing white space removed and
// every run of inner white space replaced by one space: the form in which
// names and addresses are stored.
func Clean(s string) string {
	if isClean(s) {
		return s // most stored text is already clean: no copy
	}
	return strings.Join(strings.Fields(NFC(s)), " ")
}

// isClean reports whether s is its own Clean: white space only as single
// inner ASCII spaces, and in NFC.
func isClean(s string) bool {
	prevSpace, ascii := true, true
	for _, r := range s {
		switch {
		case r == ' ' && !prevSpace:
			prevSpace = true
		case unicode.IsSpace(r):
			return false
		default:
			prevSpace, ascii = false, ascii && r < utf8.RuneSelf
		}
	}
	if prevSpace && s != "" {
		return false // a trailing space
	}
	return ascii || norm.NFC.IsNormalString(s)
}

// Fold returns the search key of s: lower case, without diacritics or tone
// marks, đ written as d, white space collapsed to single spaces and trimmed.
// "Nguyễn Văn Đức" folds to "nguyen van duc", and "hoà" and "hòa" fold alike
// whatever the tone placement and whether the input is precomposed or not,
// so a search typed without accents finds the registered name.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	return transform(s, &foldTable)
}

// Unaccent is Fold without the change of case: "Nguyễn Văn Đức" becomes
// "Nguyen Van Duc". It gives the unaccented spelling used in English texts
// and in systems that only accept ASCII.
func Unaccent(s string) string {
	return transform(s, &plainTable)
}

// isFolded reports whether s is already its own fold, so that folding stored
// keys again costs no allocation.
func isFolded(s string) bool {
	prevSpace := true // a leading space is not folded
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case isASCIISpace(c):
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// transform writes the fold of every rune of s through t, collapsing white
// space as it goes. ASCII bytes skip rune decoding: they are most of the
// text even in Vietnamese.
func transform(s string, t *runeTable) string {
	var b strings.Builder
	b.Grow(len(s))
	w := spaceWriter{b: &b}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			w.writeByte(byte(t.latin[c]))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		w.writeFold(r, t)
	}
	return b.String()
}

// spaceWriter drops leading and trailing white space and writes each inner
// run of it as one space.
type spaceWriter struct {
	b       *strings.Builder
	pending bool
}

func (w *spaceWriter) writeByte(c byte) {
	if isASCIISpace(c) {
		w.pending = w.b.Len() > 0
		return
	}
	w.flush()
	w.b.WriteByte(c)
}

func (w *spaceWriter) writeRune(r rune) {
	switch {
	case r < utf8.RuneSelf:
		w.writeByte(byte(r))
	case unicode.IsSpace(r):
		w.pending = w.b.Len() > 0
	default:
		w.flush()
		w.b.WriteRune(r)
	}
}

func (w *spaceWriter) flush() {
	if w.pending {
		w.b.WriteByte(' ')
		w.pending = false
	}
}

// writeFold writes the fold of the non-ASCII rune r, from the table when it
// is there.
func (w *spaceWriter) writeFold(r rune, t *runeTable) {
	if m, ok := t.lookup(r); ok {
		if m != dropRune {
			w.writeRune(m)
		}
		return
	}
	var buf [8]rune
	for _, m := range appendFold(buf[:0], r, t.lower, 0) {
		w.writeRune(m)
	}
}

// maxDepth bounds the recursion of appendFold; canonical decompositions in
// Unicode are at most a few levels deep.
const maxDepth = 4

// appendFold appends the fold of r to dst: decompose canonically, drop the
// non-spacing marks, map đ to d and, if lower, change to lower case. It is
// the slow path; the tables below cache its result for the Latin letters.
func appendFold(dst []rune, r rune, lower bool, depth int) []rune {
	switch {
	case r < utf8.RuneSelf:
		if lower && 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	case r == 'đ':
		return append(dst, 'd')
	case r == 'Đ':
		if lower {
			return append(dst, 'd')
		}
		return append(dst, 'D')
	case unicode.Is(unicode.Mn, r):
		return dst
	}
	if depth >= maxDepth {
		return append(dst, r)
	}
	if d := decomposition(r); d != nil {
		for _, c := range string(d) {
			dst = appendFold(dst, c, lower, depth+1)
		}
		return dst
	}
	if l := unicode.ToLower(r); lower && l != r {
		return appendFold(dst, l, lower, depth+1)
	}
	return append(dst, r)
}

// decomposition returns the canonical decomposition of r, or nil.
func decomposition(r rune) []byte {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	return norm.NFD.Properties(buf[:n]).Decomposition()
}

// Runes of the blocks that Vietnamese letters come from: Latin-1 Supplement,
// Latin Extended-A and -B, and Latin Extended Additional (which holds the
// letters with both a vowel mark and a tone mark, such as ễ), plus the
// combining diacritical marks that decomposed input carries.
const (
	latinEnd   = 0x250
	marksStart = 0x300
	marksEnd   = 0x370
	extStart   = 0x1E00
	extEnd     = 0x1F00
)

// Table entries that are not a rune: dropRune means that the rune folds to
// nothing, slowRune that it folds to several runes and takes the slow path.
const (
	dropRune = -1
	slowRune = -2
)

// runeTable caches appendFold for the runes in the blocks above whose fold is
// zero or one rune, so that folding Vietnamese costs an array index per rune.
type runeTable struct {
	lower bool
	latin [latinEnd]int32
	marks [marksEnd - marksStart]int32
	ext   [extEnd - extStart]int32
}

var (
	foldTable  = newRuneTable(true)
	plainTable = newRuneTable(false)
)

func newRuneTable(lower bool) runeTable {
	t := runeTable{lower: lower}
	fill := func(dst []int32, start rune) {
		for i := range dst {
			r := start + rune(i)
			switch f := appendFold(nil, r, lower, 0); len(f) {
			case 0:
				dst[i] = dropRune
			case 1:
				dst[i] = f[0]
			default:
				dst[i] = slowRune
			}
		}
	}
	fill(t.latin[:], 0)
	fill(t.marks[:], marksStart)
	fill(t.ext[:], extStart)
	return t
}

// lookup returns the cached fold of r (dropRune for none) and whether the
// table holds it.
func (t *runeTable) lookup(r rune) (rune, bool) {
	var m int32
	switch {
	case r < latinEnd:
		m = t.latin[r]
	case marksStart <= r && r < marksEnd:
		m = t.marks[r-marksStart]
	case extStart <= r && r < extEnd:
		m = t.ext[r-extStart]
	default:
		return 0, false
	}
	return m, m != slowRune
}

// ReplacementChar is what a decoder leaves of bytes that were not UTF-8
// (and of a lone surrogate in a JSON escape): text holding it was damaged
// on its way, so it is refused like the bytes themselves.
const ReplacementChar = utf8.RuneError

// Unclean returns the first rune of s that no text typed by a person holds,
// and true; or 0 and false when s is acceptable. Refused are bytes that are
// not UTF-8 (reported as ReplacementChar), the replacement character
// itself, and the control characters: C0 (U+0000–U+001F), DEL and C1
// (U+007F–U+009F). In a long free text (multiline: a note, a reason, an
// address) tab, line feed and carriage return are kept, since a browser
// sends a textarea's line breaks as CR LF; in any other field they are
// refused too. Clean then tidies the white space that is left.
func Unclean(s string, multiline bool) (rune, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F {
				if !multiline || (c != '\t' && c != '\n' && c != '\r') {
					return rune(c), true
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || (0x80 <= r && r <= 0x9F) {
			return r, true
		}
		i += n
	}
	return 0, false
}

// Truncate keeps at most n bytes of s, cut on a character boundary so that
// a stored or logged prefix is still valid UTF-8 (PostgreSQL refuses
// anything else).
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
