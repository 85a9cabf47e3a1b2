// Package civil is the civil-status registry (sổ hộ tịch): register books
// per unit, kind and year, the records entered in them (from a finished
// dossier, from a scanned page of an old book, by import or directly), the
// people each record names, the double-entry verification of digitised
// records, likely duplicates, corrections that never overwrite, and the
// Store interface they need. A record's history is the same hash-chained
// Event as a dossier's, so `motcua audit verify` checks it with one rule.
package civil

import (
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Event is one entry of a record's history: the dossier's hash-chained
// event, with ChainName(id) as the chain's name and the record's statuses
// in FromStatus/ToStatus.
type Event = dossier.Event

// ChainName is the name a record's history is sealed under: "HT-<id>".
func ChainName(id int64) string { return "HT-" + strconv.FormatInt(id, 10) }

// Kinds of registration (DOMAIN §9). The strings are stored.
const (
	KindBirth        = "birth"        // khai sinh
	KindMarriage     = "marriage"     // kết hôn
	KindDeath        = "death"        // khai tử
	KindGuardianship = "guardianship" // giám hộ
	KindParentage    = "parentage"    // nhận cha, mẹ, con
	KindChange       = "change"       // thay đổi, cải chính hộ tịch
	KindCourt        = "court"        // ghi vào sổ việc hộ tịch theo bản án, quyết định của tòa án
)

// Kinds lists the kinds in the order books are shown.
var Kinds = []string{KindBirth, KindMarriage, KindDeath, KindGuardianship, KindParentage, KindChange, KindCourt}

// KindName is each kind in Vietnamese and English.
var KindName = map[string][2]string{
	KindBirth:        {"Khai sinh", "Birth"},
	KindMarriage:     {"Kết hôn", "Marriage"},
	KindDeath:        {"Khai tử", "Death"},
	KindGuardianship: {"Giám hộ", "Guardianship"},
	KindParentage:    {"Nhận cha, mẹ, con", "Parentage"},
	KindChange:       {"Thay đổi, cải chính hộ tịch", "Change and correction"},
	KindCourt:        {"Việc hộ tịch theo bản án, quyết định của tòa án", "Events from court decisions"},
}

// ValidKind tells whether k is a kind.
func ValidKind(k string) bool { _, ok := KindName[k]; return ok }

// Status of a record. The numbers are stored; never renumber them.
type Status int

// Statuses: a record moves draft → entered → verified; a duplicate merged
// into another keeps its row and history with status merged.
const (
	StatusDraft    Status = 1 // Bản nháp: created from a dossier, not yet checked by the registrar
	StatusEntered  Status = 2 // Đã nhập: waiting for the second officer's blind entry
	StatusVerified Status = 3 // Đã đối chiếu: counts as digitised
	StatusMerged   Status = 4 // Đã gộp vào bản ghi khác (a duplicate)
)

// StatusName is each status in Vietnamese and English.
var StatusName = map[Status][2]string{
	StatusDraft:    {"Bản nháp", "Draft"},
	StatusEntered:  {"Đã nhập, chờ đối chiếu", "Entered, waiting for verification"},
	StatusVerified: {"Đã đối chiếu", "Verified"},
	StatusMerged:   {"Đã gộp vào bản ghi khác", "Merged into another record"},
}

// Sources of a record.
const (
	SourceDossier   = "dossier"   // created when a registration dossier reached its result
	SourceDigitised = "digitised" // entered from a scanned page of an old book
	SourceImport    = "import"    // bulk import of a file
	SourceDirect    = "direct"    // registered directly in the electronic book
)

// ValidSource tells whether s is a source.
func ValidSource(s string) bool {
	return s == SourceDossier || s == SourceDigitised || s == SourceImport || s == SourceDirect
}

// Origins of a book.
const (
	OriginPaper      = "paper"
	OriginElectronic = "electronic"
)

// Book is a register book (quyển sổ) of one unit, kind and year. Entered
// and Verified are kept in each write's transaction, so progress is a read
// of counters.
type Book struct {
	ID       int64     `json:"id"`
	UnitCode string    `json:"unit_code"`
	Kind     string    `json:"kind"`
	Year     int       `json:"year"`
	Number   string    `json:"number"` // quyển số, as written on the cover: "01", "02/2015"
	Origin   string    `json:"origin"` // paper or electronic
	Note     string    `json:"note,omitempty"`
	Entered  int64     `json:"entered"`  // records entered (entered, verified or merged)
	Verified int64     `json:"verified"` // records verified: digitised
	Created  time.Time `json:"created_at"`
}

// Declarant is who declared the event (người đi khai).
type Declarant struct {
	Name     string `json:"name,omitempty"`
	Relation string `json:"relation,omitempty"` // to the person registered: "mẹ", "cha", "con"...
}

// FieldChange is one field a change/correction registration changes.
type FieldChange struct {
	Field string `json:"field"` // a key of FieldNames: "child.full_name"
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Correction is a change/correction registration of a record, as the
// corrected record shows it.
type Correction struct {
	RecordID     int64         `json:"record_id"`
	Entry        string        `json:"entry"`
	RegisteredOn string        `json:"registered_on"`
	Changes      []FieldChange `json:"changes"`
}

// Record is one registration in a book.
type Record struct {
	ID           int64             `json:"id"`
	UnitCode     string            `json:"unit_code"`
	BookID       int64             `json:"book_id"`
	Kind         string            `json:"kind"`
	Page         string            `json:"page,omitempty"`
	Entry        string            `json:"entry,omitempty"`         // số đăng ký (entry number) in the book
	RegisteredOn string            `json:"registered_on,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD (old books)
	Officer      string            `json:"officer,omitempty"`       // registering officer as written: not always a user
	Declarant    Declarant         `json:"declarant"`
	Status       Status            `json:"status"`
	Source       string            `json:"source"`
	DossierCode  string            `json:"dossier_code,omitempty"`
	ScanSHA256   string            `json:"scan_sha256,omitempty"` // the page image in the blob store
	EnteredBy    string            `json:"entered_by,omitempty"`
	EnteredAt    time.Time         `json:"entered_at,omitzero"`
	VerifiedBy   string            `json:"verified_by,omitempty"`
	VerifiedAt   time.Time         `json:"verified_at,omitzero"`
	Amends       int64             `json:"amends,omitempty"`      // a change registration: the record it corrects
	MergedInto   int64             `json:"merged_into,omitempty"` // a merged duplicate: the record kept
	People       []Person          `json:"people"`
	Fields       map[string]string `json:"fields,omitempty"`  // the kind's own fields (KindFields)
	Changes      []FieldChange     `json:"changes,omitempty"` // a change registration's changes
	CreatedAt    time.Time         `json:"created_at"`
	Version      int               `json:"version"`

	// Read only: the corrections registered against the record, oldest
	// first, and its history.
	Corrections []Correction `json:"corrections,omitempty"`
	Events      []Event      `json:"events,omitempty"`
}

// Person is one person a record names.
type Person struct {
	Role        string `json:"role"`
	FullName    string `json:"full_name"`
	Sex         string `json:"sex,omitempty"`        // male, female
	BirthDate   string `json:"birth_date,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD
	BirthPlace  string `json:"birth_place,omitempty"`
	HomeTown    string `json:"home_town,omitempty"` // quê quán
	Ethnicity   string `json:"ethnicity,omitempty"`
	Nationality string `json:"nationality,omitempty"`
	IDNumber    string `json:"id_number,omitempty"`
	Residence   string `json:"residence,omitempty"`
}

// BirthYear is the year of the person's birth date, 0 without one.
func (p Person) BirthYear() int {
	if len(p.BirthDate) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(p.BirthDate[:4])
	return y
}

// Person roles.
const (
	RoleChild    = "child"
	RoleMother   = "mother"
	RoleFather   = "father"
	RoleHusband  = "husband"
	RoleWife     = "wife"
	RoleDeceased = "deceased"
	RoleWard     = "ward"
	RoleGuardian = "guardian"
	RoleParent   = "parent"
	RoleSubject  = "subject" // the person a change or a court decision is about
)

// RoleName is each role in Vietnamese and English.
var RoleName = map[string][2]string{
	RoleChild: {"Con", "Child"}, RoleMother: {"Mẹ", "Mother"}, RoleFather: {"Cha", "Father"},
	RoleHusband: {"Chồng", "Husband"}, RoleWife: {"Vợ", "Wife"}, RoleDeceased: {"Người chết", "Deceased"},
	RoleWard: {"Người được giám hộ", "Ward"}, RoleGuardian: {"Người giám hộ", "Guardian"},
	RoleParent: {"Cha, mẹ", "Parent"}, RoleSubject: {"Người được đăng ký", "Person registered"},
}

// Principal returns the person a record is about (the child of a birth,
// the deceased, the husband of a marriage...), nil without one.
func (r *Record) Principal() *Person {
	want := kindRules[r.Kind].roles
	for _, role := range want {
		for i := range r.People {
			if r.People[i].Role == role {
				return &r.People[i]
			}
		}
	}
	return nil
}

// PersonOf returns the record's first person of the role, nil without one.
func (r *Record) PersonOf(role string) *Person {
	for i := range r.People {
		if r.People[i].Role == role {
			return &r.People[i]
		}
	}
	return nil
}

// Parents returns the names of the principal's parents on the record.
func (r *Record) Parents() []string {
	var out []string
	for _, p := range r.People {
		if p.Role == RoleMother || p.Role == RoleFather || p.Role == RoleParent {
			out = append(out, p.FullName)
		}
	}
	return out
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// Current returns the record as its corrections leave it: each change
// registration's new values applied in order over a copy. The stored
// record is never overwritten.
func (r *Record) Current() *Record {
	c := *r
	c.People = append([]Person(nil), r.People...)
	if r.Fields != nil {
		c.Fields = make(map[string]string, len(r.Fields))
		for k, v := range r.Fields {
			c.Fields[k] = v
		}
	}
	for _, corr := range r.Corrections {
		for _, ch := range corr.Changes {
			_ = c.SetField(ch.Field, ch.New)
		}
	}
	return &c
}
