package web

import (
	"mime"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

type counterData struct {
	Procs   []procedure.Procedure
	Q       string // the procedure search, diacritics ignored
	P       *procedure.Procedure
	Reuse   *dossier.Dossier // the earlier dossier the applicant's details were filled in from
	Lookup  string           // what the look-up of earlier dossiers found, when it filled nothing
	Form    applicantForm
	Errors  formErrors
	Uploads bool // whether the form offers file fields
	// Missing are the required components not handed in: the form comes
	// back with the choice to ask for them (form 02) or refuse (form 03).
	Missing      []string
	OnIncomplete string // request_supplement or refuse, as chosen
	MissingText  string // what to supplement, one per line, editable
	Reason       string // why the dossier is refused
	// Ticket is the queue ticket the dossier is opened from, its person
	// filled in (page_counter_ticket.go).
	Ticket *queue.Ticket
}

// counterOfficer lets only counter officers enter walk-in dossiers, as the
// service does.
func counterOfficer(r *http.Request) (auth.Actor, error) {
	a, err := officer(r)
	if err == nil && a.Role != auth.RoleCounter {
		err = apperr.Forbidden("Chỉ cán bộ một cửa được tiếp nhận hồ sơ", "only counter officers receive dossiers")
	}
	return a, err
}

// counterPage is the walk-in entry: first the procedure, then one form with
// the applicant's details and the components handed in.
func (s *Server) counterPage(w http.ResponseWriter, r *http.Request) {
	a, err := counterOfficer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := counterData{Form: applicantForm{Channel: dossier.ChannelCounter}}
	if code := r.URL.Query().Get("procedure"); code != "" {
		pr, err := s.Procs.ForUnit(r.Context(), code, a.UnitCode)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		d.P = pr
	} else {
		d.Q = strings.TrimSpace(r.URL.Query().Get("q"))
		ps, err := s.Procs.List(r.Context(), store.ProcedureFilter{Query: d.Q, ActiveOnly: true})
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		d.Procs = ps
	}
	if err := s.counterTicket(r, a, &d); err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showCounter(w, r, http.StatusOK, d)
}

func (s *Server) showCounter(w http.ResponseWriter, r *http.Request, status int, d counterData) {
	p := s.newPage(w, r, "counter", "counter.title")
	if d.P != nil {
		p.Title = p.t("counter.title_for", d.P.Name)
	}
	d.Uploads = s.Files != nil
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, status, "counter", p)
}

// counterPost receives the dossier and sends the officer to its receipt,
// ready to print. The procedure is named in the address, so that the
// components the files belong to are known before the files arrive.
func (s *Server) counterPost(w http.ResponseWriter, r *http.Request) {
	a, err := counterOfficer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	pr, err := s.Procs.ForUnit(r.Context(), formProcedure(w, r), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	c := s.ui.cat[requestLang(w, r)]
	files, err := s.readUploadForm(w, r, a, pr.Components, c)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := counterData{P: pr, Form: readApplicantForm(r)}
	d.Form.Unit = a.UnitCode
	if err := s.counterTicket(r, a, &d); err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Form.withFiles(files.List)
	if d.Form.Channel != dossier.ChannelPost {
		d.Form.Channel = dossier.ChannelCounter
	}
	if r.PostFormValue("lookup") != "" { // without JavaScript: fill the form from earlier dossiers
		if err := s.prefill(r.Context(), a, &d, c); err != nil {
			s.pageFail(w, r, err)
			return
		}
		s.showCounter(w, r, http.StatusOK, d)
		return
	}
	d.Errors = d.Form.check(c, s.now(), false)
	d.Errors.List = append(d.Errors.List, files.Errors.List...)
	d.Missing = dossier.MissingRequired(pr, d.Form.Components)
	d.OnIncomplete, d.Reason = r.PostFormValue("on_incomplete"), r.PostFormValue("reason")
	d.MissingText = r.PostFormValue("missing")
	if d.OnIncomplete == "" {
		// Not chosen yet: the list follows the ticks; once chosen, the
		// officer's edits are kept.
		d.MissingText = strings.Join(d.Missing, "\n")
	}
	if len(d.Missing) == 0 {
		d.OnIncomplete = "" // complete: received as usual
	} else if d.OnIncomplete == "" {
		// Never received silently: the officer chooses what to do.
		d.Errors.add("incomplete", c.T("counter.err.incomplete", strings.Join(d.Missing, "; ")))
	}
	if d.Errors.Any() {
		s.showCounter(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	req := d.Form.request(pr.Code)
	req.OnIncomplete = d.OnIncomplete
	switch d.OnIncomplete {
	case dossier.IncompleteSupplement:
		req.Missing = splitLines(d.MissingText)
	case dossier.IncompleteRefuse:
		req.Reason = d.Reason
	}
	made, err := s.Dossiers.Submit(r.Context(), a, req)
	if err != nil {
		errs, ok := serviceErrors(c, err)
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		d.Errors = errs
		s.showCounter(w, r, statusOf[apperr.Code(err)], d)
		return
	}
	if err := s.bindFiles(r.Context(), a, made.ID, made.Code, d.Form.Files); err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.linkTicket(r.Context(), d.Ticket, made.Code, a.Username)
	switch made.Status {
	case dossier.StatusSupplement, dossier.StatusRefused:
		// Not received: the dossier page opens with form 02 or 03 to print.
		http.Redirect(w, r, "/ho-so/"+made.Code, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/ho-so/"+made.Code+"/bien-nhan", http.StatusSeeOther)
	}
}

// formProcedure is the procedure a counter form is for: in the address, or
// in the body of a form without files.
func formProcedure(w http.ResponseWriter, r *http.Request) string {
	if code := r.URL.Query().Get("procedure"); code != "" {
		return code
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return ""
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	return r.PostFormValue("procedure")
}
