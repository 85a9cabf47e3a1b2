package civil

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// kindRule is what a kind's record holds: its roles (the principal first),
// the roles it must name, and its own fields with those required.
type kindRule struct {
	roles, required []string
	fields          []string
	requiredFields  []string
}

var kindRules = map[string]kindRule{
	KindBirth:        {roles: []string{RoleChild, RoleMother, RoleFather}, required: []string{RoleChild}},
	KindMarriage:     {roles: []string{RoleHusband, RoleWife}, required: []string{RoleHusband, RoleWife}},
	KindDeath:        {roles: []string{RoleDeceased}, required: []string{RoleDeceased}, fields: []string{"death_date", "death_place", "cause"}, requiredFields: []string{"death_date"}},
	KindGuardianship: {roles: []string{RoleWard, RoleGuardian}, required: []string{RoleWard, RoleGuardian}, fields: []string{"basis"}},
	KindParentage:    {roles: []string{RoleChild, RoleParent}, required: []string{RoleChild, RoleParent}},
	KindChange:       {roles: []string{RoleSubject}, fields: []string{"basis"}},
	KindCourt:        {roles: []string{RoleSubject}, required: []string{RoleSubject}, fields: []string{"court", "decision", "decision_date", "event"}, requiredFields: []string{"court", "decision"}},
}

// KindFields lists the kind's own fields.
func KindFields(kind string) []string { return kindRules[kind].fields }

// KindRoles lists the roles a record of the kind names, the principal first.
func KindRoles(kind string) []string { return kindRules[kind].roles }

// Lengths: names and places as on the paper book.
const (
	maxName  = 100
	maxPlace = 300
	maxNote  = 1000
)

// ParseDate reads a date that may be partial, as old books give it:
// "1975", "03/1975", "12/03/1975" (day first), "1975-03", "1975-03-12".
// It returns the stored form YYYY, YYYY-MM or YYYY-MM-DD; "" stays "".
// Dates before 1800 or after now are refused.
func ParseDate(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var d, m, y int
	var ok bool
	if strings.Contains(s, "-") {
		d, m, y, ok = partsOf(strings.Split(s, "-"), true)
	} else {
		s = strings.ReplaceAll(s, ".", "/")
		d, m, y, ok = partsOf(strings.Split(s, "/"), false)
	}
	bad := apperr.Invalid("date", "Ngày không hợp lệ: "+s+" (viết dd/mm/yyyy, mm/yyyy hoặc yyyy)", "invalid date: "+s+" (write dd/mm/yyyy, mm/yyyy or yyyy)")
	if !ok || y < 1800 || y > now.Year() || m < 0 || m > 12 || d < 0 || d > 31 || (d > 0 && m == 0) {
		return "", bad
	}
	switch {
	case m == 0:
		return fmt.Sprintf("%04d", y), nil
	case d == 0:
		return fmt.Sprintf("%04d-%02d", y, m), nil
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.After(now) {
		return "", bad
	}
	return t.Format(time.DateOnly), nil
}

// partsOf reads the numbers of a date written year first (ISO) or last.
func partsOf(p []string, isoOrder bool) (d, m, y int, ok bool) {
	n := make([]int, len(p))
	for i, s := range p {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 || s == "" || len(s) > 4 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	if len(n) == 0 || len(n) > 3 {
		return 0, 0, 0, false
	}
	if isoOrder {
		if len(p[0]) != 4 {
			return 0, 0, 0, false // the year comes first
		}
		slices.Reverse(n)
	} else if len(p[len(p)-1]) != 4 {
		return 0, 0, 0, false // the year comes last, with its four digits
	}
	y = n[len(n)-1]
	if len(n) >= 2 {
		m = n[len(n)-2]
		if m == 0 {
			return 0, 0, 0, false
		}
	}
	if len(n) == 3 {
		d = n[0]
		if d == 0 {
			return 0, 0, 0, false
		}
	}
	return d, m, y, true
}

// Validate cleans the record (NFC, spaces, ID numbers, dates) and checks
// it against its kind. now bounds the dates.
func (r *Record) Validate(now time.Time) error {
	rule, ok := kindRules[r.Kind]
	if !ok {
		return apperr.Invalid("kind", "Loại việc hộ tịch không hợp lệ", "invalid kind of registration")
	}
	if !ValidSource(r.Source) {
		return apperr.Invalid("source", "Nguồn bản ghi không hợp lệ", "invalid record source")
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"page", &r.Page, 20}, {"entry", &r.Entry, 30}, {"officer", &r.Officer, maxName},
		{"declarant.name", &r.Declarant.Name, maxName}, {"declarant.relation", &r.Declarant.Relation, 50}} {
		if err := cleanText(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	var err error
	if r.RegisteredOn, err = ParseDate(r.RegisteredOn, now); err != nil {
		return apperr.Invalid("registered_on", "Ngày đăng ký không hợp lệ: "+r.RegisteredOn, "invalid registration date: "+r.RegisteredOn)
	}
	if err := r.validatePeople(rule, now); err != nil {
		return err
	}
	return r.validateFields(rule, now)
}

func (r *Record) validatePeople(rule kindRule, now time.Time) error {
	if len(r.People) > 10 {
		return apperr.Invalid("people", "Quá nhiều người trong một bản ghi", "too many people on one record")
	}
	for i := range r.People {
		if err := r.People[i].validate(rule.roles, now); err != nil {
			return err
		}
	}
	for _, role := range rule.required {
		if r.PersonOf(role) == nil {
			n := RoleName[role]
			return apperr.Invalid(role+".full_name", "Thiếu họ tên: "+strings.ToLower(n[0]), "missing the name of the "+strings.ToLower(n[1]))
		}
	}
	return nil
}

func (p *Person) validate(roles []string, now time.Time) error {
	if !slices.Contains(roles, p.Role) {
		return apperr.Invalid("people.role", "Vai trò không hợp lệ cho loại việc này: "+p.Role, "role not valid for this kind: "+p.Role)
	}
	pre := p.Role + "."
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"full_name", &p.FullName, maxName}, {"birth_place", &p.BirthPlace, maxPlace}, {"home_town", &p.HomeTown, maxPlace},
		{"ethnicity", &p.Ethnicity, 50}, {"nationality", &p.Nationality, 50}, {"residence", &p.Residence, maxPlace}} {
		if err := cleanText(pre+f.name, f.v, f.max); err != nil {
			return err
		}
	}
	if p.FullName == "" {
		return apperr.Invalid(pre+"full_name", "Thiếu họ tên", "the full name is missing")
	}
	if p.Sex != "" && p.Sex != "male" && p.Sex != "female" {
		return apperr.Invalid(pre+"sex", "Giới tính là nam hoặc nữ", "sex is male or female")
	}
	var err error
	if p.BirthDate, err = ParseDate(p.BirthDate, now); err != nil {
		return apperr.Invalid(pre+"birth_date", "Ngày sinh không hợp lệ: "+p.BirthDate, "invalid birth date: "+p.BirthDate)
	}
	if strings.TrimSpace(p.IDNumber) != "" {
		if p.IDNumber, err = vntext.NormalizeIDNumber(p.IDNumber, now); err != nil {
			e := apperr.As(err)
			return apperr.Invalid(pre+"id_number", e.Message, e.MessageEn)
		}
		if err := vntext.CheckIDAgainst(p.IDNumber, p.Sex, p.BirthDate); err != nil {
			e := apperr.As(err)
			return apperr.Invalid(pre+e.Field, e.Message, e.MessageEn)
		}
	} else {
		p.IDNumber = ""
	}
	return nil
}

func (r *Record) validateFields(rule kindRule, now time.Time) error {
	for k, v := range r.Fields {
		if !slices.Contains(rule.fields, k) {
			return apperr.Invalid("fields."+k, "Trường không thuộc loại việc này: "+k, "field not of this kind: "+k)
		}
		if err := cleanText("fields."+k, &v, maxNote); err != nil {
			return err
		}
		if strings.HasSuffix(k, "_date") {
			d, err := ParseDate(v, now)
			if err != nil {
				return apperr.Invalid("fields."+k, "Ngày không hợp lệ: "+v, "invalid date: "+v)
			}
			v = d
		}
		if v == "" {
			delete(r.Fields, k)
		} else {
			r.Fields[k] = v
		}
	}
	for _, k := range rule.requiredFields {
		if r.Fields[k] == "" {
			return apperr.Invalid("fields."+k, "Thiếu thông tin bắt buộc: "+k, "a required field is missing: "+k)
		}
	}
	if r.Kind != KindChange && len(r.Changes) > 0 {
		return apperr.Invalid("changes", "Chỉ việc thay đổi, cải chính mới có nội dung thay đổi", "only a change registration has changes")
	}
	return nil
}

// cleanText stores the text in its clean form (NFC, single spaces) and
// refuses control characters and overlong text.
func cleanText(field string, v *string, max int) error {
	if _, bad := vntext.Unclean(*v, false); bad {
		return apperr.Invalid(field, "Có ký tự không hợp lệ", "contains characters that are not allowed")
	}
	*v = vntext.Clean(*v)
	if len([]rune(*v)) > max {
		return apperr.Invalid(field, fmt.Sprintf("Dài quá %d ký tự", max), fmt.Sprintf("longer than %d characters", max))
	}
	return nil
}

// ValidateBook checks a book before it is stored.
func (b *Book) Validate(now time.Time) error {
	if !ValidKind(b.Kind) {
		return apperr.Invalid("kind", "Loại sổ không hợp lệ", "invalid kind of book")
	}
	if b.Year < 1800 || b.Year > now.Year()+1 {
		return apperr.Invalid("year", "Năm mở sổ không hợp lệ", "invalid year of the book")
	}
	if b.Origin == "" {
		b.Origin = OriginPaper
	}
	if b.Origin != OriginPaper && b.Origin != OriginElectronic {
		return apperr.Invalid("origin", "Sổ giấy hoặc sổ điện tử", "a book is paper or electronic")
	}
	if err := cleanText("number", &b.Number, 30); err != nil {
		return err
	}
	if b.Number == "" {
		return apperr.Invalid("number", "Thiếu quyển số", "the book number is missing")
	}
	return cleanText("note", &b.Note, maxNote)
}
