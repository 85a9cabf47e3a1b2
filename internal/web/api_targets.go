package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/target"
)

// targetRequest is the body of POST /api/v1/targets and PUT /api/v1/targets/{id}.
type targetRequest struct {
	Unit      string   `json:"unit,omitempty"` // POST only; the leader's unit by default
	Year      int      `json:"year"`
	Name      string   `json:"name"`
	Measure   string   `json:"measure,omitempty"`
	Kind      string   `json:"kind"`
	Plan      *float64 `json:"plan"`
	Direction string   `json:"direction,omitempty"`
	Aggregate string   `json:"aggregate,omitempty"`
	Period    string   `json:"period,omitempty"`
	Source    string   `json:"source,omitempty"`
	Version   int      `json:"version,omitempty"` // PUT: the version edited, to refuse a lost update
}

func (q targetRequest) target() (target.Target, error) {
	if q.Plan == nil {
		return target.Target{}, apperr.Invalid("plan", "Cần nhập giá trị kế hoạch", "plan is required")
	}
	return target.Target{UnitCode: q.Unit, Year: q.Year, Name: q.Name, Measure: q.Measure, Kind: q.Kind, Plan: *q.Plan,
		Direction: q.Direction, Aggregate: q.Aggregate, Period: q.Period, Source: q.Source, Version: q.Version}, nil
}

// actualRequest is the body of POST /api/v1/targets/{id}/actuals.
type actualRequest struct {
	Period string   `json:"period"`
	Value  *float64 `json:"value"`
}

// Leaders read the targets of their unit and of the units under it, as the
// statistics are scoped; only a leader of the target's own unit writes.
var (
	errTargetsLeaders = apperr.Forbidden("Chỉ lãnh đạo được xem và giao chỉ tiêu", "only leaders may see and set targets")
	errTargetsScope   = apperr.Forbidden("Bạn chỉ xem được chỉ tiêu của đơn vị mình và các đơn vị trực thuộc", "you may only see the targets of your unit and the units under it")
	errTargetsWrite   = apperr.Forbidden("Chỉ lãnh đạo của chính đơn vị được sửa chỉ tiêu của đơn vị", "only a leader of the unit may change its targets")
)

// targetReader checks that the caller may read unitCode's targets ("" = the
// caller's unit) and returns the unit.
func (s *Server) targetReader(ctx context.Context, a auth.Actor, unitCode string) (string, error) {
	if a.Role != auth.RoleLeader || a.UnitCode == "" {
		return "", errTargetsLeaders
	}
	if unitCode == "" || unitCode == a.UnitCode {
		return a.UnitCode, nil
	}
	ok, err := s.DB.UnitWithin(ctx, unitCode, a.UnitCode)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errTargetsScope
	}
	return unitCode, nil
}

// targetWriter checks that the caller leads unitCode.
func targetWriter(a auth.Actor, unitCode string) error {
	if a.Role != auth.RoleLeader || a.UnitCode == "" {
		return errTargetsLeaders
	}
	if unitCode != a.UnitCode {
		return errTargetsWrite
	}
	return nil
}

// yearParam reads ?year=, by default this year.
func (s *Server) yearParam(r *http.Request) (int, error) {
	y := r.URL.Query().Get("year")
	if y == "" {
		return s.now().In(stats.Zone).Year(), nil
	}
	n, err := strconv.Atoi(y)
	if err != nil || n < 2000 || n > 2100 {
		return 0, apperr.Invalid("year", "Năm phải là số từ 2000 đến 2100", "year must be a number from 2000 to 2100")
	}
	return n, nil
}

// targetBoard reads the board the request asks for, scoped to the caller.
func (s *Server) targetBoard(r *http.Request, a auth.Actor) (*target.Board, error) {
	unit, err := s.targetReader(r.Context(), a, r.URL.Query().Get("unit"))
	if err != nil {
		return nil, err
	}
	year, err := s.yearParam(r)
	if err != nil {
		return nil, err
	}
	return target.Load(r.Context(), s.DB, s.DB, unit, year, s.now())
}

// listTargets answers a unit's targets of a year with where each stands.
func (s *Server) listTargets(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err == nil {
		var b *target.Board
		if b, err = s.targetBoard(r, a); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"unit": b.UnitCode, "year": b.Year, "targets": b.Targets,
				"summary": b.Summary, "summary_text": report.Summary(b.Summary)})
			return
		}
	}
	s.fail(w, r, err)
}

// addTarget sets a new target for the leader's unit.
func (s *Server) addTarget(w http.ResponseWriter, r *http.Request) {
	t, a, err := s.readTarget(w, r)
	if err == nil {
		if t.UnitCode == "" {
			t.UnitCode = a.UnitCode
		}
		if err = targetWriter(a, t.UnitCode); err == nil {
			if t, err = s.DB.AddTarget(r.Context(), t, a); err == nil {
				writeJSON(w, http.StatusCreated, t)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// updateTarget changes a target of the leader's unit.
func (s *Server) updateTarget(w http.ResponseWriter, r *http.Request) {
	old, a, err := s.pathTarget(r)
	if err == nil {
		var t target.Target
		if t, _, err = s.readTarget(w, r); err == nil {
			t.ID = old.ID
			if t, err = s.DB.UpdateTarget(r.Context(), t, a); err == nil {
				writeJSON(w, http.StatusOK, t)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// addActual enters a period's actual of a target of the leader's unit.
func (s *Server) addActual(w http.ResponseWriter, r *http.Request) {
	t, a, err := s.pathTarget(r)
	if err == nil {
		var req actualRequest
		if err = decode(w, r, &req); err == nil {
			if req.Value == nil {
				err = apperr.Invalid("value", "Cần nhập giá trị thực hiện", "value is required")
			} else {
				var act target.Actual
				if act, err = s.DB.SetActual(r.Context(), t.ID, req.Period, *req.Value, a); err == nil {
					writeJSON(w, http.StatusOK, act)
					return
				}
			}
		}
	}
	s.fail(w, r, err)
}

func (s *Server) readTarget(w http.ResponseWriter, r *http.Request) (target.Target, auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return target.Target{}, a, err
	}
	if err := targetWriter(a, a.UnitCode); err != nil {
		return target.Target{}, a, err
	}
	var req targetRequest
	if err := decode(w, r, &req); err != nil {
		return target.Target{}, a, err
	}
	t, err := req.target()
	return t, a, err
}

// pathTarget reads the target named in the path, which the caller must
// lead; another unit's target is "not found" to a leader who may not see it.
func (s *Server) pathTarget(r *http.Request) (target.Target, auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return target.Target{}, a, err
	}
	if err := targetWriter(a, a.UnitCode); err != nil {
		return target.Target{}, a, err
	}
	id, err := pathID(r)
	if err != nil {
		return target.Target{}, a, err
	}
	t, err := s.DB.Target(r.Context(), id)
	if err != nil {
		return t, a, err
	}
	if _, err := s.targetReader(r.Context(), a, t.UnitCode); err != nil {
		return t, a, apperr.NotFound("Không tìm thấy chỉ tiêu", "target not found")
	}
	return t, a, targetWriter(a, t.UnitCode)
}
