package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// petitionForm is the public form as typed; it comes back as typed when
// something is wrong.
type petitionForm struct {
	Unit, Field, Subject, Text, Address, Lat, Long, DossierCode, Name, Phone, Email string
}

func readPetitionForm(v url.Values) petitionForm {
	get := func(k string) string { return v.Get(k) }
	return petitionForm{Unit: strings.TrimSpace(get("unit")), Field: get("field"), Subject: get("subject"), Text: get("text"),
		Address: get("address"), Lat: strings.TrimSpace(get("lat")), Long: strings.TrimSpace(get("long")),
		DossierCode: strings.TrimSpace(get("dossier_code")), Name: get("name"), Phone: strings.TrimSpace(get("phone")),
		Email: strings.TrimSpace(get("email"))}
}

// check finds every mistake a citizen can fix at once (the required fields,
// the phone, the e-mail, the dossier code and the point), then lets the
// service's own validation name the rest (lengths, characters).
func (f petitionForm) check(c *catalog) (petition.SubmitRequest, formErrors) {
	var errs formErrors
	req := petition.SubmitRequest{Unit: f.Unit, Field: f.Field, Subject: f.Subject, Text: f.Text, Address: f.Address,
		DossierCode: f.DossierCode, Name: f.Name, Phone: f.Phone, Email: f.Email, Channel: petition.ChannelWeb}
	if f.Unit == "" {
		errs.add("unit", c.T("pet.err.unit"))
	}
	if _, ok := petition.FieldByCode(f.Field); !ok {
		errs.add("field", c.T("pet.err.field"))
	}
	if vntext.Clean(f.Subject) == "" {
		errs.add("subject", c.T("pet.err.subject"))
	}
	if strings.TrimSpace(f.Text) == "" {
		errs.add("text", c.T("pet.err.text"))
	}
	switch {
	case f.Phone == "" && f.Email == "":
		errs.add("phone", c.T("pet.err.contact"))
	case f.Phone != "":
		if _, err := vntext.NormalizePhone(f.Phone); err != nil {
			errs.add("phone", c.T("pet.err.phone"))
		}
	}
	if f.Email != "" && !unit.ValidEmail(strings.ToLower(f.Email)) {
		errs.add("email", c.T("form.err.email"))
	}
	if f.DossierCode != "" && !dossier.ValidCode(f.DossierCode) {
		errs.add("dossier_code", c.T("pet.err.dossier_code"))
	}
	if f.Lat != "" || f.Long != "" {
		lat, err1 := strconv.ParseFloat(f.Lat, 64)
		long, err2 := strconv.ParseFloat(f.Long, 64)
		if err1 != nil || err2 != nil {
			errs.add("address", c.T("pet.err.point"))
		} else {
			req.Lat, req.Long = &lat, &long
		}
	}
	if errs.Any() {
		return req, errs
	}
	if err := req.Validate(); err != nil {
		return req, petitionErrors(c, err)
	}
	return req, errs
}

// petitionErrors puts a refusal of the service beside its field: the
// form's fields bear the service's names, but for the point (beside the
// address).
func petitionErrors(c *catalog, err error) formErrors {
	var errs formErrors
	e := apperr.As(err)
	field := e.Field
	switch field {
	case "lat", "long":
		field = "address"
	case "unit", "field", "subject", "text", "address", "dossier_code", "name", "phone", "email", "file":
	default:
		field = ""
	}
	errs.add(field, c.pick(e.Message, e.MessageEn))
	return errs
}

type petitionSubmitData struct {
	Form    petitionForm
	Errors  formErrors
	Units   []unit.Unit
	Fields  []petitionOption
	Uploads bool
	// Dropped tells that the photos chosen were not kept, the form being
	// refused: an anonymous sender has no account to keep them under.
	Dropped bool
}

// petitionOption is a choice of a select in the reader's language.
type petitionOption struct{ Value, Label string }

func petitionFields(c *catalog) []petitionOption {
	out := make([]petitionOption, len(petition.Fields))
	for i, f := range petition.Fields {
		out[i] = petitionOption{f.Code, c.pick(f.Name, f.NameEn)}
	}
	return out
}

// petitionSubmitPage is the public form: anyone, signed in or not.
func (s *Server) petitionSubmitPage(w http.ResponseWriter, r *http.Request) {
	d := petitionSubmitData{Form: petitionForm{DossierCode: strings.TrimSpace(r.URL.Query().Get("ho_so"))}}
	s.showPetitionSubmit(w, r, http.StatusOK, d)
}

func (s *Server) showPetitionSubmit(w http.ResponseWriter, r *http.Request, status int, d petitionSubmitData) {
	units, err := s.DB.ReceivingUnits(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "petition", "pet.submit.title")
	d.Units, d.Uploads, d.Fields = units, s.Files != nil, petitionFields(p.c)
	if len(units) == 1 && d.Form.Unit == "" {
		d.Form.Unit = units[0].Code
	}
	p.setAlt("/phan-anh/gui", nil)
	p.Scripts = []string{"petition.js"}
	p.Data = d
	s.render(w, r, status, "petition_submit", p)
}

// petitionSubmitPost sends the form. The text is checked before any photo
// is stored, and the attempt is counted against the sender's limit then:
// a form with mistakes costs neither disk nor the sender's quota. Photos
// of a refused form are deleted and chosen again.
func (s *Server) petitionSubmitPost(w http.ResponseWriter, r *http.Request) {
	a, c := actor(r), s.ui.cat[requestLang(w, r)]
	var d petitionSubmitData
	var req petition.SubmitRequest
	var refused error // the sender's limit
	checked := false
	precheck := func(v url.Values) bool {
		if !checked {
			checked = true
			d.Form = readPetitionForm(v)
			if req, d.Errors = d.Form.check(c); !d.Errors.Any() {
				_, refused = s.petitionAttempt(w, r, a)
			}
		}
		return !d.Errors.Any() && refused == nil
	}
	up, err := s.readPetitionPage(w, r, c, precheck)
	if err != nil {
		s.dropUnusedFiles(r.Context(), up.files)
		s.pageFail(w, r, err)
		return
	}
	precheck(up.vals)
	// Fields sent after the files (not by this site's form) are checked
	// again with the files; skipped files are chosen again.
	if full := readPetitionForm(up.vals); full != d.Form {
		d.Form = full
		if req, d.Errors = full.check(c); up.skipped && !d.Errors.Any() {
			d.Errors.add("file", c.T("pet.files_dropped"))
		}
	}
	status := statusOf[apperr.EINVALID]
	if refused != nil {
		d.Errors.List, status = append(petitionErrors(c, refused).List, d.Errors.List...), statusOf[apperr.Code(refused)]
	}
	d.Errors.List = append(d.Errors.List, up.errs.List...)
	if d.Errors.Any() {
		s.dropUnusedFiles(r.Context(), up.files)
		d.Dropped = len(up.files) > 0 || up.errs.Any() || up.skipped
		s.showPetitionSubmit(w, r, status, d)
		return
	}
	made, err := s.Petitions().Submit(r.Context(), a, req, up.files)
	if err != nil {
		s.dropUnusedFiles(r.Context(), up.files)
		if e := apperr.As(err); e == nil || (e.Code != apperr.EINVALID && e.Code != apperr.ETOOLARGE) {
			s.pageFail(w, r, err)
			return
		}
		d.Errors, d.Dropped = petitionErrors(c, err), len(up.files) > 0
		s.showPetitionSubmit(w, r, statusOf[apperr.Code(err)], d)
		return
	}
	http.Redirect(w, r, "/phan-anh/da-gui/"+made.Code, http.StatusSeeOther)
}

// petitionUpload is the public form as read: its text fields, the files
// stored, the files refused, and whether files were skipped unread.
type petitionUpload struct {
	vals    url.Values
	files   []petition.File
	errs    formErrors
	skipped bool
}

// readPetitionPage reads the public form: URL-encoded (already parsed and
// checked by hygiene) or multipart with "file" parts. The text parts come
// first, as browsers send them in the form's order; at the first file
// precheck decides whether files are stored at all. A file refused (type,
// size, count) is a form error beside the file field; the returned error is
// for a body that cannot be read.
func (s *Server) readPetitionPage(w http.ResponseWriter, r *http.Request, c *catalog, precheck func(url.Values) bool) (petitionUpload, error) {
	up := petitionUpload{vals: url.Values{}}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		up.vals = r.PostForm
		return up, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPetitionBody)
	// photos over a slow mobile connection take minutes, as the dossiers' uploads do
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	mr, err := r.MultipartReader()
	if err != nil {
		return up, errUnreadable
	}
	var text int64
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, up.partError(c, err)
		}
		if p.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(p, maxBody-text+1))
			if text += int64(len(b)); err != nil || text > maxBody {
				return up, errTooLarge
			}
			up.vals.Add(p.FormName(), string(b))
			continue
		}
		name := cleanFileName(p.FileName())
		if name == "" {
			continue // the file field left empty
		}
		if !precheck(up.vals) {
			up.skipped = true
			continue // the reader skips the rest of the part
		}
		f, err := s.putPetitionFile(r.Context(), p, name, up.files)
		if e := apperr.As(err); e != nil {
			up.errs.add("file", c.pick(e.Message, e.MessageEn))
			continue
		}
		if err != nil {
			return up, up.partError(c, err)
		}
		up.files = append(up.files, f)
	}
	return up, checkValues(up.vals)
}

var errUnreadable = apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")

// partError turns a body over the limit into a form error beside the
// files (the form comes back with what was read), and anything else into
// a failure.
func (up *petitionUpload) partError(c *catalog, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		up.errs.add("file", c.T("pet.err.body"))
		return nil
	}
	return errUnreadable
}

// petitionReceiptPage is the page after sending: the code in large type and
// how to follow it. It reads nothing from the database, so that it tells a
// visitor who types another code nothing about that petition.
func (s *Server) petitionReceiptPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !petition.ValidCode(code) {
		s.pageNotFound(w, r)
		return
	}
	p := s.newPage(w, r, "petition", "pet.receipt.title")
	p.Data = map[string]any{"Code": code, "Days": petition.DefaultDeadlines.Answer}
	s.render(w, r, http.StatusOK, "petition_receipt", p)
}
