package civil

import (
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// A field of a record is named by a key: "page", "entry", "registered_on",
// "officer", "declarant.name", "declarant.relation", "<role>.<attribute>"
// for a person ("child.full_name", "mother.birth_date") and "fields.<name>"
// for the kind's own fields ("fields.death_date"). Double entry, its
// differences and corrections all speak of fields by these keys.

func (p *Person) attr(name string) *string {
	switch name {
	case "full_name":
		return &p.FullName
	case "sex":
		return &p.Sex
	case "birth_date":
		return &p.BirthDate
	case "birth_place":
		return &p.BirthPlace
	case "home_town":
		return &p.HomeTown
	case "ethnicity":
		return &p.Ethnicity
	case "nationality":
		return &p.Nationality
	case "id_number":
		return &p.IDNumber
	case "residence":
		return &p.Residence
	}
	return nil
}

func (r *Record) top(key string) *string {
	switch key {
	case "page":
		return &r.Page
	case "entry":
		return &r.Entry
	case "registered_on":
		return &r.RegisteredOn
	case "officer":
		return &r.Officer
	case "declarant.name":
		return &r.Declarant.Name
	case "declarant.relation":
		return &r.Declarant.Relation
	}
	return nil
}

// Field returns the value of a field of the record, "" when the record has
// no such person or value.
func (r *Record) Field(key string) string {
	if p := r.top(key); p != nil {
		return *p
	}
	if name, ok := strings.CutPrefix(key, "fields."); ok {
		return r.Fields[name]
	}
	role, attr, _ := strings.Cut(key, ".")
	if p := r.PersonOf(role); p != nil {
		if v := p.attr(attr); v != nil {
			return *v
		}
	}
	return ""
}

// ValidKey tells whether key names a field a record of the kind has.
func ValidKey(kind, key string) bool {
	if (&Record{}).top(key) != nil {
		return true
	}
	if name, ok := strings.CutPrefix(key, "fields."); ok {
		for _, f := range KindFields(kind) {
			if f == name {
				return true
			}
		}
		return false
	}
	role, attr, _ := strings.Cut(key, ".")
	for _, r := range KindRoles(kind) {
		if r == role {
			return (&Person{}).attr(attr) != nil
		}
	}
	return false
}

// SetField sets a field, adding the person of the role when the record
// does not name one yet. The caller validates the record afterwards.
func (r *Record) SetField(key, value string) error {
	if !ValidKey(r.Kind, key) {
		return apperr.Invalid(key, "Trường không hợp lệ: "+key, "unknown field: "+key)
	}
	if p := r.top(key); p != nil {
		*p = value
		return nil
	}
	if name, ok := strings.CutPrefix(key, "fields."); ok {
		if r.Fields == nil {
			r.Fields = map[string]string{}
		}
		r.Fields[name] = value
		return nil
	}
	role, attr, _ := strings.Cut(key, ".")
	p := r.PersonOf(role)
	if p == nil {
		r.People = append(r.People, Person{Role: role})
		p = &r.People[len(r.People)-1]
	}
	*p.attr(attr) = value
	return nil
}

// KeyFields lists the keys a verifier enters again blind: where the book
// entry is, when it was registered, and who it names (name, sex, birth
// date, ID number of each person), plus the kind's required fields.
func KeyFields(r *Record) []string {
	keys := []string{"page", "entry", "registered_on"}
	for _, role := range KindRoles(r.Kind) {
		if r.PersonOf(role) == nil {
			continue
		}
		for _, a := range []string{"full_name", "sex", "birth_date", "id_number"} {
			keys = append(keys, role+"."+a)
		}
	}
	for _, f := range kindRules[r.Kind].requiredFields {
		keys = append(keys, "fields."+f)
	}
	return keys
}

// Difference is a key field whose blind entry differs from the record.
type Difference struct {
	Field  string `json:"field"`
	Record string `json:"record"`
	Blind  string `json:"blind"`
}

// Diff compares the blind entry with the record on every key field. Values
// are compared after folding case, spacing, Unicode form and tone-mark
// placement ("Hoà" = "hòa"), but a missing or different diacritic is a
// difference ("Hoa" ≠ "Hòa"). Dates are compared in their stored form, so
// "12/03/1975" equals "1975-03-12".
func Diff(r *Record, blind map[string]string) []Difference {
	var out []Difference
	for _, k := range KeyFields(r) {
		have, got := r.Field(k), blind[k]
		if !SameValue(k, have, got) {
			out = append(out, Difference{Field: k, Record: have, Blind: got})
		}
	}
	return out
}

// farFuture bounds the dates read only to compare them.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// SameValue tells whether two entries of a field mean the same.
func SameValue(key, a, b string) bool {
	if strings.HasSuffix(key, "_date") || key == "registered_on" {
		if da, err := ParseDate(a, farFuture); err == nil {
			a = da
		}
		if db, err := ParseDate(b, farFuture); err == nil {
			b = db
		}
	}
	if strings.HasSuffix(key, "id_number") {
		a, b = strings.ReplaceAll(a, " ", ""), strings.ReplaceAll(b, " ", "")
	}
	return vntext.CompareKey(a) == vntext.CompareKey(b)
}
