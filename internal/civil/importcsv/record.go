package importcsv

import (
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// BookKey is the book a row belongs to: books are found or created by
// unit, kind, year and number.
type BookKey struct {
	Kind   string
	Year   int
	Number string
}

// RowError is one problem of one row, for the report.
type RowError struct {
	Row     int    `json:"row"`              // the row's number in the file (a CSV line, a sheet row)
	Column  string `json:"column,omitempty"` // the column's header, "" for the whole row
	Message string `json:"message"`          // in Vietnamese
	English string `json:"message_en"`
}

// kindByName finds a kind by its folded Vietnamese or English name, its
// code, or the abbreviations of old registers (KS, KH, KT).
var kindByName = func() map[string]string {
	m := map[string]string{"ks": civil.KindBirth, "kh": civil.KindMarriage, "kt": civil.KindDeath, "gh": civil.KindGuardianship,
		"cmc": civil.KindParentage, "nhan cha me con": civil.KindParentage, "cai chinh": civil.KindChange, "thay doi": civil.KindChange}
	for k, names := range civil.KindName {
		m[k] = k
		m[vntext.Fold(names[0])] = k
		m[vntext.Fold(names[1])] = k
	}
	return m
}()

// sexByName reads the sex column: "Nam", "Nữ", "male", "F"...
var sexByName = map[string]string{"nam": "male", "male": "male", "m": "male", "trai": "male",
	"nu": "female", "female": "female", "f": "female", "gai": "female"}

// record builds a row's record: the person named by "Họ tên" is the kind's
// principal (the child, the husband, the deceased...), the other columns
// fill the roles the kind has. It returns the first problem of the row.
func record(l Layout, row []string, unitCode string, now time.Time) (civil.Record, BookKey, *RowError) {
	v := func(c Column) string { return l.value(row, c) }
	kind := kindByName[foldHeader(v(ColKind))]
	if kind == "" {
		return civil.Record{}, BookKey{}, colErr(ColKind, "Loại việc hộ tịch không hợp lệ: "+quote(v(ColKind)), "unknown kind of registration: "+quote(v(ColKind)))
	}
	year, err := strconv.Atoi(v(ColYear))
	if err != nil || year < 1800 || year > now.Year()+1 {
		return civil.Record{}, BookKey{}, colErr(ColYear, "Năm của sổ không hợp lệ: "+quote(v(ColYear)), "invalid year of the book: "+quote(v(ColYear)))
	}
	book := BookKey{Kind: kind, Year: year, Number: v(ColBook)}
	if book.Number == "" {
		return civil.Record{}, BookKey{}, colErr(ColBook, "Thiếu quyển số", "the book number is missing")
	}
	if v(ColEntry) == "" {
		return civil.Record{}, BookKey{}, colErr(ColEntry, "Thiếu số đăng ký", "the entry number is missing")
	}
	r := civil.Record{UnitCode: unitCode, Kind: kind, Page: v(ColPage), Entry: v(ColEntry), RegisteredOn: v(ColRegisteredOn),
		Officer: v(ColOfficer), Declarant: civil.Declarant{Name: v(ColDeclarant), Relation: v(ColRelation)},
		Status: civil.StatusEntered, Source: civil.SourceImport}
	roles := civil.KindRoles(kind)
	principal := civil.Person{Role: roles[0], FullName: v(ColFullName), Sex: sexOf(v(ColSex)), BirthDate: v(ColBirthDate),
		BirthPlace: v(ColBirthPlace), HomeTown: v(ColHomeTown), Ethnicity: v(ColEthnicity), Nationality: v(ColNationality),
		IDNumber: v(ColIDNumber), Residence: v(ColResidence)}
	r.People = append(r.People, principal)
	for _, o := range others(kind) {
		if name := v(o.name); name != "" {
			r.People = append(r.People, civil.Person{Role: o.role, FullName: name, BirthDate: v(o.birth), Sex: o.sex})
		}
	}
	for c, f := range kindColumns[kind] {
		if s := v(c); s != "" {
			if r.Fields == nil {
				r.Fields = map[string]string{}
			}
			r.Fields[f] = s
		}
	}
	if err := r.Validate(now); err != nil {
		return civil.Record{}, BookKey{}, fieldErr(kind, err)
	}
	return r, book, nil
}

// other is a person of a record besides the principal, by the columns
// that give their name and birth date.
type other struct {
	role        string
	name, birth Column
	sex         string
}

// others lists the people a kind's row may name besides the principal.
func others(kind string) []other {
	switch kind {
	case civil.KindBirth:
		return []other{{civil.RoleMother, ColMother, ColMotherBirth, "female"}, {civil.RoleFather, ColFather, ColFatherBirth, "male"}}
	case civil.KindMarriage:
		return []other{{civil.RoleWife, ColSpouse, ColSpouseBirth, "female"}}
	case civil.KindGuardianship:
		return []other{{civil.RoleGuardian, ColGuardian, -1, ""}}
	case civil.KindParentage:
		return []other{{civil.RoleParent, ColMother, ColMotherBirth, "female"}, {civil.RoleParent, ColFather, ColFatherBirth, "male"}}
	}
	return nil
}

// kindColumns are the kinds' own fields, by column.
var kindColumns = map[string]map[Column]string{
	civil.KindDeath: {ColDeathDate: "death_date", ColDeathPlace: "death_place"},
	civil.KindCourt: {ColCourt: "court", ColDecision: "decision"},
}

func sexOf(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := sexByName[vntext.Fold(s)]; ok {
		return v
	}
	return s // refused by Validate, with the column named
}

// fieldErr turns a validation error into a row error naming the column
// that holds the field.
func fieldErr(kind string, err error) *RowError {
	e := apperr.As(err)
	if e == nil {
		return &RowError{Message: err.Error(), English: err.Error()}
	}
	re := &RowError{Message: e.Message, English: e.MessageEn}
	if c, ok := columnOf(kind, e.Field); ok {
		re.Column = Label[c]
	}
	return re
}

// topColumns are the record's own fields' columns.
var topColumns = map[string]Column{"kind": ColKind, "page": ColPage, "entry": ColEntry, "registered_on": ColRegisteredOn,
	"officer": ColOfficer, "declarant.name": ColDeclarant, "declarant.relation": ColRelation}

// principalColumns are the principal person's columns by attribute.
var principalColumns = map[string]Column{"full_name": ColFullName, "sex": ColSex, "birth_date": ColBirthDate,
	"birth_place": ColBirthPlace, "home_town": ColHomeTown, "ethnicity": ColEthnicity, "nationality": ColNationality,
	"id_number": ColIDNumber, "residence": ColResidence}

// columnOf finds the column of a field key ("child.birth_date",
// "fields.death_date", "entry").
func columnOf(kind, key string) (Column, bool) {
	if c, ok := topColumns[key]; ok {
		return c, true
	}
	if f, ok := strings.CutPrefix(key, "fields."); ok {
		for c, name := range kindColumns[kind] {
			if name == f {
				return c, true
			}
		}
		return 0, false
	}
	role, attr, _ := strings.Cut(key, ".")
	if roles := civil.KindRoles(kind); len(roles) > 0 && role == roles[0] {
		c, ok := principalColumns[attr]
		return c, ok
	}
	for _, o := range others(kind) {
		if o.role == role {
			switch attr {
			case "full_name":
				return o.name, true
			case "birth_date":
				return o.birth, o.birth >= 0
			}
		}
	}
	return 0, false
}

func colErr(c Column, vi, en string) *RowError {
	return &RowError{Column: Label[c], Message: vi, English: en}
}

func quote(s string) string { return "“" + s + "”" }
