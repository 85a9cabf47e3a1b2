// Package population looks people up in the national population database
// (Cơ sở dữ liệu quốc gia về dân cư, Đề án 06) so that an officer can check
// what an applicant declared against the registry: the registry's client
// behind an interface, the rules of who may look up and why, the log every
// look-up leaves, and the comparison with a dossier's applicant, which is
// sealed into the dossier's history.
package population

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Person is what the registry knows of a citizen. BirthDate is YYYY-MM-DD,
// or YYYY-MM or YYYY when the registry holds only part of the date; Sex is
// "male" or "female".
type Person struct {
	IDNumber           string `json:"id_number"`
	FullName           string `json:"full_name"`
	BirthDate          string `json:"birth_date"`
	Sex                string `json:"sex"`
	PermanentResidence string `json:"permanent_residence,omitempty"`
}

// Registry answers look-ups by ID number. It fails with ErrNotFound when the
// registry holds no such person and with an error of code apperr.EUNAVAILABLE when
// it cannot answer (down, slow, refusing the key, answering nonsense).
type Registry interface {
	Lookup(ctx context.Context, idNumber string) (Person, error)
}

// Errors of the registry and of the service.
var (
	ErrNotFound      = apperr.NotFound("Không có số định danh này trong Cơ sở dữ liệu quốc gia về dân cư", "the population database has no such ID number")
	ErrUnavailable   = apperr.New(apperr.EUNAVAILABLE, "Cơ sở dữ liệu quốc gia về dân cư không trả lời, vui lòng thử lại sau", "the population database does not answer; try again later")
	ErrNotConfigured = apperr.New(apperr.EUNAVAILABLE, "Chưa cấu hình kết nối Cơ sở dữ liệu quốc gia về dân cư", "the population database is not configured")
)

// Outcomes of a look-up, as the log keeps them.
const (
	Match       = "match"       // found; and, for a dossier, the same person as declared
	Mismatch    = "mismatch"    // found, but not as the dossier declares
	NotFound    = "not_found"   // the registry has no such ID number
	Unavailable = "unavailable" // the registry did not answer
)

// OutcomeName is the Vietnamese and the English name of each outcome.
var OutcomeName = map[string][2]string{
	Match:       {"khớp", "match"},
	Mismatch:    {"không khớp", "mismatch"},
	NotFound:    {"không có trong cơ sở dữ liệu", "not in the database"},
	Unavailable: {"cơ sở dữ liệu không trả lời", "the database did not answer"},
}

// Entry is one line of the look-up log: who looked whom up, from which
// unit, when, why, for which dossier, and what came of it.
type Entry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	Username    string    `json:"username"`
	ActorName   string    `json:"actor_name,omitempty"`
	ActorRole   string    `json:"actor_role"`
	UnitCode    string    `json:"unit_code"`
	IDNumber    string    `json:"id_number"`
	Reason      string    `json:"reason"`
	DossierCode string    `json:"dossier_code,omitempty"`
	Outcome     string    `json:"outcome"`
	Detail      string    `json:"detail,omitempty"` // what differed, for a mismatch
}

// Store keeps the look-up log.
type Store interface {
	// AddLookup writes one entry and sets its ID.
	AddLookup(ctx context.Context, e *Entry) error
	// Lookups returns a page of unit's entries, newest first, and their count.
	Lookups(ctx context.Context, unit string, limit, offset int) ([]Entry, int, error)
}

// Dossiers is what the service needs of the dossiers: reading one as the
// officer may, and appending the outcome to its history.
type Dossiers interface {
	Get(ctx context.Context, actor auth.Actor, code string) (*dossier.Dossier, error)
	RecordPopulationCheck(ctx context.Context, actor auth.Actor, code, outcome string) (*dossier.Dossier, error)
}

// Units tells what kind of unit an officer belongs to.
type Units interface {
	Unit(ctx context.Context, code string) (*unit.Unit, error)
}

// Service checks people against the registry.
type Service struct {
	Registry Registry // nil: not configured
	Store    Store
	Dossiers Dossiers
	Units    Units // the leader of a residential group is not an officer of the one-stop shop
	Now      func() time.Time
}

// Result is the answer to a check.
type Result struct {
	Outcome     string    `json:"outcome"`
	Role        string    `json:"role,omitempty"`        // for a dossier: whose number it is, applicant or subject
	Person      *Person   `json:"person,omitempty"`      // nil unless the registry found the number
	Differences []string  `json:"differences,omitempty"` // for a mismatch: full_name, birth_date, id_number
	CheckedAt   time.Time `json:"checked_at"`
	DossierCode string    `json:"dossier_code,omitempty"`
	LogID       int64     `json:"log_id"`
}

// Configured tells whether a registry is set.
func (s *Service) Configured() bool { return s != nil && s.Registry != nil }

// Bounds of a look-up: the length of its reason and of the cause kept in
// the log when the registry did not answer, and how long writing the log
// and the dossier's history may take once the registry was asked.
const (
	maxReason  = 500
	maxCause   = 200
	logTimeout = 5 * time.Second
)

// Verify looks idNumber up for actor, an officer of a unit (not the leader
// of a residential group), who must say why. Given a dossier code, the officer must be able to see that dossier;
// the person found is compared with the dossier's applicant (or its
// subject, when the number is the subject's) and the outcome is appended to
// the dossier's history. Every look-up is logged, the failed ones too,
// before anything of the person is returned: a look-up that cannot be
// logged fails.
func (s *Service) Verify(ctx context.Context, actor auth.Actor, idNumber, reason, dossierCode string) (*Result, error) {
	if !actor.IsOfficer() || actor.UnitCode == "" {
		return nil, errNotOfficer
	}
	if u, err := s.Units.Unit(ctx, actor.UnitCode); err != nil || u.Kind == unit.KindGroup {
		return nil, errNotOfficer
	}
	if _, bad := vntext.Unclean(reason, true); bad {
		return nil, apperr.Invalid("reason", "Lý do tra cứu có ký tự không hợp lệ", "the reason for the look-up contains characters that are not allowed")
	}
	reason = vntext.Clean(reason)
	if reason == "" || len(reason) > maxReason {
		return nil, apperr.Invalid("reason", "Cần ghi lý do tra cứu (tối đa 500 ký tự)", "state the reason for the look-up (500 characters at most)")
	}
	id, err := vntext.NormalizeIDNumber(idNumber, s.Now())
	if err != nil {
		return nil, err
	}
	var d *dossier.Dossier
	if dossierCode = strings.TrimSpace(dossierCode); dossierCode != "" {
		if d, err = s.Dossiers.Get(ctx, actor, dossierCode); err != nil {
			return nil, err
		}
	}
	if !s.Configured() {
		return nil, ErrNotConfigured
	}
	res := &Result{DossierCode: dossierCode}
	p, lookErr := s.Registry.Lookup(ctx, id)
	var detail string
	switch {
	case lookErr == nil:
		res.Person = &p
		res.Outcome = Match
		if d != nil {
			if res.Role, res.Differences = Compare(p, d); len(res.Differences) > 0 {
				res.Outcome = Mismatch
			}
		}
		detail = strings.Join(res.Differences, ",")
	case apperr.Code(lookErr) == apperr.ENOTFOUND:
		res.Outcome = NotFound
	default:
		res.Outcome = Unavailable
		if !errors.Is(lookErr, ErrUnavailable) {
			lookErr = unavailable(lookErr)
		}
		detail = shortCause(lookErr)
	}
	// The registry was asked: the log and the history are written even when
	// the request is given up meanwhile (the client went away), each with a
	// time of its own.
	logCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logTimeout)
	defer cancel()
	res.CheckedAt = s.Now().UTC().Truncate(time.Microsecond)
	e := Entry{At: res.CheckedAt, Username: actor.Username, ActorName: actor.FullName, ActorRole: actor.Role, UnitCode: actor.UnitCode,
		IDNumber: id, Reason: reason, DossierCode: dossierCode, Outcome: res.Outcome, Detail: detail}
	if err := s.Store.AddLookup(logCtx, &e); err != nil {
		return nil, err
	}
	res.LogID = e.ID
	if res.Outcome == Unavailable {
		return nil, lookErr
	}
	if d != nil {
		if _, err := s.Dossiers.RecordPopulationCheck(logCtx, actor, d.Code, Note(res.Outcome, res.Role, res.Differences)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// shortCause is why the registry did not answer, as the log keeps it: one
// line of clean text, 200 bytes at most.
func shortCause(err error) string {
	var u *unavailableError
	c := err.Error()
	if errors.As(err, &u) {
		c = u.cause.Error()
	}
	c = strings.Map(func(r rune) rune {
		if r < 0x20 || (0x7F <= r && r <= 0x9F) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(c, "?"))
	return vntext.Truncate(vntext.Clean(c), maxCause)
}

var errNotOfficer = apperr.Forbidden("Chỉ cán bộ của đơn vị được tra cứu Cơ sở dữ liệu quốc gia về dân cư",
	"only officers of a unit may look up the population database")

// Log returns a page of the look-up log of actor's unit, newest first: for
// the unit's leaders and administrators.
func (s *Service) Log(ctx context.Context, actor auth.Actor, limit, offset int) ([]Entry, int, error) {
	if (actor.Role != auth.RoleLeader && actor.Role != auth.RoleAdmin) || actor.UnitCode == "" {
		return nil, 0, apperr.Forbidden("Chỉ lãnh đạo, quản trị của đơn vị được xem nhật ký tra cứu dân cư",
			"only the unit's leaders and administrators may read the population look-up log")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return s.Store.Lookups(ctx, actor.UnitCode, limit, max(offset, 0))
}

// Whose number a dossier's check looked up.
const (
	RoleApplicant = "applicant"
	RoleSubject   = "subject"
)

// RoleName is the Vietnamese and the English name of each role.
var RoleName = map[string][2]string{
	RoleApplicant: {"người nộp", "applicant"},
	RoleSubject:   {"người được cấp kết quả", "subject"},
}

// FieldName is the Vietnamese and the English name of each compared field.
var FieldName = map[string][2]string{
	"full_name":            {"họ tên", "full name"},
	"full_name_diacritics": {"họ tên (dấu)", "full name (diacritics)"},
	"birth_date":           {"ngày sinh", "birth date"},
	"id_number":            {"số định danh", "ID number"},
}

// Note is the text sealed into a dossier's history for an outcome, in
// Vietnamese: "khớp (người nộp)", or "không khớp (người nộp): họ tên, ngày
// sinh". NoteIn reads it back in another language.
func Note(outcome, role string, differences []string) string {
	return noteText(outcome, role, differences, 0)
}

// noteText writes a note in language lang (0 Vietnamese, 1 English).
func noteText(outcome, role string, differences []string, lang int) string {
	n := OutcomeName[outcome][lang]
	if r, ok := RoleName[role]; ok {
		n += " (" + r[lang] + ")"
	}
	if len(differences) > 0 {
		n += ": " + FieldsText(differences, lang)
	}
	return n
}

// FieldsText names the fields in language lang (0 Vietnamese, 1 English),
// comma separated; a key it does not know is kept as it is.
func FieldsText(fields []string, lang int) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f
		if n, ok := FieldName[f]; ok {
			names[i] = n[lang]
		}
	}
	return strings.Join(names, ", ")
}

// ReadNote reads back a note written by Note: its outcome, role and
// differences; ok is false for a note Note did not write.
func ReadNote(note string) (outcome, role string, differences []string, ok bool) {
	best := -1
	for o := range OutcomeName {
		for _, r := range []string{"", RoleApplicant, RoleSubject} {
			head := Note(o, r, nil)
			if len(head) <= best || (note != head && !strings.HasPrefix(note, head+": ")) {
				continue
			}
			diff, good := readFields(strings.TrimPrefix(strings.TrimPrefix(note, head), ": "))
			if good {
				best, outcome, role, differences = len(head), o, r, diff
			}
		}
	}
	return outcome, role, differences, best >= 0
}

// readFields reads Vietnamese field names back into their keys.
func readFields(s string) ([]string, bool) {
	if s == "" {
		return nil, true
	}
	var keys []string
	for _, name := range strings.Split(s, ", ") {
		k := ""
		for f, n := range FieldName {
			if n[0] == name {
				k = f
			}
		}
		if k == "" {
			return nil, false
		}
		keys = append(keys, k)
	}
	return keys, true
}

// NoteIn is note (as Note writes it) in language lang (0 Vietnamese, 1
// English), and its outcome; a note Note did not write is kept as it is,
// with no outcome.
func NoteIn(note string, lang int) (text, outcome string) {
	o, r, diff, ok := ReadNote(note)
	if !ok {
		return note, ""
	}
	return noteText(o, r, diff, lang), o
}

// DetailIn is an entry's detail in language lang (0 Vietnamese, 1
// English): the names of the fields that differed for a mismatch, the
// cause kept as it is when the registry did not answer.
func DetailIn(e Entry, lang int) string {
	if e.Outcome != Mismatch || e.Detail == "" {
		return e.Detail
	}
	return FieldsText(strings.Split(e.Detail, ","), lang)
}

// Compare tells whose number p is in the dossier (the applicant's, else
// the subject's) and lists what differs between the registry's person and
// the dossier's: the full name, as NFC text regardless of case and of
// white space (a difference in the diacritics only is full_name_diacritics),
// and the birth date as far as both give it. A number that is neither the
// applicant's nor the subject's is a difference itself, compared with the
// applicant.
func Compare(p Person, d *dossier.Dossier) (role string, diff []string) {
	role, name, birth, id := RoleApplicant, d.Applicant.Name, "", d.Applicant.IDNumber
	if s := d.Subject; s != nil && s.IDNumber != "" && s.IDNumber == p.IDNumber && id != p.IDNumber {
		role, name, birth, id = RoleSubject, s.Name, s.BirthDate, s.IDNumber
	}
	if id != p.IDNumber {
		diff = append(diff, "id_number")
	}
	switch {
	case vntext.CompareKey(name) == vntext.CompareKey(p.FullName):
	case vntext.Fold(name) == vntext.Fold(p.FullName):
		diff = append(diff, "full_name_diacritics")
	default:
		diff = append(diff, "full_name")
	}
	if birth != "" && p.BirthDate != "" {
		n := min(len(birth), len(p.BirthDate))
		if birth[:n] != p.BirthDate[:n] {
			diff = append(diff, "birth_date")
		}
	}
	return role, diff
}
