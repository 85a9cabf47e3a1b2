package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/evaluation"
)

// evalRow is one evaluation as a row of the unit's table.
type evalRow struct {
	Name, Link, Total, Grade string
	Points                   []string // per criterion, "—" for no data
}

// evalLine is one criterion of an evaluation, with how it was computed.
type evalLine struct {
	ID, Name, How, Counts, Rate, Points, Source string
	Entry                                       *evaluation.Entry
}

type evalPageData struct {
	Unit, Period, Query string
	Headers             []string // criteria names, in order
	Unit1               *evalRow
	Rows                []evalRow
	Criteria            []evaluation.Criterion // for the entries form
	// One officer's page (or the unit's lines on the unit page).
	Who    string
	Lines  []evalLine
	Total  string
	Grade  string
	Scored int
	Leader bool // may enter points
	Self   bool // a leader's own page: he may not score himself
	Action string
}

// evaluationPage shows a leader the unit's evaluation for a period: the
// unit and each officer, points per criterion, total and grade. Other
// officers see their own.
func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request) {
	a, sc, ok := s.evalPageScope(w, r)
	if !ok {
		return
	}
	if sc.Self {
		s.renderOfficerEval(w, r, a, sc, a.Username)
		return
	}
	res, err := s.evaluate(r.Context(), a, sc)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "evaluation", "evaluation.title")
	d := evalPageData{Unit: sc.Unit, Period: sc.Period.Key, Query: evalQuery(sc), Criteria: evaluation.Criteria, Leader: true, Action: "/danh-gia"}
	for _, c := range evaluation.Criteria {
		d.Headers = append(d.Headers, p.c.pick(c.Name, c.NameEN))
	}
	u := evalRowOf(*res.UnitEval, p.t("evaluation.unit_row"), "")
	d.Unit1 = &u
	for _, ev := range res.Officers {
		d.Rows = append(d.Rows, evalRowOf(ev, ev.FullName, "/danh-gia/"+ev.Officer+"?"+d.Query))
	}
	fillLines(p, &d, *res.UnitEval)
	p.Data = d
	s.render(w, r, http.StatusOK, "evaluation", p)
}

// officerEvaluationPage shows one officer's nine criteria with how each was
// computed, and to a leader the form to enter points.
func (s *Server) officerEvaluationPage(w http.ResponseWriter, r *http.Request) {
	a, sc, ok := s.evalPageScope(w, r)
	if ok {
		s.renderOfficerEval(w, r, a, sc, r.PathValue("username"))
	}
}

func (s *Server) renderOfficerEval(w http.ResponseWriter, r *http.Request, a auth.Actor, sc evalScope, name string) {
	if sc.Self && name != a.Username {
		s.pageFail(w, r, errEvalLeaders)
		return
	}
	u, err := s.DB.UserByName(r.Context(), name)
	if err != nil || u.UnitCode != sc.Unit || !u.Actor().IsOfficer() {
		s.pageFail(w, r, apperr.NotFound("Không tìm thấy cán bộ này trong đơn vị", "no such officer in this unit"))
		return
	}
	ev, err := s.evaluations().Officer(r.Context(), sc.Unit, evaluation.Officer{Username: u.Username, FullName: u.FullName}, sc.Period)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "evaluation", "evaluation.officer_title", u.FullName)
	d := evalPageData{Unit: sc.Unit, Period: sc.Period.Key, Query: evalQuery(sc), Criteria: evaluation.Criteria, Who: u.FullName,
		Leader: a.Role == auth.RoleLeader && u.Username != a.Username, Self: a.Role == auth.RoleLeader && u.Username == a.Username,
		Action: "/danh-gia/" + u.Username}
	fillLines(p, &d, ev)
	p.Data = d
	s.render(w, r, http.StatusOK, "evaluation_officer", p)
}

// evaluationEntryPost stores a leader's points for a criterion of the unit
// (POST /danh-gia) or of an officer (POST /danh-gia/{username}).
func (s *Server) evaluationEntryPost(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	points, perr := strconv.ParseFloat(strings.Replace(strings.TrimSpace(r.PostFormValue("points")), ",", ".", 1), 64)
	if perr != nil {
		s.pageFail(w, r, apperr.Invalid("points", "Điểm phải là một số từ 0 đến 2", "points must be a number from 0 to 2"))
		return
	}
	e := evaluation.Entry{UnitCode: r.PostFormValue("unit"), Officer: r.PathValue("username"), Period: r.PostFormValue("period"),
		Criterion: r.PostFormValue("criterion"), Points: points, Reason: r.PostFormValue("reason")}
	if _, err := s.saveEntry(r.Context(), a, e); err != nil {
		s.pageFail(w, r, err)
		return
	}
	back := "/danh-gia"
	if e.Officer != "" {
		back += "/" + e.Officer
	}
	http.Redirect(w, r, back+"?"+url.Values{"unit": {e.UnitCode}, "period": {e.Period}}.Encode(), http.StatusSeeOther)
}

func (s *Server) evalPageScope(w http.ResponseWriter, r *http.Request) (auth.Actor, evalScope, bool) {
	a, err := officer(r)
	if err == nil {
		var sc evalScope
		if sc, err = s.evalScopeOf(r.Context(), a, r.URL.Query().Get("unit"), r.URL.Query().Get("period")); err == nil {
			return a, sc, true
		}
	}
	s.pageFail(w, r, err)
	return a, evalScope{}, false
}

func evalQuery(sc evalScope) string {
	return url.Values{"unit": {sc.Unit}, "period": {sc.Period.Key}}.Encode()
}

func evalRowOf(ev evaluation.Evaluation, name, link string) evalRow {
	row := evalRow{Name: name, Link: link, Total: "—", Grade: ev.Grade}
	if ev.Scored > 0 {
		row.Total = pointsText(ev.Total)
	}
	for _, sc := range ev.Criteria {
		row.Points = append(row.Points, pointsOf(sc.Points))
	}
	return row
}

func fillLines(p *page, d *evalPageData, ev evaluation.Evaluation) {
	d.Total, d.Grade, d.Scored = "—", p.c.pick(ev.Grade, ev.GradeEN), ev.Scored
	if ev.Scored > 0 {
		d.Total = pointsText(ev.Total)
	}
	for _, sc := range ev.Criteria {
		c, _ := evaluation.ByID(sc.Criterion)
		l := evalLine{ID: c.ID, Name: p.c.pick(c.Name, c.NameEN), How: p.c.pick(c.HowVI, c.HowEN), Points: pointsOf(sc.Points),
			Source: p.t("evaluation.source." + sc.Source), Entry: sc.Entry, Counts: "—", Rate: "—"}
		if sc.Measure != nil {
			l.Counts = strconv.FormatInt(sc.Measure.Num, 10) + "/" + strconv.FormatInt(sc.Measure.Den, 10)
		}
		if sc.Rate != nil {
			l.Rate = strconv.FormatFloat(*sc.Rate*100, 'f', 1, 64) + "%"
		}
		d.Lines = append(d.Lines, l)
	}
}

func pointsOf(x *float64) string {
	if x == nil {
		return "—"
	}
	return pointsText(*x)
}

func pointsText(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
