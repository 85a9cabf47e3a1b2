package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/unit"
)

type submitData struct {
	P        *procedure.Procedure
	Units    []unit.Unit
	Form     applicantForm
	Errors   formErrors
	UnitName string
	Uploads  bool // whether the form offers file fields
	// Offers are, by component, the applicant's papers that may be handed
	// in again instead of an upload (page_wallet.go).
	Offers [][]dossier.Paper
}

// onlineProcedure loads the procedure of an online submission and checks
// that it is offered online and that the caller is a signed-in applicant.
func (s *Server) onlineProcedure(r *http.Request) (auth.Actor, *procedure.Procedure, error) {
	a, err := requireUser(r)
	if err != nil {
		return a, nil, err
	}
	if a.Role != auth.RoleApplicant {
		return a, nil, apperr.Forbidden("Cán bộ nhập hồ sơ của người dân tại mục Tiếp nhận", "officers enter citizens' dossiers under Reception")
	}
	pr, err := s.Procs.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		return a, nil, err
	}
	if !pr.Active || pr.OnlineMode == procedure.OnlineNone {
		return a, nil, apperr.Invalid("procedure_code", "Thủ tục này không nhận hồ sơ trực tuyến; vui lòng nộp tại bộ phận một cửa", "this procedure is not offered online; submit it at the counter")
	}
	return a, pr, nil
}

// submitPage is step 1 of an online submission, filled in from the account.
func (s *Server) submitPage(w http.ResponseWriter, r *http.Request) {
	a, pr, err := s.onlineProcedure(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := submitData{P: pr, Form: applicantForm{Name: a.FullName, Channel: dossier.ChannelOnline}}
	if u, err := s.DB.UserByName(r.Context(), a.Username); err == nil {
		d.Form.IDNumber, d.Form.Phone = u.IDNumber, u.Phone
	}
	s.prefillFromLast(r.Context(), a, &d.Form)
	s.showSubmit(w, r, http.StatusOK, "submit", d)
}

// submitPost moves between the steps: check the answers and show them for
// review, go back to edit them, or send the dossier. Nothing but the
// uploads is kept on the server between steps: the review page carries the
// answers, and names the uploads, which wait as pending files of the
// applicant until the dossier is sent.
func (s *Server) submitPost(w http.ResponseWriter, r *http.Request) {
	a, pr, err := s.onlineProcedure(r)
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
	d := submitData{P: pr, Form: readApplicantForm(r)}
	d.Form.Channel = dossier.ChannelOnline
	d.Form.withFiles(files.List)
	var reuseErrs formErrors
	readReuse(r, c, pr.Components, s.wallet(r.Context(), a), &d.Form, &reuseErrs)
	step := r.PostFormValue("step")
	if step == "edit" {
		d.Errors = files.Errors
		s.showSubmit(w, r, http.StatusOK, "submit", d)
		return
	}
	d.Errors = d.Form.check(c, s.now(), true)
	d.Errors.List = append(d.Errors.List, files.Errors.List...)
	d.Errors.List = append(d.Errors.List, reuseErrs.List...)
	d.Errors.List = append(d.Errors.List, s.requiredFiles(c, pr, d.Form, d.Errors).List...)
	if d.Errors.Any() {
		s.showSubmit(w, r, http.StatusUnprocessableEntity, "submit", d)
		return
	}
	if step != "send" {
		s.showSubmit(w, r, http.StatusOK, "review", d)
		return
	}
	s.keepReusedFrom(r.Context(), a, &d.Form)
	made, err := s.Dossiers.Submit(r.Context(), a, d.Form.request(pr.Code))
	if err != nil {
		errs, ok := serviceErrors(c, err)
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		if field := d.Form.reuseErrorField(apperr.As(err).Field, pr.Components); field != "" {
			errs.List[0].Field = field // beside the component the paper was chosen for
		}
		d.Errors = errs
		s.showSubmit(w, r, statusOf[apperr.Code(err)], "submit", d)
		return
	}
	if err := s.bindFiles(r.Context(), a, made.ID, made.Code, d.Form.Files); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+made.Code+"/bien-nhan", http.StatusSeeOther)
}

// requiredFiles asks for a file for each required component of an online
// submission (optional components stay optional). Without a file store the
// ticked components stand for the papers, and the service checks that every
// required one is ticked.
func (s *Server) requiredFiles(c *catalog, pr *procedure.Procedure, f applicantForm, have formErrors) formErrors {
	var errs formErrors
	if s.Files == nil {
		for i, comp := range pr.Components {
			if comp.Required && !slices.Contains(f.Components, comp.Name) {
				errs.add(fmt.Sprintf("file-%d", i), c.T("submit.err.required", comp.Name))
			}
		}
		return errs
	}
	for i, comp := range pr.Components {
		if field := fmt.Sprintf("file-%d", i); comp.Required && len(f.FilesOf(comp.Name)) == 0 && f.ChosenFor(comp.Name) == 0 && have.Get(field) == "" {
			errs.add(field, c.T("submit.err.file_required", comp.Name))
		}
	}
	return errs
}

func (s *Server) showSubmit(w http.ResponseWriter, r *http.Request, status int, name string, d submitData) {
	units, err := s.DB.ReceivingUnits(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Units, d.Uploads = units, s.Files != nil
	if a := actor(r); a.Role == auth.RoleApplicant {
		d.Offers = walletOffers(d.P.Components, s.wallet(r.Context(), a))
	}
	if len(units) == 1 && d.Form.Unit == "" {
		d.Form.Unit = units[0].Code
	}
	for _, u := range units {
		if u.Code == d.Form.Unit {
			d.UnitName = u.FullName
		}
	}
	p := s.newPage(w, r, "catalogue", "submit.title", d.P.Name)
	p.Data = d
	s.render(w, r, status, name, p)
}
