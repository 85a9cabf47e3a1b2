package dossier

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

// Store keeps dossiers. Every method is one transaction.
type Store interface {
	// Create assigns the dossier its code (daily counter per agency) and
	// writes it with its first event and roll-up counts.
	Create(ctx context.Context, d *Dossier, agency string, ch Change) error
	// Update loads the dossier, lets fn change it, and writes the dossier, the
	// event and the counts, unless fn fails. A concurrent change makes it fail
	// with ECONFLICT.
	Update(ctx context.Context, code string, fn func(d *Dossier) (Change, error)) (*Dossier, error)
	// Get returns the dossier with its history.
	Get(ctx context.Context, code string) (*Dossier, error)
	// Brief returns the dossier's row alone: no units, no history.
	Brief(ctx context.Context, code string) (*Dossier, error)
	// List returns the dossiers of f that the scope may see, and their count.
	List(ctx context.Context, f Filter, scope Scope) ([]Dossier, int, error)
	// Work returns a page (limit, from offset) of the open dossiers
	// (statuses 1, 2 and 4) that passed through unit and are assigned to
	// username or to nobody, read off the unit's own rows, the most urgent
	// step first.
	Work(ctx context.Context, unit, username string, limit, offset int) ([]Dossier, error)
	// Papers returns the papers of the applicant's own dossiers (wallet.go),
	// newest first; with ids, only those of them.
	Papers(ctx context.Context, applicantUserID int64, ids []int64) ([]Paper, error)
}

// Scope limits a listing to what a caller may see.
type Scope struct {
	All             bool   // system work
	UnitCode        string // officers: dossiers that passed through this unit
	ApplicantUserID int64  // applicants: their own
}

// Procedures finds procedures by code, as a unit applies them: the national
// definition with the steps and the active flag its province and the unit
// itself set.
type Procedures interface {
	ForUnit(ctx context.Context, code, unitCode string) (*procedure.Procedure, error)
}

// Calendars gives the working-time calendar of a unit.
type Calendars interface {
	For(ctx context.Context, unitCode string) (Calendar, error)
}

// Units answers questions about units for submissions.
type Units interface {
	AgencyCode(ctx context.Context, unitCode string) (string, error)
}

// Officers finds an officer named as the assignee of a forward.
type Officers interface {
	Officer(ctx context.Context, username string) (*auth.User, error)
}

// Service applies the lifecycle rules.
type Service struct {
	Store      Store
	Procedures Procedures
	Calendars  Calendars
	Units      Units
	Officers   Officers
	Now        func() time.Time
}

// Submit creates a dossier.
func (s *Service) Submit(ctx context.Context, actor auth.Actor, req SubmitRequest) (*Dossier, error) {
	if actor.IsOfficer() && req.UnitCode == "" {
		req.UnitCode = actor.UnitCode
	}
	if req.UnitCode == "" {
		// An applicant may file with any unit that receives the procedure
		// (a centre accepts dossiers from the whole province), so none is
		// guessed.
		return nil, apperr.Invalid("unit_code", "Thiếu unit_code: chọn cơ quan tiếp nhận hồ sơ (mã đơn vị, ví dụ 00004)",
			"unit_code is missing: choose the receiving unit (its code, e.g. 00004)")
	}
	agency, err := s.Units.AgencyCode(ctx, req.UnitCode)
	if err != nil {
		return nil, err
	}
	p, err := s.Procedures.ForUnit(ctx, strings.TrimSpace(req.ProcedureCode), req.UnitCode)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendars.For(ctx, req.UnitCode)
	if err != nil {
		return nil, err
	}
	if err := s.checkReuse(ctx, actor, req); err != nil {
		return nil, err
	}
	papers, err := s.papersOf(ctx, actor, req)
	if err != nil {
		return nil, err
	}
	d, ch, err := New(req, Env{Proc: p, Cal: cal, Actor: actor, Now: s.Now(), Papers: papers})
	if err != nil {
		return nil, err
	}
	if err := s.Store.Create(ctx, d, agency, ch); err != nil {
		return nil, err
	}
	return d, nil
}

// Act performs a lifecycle action on the dossier code for actor.
func (s *Service) Act(ctx context.Context, actor auth.Actor, code string, req ActionRequest) (*Dossier, error) {
	return s.act(ctx, actor, code, req, false)
}

// RateByProof lets an applicant without an account rate a dossier after
// proving it is theirs with its code and their ID number or phone.
func (s *Service) RateByProof(ctx context.Context, code, proof string, rating int, comment string) (*Dossier, error) {
	d, err := s.Lookup(ctx, code, proof)
	if err != nil {
		return nil, err
	}
	anon := auth.Actor{Username: "applicant", FullName: d.Applicant.Name, Role: auth.RoleApplicant}
	return s.act(ctx, anon, code, ActionRequest{Action: ActRate, Rating: rating, Comment: comment}, true)
}

func (s *Service) act(ctx context.Context, actor auth.Actor, code string, req ActionRequest, proven bool) (*Dossier, error) {
	if !ValidCode(code) {
		return nil, errNoDossier
	}
	var assigneeUnit string
	if req.Action == ActForward && req.Assignee != "" {
		u, err := s.Officers.Officer(ctx, req.Assignee)
		if err != nil || u.Disabled || u.Role == auth.RoleApplicant {
			return nil, apperr.Invalid("assignee", "Không tìm thấy cán bộ được giao: "+req.Assignee, "no such officer: "+req.Assignee)
		}
		assigneeUnit = u.UnitCode
	}
	// The procedure and the calendar are read before the transaction: read
	// inside it, they would need a second connection while the transaction
	// holds one, and under load every connection would wait for another.
	// A dossier's procedure and unit never change, so the brief read stays
	// true inside the transaction.
	brief, err := s.Store.Brief(ctx, code)
	if err != nil {
		return nil, err
	}
	p, err := s.Procedures.ForUnit(ctx, brief.ProcedureCode, brief.UnitCode)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendars.For(ctx, brief.UnitCode)
	if err != nil {
		return nil, err
	}
	return s.Store.Update(ctx, code, func(d *Dossier) (Change, error) {
		if !proven && !CanView(actor, d) {
			return Change{}, errNoDossier
		}
		ch, err := Apply(d, req, Env{Proc: p, Cal: cal, Actor: actor, Now: s.Now(), Proven: proven})
		if err == nil && assigneeUnit != "" && !slices.Contains(d.Units, assigneeUnit) {
			// Forwarding to an officer of another unit lets that unit see the
			// dossier from now on.
			d.Units = append(d.Units, assigneeUnit)
			ch.NewUnits = append(ch.NewUnits, assigneeUnit)
		}
		return ch, err
	})
}

var errNoDossier = apperr.NotFound("Không tìm thấy hồ sơ", "dossier not found")

// CanView tells whether actor may see d: officers of a unit it passed
// through, and its applicant.
func CanView(a auth.Actor, d *Dossier) bool {
	switch {
	case a.Role == "system":
		return true
	case a.IsOfficer():
		return a.UnitCode == d.UnitCode || slices.Contains(d.Units, a.UnitCode)
	case a.Role == auth.RoleApplicant:
		return a.UserID != 0 && a.UserID == d.ApplicantUserID
	}
	return false
}

// Get returns a dossier with its history, if actor may see it. A dossier the
// caller may not see is reported as not found, so codes cannot be probed.
func (s *Service) Get(ctx context.Context, actor auth.Actor, code string) (*Dossier, error) {
	if !ValidCode(code) {
		return nil, errNoDossier
	}
	d, err := s.Store.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	if !CanView(actor, d) {
		return nil, errNoDossier
	}
	return d, nil
}

// List returns the dossiers actor may see.
func (s *Service) List(ctx context.Context, actor auth.Actor, f Filter) ([]Dossier, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var sc Scope
	switch {
	case actor.IsOfficer():
		sc.UnitCode = actor.UnitCode
	case actor.Role == auth.RoleApplicant && actor.UserID != 0:
		sc.ApplicantUserID = actor.UserID
	default:
		return nil, 0, apperr.New(apperr.EUNAUTHORIZED, "Vui lòng đăng nhập", "please sign in")
	}
	return s.Store.List(ctx, f, sc)
}

// Lookup is the public look-up: the code plus the applicant's ID number or
// phone. Both wrong and unknown answer the same "not found".
func (s *Service) Lookup(ctx context.Context, code, proof string) (*Dossier, error) {
	proof = strings.TrimSpace(proof)
	if !ValidCode(strings.TrimSpace(code)) || proof == "" {
		return nil, apperr.Invalid("code", "Nhập mã hồ sơ và số định danh cá nhân (hoặc số điện thoại) của người nộp", "enter the dossier code and the applicant's ID number or phone")
	}
	d, err := s.Store.Get(ctx, strings.TrimSpace(code))
	if err != nil {
		return nil, err
	}
	if !matchesProof(d, proof, s.Now()) {
		return nil, errNoDossier
	}
	return d, nil
}

// matchesProof tells whether proof is the applicant's ID number (typed
// with the spaces, dots or dashes people group it with) or phone.
func matchesProof(d *Dossier, proof string, now time.Time) bool {
	if proof == d.Applicant.IDNumber {
		return true
	}
	if id, err := vntext.NormalizeIDNumber(proof, now); err == nil && d.Applicant.IDNumber != "" {
		return id == d.Applicant.IDNumber
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, proof)
	if strings.HasPrefix(digits, "84") && len(digits) == 11 {
		digits = "0" + digits[2:]
	}
	return d.Applicant.Phone != "" && digits == d.Applicant.Phone
}

// Applier reads what an action on the dossier code needs (its procedure and
// calendar) and returns a function that applies an action to the dossier
// inside a transaction another store opened: for a change that must commit
// with a record of its own (a payment), through the same write path.
func (s *Service) Applier(ctx context.Context, code string) (func(d *Dossier, actor auth.Actor, req ActionRequest) (Change, error), error) {
	brief, err := s.Store.Brief(ctx, code)
	if err != nil {
		return nil, err
	}
	p, err := s.Procedures.ForUnit(ctx, brief.ProcedureCode, brief.UnitCode)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendars.For(ctx, brief.UnitCode)
	if err != nil {
		return nil, err
	}
	return func(d *Dossier, actor auth.Actor, req ActionRequest) (Change, error) {
		if !CanView(actor, d) {
			return Change{}, errNoDossier
		}
		return Apply(d, req, Env{Proc: p, Cal: cal, Actor: actor, Now: s.Now()})
	}, nil
}
