package web

import (
	"net/http"
	"slices"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
)

// historyRow is one entry of the history as staff see it, with the step
// names and whether the step was handed on early, on time or late.
type historyRow struct {
	E                    dossier.Event
	StepName, ToStepName string
	Assignee             string // the full name of the officer the event assigned
}

type dossierData struct {
	D         *dossier.Dossier
	P         *procedure.Procedure
	Due       dueInfo
	Staff     bool
	Citizen   citizenView
	Actions   []string
	Depts     map[string]string
	Officers  []auth.User
	NextStep  *procedure.Step
	History   []historyRow
	Unit      string
	StepLabel string // the current step and its department
	Assignee  string // the full name of the officer the step is assigned to
	Forms     []printForm
	Files     []store.Attachment
	// Incomplete are the required components an online submission lacks:
	// it cannot be received, only asked for them or refused.
	Incomplete []string
	// SentBack is the last event when it sent the dossier back: whoever
	// takes the dossier up reads why at once.
	SentBack *dossier.Event

	// The result: whether its file may be downloaded here, and the finish
	// form's defaults (today, and the leader who approved as the signer).
	ResultLink          bool
	Today, ResultSigner string

	// A dossier asking for a civil-status extract (2.000635): the
	// extract's link once issued, the registrar's link to pick the record.
	CivilExtract, CivilPick bool

	// Online payment: the applicant's pay button, and the receipt's link.
	Pay, PaidOnline bool

	// The check against the national population database (staff only).
	Population populationView

	// A refused action: its message in the reader's language, and what was
	// typed.
	Failed string
	Error  string
	Typed  map[string]string
}

// Has tells whether an action is offered, for the template.
func (d dossierData) Has(action string) bool { return slices.Contains(d.Actions, action) }

// dossierPage shows a dossier to those who may see it: staff of the units it
// passed through, and its applicant. Anyone else gets "not found".
func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) {
	a, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	p := s.newPage(w, r, navOf(a), "dossier.title", d.Code)
	if ok := r.URL.Query().Get("ok"); ok != "" && (slices.Contains(pageActions, ok) || ok == dossier.ActNotify) {
		p.Flash = p.t("dossier.done", p.t("action."+ok))
	}
	s.showDossier(w, r, p, http.StatusOK, d, dossierData{})
}

func navOf(a auth.Actor) string {
	if a.IsOfficer() {
		return "queue"
	}
	return "mine"
}

// showDossier fills the page's data and renders it; extra carries a refused
// action's error and typed values.
func (s *Server) showDossier(w http.ResponseWriter, r *http.Request, p *page, status int, d *dossier.Dossier, x dossierData) {
	ctx := r.Context()
	a := p.User
	x.D, x.Staff = d, a.IsOfficer()
	x.P, _ = s.Procs.ForUnit(ctx, d.ProcedureCode, d.UnitCode)
	x.Due = dueOf(p.c, d, s.now())
	x.Actions = s.allowedActions(ctx, a, d, x.P)
	x.Depts = s.departmentNames(ctx, d.UnitCode)
	x.Citizen = s.citizenView(ctx, p.c, d)
	if u, err := s.DB.Unit(ctx, d.UnitCode); err == nil {
		x.Unit = u.FullName
	}
	names := s.officerNames(ctx, append(eventAssignees(d.History), d.StepAssignee)...)
	x.Assignee = names[d.StepAssignee]
	if x.P != nil {
		for _, e := range d.History {
			x.History = append(x.History, historyRow{E: e, StepName: stepName(x.P, e.Step), ToStepName: stepName(x.P, e.ToStep),
				Assignee: names[e.Assignee]})
		}
		x.StepLabel = stepName(x.P, d.Step)
		if name := x.Depts[d.StepDepartment]; name != "" {
			x.StepLabel += " — " + name
		}
		if d.Step+1 < len(x.P.Steps) {
			x.NextStep = &x.P.Steps[d.Step+1]
		}
		if n := len(d.History); x.Staff && n > 0 && d.History[n-1].Action == dossier.ActSendBack {
			x.SentBack = &d.History[n-1]
		}
		if x.Staff && d.Status == dossier.StatusSubmitted {
			x.Incomplete = dossier.MissingRequired(x.P, d.Components)
		}
	}
	if x.Has(dossier.ActForward) {
		x.Officers, _ = s.DB.UnitOfficers(ctx, a.UnitCode)
	}
	x.ResultLink = d.Result.Electronic() && resultVisible(a, d)
	x.CivilExtract, x.CivilPick = s.dossierCivilLinks(ctx, a, d)
	if x.Has(dossier.ActFinish) {
		x.Today, x.ResultSigner = s.finishDefaults(d)
	}
	x.Forms = s.printForms(d, x.Staff)
	x.Pay, x.PaidOnline = s.payable(a, d), s.paidOnline(r, d)
	x.Population = s.populationOf(p.c, x.Staff, a.Role, d)
	if files, err := s.DB.DossierAttachments(ctx, d.ID); err != nil {
		s.Log.Error("dossier files", "dossier", d.Code, "err", err)
	} else {
		x.Files = files
	}
	if x.Typed == nil {
		x.Typed = map[string]string{}
	}
	p.Title = p.t("dossier.title", d.Code)
	p.Data = x
	s.render(w, r, status, "dossier", p)
}

func stepName(p *procedure.Procedure, i int) string {
	if i >= 0 && i < len(p.Steps) {
		return p.Steps[i].Name
	}
	return ""
}

// dossierAct performs one action from the dossier page. On success it
// redirects (so a reload does not repeat it); on refusal it shows the page
// again with the service's message and what was typed.
func (s *Server) dossierAct(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code, action := r.PathValue("code"), r.PathValue("action")
	if !slices.Contains(pageActions, action) {
		s.pageNotFound(w, r)
		return
	}
	s.actFromPage(w, r, a, code, actionRequest(r, action))
}

// actFromPage performs a page form's action: see dossierAct.
func (s *Server) actFromPage(w http.ResponseWriter, r *http.Request, a auth.Actor, code string, req dossier.ActionRequest) {
	action := req.Action
	_, err := s.Dossiers.Act(r.Context(), a, code, req)
	if err == nil {
		http.Redirect(w, r, "/ho-so/"+code+"?ok="+action, http.StatusSeeOther)
		return
	}
	s.refused(w, r, a, code, action, err)
}

// refused shows the dossier page again with a refused action's message and
// what was typed in its form.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, a auth.Actor, code, action string, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	d, gerr := s.Dossiers.Get(r.Context(), a, code)
	if gerr != nil {
		s.pageFail(w, r, gerr)
		return
	}
	p := s.newPage(w, r, navOf(a), "dossier.title", code)
	p.setAlt("/ho-so/"+code, nil)
	x := dossierData{Failed: action, Error: p.c.pick(e.Message, e.MessageEn), Typed: typed(r)}
	s.showDossier(w, r, p, statusOf[e.Code], d, x)
}

// typed keeps the text fields of a refused action's form.
func typed(r *http.Request) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"note", "reason", "id_number", "missing", "amount", "new_due_date", "new_due_time", "department", "assignee", "comment", "components_other", "rating",
		"result_number", "result_signed_on", "result_signer", "result_signer_title", "result_on_paper", "result_file", "result_file_name"} {
		out[k] = r.PostFormValue(k)
	}
	return out
}

// Val is what was typed in a field of the action that was refused, so that
// its form comes back filled; other forms stay empty.
func (d dossierData) Val(action, field string) string {
	if d.Failed != action {
		return ""
	}
	return d.Typed[field]
}

// pathDossier loads the dossier named in the path for the signed-in caller,
// or answers the error page (not found for a dossier the caller may not see)
// and returns false.
func (s *Server) pathDossier(w http.ResponseWriter, r *http.Request) (auth.Actor, *dossier.Dossier, bool) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return a, nil, false
	}
	d, err := s.Dossiers.Get(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return a, nil, false
	}
	return a, d, true
}
