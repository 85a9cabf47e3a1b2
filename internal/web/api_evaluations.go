package web

import (
	"context"
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/store"
)

func (s *Server) evaluations() *evaluation.Service {
	return &evaluation.Service{Store: store.Evaluations{DB: s.DB}, Now: s.now}
}

// evalScope is what a caller may see of a unit's evaluation for a period:
// a leader the whole unit (theirs or one under it), any other officer only
// their own row.
type evalScope struct {
	Unit   string
	Period evaluation.Period
	Self   bool // the caller sees only their own evaluation
}

// errEvalSelf refuses a leader's points on his own evaluation: another
// leader of the unit, or one above it, scores him.
var errEvalSelf = apperr.Forbidden("Bạn không được tự chấm điểm hay sửa điểm đánh giá của chính mình; lãnh đạo khác của đơn vị hoặc lãnh đạo cấp trên chấm",
	"you may not enter or override points on your own evaluation; another leader of the unit or one above does")

var errEvalLeaders = apperr.Forbidden("Chỉ lãnh đạo đơn vị (và cấp trên) xem được đánh giá của đơn vị; cán bộ chỉ xem được đánh giá của mình",
	"only the unit's leaders (and those above) see the unit's evaluation; officers see only their own")

// evalScopeOf reads ?unit= and ?period= (this month by default) and checks
// them against the caller.
func (s *Server) evalScopeOf(ctx context.Context, a auth.Actor, unit, period string) (evalScope, error) {
	if !a.IsOfficer() || a.UnitCode == "" {
		return evalScope{}, errEvalLeaders
	}
	sc := evalScope{Unit: unit, Period: evaluation.Month(s.now())}
	if period != "" {
		p, err := evaluation.ParsePeriod(period)
		if err != nil {
			return sc, err
		}
		sc.Period = p
	}
	if sc.Unit == "" {
		sc.Unit = a.UnitCode
	}
	if a.Role != auth.RoleLeader {
		sc.Self = true
		if sc.Unit != a.UnitCode {
			return sc, errEvalLeaders
		}
		return sc, nil
	}
	ok, err := s.DB.UnitWithin(ctx, sc.Unit, a.UnitCode)
	if err != nil {
		return sc, err
	}
	if !ok {
		return sc, errEvalLeaders
	}
	return sc, nil
}

// evalResult is the answer of GET /api/v1/evaluations.
type evalResult struct {
	Unit     string                  `json:"unit"`
	Period   string                  `json:"period"`
	From     string                  `json:"from"`
	To       string                  `json:"to"`
	Criteria []evaluation.Criterion  `json:"criteria"`
	Grades   evaluation.Grades       `json:"grades"`
	UnitEval *evaluation.Evaluation  `json:"unit_evaluation"` // null for an officer who sees only their own
	Officers []evaluation.Evaluation `json:"officers"`
}

// evaluate computes what the scope shows, now.
func (s *Server) evaluate(ctx context.Context, a auth.Actor, sc evalScope) (evalResult, error) {
	res := evalResult{Unit: sc.Unit, Period: sc.Period.Key, From: sc.Period.FirstDay(), To: sc.Period.LastDay(),
		Criteria: evaluation.Criteria, Grades: evaluation.DefaultGrades, Officers: []evaluation.Evaluation{}}
	svc := s.evaluations()
	if sc.Self {
		ev, err := svc.Officer(ctx, sc.Unit, evaluation.Officer{Username: a.Username, FullName: a.FullName}, sc.Period)
		res.Officers = append(res.Officers, ev)
		return res, err
	}
	rep, err := svc.Unit(ctx, sc.Unit, sc.Period)
	if err != nil {
		return res, err
	}
	res.UnitEval = &rep.Unit
	res.Officers = append(res.Officers, rep.Officers...)
	return res, nil
}

// listEvaluations answers GET /api/v1/evaluations?unit=&period=.
func (s *Server) listEvaluations(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err == nil {
		var sc evalScope
		if sc, err = s.evalScopeOf(r.Context(), a, r.URL.Query().Get("unit"), r.URL.Query().Get("period")); err == nil {
			var res evalResult
			if res, err = s.evaluate(r.Context(), a, sc); err == nil {
				writeJSON(w, http.StatusOK, res)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// entryRequest is the body of POST /api/v1/evaluations/entries.
type entryRequest struct {
	Unit      string  `json:"unit"` // the leader's own by default
	Officer   string  `json:"officer"`
	Period    string  `json:"period"`
	Criterion string  `json:"criterion"`
	Points    float64 `json:"points"`
	Reason    string  `json:"reason"`
}

// addEvaluationEntry answers POST /api/v1/evaluations/entries: a leader
// scores a criterion of the unit or of one of its officers, with a reason.
func (s *Server) addEvaluationEntry(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req entryRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.saveEntry(r.Context(), a, evaluation.Entry{UnitCode: req.Unit, Officer: req.Officer, Period: req.Period,
		Criterion: req.Criterion, Points: req.Points, Reason: req.Reason})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

// saveEntry checks that a leads the entry's unit (or one above it) and
// that the officer works there, then stores it under a's name.
func (s *Server) saveEntry(ctx context.Context, a auth.Actor, e evaluation.Entry) (evaluation.Entry, error) {
	if a.Role != auth.RoleLeader {
		return e, apperr.Forbidden("Chỉ lãnh đạo đơn vị được chấm điểm đánh giá", "only the unit's leaders enter evaluation points")
	}
	if e.Officer != "" && e.Officer == a.Username {
		return e, errEvalSelf
	}
	if e.UnitCode == "" {
		e.UnitCode = a.UnitCode
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	if ok, err := s.DB.UnitWithin(ctx, e.UnitCode, a.UnitCode); err != nil || !ok {
		return e, apperr.Forbidden("Bạn chỉ chấm điểm được đơn vị mình và các đơn vị trực thuộc", "you may only score your unit and the units under it")
	}
	if e.Officer != "" {
		u, err := s.DB.UserByName(ctx, e.Officer)
		if err != nil || u.UnitCode != e.UnitCode || !u.Actor().IsOfficer() {
			return e, apperr.Invalid("officer", "Người được đánh giá không phải cán bộ của đơn vị này", "the officer does not work for this unit")
		}
	}
	e.EnteredBy = a.Username
	return store.Evaluations{DB: s.DB}.AddEntry(ctx, e)
}
