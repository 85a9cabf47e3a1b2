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
	Unit, UnitName, Period, Query string
	From, To                      string   // the period's first and last days
	Headers                       []string // criteria names, in order
	Unit1                         *evalRow
	Rows                          []evalRow
	Criteria                      []evaluation.Criterion // for the entries form
	// One officer's page (or the unit's lines on the unit page).
	Who       string
	Lines     []evalLine
	Total     string
	Grade     string
	Scored    int
	Leader    bool // may enter points
	Self      bool // a leader's own page: he may not score himself
	Action    string
	PDF, XLSX string // the page's exports
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
	p := s.newPage(w, r, "evaluation", "evaluation.title")
	d, err := s.unitEvalData(r, p.c, a, sc)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "evaluation", p)
}

// unitEvalData is the unit page's content in c's language: the table of
// the unit and its officers and the unit's criteria.
func (s *Server) unitEvalData(r *http.Request, c *catalog, a auth.Actor, sc evalScope) (evalPageData, error) {
	res, err := s.evaluate(r.Context(), a, sc)
	if err != nil {
		return evalPageData{}, err
	}
	d := evalPageData{Unit: sc.Unit, Period: sc.Period.Key, Query: evalQuery(sc), Criteria: evaluation.Criteria, Leader: true, Action: "/danh-gia",
		From: sc.Period.FirstDay(), To: sc.Period.LastDay()}
	d.UnitName, _ = s.unitNames(r, sc.Unit)
	d.PDF, d.XLSX = "/danh-gia/xuat/pdf?"+d.Query, "/danh-gia/xuat/xlsx?"+d.Query
	for _, cr := range evaluation.Criteria {
		d.Headers = append(d.Headers, c.pick(cr.Name, cr.NameEN))
	}
	u := evalRowOf(c, *res.UnitEval, c.T("evaluation.unit_row"), "")
	d.Unit1 = &u
	for _, ev := range res.Officers {
		d.Rows = append(d.Rows, evalRowOf(c, ev, ev.FullName, "/danh-gia/"+ev.Officer+"?"+d.Query))
	}
	fillLines(c, &d, *res.UnitEval)
	return d, nil
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
	p := s.newPage(w, r, "evaluation", "evaluation.title")
	d, err := s.officerEvalData(r, p.c, a, sc, name)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p.Title = p.t("evaluation.officer_title", d.Who)
	p.Data = d
	s.render(w, r, http.StatusOK, "evaluation_officer", p)
}

// officerEvalData is one officer's page in c's language, if a may see it.
func (s *Server) officerEvalData(r *http.Request, c *catalog, a auth.Actor, sc evalScope, name string) (evalPageData, error) {
	if sc.Self && name != a.Username {
		return evalPageData{}, errEvalLeaders
	}
	u, err := s.DB.UserByName(r.Context(), name)
	if err != nil || u.UnitCode != sc.Unit || !u.Actor().IsOfficer() {
		return evalPageData{}, apperr.NotFound("Không tìm thấy cán bộ này trong đơn vị", "no such officer in this unit")
	}
	ev, err := s.evaluations().Officer(r.Context(), sc.Unit, evaluation.Officer{Username: u.Username, FullName: u.FullName}, sc.Period)
	if err != nil {
		return evalPageData{}, err
	}
	self := a.Role == auth.RoleLeader && u.Username == a.Username
	d := evalPageData{Unit: sc.Unit, Period: sc.Period.Key, Query: evalQuery(sc), Criteria: evaluation.Criteria, Who: u.FullName,
		Leader: a.Role == auth.RoleLeader && !self, Self: self, Action: "/danh-gia/" + u.Username, From: sc.Period.FirstDay(), To: sc.Period.LastDay()}
	d.UnitName, _ = s.unitNames(r, sc.Unit)
	d.PDF, d.XLSX = "/danh-gia/"+u.Username+"/xuat/pdf?"+d.Query, "/danh-gia/"+u.Username+"/xuat/xlsx?"+d.Query
	fillLines(c, &d, ev)
	return d, nil
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

func evalRowOf(c *catalog, ev evaluation.Evaluation, name, link string) evalRow {
	row := evalRow{Name: name, Link: link, Total: "—", Grade: "—"} // nothing scored: no total, no grade
	if ev.Scored > 0 {
		row.Total, row.Grade = c.points(ev.Total), c.pick(ev.Grade, ev.GradeEN)
	}
	for _, sc := range ev.Criteria {
		row.Points = append(row.Points, pointsOf(c, sc.Points))
	}
	return row
}

func fillLines(c *catalog, d *evalPageData, ev evaluation.Evaluation) {
	d.Total, d.Grade, d.Scored = "—", "—", ev.Scored
	if ev.Scored > 0 {
		d.Total, d.Grade = c.points(ev.Total), c.pick(ev.Grade, ev.GradeEN)
	}
	for _, sc := range ev.Criteria {
		cr, _ := evaluation.ByID(sc.Criterion)
		l := evalLine{ID: cr.ID, Name: c.pick(cr.Name, cr.NameEN), How: c.pick(cr.HowVI, cr.HowEN), Points: pointsOf(c, sc.Points),
			Source: c.T("evaluation.source." + sc.Source), Entry: sc.Entry, Counts: "—", Rate: "—"}
		if sc.Measure != nil {
			l.Counts = c.num(sc.Measure.Num) + "/" + c.num(sc.Measure.Den)
		}
		if sc.Rate != nil {
			l.Rate = c.pct(*sc.Rate)
		}
		d.Lines = append(d.Lines, l)
	}
}

func pointsOf(c *catalog, x *float64) string {
	if x == nil {
		return "—"
	}
	return c.points(*x)
}
