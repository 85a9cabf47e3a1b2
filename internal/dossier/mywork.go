package dossier

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
)

// WorkLimit bounds the dossiers one "my work" list shows.
const WorkLimit = 1000

// workPage is how many of the unit's open dossiers one read of the store
// brings; the rows are read page after page until the list is full, since
// the step's role is checked here, not in the query (a variable so that a
// test can make pages small).
var workPage = WorkLimit

// Due states of a work item, said in words on the pages.
const (
	DueLate = "late" // the due time has passed
	DueSoon = "soon" // due within one working day
)

// WorkItem is a dossier waiting for an officer: assigned to them, or
// waiting unassigned at a step of their role.
type WorkItem struct {
	*Dossier
	Assigned  bool   `json:"assigned"`             // assigned to the officer by name
	StepState string `json:"step_state,omitempty"` // the step's due time: late, soon or ""
	DueState  string `json:"due_state,omitempty"`  // the dossier's due time: late, soon or ""
}

// Mine tells whether d waits for a at its current step p.Steps[d.Step]:
// assigned to a; or unassigned at a step of a's role, received by a's unit,
// and in a's department when the step names one and a has one.
func Mine(a auth.Actor, d *Dossier, p *procedure.Procedure) bool {
	if !a.IsOfficer() || !d.Status.Open() || d.Status.Paused() {
		return false
	}
	if d.StepAssignee != "" {
		return d.StepAssignee == a.Username
	}
	if d.Step < 0 || d.Step >= len(p.Steps) || p.Steps[d.Step].Role != a.Role || d.UnitCode != a.UnitCode {
		return false
	}
	return d.StepDepartment == "" || a.Department == "" || d.StepDepartment == a.Department
}

// MyWork lists what waits for the officer a, the step due first, then the
// dossier's due time; dossiers without a clock (online submissions not yet
// received) come last.
func (s *Service) MyWork(ctx context.Context, a auth.Actor) ([]WorkItem, error) {
	switch a.Role {
	case auth.RoleCounter, auth.RoleSpecialist, auth.RoleLeader:
	case auth.RoleApplicant, "":
		return nil, apperr.Forbidden("Chỉ cán bộ xử lý hồ sơ có danh sách việc", "only officers have a work list")
	default:
		return []WorkItem{}, nil // administrators handle no steps
	}
	procs := map[string]*procedure.Procedure{}
	cals := map[string]Calendar{}
	now := s.Now()
	out := []WorkItem{}
	for offset := 0; len(out) < WorkLimit; offset += workPage {
		ds, err := s.Store.Work(ctx, a.UnitCode, a.Username, workPage, offset)
		if err != nil {
			return nil, err
		}
		for i := range ds {
			d := &ds[i]
			key := d.ProcedureCode + "/" + d.UnitCode // each unit has its own steps
			p, ok := procs[key]
			if !ok {
				if p, err = s.Procedures.ForUnit(ctx, d.ProcedureCode, d.UnitCode); err != nil {
					return nil, err
				}
				procs[key] = p
			}
			if !Mine(a, d, p) {
				continue
			}
			cal, ok := cals[d.UnitCode]
			if !ok {
				if cal, err = s.Calendars.For(ctx, d.UnitCode); err != nil {
					return nil, err
				}
				cals[d.UnitCode] = cal
			}
			out = append(out, WorkItem{Dossier: d, Assigned: d.StepAssignee == a.Username,
				StepState: dueState(cal, now, d.StepDueAt), DueState: dueState(cal, now, d.DueAt)})
			if len(out) == WorkLimit {
				break
			}
		}
		if len(ds) < workPage {
			break
		}
	}
	slices.SortStableFunc(out, func(x, y WorkItem) int {
		return cmp.Or(cmpDue(x.StepDueAt, y.StepDueAt), cmpDue(x.DueAt, y.DueAt), cmp.Compare(x.Code, y.Code))
	})
	return out, nil
}

// cmpDue orders due times, "no due time" last.
func cmpDue(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// dueState says whether due has passed, or comes within one working day.
func dueState(cal Calendar, now, due time.Time) string {
	switch {
	case due.IsZero():
		return ""
	case !due.After(now):
		return DueLate
	case cal.Between(now, due) <= cal.DayLength():
		return DueSoon
	}
	return ""
}
