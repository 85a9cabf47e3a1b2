package civil

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// Store keeps the registry. Every method is one transaction; every change
// of a record appends a sealed event whose note carries the record's
// content digest, and keeps its book's counters.
type Store interface {
	// CreateBook stores a new book; the same unit, kind, year and number
	// twice is a conflict.
	CreateBook(ctx context.Context, b *Book) error
	// Book returns a book with its counters.
	Book(ctx context.Context, id int64) (*Book, error)
	// Books lists the unit's books of the kind ("" any) and year (0 any),
	// the newest year first.
	Books(ctx context.Context, unit, kind string, year int) ([]Book, error)
	// Create stores a new record with its people and first event, moves
	// its book's counters, flags its likely duplicates, and, for a change
	// registration (Amends), appends an event to the amended record.
	Create(ctx context.Context, r *Record, ev Event) error
	// Get returns a record with its history and corrections.
	Get(ctx context.Context, id int64) (*Record, error)
	// Update loads a record, lets fn change it and writes it with the
	// event fn returns, unless fn fails; a concurrent change makes it
	// fail with ECONFLICT. fn may call step after each of several changes:
	// each is its own event, sealed with the content as it stood then, and
	// fn's event comes last.
	Update(ctx context.Context, id int64, fn func(r *Record, step func(Event)) (Event, error)) (*Record, error)
	// Duplicates lists a page of the unit's flagged pairs in the status
	// ("" any), the best score first, and their count.
	Duplicates(ctx context.Context, unit, status string, limit, offset int) ([]Duplicate, int, error)
	// Duplicate returns one flagged pair.
	Duplicate(ctx context.Context, id int64) (*Duplicate, error)
	// Decide closes an open pair: dismissed, or merged with the record
	// merged (the other is kept) marked merged into the kept one, both
	// records' histories told.
	Decide(ctx context.Context, id int64, status string, merged int64, ev Event) (*Duplicate, error)
	// Progress sums the counters of the books of the unit and of every
	// unit under it.
	Progress(ctx context.Context, unit string) (Progress, error)
	// LogRead records a read of a record or a search.
	LogRead(ctx context.Context, r *Read) error
	// Reads lists a page of the unit's read log, the newest first, and its count.
	Reads(ctx context.Context, unit string, limit, offset int) ([]Read, int, error)
	// Issue records an extract or certified copy issued from a record and
	// assigns its serial number (số), counted per unit and year.
	Issue(ctx context.Context, iss *Issuance) error
	// Issuances lists the issuances of a record, the oldest first.
	Issuances(ctx context.Context, recordID int64) ([]Issuance, error)
	// Search finds the unit's records matching q, ranked, and their count.
	Search(ctx context.Context, q Query) ([]Hit, int, error)
	// BookRecords lists a page of a book's records, newest registration
	// first, and counts them all: a book is read through, not searched.
	BookRecords(ctx context.Context, bookID int64, limit, offset int) ([]Hit, int, error)
}

// Progress is how far digitisation went: records entered and verified
// (only verified records count as digitised) over a unit's books.
type Progress struct {
	Unit     string `json:"unit"`
	Books    int64  `json:"books"`
	Entered  int64  `json:"entered"`
	Verified int64  `json:"verified"`
}

// Read reasons (why an officer opened a record).
const (
	ReasonIssueExtract = "issue_extract"
	ReasonDossier      = "dossier"
	ReasonVerify       = "verify"
	ReasonCorrection   = "correction"
	ReasonCheck        = "check"
	ReasonOther        = "other"
	ReasonSearch       = "search"     // written for searches, not chosen
	ReasonDuplicates   = "duplicates" // written for the duplicates list, not chosen
)

// ReadReasons are the reasons an officer may give, with their names.
var ReadReasons = map[string][2]string{
	ReasonIssueExtract: {"Cấp trích lục, bản sao", "Issuing an extract or copy"},
	ReasonDossier:      {"Giải quyết hồ sơ", "Handling a dossier"},
	ReasonVerify:       {"Đối chiếu số hóa", "Verifying a digitised record"},
	ReasonCorrection:   {"Thay đổi, cải chính", "Change or correction"},
	ReasonCheck:        {"Kiểm tra, xác minh", "Checking"},
	ReasonOther:        {"Lý do khác", "Other reason"},
}

// Read is one line of the read log.
type Read struct {
	ID       int64     `json:"id"`
	UnitCode string    `json:"unit_code"`
	Username string    `json:"username"`
	RecordID int64     `json:"record_id,omitempty"` // 0: a search
	Reason   string    `json:"reason"`
	Note     string    `json:"note,omitempty"` // the officer's note, or the search's query
	At       time.Time `json:"at"`
}

// Issuance is an extract (trích lục) or certified copy issued from a record.
type Issuance struct {
	ID          int64     `json:"id"`
	RecordID    int64     `json:"record_id"`
	UnitCode    string    `json:"unit_code"`
	DossierCode string    `json:"dossier_code,omitempty"`
	Year        int       `json:"year"`
	Serial      int       `json:"serial"` // số, per unit and year
	Copies      int       `json:"copies"`
	IssuedBy    string    `json:"issued_by"`
	IssuedAt    time.Time `json:"issued_at"`
}

// FromDossier is which kind of record a finished dossier of a procedure
// registers: khai sinh, kết hôn and khai tử (DOMAIN §9).
var FromDossier = map[string]string{
	"1.001193": KindBirth,
	"1.000894": KindMarriage,
	"1.000656": KindDeath,
}

// DraftFromDossier is the draft record a finished registration dossier
// creates: the subject (or the applicant) as the principal, the applicant
// as the declarant, with the declarant's relation to the principal when
// the subject's relation to the applicant tells it (InverseRelation). A
// marriage's principal is the husband or the wife by the sex its ID
// number tells. ok is false for other procedures. The registrar completes
// and enters it.
func DraftFromDossier(d *dossier.Dossier, now time.Time) (*Record, bool) {
	kind, ok := FromDossier[d.ProcedureCode]
	if !ok {
		return nil, false
	}
	p := Person{FullName: d.Applicant.Name, IDNumber: d.Applicant.IDNumber, Residence: d.Applicant.Address}
	relation := "" // the applicant declares their own event: no relation to write
	if d.Subject != nil && !d.Subject.Empty() && d.Subject.Name != "" {
		p = Person{FullName: d.Subject.Name, IDNumber: d.Subject.IDNumber, BirthDate: d.Subject.BirthDate, Residence: d.Subject.Address}
		relation = InverseRelation(d.Subject.Relation)
	}
	r := &Record{UnitCode: d.UnitCode, Kind: kind, Status: StatusDraft, Source: SourceDossier, DossierCode: d.Code,
		RegisteredOn: now.In(calendar.Zone).Format(time.DateOnly), Declarant: Declarant{Name: vntext.Clean(d.Applicant.Name), Relation: relation},
		People: []Person{p}, CreatedAt: now}
	// Keep what validates; a draft is completed by the registrar anyway.
	for i := range r.People {
		q := &r.People[i]
		q.FullName, q.Residence = vntext.Clean(q.FullName), vntext.Clean(q.Residence)
		q.BirthDate, _ = ParseDate(q.BirthDate, now)
		q.IDNumber, _ = vntext.NormalizeIDNumber(q.IDNumber, now)
		q.Sex = SexFromID(q.IDNumber)
	}
	r.People[0].Role = KindRoles(kind)[0]
	if kind == KindMarriage && r.People[0].Sex == "female" {
		r.People[0].Role = RoleWife
	}
	return r, true
}

// inverse is the declarant's relation to the person registered, by the
// person's relation to the declarant, for the relations that have one.
var inverse = map[string]string{
	"con": "cha/mẹ", "con đẻ": "cha/mẹ", "con nuôi": "cha/mẹ nuôi",
	"cha": "con", "bố": "con", "mẹ": "con",
	"vợ": "chồng", "chồng": "vợ",
	"anh": "em", "chị": "em", "em": "anh/chị",
	"cháu": "ông/bà", "ông": "cháu", "bà": "cháu",
}

// InverseRelation turns the subject's relation to the applicant ("con")
// into the applicant's relation to the subject ("cha/mẹ"), "" when it is
// not known: a relation written backwards is worse than none.
func InverseRelation(rel string) string {
	return inverse[strings.ToLower(vntext.Clean(rel))]
}

// SexFromID reads the sex a 12-digit personal ID number encodes in its
// fourth digit (even: male, odd: female, with the century); "" for other
// numbers.
func SexFromID(id string) string {
	if len(id) != 12 || id[3] < '0' || id[3] > '9' {
		return ""
	}
	if (id[3]-'0')%2 == 0 {
		return "male"
	}
	return "female"
}
