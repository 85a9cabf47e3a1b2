package doc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

// date formats t as dd/mm/yyyy, or "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("02/01/2006")
}

// dateTime formats t as "HH:mm dd/mm/yyyy" for tables.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("15:04 02/01/2006")
}

// longTime is the wording of the forms: "15 giờ 00 phút, ngày 04/05/2026".
func longTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(calendar.Zone)
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", t.Hour(), t.Minute(), t.Format("02/01/2006"))
}

// placeDate is the line under the national motto: "Ba Đình, ngày 23 tháng 11 năm 2026".
func placeDate(place string, t time.Time) string {
	t = t.In(calendar.Zone)
	s := fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
	if place == "" {
		return "Ngày" + s[len("ngày"):]
	}
	return place + ", " + s
}

// money formats an amount in đồng with dots between thousands: "150.000 đ".
func money(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + " đ"
	}
	return b.String() + " đ"
}

// outcomeName is the Vietnamese word printed for a step's or a dossier's
// on-time result.
var outcomeName = map[string]string{"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

// limitText says the legal time limit in words.
func limitText(l procedure.TimeLimit) string {
	switch l.Kind {
	case procedure.LimitSameDay:
		cut := l.CutoffHour
		if cut == 0 {
			cut = 15
		}
		return fmt.Sprintf("Trong ngày làm việc (hồ sơ nhận sau %d giờ 00 trả trong ngày làm việc tiếp theo)", cut)
	case procedure.LimitWorkingDays:
		return strings.Replace(strconv.FormatFloat(l.Days, 'f', -1, 64), ".", ",", 1) + " ngày làm việc"
	}
	return ""
}

// componentForm is the Vietnamese name of a component's form.
var componentForm = map[string]string{
	procedure.FormOriginal:      "Bản chính",
	procedure.FormCertifiedCopy: "Bản sao chứng thực",
	procedure.FormPhotocopy:     "Bản chụp",
	procedure.FormShown:         "Xuất trình",
}

// kindWords are the words that name a kind of unit in a letterhead; the
// place name of the date line is what follows the first of them.
var kindWords = []string{"THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "PHƯỜNG", "XÃ", "QUẬN", "HUYỆN", "TỈNH"}

// splitKind cuts an office name at its first kind word: "UBND PHƯỜNG BA
// ĐÌNH" gives "UBND", "PHƯỜNG", "BA ĐÌNH". ok is false when there is none.
func splitKind(name string) (before, kind, after string, ok bool) {
	words := strings.Fields(name)
	for i := range words {
		for _, k := range kindWords {
			n := len(strings.Fields(k))
			if i+n <= len(words) && strings.ToUpper(strings.Join(words[i:i+n], " ")) == k {
				return strings.Join(words[:i], " "), strings.Join(words[i:i+n], " "), strings.Join(words[i+n:], " "), true
			}
		}
	}
	return name, "", "", false
}

// placeName is the place of the date line, taken from the office name as
// Decree 30/2020 has it: the name of the unit without its kind ("Ba Đình").
func placeName(o Office) string {
	if _, _, after, ok := splitKind(vntext.NFC(o.Name)); ok && after != "" {
		return titleCase(after)
	}
	return ""
}

// titleCase capitalises the first letter of every word: "BA ĐÌNH" → "Ba Đình".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// proseName writes a capitalised office name as it reads inside a sentence:
// "UBND PHƯỜNG BA ĐÌNH" → "UBND phường Ba Đình". A name already in mixed
// case is left as it was typed.
func proseName(name string) string {
	name = vntext.NFC(strings.TrimSpace(name))
	if name != strings.ToUpper(name) {
		return name
	}
	before, kind, after, ok := splitKind(name)
	if !ok {
		return sentenceCase(name)
	}
	return strings.TrimSpace(sentenceCase(before) + " " + strings.ToLower(kind) + " " + titleCase(after))
}

// sentenceCase lowers every word but the first, and keeps acronyms such as
// UBND or HĐND that have no vowel.
func sentenceCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		switch {
		case isAcronym(w):
		case i == 0:
			words[i] = titleCase(w)
		default:
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// syllableRE matches one Vietnamese syllable written without marks: an
// initial consonant, vowels, a final consonant.
var syllableRE = regexp.MustCompile(`^(NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDGHKLMNPRSTVX])?[AEIOUY]+(NG|NH|CH|[CMNPT])?$`)

// isAcronym tells a capitalised abbreviation (UBND, HĐND) from a word: it
// is not one syllable.
func isAcronym(w string) bool {
	return !syllableRE.MatchString(vntext.Unaccent(strings.ToUpper(w)))
}

// dash stands in for an empty value so that a blank never reads as a
// printing fault.
func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "…………………"
	}
	return s
}
