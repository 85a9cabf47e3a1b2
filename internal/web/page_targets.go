package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/target"
)

// targetRoutes are the leaders' pages of targets and reports.
func (s *Server) targetRoutes(mux router) {
	mux.HandleFunc("GET /chi-tieu", s.targetsPage)
	mux.HandleFunc("POST /chi-tieu", formLimit(s.targetAddPost))
	mux.HandleFunc("GET /chi-tieu/xuat/{format}", s.targetsExport)
	mux.HandleFunc("GET /chi-tieu/{id}", s.targetPage)
	mux.HandleFunc("POST /chi-tieu/{id}", formLimit(s.targetEditPost))
	mux.HandleFunc("POST /chi-tieu/{id}/so-lieu", formLimit(s.targetActualPost))
	mux.HandleFunc("GET /bao-cao", s.reportsPage)
	mux.HandleFunc("GET /bao-cao/{id}", s.reportFile)
}

type targetsData struct {
	B        *target.Board
	Unit     string // the unit's name
	CanEdit  bool
	Summary  string
	Form     url.Values // the add form as typed, after an error
	Errors   formErrors
	Kinds    []string
	Query    string // unit= & year= of the page, for the export links
	PrevYear int
	NextYear int
}

type targetRow struct {
	target.Progress
	Actual, Pct, Plan string
}

// Rows formats the board's numbers the way the language writes them.
func (d targetsData) Rows() []targetRow {
	var out []targetRow
	for _, p := range d.B.Targets {
		r := targetRow{Progress: p, Plan: report.Num(p.Plan)}
		if p.Value != nil {
			r.Actual = report.Num(*p.Value)
		}
		if p.Percent != nil {
			r.Pct = report.Num(*p.Percent) + "%"
		}
		out = append(out, r)
	}
	return out
}

// targetsPage shows a unit's targets of a year: plan, actual, percentage,
// status and "N/M đạt", with the form to add one for the leader's own unit.
func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) {
	s.showTargets(w, r, http.StatusOK, nil, formErrors{})
}

func (s *Server) showTargets(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs formErrors) {
	a, err := requireUser(r)
	var b *target.Board
	if err == nil {
		b, err = s.targetBoard(r, a)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "targets", "targets.title")
	d := targetsData{B: b, Unit: b.UnitCode, CanEdit: targetWriter(a, b.UnitCode) == nil, Summary: report.Summary(b.Summary),
		Form: form, Errors: errs, Kinds: target.Kinds, PrevYear: b.Year - 1, NextYear: b.Year + 1,
		Query: url.Values{"unit": {b.UnitCode}, "year": {strconv.Itoa(b.Year)}}.Encode()}
	if u, err := s.DB.Unit(r.Context(), b.UnitCode); err == nil {
		d.Unit = u.FullName
	}
	if d.Form == nil {
		d.Form = url.Values{"year": {strconv.Itoa(b.Year)}, "direction": {target.Higher}, "period": {target.ByMonth}}
	}
	p.Data = d
	s.render(w, r, status, "targets", p)
}

// targetFromForm reads the add or edit form.
func targetFromForm(f url.Values) (target.Target, error) {
	t := target.Target{Name: f.Get("name"), Measure: f.Get("measure"), Kind: f.Get("kind"), Direction: f.Get("direction"),
		Aggregate: f.Get("aggregate"), Period: f.Get("period"), Source: f.Get("source")}
	var err error
	if t.Year, err = strconv.Atoi(strings.TrimSpace(f.Get("year"))); err != nil {
		return t, apperr.Invalid("year", "Năm phải là số, ví dụ 2026", "year must be a number, e.g. 2026")
	}
	if t.Plan, err = formNumber(f.Get("plan")); err != nil {
		return t, apperr.Invalid("plan", "Kế hoạch phải là số, ví dụ 95 hoặc 1.250,5", "plan must be a number, e.g. 95 or 1,250.5")
	}
	t.Version, _ = strconv.Atoi(f.Get("version"))
	return t, nil
}

// formNumber reads a number as people type it here: "1.250,5" (Vietnamese)
// or "1250.5"; a single comma or dot followed by one or two digits is the
// decimal mark.
func formNumber(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.ReplaceAll(s, ",", ".")
	} else if strings.Count(s, ".") > 1 || (strings.Count(s, ".") == 1 && len(s)-strings.Index(s, ".") == 4) {
		s = strings.ReplaceAll(s, ".", "") // 1.250 or 1.250.000: dots between thousands
	}
	return strconv.ParseFloat(s, 64)
}

// targetAddPost adds a target to the leader's unit.
func (s *Server) targetAddPost(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err == nil {
		err = targetWriter(a, a.UnitCode)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	_ = r.ParseForm()
	t, err := targetFromForm(r.PostForm)
	if err == nil {
		t.UnitCode = a.UnitCode
		t, err = s.DB.AddTarget(r.Context(), t, a)
	}
	if err != nil {
		s.targetFormFailed(w, r, err, func(errs formErrors) { s.showTargets(w, r, statusOf[apperr.Code(err)], r.PostForm, errs) })
		return
	}
	http.Redirect(w, r, "/chi-tieu?year="+strconv.Itoa(t.Year), http.StatusSeeOther)
}

// targetFormFailed shows a form's error at its field, or the error page.
func (s *Server) targetFormFailed(w http.ResponseWriter, r *http.Request, err error, show func(formErrors)) {
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "name", "measure", "kind", "plan", "direction", "aggregate", "period", "source", "year", "value")
	if !ok {
		s.pageFail(w, r, err)
		return
	}
	show(errs)
}

type targetData struct {
	T       target.Target
	Form    url.Values
	Errors  formErrors
	Kinds   []string
	Actuals []target.Actual
	Changes []store.TargetChange
	Periods []string
}

// ActualRows formats the entered values the way the language writes them.
func (d targetData) ActualRows() []struct{ Period, Value, By string } {
	var out []struct{ Period, Value, By string }
	for _, a := range d.Actuals {
		out = append(out, struct{ Period, Value, By string }{a.Period, report.Num(a.Value), a.By})
	}
	return out
}

// targetPage shows a target of the leader's unit: the edit form, the form
// to enter an actual, the actuals and the change log.
func (s *Server) targetPage(w http.ResponseWriter, r *http.Request) {
	s.showTarget(w, r, http.StatusOK, nil, formErrors{})
}

func (s *Server) showTarget(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs formErrors) {
	t, _, err := s.pathTarget(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := targetData{T: t, Form: form, Errors: errs, Kinds: target.Kinds, Periods: periodsOf(t)}
	if d.Form == nil {
		d.Form = url.Values{"name": {t.Name}, "measure": {t.Measure}, "kind": {t.Kind}, "plan": {report.Num(t.Plan)},
			"direction": {t.Direction}, "aggregate": {t.Aggregate}, "period": {t.Period}, "source": {t.Source}, "year": {strconv.Itoa(t.Year)}}
	}
	_, actuals, err := s.DB.Targets(r.Context(), t.UnitCode, t.Year)
	if err == nil {
		d.Actuals = actuals[t.ID]
		d.Changes, err = s.DB.TargetChanges(r.Context(), t.ID)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "targets", "target.title")
	p.Data = d
	s.render(w, r, status, "target", p)
}

// periodsOf lists the periods an actual may be entered for.
func periodsOf(t target.Target) []string {
	var out []string
	if t.Period == target.ByQuarter {
		for q := 1; q <= 4; q++ {
			out = append(out, strconv.Itoa(t.Year)+"-Q"+strconv.Itoa(q))
		}
		return out
	}
	for m := 1; m <= 12; m++ {
		out = append(out, fmt.Sprintf("%d-%02d", t.Year, m))
	}
	return out
}

// targetEditPost changes a target of the leader's unit.
func (s *Server) targetEditPost(w http.ResponseWriter, r *http.Request) {
	old, a, err := s.pathTarget(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	_ = r.ParseForm()
	t, err := targetFromForm(r.PostForm)
	if err == nil {
		t.ID = old.ID
		t, err = s.DB.UpdateTarget(r.Context(), t, a)
	}
	if err != nil {
		s.targetFormFailed(w, r, err, func(errs formErrors) { s.showTarget(w, r, statusOf[apperr.Code(err)], r.PostForm, errs) })
		return
	}
	http.Redirect(w, r, "/chi-tieu?year="+strconv.Itoa(t.Year), http.StatusSeeOther)
}

// targetActualPost enters a period's actual.
func (s *Server) targetActualPost(w http.ResponseWriter, r *http.Request) {
	t, a, err := s.pathTarget(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v, err := formNumber(r.PostFormValue("value"))
	if err != nil {
		err = apperr.Invalid("value", "Giá trị thực hiện phải là số, ví dụ 95 hoặc 1.250,5", "value must be a number, e.g. 95 or 1,250.5")
	} else {
		_, err = s.DB.SetActual(r.Context(), t.ID, r.PostFormValue("period"), v, a)
	}
	if err != nil {
		s.targetFormFailed(w, r, err, func(errs formErrors) { s.showTarget(w, r, statusOf[apperr.Code(err)], nil, errs) })
		return
	}
	http.Redirect(w, r, "/chi-tieu/"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}

// targetsExport prints the board as PDF or Excel.
func (s *Server) targetsExport(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var b *target.Board
	if err == nil {
		b, err = s.targetBoard(r, a)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	rep := doc.Report{Office: s.office(r.Context(), b.UnitCode), Title: "Báo cáo kết quả thực hiện chỉ tiêu năm " + strconv.Itoa(b.Year),
		Subtitle: "Số liệu đến ngày " + s.now().In(stats.Zone).Format("02/01/2006"), Now: s.now(), Sections: []doc.Section{report.TargetsSection(b)}}
	s.sendReport(w, r, rep, r.PathValue("format"), "chi-tieu-"+b.UnitCode+"-"+strconv.Itoa(b.Year))
}

type reportsData struct {
	Unit    string
	Reports []store.Report
}

// reportsPage lists the monthly reports kept for the leader's unit (or a
// unit under it).
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var unit string
	if err == nil {
		unit, err = s.targetReader(r.Context(), a, r.URL.Query().Get("unit"))
	}
	var d reportsData
	if err == nil {
		d.Reports, err = s.DB.Reports(r.Context(), unit)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Unit = unit
	if u, err := s.DB.Unit(r.Context(), unit); err == nil {
		d.Unit = u.FullName
	}
	p := s.newPage(w, r, "reports", "reports.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "reports", p)
}

// reportFile sends a kept report to a leader who may read its unit's.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var id int64
	if err == nil {
		id, err = pathID(r)
	}
	var rep store.Report
	var pdf []byte
	if err == nil {
		rep, pdf, err = s.DB.ReportPDF(r.Context(), id)
	}
	if err == nil {
		if _, err = s.targetReader(r.Context(), a, rep.UnitCode); apperr.Code(err) == apperr.EFORBIDDEN && a.Role == auth.RoleLeader {
			err = apperr.NotFound("Không tìm thấy báo cáo", "report not found")
		}
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", "bao-cao-"+rep.UnitCode+"-"+rep.Month+".pdf", pdf, true)
}

// MonthlyReports is the monthly report job on this server's database and
// calendars: the roll-up summary, the targets, the service index, the
// unit's evaluation, then its petitions.
func (s *Server) MonthlyReports() *report.Monthly {
	return &report.Monthly{Store: s.DB, Calendars: s.Calendar, Office: s.office, Now: s.Now,
		Sections: []report.SectionFunc{report.Rollups(s.DB), report.Targets(s.DB, s.DB),
			report.Index(s.DB), report.Evaluation(s.evaluations()), report.Petitions(s.DB)}}
}
