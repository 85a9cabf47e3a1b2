// Package population looks people up in the national population database
// (Cơ sở dữ liệu quốc gia về dân cư, Đề án 06) so that an officer can check
// what an applicant declared against the registry: the registry's client
// behind an interface, the rules of who may look up and why, the log every
// look-up leaves, and the comparison with a dossier's applicant, which is
// sealed into the dossier's history.
package population

import (
	"context"
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
	Person      *Person   `json:"person,omitempty"`      // nil unless the registry found the number
	Differences []string  `json:"differences,omitempty"` // for a mismatch: full_name, birth_date, id_number
	CheckedAt   time.Time `json:"checked_at"`
	DossierCode string    `json:"dossier_code,omitempty"`
	LogID       int64     `json:"log_id"`
}

// Configured tells whether a registry is set.
func (s *Service) Configured() bool { return s != nil && s.Registry != nil }

// maxReason bounds the reason of a look-up.
const maxReason = 500

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
	switch {
	case lookErr == nil:
		res.Person = &p
		res.Outcome = Match
		if d != nil {
			if res.Differences = Compare(p, d); len(res.Differences) > 0 {
				res.Outcome = Mismatch
			}
		}
	case apperr.Code(lookErr) == apperr.ENOTFOUND:
		res.Outcome = NotFound
	default:
		res.Outcome = Unavailable
	}
	res.CheckedAt = s.Now().UTC().Truncate(time.Microsecond)
	e := Entry{At: res.CheckedAt, Username: actor.Username, ActorName: actor.FullName, ActorRole: actor.Role, UnitCode: actor.UnitCode,
		IDNumber: id, Reason: reason, DossierCode: dossierCode, Outcome: res.Outcome, Detail: strings.Join(res.Differences, ",")}
	if err := s.Store.AddLookup(ctx, &e); err != nil {
		return nil, err
	}
	res.LogID = e.ID
	if res.Outcome == Unavailable {
		return nil, ErrUnavailable
	}
	if d != nil {
		if _, err := s.Dossiers.RecordPopulationCheck(ctx, actor, d.Code, Note(res.Outcome, res.Differences)); err != nil {
			return nil, err
		}
	}
	return res, nil
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

// fieldName is the Vietnamese name of each compared field.
var fieldName = map[string]string{"full_name": "họ tên", "birth_date": "ngày sinh", "id_number": "số định danh"}

// Note is the text sealed into a dossier's history for an outcome: "khớp",
// or "không khớp: họ tên, ngày sinh".
func Note(outcome string, differences []string) string {
	n := OutcomeName[outcome][0]
	if len(differences) > 0 {
		names := make([]string, len(differences))
		for i, f := range differences {
			names[i] = fieldName[f]
		}
		n += ": " + strings.Join(names, ", ")
	}
	return n
}

// Compare lists what differs between the registry's person and the
// dossier's: the one whose ID number it is (the applicant, else the
// subject), by folded full name and by birth date as far as both give it.
// A number that is neither the applicant's nor the subject's is a
// difference itself, compared with the applicant.
func Compare(p Person, d *dossier.Dossier) []string {
	name, birth, id := d.Applicant.Name, "", d.Applicant.IDNumber
	if s := d.Subject; s != nil && s.IDNumber != "" && s.IDNumber == p.IDNumber && id != p.IDNumber {
		name, birth, id = s.Name, s.BirthDate, s.IDNumber
	}
	var diff []string
	if id != p.IDNumber {
		diff = append(diff, "id_number")
	}
	if vntext.Fold(name) != vntext.Fold(p.FullName) {
		diff = append(diff, "full_name")
	}
	if birth != "" && p.BirthDate != "" {
		n := min(len(birth), len(p.BirthDate))
		if birth[:n] != p.BirthDate[:n] {
			diff = append(diff, "birth_date")
		}
	}
	return diff
}
