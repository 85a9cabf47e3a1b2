package civil_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1975", "1975"}, {"03/1975", "1975-03"}, {"3/1975", "1975-03"}, {"12/03/1975", "1975-03-12"}, {"12.03.1975", "1975-03-12"},
		{"1975-03", "1975-03"}, {"1975-03-12", "1975-03-12"}, {" 1/1/1900 ", "1900-01-01"}, {"", ""}, {"29/02/2024", "2024-02-29"},
	} {
		got, err := civil.ParseDate(c.in, now)
		if err != nil || got != c.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"29/02/2023", "31/04/1990", "00/1975", "13/1975", "1799", "2027", "03/03/2026x", "75", "1975/03/12",
		"12-03-1975", "0/03/1975", "1/2/3/1975", "-1975", "05/03/2026", "1975-3-12x", "+1975"} {
		if got, err := civil.ParseDate(in, now); err == nil {
			t.Errorf("ParseDate(%q) = %q, want refused", in, got)
		}
	}
}

// TestDiff holds the double-entry rule: case, spacing, Unicode form, tone
// placement and the way a date is written are no difference; a missing
// or other diacritic is.
func TestDiff(t *testing.T) {
	rec := &civil.Record{Kind: civil.KindBirth, Page: "12", Entry: "45", RegisteredOn: "1975-03-12", People: []civil.Person{
		{Role: civil.RoleChild, FullName: "Nguyễn Thị Hòa", Sex: "female", BirthDate: "1975-03-01", IDNumber: "001175012345"},
		{Role: civil.RoleFather, FullName: "Nguyễn Văn Đức"},
	}}
	base := map[string]string{"page": "12", "entry": "45", "registered_on": "12/03/1975", "child.full_name": "Nguyễn Thị Hòa",
		"child.sex": "female", "child.birth_date": "01/03/1975", "child.id_number": "001 175 012 345", "father.full_name": "Nguyễn Văn Đức",
		"father.sex": "", "father.birth_date": "", "father.id_number": ""}
	if d := civil.Diff(rec, base); len(d) != 0 {
		t.Fatalf("same entry: %+v", d)
	}
	for _, c := range []struct {
		field, blind string
		differs      bool
	}{
		{"child.full_name", "nguyễn  thị   hoà", false},                      // case, spaces, tone on the other vowel
		{"child.full_name", "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300", false}, // decomposed
		{"child.full_name", "Nguyễn Thị Hoa", true},                          // a missing tone
		{"child.full_name", "Nguyen Thi Hoa", true},                          // no diacritics at all
		{"father.full_name", "Nguyễn Văn Duc", true},                         // Đ/D and the tone
		{"father.full_name", "Nguyễn Văn Dức", true},                         // Đ is a letter, not a mark
		{"child.full_name", "Nguyễn Thị Hóa", true},                          // another tone
		{"child.birth_date", "1975-03-01", false},
		{"child.birth_date", "03/1975", true},
		{"entry", "046", true},
		{"child.sex", "male", true},
	} {
		blind := map[string]string{}
		for k, v := range base {
			blind[k] = v
		}
		blind[c.field] = c.blind
		d := civil.Diff(rec, blind)
		if got := len(d) == 1 && d[0].Field == c.field; got != c.differs || (!c.differs && len(d) != 0) {
			t.Errorf("%s = %q: diffs %+v, want differs=%v", c.field, c.blind, d, c.differs)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		n    int
	}{{"", "", 0}, {"duc", "dut", 1}, {"nguyen van duc", "nguyen van duc anh", 4}, {"hoa", "hoan", 1}, {"ngan", "nagn", 2}, {"đức", "dức", 1}, {"", "abc", 3}} {
		if got := civil.Levenshtein(c.a, c.b); got != c.n || civil.Levenshtein(c.b, c.a) != c.n {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.n)
		}
	}
}

// TestLikely flags on folded names: accents, Đ/D, tone placement and
// decomposed input fold alike; a parent decides "likely" over "same
// name and date"; one edit is a near miss; the birth date must agree.
func TestLikely(t *testing.T) {
	rec := func(child, birth, mother string) *civil.Record {
		return &civil.Record{Kind: civil.KindBirth, People: []civil.Person{{Role: civil.RoleChild, FullName: child, BirthDate: birth},
			{Role: civil.RoleMother, FullName: mother}}}
	}
	a := rec("Nguyễn Văn Đức", "2000-01-02", "Trần Thị Hoà")
	for _, c := range []struct {
		b      *civil.Record
		reason string
	}{
		{rec("NGUYEN VAN DUC", "2000-01-02", "tran thi hòa"), civil.DupSameParent},
		{rec("Nguye\u0302\u0303n  Văn Đức", "2000-01-02", "Lý Thị Lan"), civil.DupNameDate},
		{rec("Nguyễn Văn Đực", "2000-01-02", ""), civil.DupNameDate},
		{rec("Nguyễn Văn Đúc", "2000-01-03", "Trần Thị Hoà"), ""},
		{rec("Nguyễn Văn Dũng", "2000-01-02", "Trần Thị Hoà"), ""},
		{rec("Nguyễn Văn Đuc", "2000-01-02", "Trần Thị Hoà"), civil.DupSameParent},
		{rec("Nguyễn Văn Đứt", "2000-01-02", "Trần Thị Hoà"), civil.DupNearName},
		{rec("Nguyễn Văn Đức", "2000", "Trần Thị Hoà"), ""},
		{rec("Nguyễn Đức", "2000-01-02", "Trần Thị Hoà"), ""},
	} {
		reason, _, ok := civil.Likely(a, c.b)
		if reason != c.reason || ok != (c.reason != "") {
			t.Errorf("%q %s: %q, want %q", c.b.People[0].FullName, c.b.People[0].BirthDate, reason, c.reason)
		}
	}
}

// TestCurrentAppliesCorrections: the corrected view applies each change
// registration in order over a copy, never touching the record.
func TestCurrentAppliesCorrections(t *testing.T) {
	r := &civil.Record{Kind: civil.KindBirth, People: []civil.Person{{Role: civil.RoleChild, FullName: "Lê Văn A"}},
		Corrections: []civil.Correction{
			{Changes: []civil.FieldChange{{Field: "child.full_name", Old: "Lê Văn A", New: "Lê Văn B"}}},
			{Changes: []civil.FieldChange{{Field: "child.full_name", Old: "Lê Văn B", New: "Lê Văn C"}, {Field: "mother.full_name", New: "Hà Thị D"}}},
		}}
	c := r.Current()
	if c.People[0].FullName != "Lê Văn C" || c.PersonOf(civil.RoleMother).FullName != "Hà Thị D" || r.People[0].FullName != "Lê Văn A" || len(r.People) != 1 {
		t.Fatalf("current %+v, record %+v", c.People, r.People)
	}
}

func TestValidate(t *testing.T) {
	ok := func() *civil.Record {
		return &civil.Record{Kind: civil.KindMarriage, Source: civil.SourceDirect, RegisteredOn: "2020-05-01", People: []civil.Person{
			{Role: civil.RoleHusband, FullName: "  Phạm  Văn Hải ", IDNumber: "001 090 012 345"}, {Role: civil.RoleWife, FullName: "Đỗ Thị Lan"}}}
	}
	r := ok()
	if err := r.Validate(now); err != nil || r.People[0].FullName != "Phạm Văn Hải" || r.People[0].IDNumber != "001090012345" {
		t.Fatalf("%+v %v", r, err)
	}
	for name, f := range map[string]func(r *civil.Record){
		"no wife":        func(r *civil.Record) { r.People = r.People[:1] },
		"wrong role":     func(r *civil.Record) { r.People[1].Role = civil.RoleChild },
		"bad kind":       func(r *civil.Record) { r.Kind = "divorce" },
		"bad date":       func(r *civil.Record) { r.RegisteredOn = "31/02/2020" },
		"bad id":         func(r *civil.Record) { r.People[0].IDNumber = "12345" },
		"control char":   func(r *civil.Record) { r.People[0].FullName = "A\x07B" },
		"foreign field":  func(r *civil.Record) { r.Fields = map[string]string{"death_date": "2020"} },
		"changes":        func(r *civil.Record) { r.Changes = []civil.FieldChange{{Field: "x"}} },
		"bad sex":        func(r *civil.Record) { r.People[0].Sex = "m" },
		"too long entry": func(r *civil.Record) { r.Entry = string(make([]byte, 31)) },
		"id of a woman":  func(r *civil.Record) { r.People[0].Sex = "female" },
		"id of 1990":     func(r *civil.Record) { r.People[0].BirthDate = "03/1991" },
	} {
		r := ok()
		f(r)
		if err := r.Validate(now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The ID number's own message, under the person's role.
	for id, want := range map[string]string{"12345": "12 chữ số", "001 090 01234x": "chỉ gồm chữ số"} {
		r = ok()
		r.People[0].IDNumber = id
		e := apperr.As(r.Validate(now))
		if e == nil || e.Field != "husband.id_number" || !strings.Contains(e.Message, want) {
			t.Errorf("ID number %q: %+v, want the husband's id_number saying %q", id, e, want)
		}
	}
}

// TestDraftFromDossierRelations: the declarant's relation is the inverse
// of the subject's relation to the applicant ("con" → "cha/mẹ"), empty
// when unknown or when the applicant declares their own event; a
// marriage's principal is the wife when her ID number says so.
func TestDraftFromDossierRelations(t *testing.T) {
	birth := &dossier.Dossier{Code: "H1", UnitCode: "00004", ProcedureCode: "1.001193", Applicant: dossier.Applicant{Name: "Vũ Văn Nam"},
		Subject: &dossier.Subject{Kind: "person", Name: "Vũ Minh An", Relation: "Con"}}
	r, ok := civil.DraftFromDossier(birth, now)
	if !ok || r.Declarant.Relation != "cha/mẹ" || r.People[0].Role != civil.RoleChild {
		t.Fatalf("birth draft %+v", r)
	}
	birth.Subject.Relation = "người được ủy quyền"
	if r, _ := civil.DraftFromDossier(birth, now); r.Declarant.Relation != "" {
		t.Fatalf("an unknown relation is guessed: %+v", r.Declarant)
	}
	marriage := &dossier.Dossier{Code: "H2", UnitCode: "00004", ProcedureCode: "1.000894",
		Applicant: dossier.Applicant{Name: "Đào Thị Hạnh", IDNumber: "001195012345"}}
	if r, _ := civil.DraftFromDossier(marriage, now); r.People[0].Role != civil.RoleWife || r.People[0].Sex != "female" || r.Declarant.Relation != "" {
		t.Fatalf("a woman's marriage draft %+v", r)
	}
	marriage.Applicant = dossier.Applicant{Name: "Đào Văn Hải", IDNumber: "001095012345"}
	if r, _ := civil.DraftFromDossier(marriage, now); r.People[0].Role != civil.RoleHusband || r.People[0].Sex != "male" {
		t.Fatalf("a man's marriage draft %+v", r)
	}
}
