package unit

import (
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Residential groups take the code of their commune, a dash and their own
// number of two or three digits ("00004-01"): the statistics office's codes
// are digits only, so a group's code can never be taken by a unit of a
// later list, and the commune is read from the code itself.

// GroupTypes are the names a residential group goes by, by the word its
// full name opens with: tổ dân phố in wards, thôn in communes, ấp in the
// south, bản in the mountains.
var GroupTypes = []struct{ Key, Word, WordEn string }{
	{"to", "Tổ dân phố", "Residential group"},
	{"thon", "Thôn", "Village"},
	{"ap", "Ấp", "Hamlet"},
	{"ban", "Bản", "Village"},
}

// ValidGroupCode tells whether s is a commune's code, '-' and 2–3 digits.
func ValidGroupCode(s string) bool {
	commune, num, ok := strings.Cut(s, "-")
	return ok && len(commune) == 5 && isDigits(commune) && (len(num) == 2 || len(num) == 3) && isDigits(num)
}

// GroupCommune is the code of the commune a group's code names, or "".
func GroupCommune(code string) string {
	if !ValidGroupCode(code) {
		return ""
	}
	return code[:5]
}

// IsCommuneLevel tells whether a unit of this kind may hold residential
// groups.
func IsCommuneLevel(kind string) bool {
	return kind == KindCommune || kind == KindWard || kind == KindSpecialZone
}

// NewGroup builds a residential group of a commune from its number, its
// type (a GroupTypes key) and its name ("5", "Đông Hà"), and checks it.
func NewGroup(commune, number, typ, name string) (Unit, error) {
	word, en := "", ""
	for _, t := range GroupTypes {
		if t.Key == typ {
			word, en = t.Word, t.WordEn
		}
	}
	if word == "" {
		return Unit{}, apperr.Invalid("type", "Loại phải là tổ dân phố (to), thôn (thon), ấp (ap) hoặc bản (ban)",
			"the type must be to, thon, ap or ban")
	}
	name = vntext.Clean(name)
	u := Unit{Code: strings.TrimSpace(commune) + "-" + strings.TrimSpace(number), Name: name, FullName: word + " " + name,
		NameEn: en + " " + vntext.Unaccent(name), Kind: KindGroup, ParentCode: strings.TrimSpace(commune)}
	if name == "" {
		return u, apperr.Invalid("name", "Tên tổ dân phố, thôn không được để trống", "the group's name is required")
	}
	return u, u.Validate()
}

// GroupType is the GroupTypes key of a group's full name, "to" by default.
func GroupType(fullName string) string {
	for _, t := range GroupTypes {
		if strings.HasPrefix(fullName, t.Word+" ") {
			return t.Key
		}
	}
	return "to"
}
