package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/vntext"
)

// fieldError is one wrong field: the summary at the top links to it by id,
// and the message is repeated beside it.
type fieldError struct{ Field, Msg string }

type formErrors struct{ List []fieldError }

func (e *formErrors) add(field, msg string) { e.List = append(e.List, fieldError{field, msg}) }

// Get is the message for one field, "" when it is right.
func (e formErrors) Get(field string) string {
	for _, f := range e.List {
		if f.Field == field {
			return f.Msg
		}
	}
	return ""
}

// Any tells whether some field is wrong.
func (e formErrors) Any() bool { return len(e.List) > 0 }

// fieldOf maps a domain error's field to the form input that holds it.
func fieldOf(domainField string) string {
	switch domainField {
	case "applicant.name":
		return "name"
	case "id_number", "personal_id", "old_id":
		return "id_number"
	case "phone":
		return "phone"
	case "applicant.email":
		return "email"
	case "applicant.address":
		return "address"
	case "notify":
		return "notify"
	case "unit_code":
		return "unit"
	case "channel":
		return "channel"
	case "components", "on_incomplete":
		return "incomplete"
	case "missing":
		return "missing"
	case "reason":
		return "reason"
	case "reuse_consent":
		return "reuse_consent"
	}
	if f, ok := strings.CutPrefix(domainField, "subject."); ok {
		return "subject_" + f // the subject's inputs: subject_name, subject_id_number, ...
	}
	return ""
}

// applicantForm is what a counter officer or an applicant types about the
// applicant; it is sent back as typed when something is wrong.
type applicantForm struct {
	Unit       string
	Name       string
	IDNumber   string
	Phone      string
	Email      string
	Address    string
	Channel    int
	Components []string
	Note       string
	Files      []store.Attachment // handed in so far, pending until the dossier is sent
	Subject    dossier.Subject    // who the dossier is about, when not the applicant
	OnBehalf   bool               // "Tôi nộp hộ người khác" was chosen: the subject is required
	ReusedFrom string             // the earlier dossier the details were filled in from
	Notify     string             // how the applicant is told of progress; empty: the default for the addresses given
	// Reuse are the papers of the applicant's earlier dossiers chosen
	// instead of uploads (online only), allowed by ReuseConsent.
	Reuse        []reuseChoice
	ReuseConsent bool
}

// FilesOf lists the files handed in for one component, for the template.
func (f applicantForm) FilesOf(component string) []store.Attachment {
	var out []store.Attachment
	for _, a := range f.Files {
		if a.Component == component {
			out = append(out, a)
		}
	}
	return out
}

// withFiles takes the form's files, and ticks the components they belong
// to: a component with a file is handed in.
func (f *applicantForm) withFiles(files []store.Attachment) {
	f.Files = files
	for _, a := range files {
		if !slices.Contains(f.Components, a.Component) {
			f.Components = append(f.Components, a.Component)
		}
	}
}

// readApplicantForm reads the posted form (already parsed).
func readApplicantForm(r *http.Request) applicantForm {
	f := applicantForm{
		Unit: strings.TrimSpace(r.PostFormValue("unit")), Name: r.PostFormValue("name"),
		IDNumber: strings.TrimSpace(r.PostFormValue("id_number")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Address: r.PostFormValue("address"), Note: r.PostFormValue("note"),
	}
	f.Channel, _ = strconv.Atoi(r.PostFormValue("channel"))
	f.Subject = dossier.Subject{Kind: r.PostFormValue("subject_kind"), Name: r.PostFormValue("subject_name"),
		IDNumber: r.PostFormValue("subject_id_number"), BirthDate: r.PostFormValue("subject_birth_date"),
		Address: r.PostFormValue("subject_address"), Relation: r.PostFormValue("subject_relation")}
	f.OnBehalf = r.PostFormValue("on_behalf") == "1"
	f.ReusedFrom = strings.TrimSpace(r.PostFormValue("reused_from"))
	f.Notify = r.PostFormValue("notify")
	for _, c := range r.PostForm["components"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Components = append(f.Components, c)
		}
	}
	return f
}

// check validates every field at once, so that the applicant sees all the
// mistakes in one round; the service checks again on submission.
func (f *applicantForm) check(c *catalog, now time.Time, needUnit bool) formErrors {
	var errs formErrors
	addErr := func(field string, err error) {
		if e := apperr.As(err); e != nil {
			errs.add(field, c.pick(e.Message, e.MessageEn))
		}
	}
	if needUnit && f.Unit == "" {
		errs.add("unit", c.T("form.err.unit"))
	}
	if vntext.Clean(f.Name) == "" {
		errs.add("name", c.T("form.err.name"))
	}
	if f.IDNumber == "" {
		errs.add("id_number", c.T("form.err.id_required"))
	} else if id, err := vntext.NormalizeIDNumber(f.IDNumber, now); err != nil {
		addErr("id_number", err)
	} else {
		f.IDNumber = id
	}
	if f.Phone != "" {
		if p, err := vntext.NormalizePhone(f.Phone); err != nil {
			addErr("phone", err)
		} else {
			f.Phone = p
		}
	}
	if f.Email != "" && (!strings.Contains(f.Email, "@") || len(f.Email) > 200) {
		errs.add("email", c.T("form.err.email"))
	}
	if _, err := dossier.CheckNotify(f.Notify, dossier.Applicant{Phone: f.Phone, Email: f.Email}); err != nil {
		addErr("notify", err)
	}
	if f.OnBehalf && f.Subject.Empty() {
		addErr("subject_name", dossier.ErrOnBehalfNoSubject)
	}
	if !f.Subject.Empty() {
		sub := f.Subject
		if err := sub.Validate(now); err != nil {
			if e := apperr.As(err); e != nil {
				errs.add(fieldOf(e.Field), c.pick(e.Message, e.MessageEn))
			}
		} else {
			f.Subject = sub
		}
	}
	return errs
}

func (f applicantForm) request(procedure string) dossier.SubmitRequest {
	req := dossier.SubmitRequest{ProcedureCode: procedure, UnitCode: f.Unit, Channel: f.Channel, Components: f.Components, Note: f.Note,
		Applicant:  dossier.Applicant{Name: f.Name, IDNumber: f.IDNumber, Phone: f.Phone, Email: f.Email, Address: f.Address},
		ReusedFrom: f.ReusedFrom, OnBehalf: f.OnBehalf, Notify: f.Notify, Reuse: f.reuseRequests(), ReuseConsent: f.ReuseConsent}
	if sub := f.Subject; !sub.Empty() {
		req.Subject = &sub
	}
	return req
}

// serviceErrors turns a refusal by the service into form errors: beside its
// field when it names one, else at the top.
func serviceErrors(c *catalog, err error) (formErrors, bool) {
	var errs formErrors
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.EINVALID && e.Code != apperr.EFORBIDDEN && e.Code != apperr.ECONFLICT) {
		return errs, false
	}
	errs.add(fieldOf(e.Field), c.pick(e.Message, e.MessageEn))
	return errs, true
}

// longTexts are the free texts, in JSON bodies and in forms alike, where a
// tab or a line break is kept (a textarea, or its API twin); in every other
// field they are refused with the other control characters. A field is
// matched by its last name: "applicant.address" and "subject.address" are
// "address". The one place where this is decided.
var longTexts = map[string]bool{
	"note": true, "reason": true, "comment": true, "address": true, "subject_address": true,
	"missing": true, "components_other": true, // one per line in the forms
	"text": true, "description": true, // a petition's text and answers; Open311's description
	"body": true, "summary": true, // a news article's Markdown and summary; a residential groups' announcement, paragraphs apart
}

func longText(field string) bool {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i] // missing[2]
	}
	// An admin's procedure step names are textareas too (name-0, name-1...).
	if n, ok := strings.CutPrefix(field, "name-"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return true
	}
	return longTexts[field]
}

// textIssue says, in both languages, what is wrong with a text typed into
// field, or returns ok: control characters and bytes that are not UTF-8 are
// refused, never stored (vntext.Unclean).
func textIssue(field, s string) (vi, en string, ok bool) {
	r, bad := vntext.Unclean(s, longText(field))
	switch {
	case !bad:
		return "", "", true
	case r == vntext.ReplacementChar:
		return "chứa byte không phải UTF-8 hoặc ký tự hỏng (U+FFFD); hãy gõ lại nội dung",
			"contains bytes that are not UTF-8 or a damaged character (U+FFFD); type it again", false
	default:
		code := fmt.Sprintf("U+%04X", r)
		return "chứa ký tự điều khiển " + code + ", không được phép",
			"contains the control character " + code + ", which is not allowed", false
	}
}

// checkValues refuses the first value of vals (a query string or a posted
// form) that holds a control character or bytes that are not UTF-8, naming
// its field; the names are checked too.
func checkValues(vals url.Values) error {
	keys := slices.Sorted(maps.Keys(vals))
	for _, k := range keys {
		if vi, en, ok := textIssue("", k); !ok {
			name := join("", k)
			return apperr.Invalid(name, "Tên trường "+name+" "+vi, "the field name "+name+" "+en)
		}
		for _, v := range vals[k] {
			if vi, en, ok := textIssue(k, v); !ok {
				return apperr.Invalid(k, "Trường "+k+" "+vi, "field "+k+" "+en)
			}
		}
	}
	return nil
}
