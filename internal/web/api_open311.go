package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/vntext"
)

// Open311 GeoReport v2 over the petitions, so that the existing Open311
// apps and tools can send reports and read their status. JSON only (the
// ".json" format); docs/api.md lists the fields and the status mapping.
// A service is a petition field; jurisdiction_id is a unit's code; a
// service_request_id is a petition's code.
const open311Prefix = "/open311/"

func (s *Server) open311Routes(mux router) {
	mux.HandleFunc("GET /open311/v2/services.json", s.open311Services)
	mux.HandleFunc("GET /open311/v2/services/{file}", s.open311Service)
	mux.HandleFunc("GET /open311/v2/requests.json", s.open311Requests)
	mux.HandleFunc("POST /open311/v2/requests.json", s.open311Post)
	mux.HandleFunc("GET /open311/v2/requests/{file}", s.open311Request)
	mux.HandleFunc(open311Prefix, s.open311NotFound)
}

// open311Error is the GeoReport error: an array of {code, description}.
type open311Error struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// open311Fail answers err as GeoReport does: the HTTP status in the body's
// code, the message in Vietnamese then English.
func (s *Server) open311Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e == nil {
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.EINTERNAL, "Lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later")
	}
	st := statusOf[e.Code]
	if st == http.StatusUnprocessableEntity {
		st = http.StatusBadRequest // the specification's status for a bad request
	}
	desc := e.Message + " / " + e.MessageEn
	if e.Field != "" {
		desc = e.Field + ": " + desc
	}
	writeJSON(w, st, []open311Error{{Code: st, Description: desc}})
}

func (s *Server) open311NotFound(w http.ResponseWriter, r *http.Request) {
	s.open311Fail(w, r, apperr.NotFound("Không có địa chỉ này trong Open311 GeoReport v2 (chỉ định dạng .json)",
		"no such Open311 GeoReport v2 address (.json only)"))
}

// open311ServiceView is a GeoReport service: a petition field.
type open311ServiceView struct {
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

// open311Unit checks jurisdiction_id when it is given: a unit's code.
func (s *Server) open311Unit(r *http.Request, required bool) (string, error) {
	j := strings.TrimSpace(r.FormValue("jurisdiction_id"))
	if j == "" {
		if required {
			return "", apperr.Invalid("jurisdiction_id", "Thiếu jurisdiction_id (mã đơn vị nhận phản ánh)", "jurisdiction_id (the unit's code) is required")
		}
		return "", nil
	}
	if _, err := s.DB.Unit(r.Context(), j); err != nil {
		return "", apperr.NotFound("Không có đơn vị "+j, "no jurisdiction "+j)
	}
	return j, nil
}

func (s *Server) open311Services(w http.ResponseWriter, r *http.Request) {
	if _, err := s.open311Unit(r, false); err != nil {
		s.open311Fail(w, r, err)
		return
	}
	out := make([]open311ServiceView, 0, len(petition.Fields))
	for _, f := range petition.Fields {
		out = append(out, open311ServiceView{ServiceCode: f.Code, ServiceName: f.Name, Description: f.Name + " / " + f.NameEn,
			Type: "realtime", Keywords: vntext.Unaccent(f.Name), Group: "phan-anh-kien-nghi"})
	}
	writeJSON(w, http.StatusOK, out)
}

// open311Service is a service's definition: no extra attributes.
func (s *Server) open311Service(w http.ResponseWriter, r *http.Request) {
	code, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if _, found := petition.FieldByCode(code); !ok || !found {
		s.open311NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"service_code": code, "attributes": []any{}})
}

// open311Post creates a petition from a GeoReport form. api_key is not
// required: a unit takes reports from anyone, bounded per address like the
// petitions' API.
func (s *Server) open311Post(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if _, err := s.petitionAttempt(w, r, a); err != nil {
		s.open311Fail(w, r, err)
		return
	}
	req, err := s.open311Form(w, r)
	if err != nil {
		s.open311Fail(w, r, err)
		return
	}
	p, err := s.Petitions().Submit(r.Context(), a, req, nil)
	if err != nil {
		s.open311Fail(w, r, err)
		return
	}
	notice := "Đã tiếp nhận, trả lời trước " + p.DueAt.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04") +
		"; tra cứu bằng mã " + p.Code + " và số điện thoại hoặc thư điện tử đã gửi"
	writeJSON(w, http.StatusOK, []map[string]any{{"service_request_id": p.Code, "service_notice": notice, "account_id": nil}})
}

// open311Form reads the GeoReport form into a petition request.
func (s *Server) open311Form(w http.ResponseWriter, r *http.Request) (petition.SubmitRequest, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return petition.SubmitRequest{}, apperr.Invalid("", "Không đọc được biểu mẫu", "the form could not be read")
	}
	if err := checkValues(r.PostForm); err != nil {
		return petition.SubmitRequest{}, err
	}
	unit, err := s.open311Unit(r, true)
	if err != nil {
		return petition.SubmitRequest{}, err
	}
	return open311Values(unit, r.PostForm)
}

// open311Values maps the GeoReport form's fields onto a petition request
// for unit; the request is validated by the service. The subject is the
// description's first words; the name joins last_name and first_name (the
// family name first, as Vietnamese names are written).
func open311Values(unit string, vals url.Values) (petition.SubmitRequest, error) {
	f := vals.Get
	req := petition.SubmitRequest{Unit: unit, Field: f("service_code"), Text: f("description"), Address: f("address_string"),
		Email: f("email"), Phone: f("phone"), MediaURL: f("media_url"), Channel: petition.ChannelOpen311,
		Name: strings.TrimSpace(f("last_name") + " " + f("first_name"))}
	if req.Field == "" {
		return req, apperr.Invalid("service_code", "Thiếu service_code", "service_code is required")
	}
	if strings.TrimSpace(req.Text) == "" {
		return req, apperr.Invalid("description", "Thiếu description (nội dung phản ánh)", "description is required")
	}
	req.Subject = subjectOf(req.Text)
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"lat", &req.Lat}, {"long", &req.Long}} {
		if v := strings.TrimSpace(f(c.name)); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return req, apperr.Invalid(c.name, "Trường "+c.name+" phải là một số (WGS84)", "field "+c.name+" must be a number (WGS84)")
			}
			*c.dst = &x
		}
	}
	if req.Lat == nil && strings.TrimSpace(req.Address) == "" {
		return req, apperr.Invalid("lat", "Cần vị trí: lat và long, hoặc address_string", "a location is required: lat and long, or address_string")
	}
	return req, nil
}

// subjectOf is the first words of a description, at most 80 characters.
func subjectOf(text string) string {
	words := strings.Fields(text)
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 && len([]rune(b.String()))+1+len([]rune(w)) > 80 {
			b.WriteString("…")
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return vntext.Truncate(b.String(), 400)
}

// open311RequestView is a GeoReport service request. Anyone with its code
// sees its status, service and dates; once published, the question as the
// leader published it and the answer (no address, place or picture, as on
// the public page); the sender (the phone or e-mail in the query, an
// extension) and the unit's officers see it whole.
type open311RequestView struct {
	ServiceRequestID  string    `json:"service_request_id"`
	Status            string    `json:"status"`
	StatusNotes       string    `json:"status_notes,omitempty"`
	ServiceName       string    `json:"service_name"`
	ServiceCode       string    `json:"service_code"`
	Description       string    `json:"description,omitempty"`
	AgencyResponsible string    `json:"agency_responsible"`
	ServiceNotice     string    `json:"service_notice,omitempty"`
	RequestedDatetime time.Time `json:"requested_datetime"`
	UpdatedDatetime   time.Time `json:"updated_datetime"`
	ExpectedDatetime  time.Time `json:"expected_datetime"`
	Address           string    `json:"address,omitempty"`
	Lat               *float64  `json:"lat,omitempty"`
	Long              *float64  `json:"long,omitempty"`
	MediaURL          string    `json:"media_url,omitempty"`
}

// open311Status maps a petition's status: open while the unit handles it
// (1–4), closed once answered, refused, merged or closed.
func open311Status(p *petition.Petition) (string, string) {
	switch p.Status {
	case petition.StatusAnswered, petition.StatusClosed:
		return "closed", p.Answer
	case petition.StatusRefused:
		return "closed", "Từ chối: " + p.Reason
	case petition.StatusMerged:
		return "closed", "Trùng với " + p.MergedInto
	case petition.StatusWaiting:
		return "open", "Chờ bổ sung: " + p.InfoRequest
	}
	return "open", statusName(p.Status)
}

// open311Access is how much of a request the caller sees.
type open311Access int

const (
	open311Short  open311Access = iota // status, service and dates
	open311Public                      // and the published question and answer
	open311Whole                       // and the sender's text, address, place and picture
)

func open311View(p *petition.Petition, access open311Access) open311RequestView {
	status, notes := open311Status(p)
	field, _ := petition.FieldByCode(p.Field)
	v := open311RequestView{ServiceRequestID: p.Code, Status: status, ServiceName: field.Name, ServiceCode: p.Field,
		AgencyResponsible: p.UnitCode, RequestedDatetime: p.ReceivedAt, UpdatedDatetime: p.ReceivedAt, ExpectedDatetime: p.DueAt}
	if n := len(p.Events); n > 0 {
		v.UpdatedDatetime = p.Events[n-1].At
	}
	switch access {
	case open311Whole:
		v.StatusNotes, v.Description, v.Address, v.Lat, v.Long, v.MediaURL = notes, p.Text, p.Address, p.Lat, p.Long, p.MediaURL
	case open311Public:
		pub := PetitionPublicView(p)
		v.StatusNotes, v.Description = pub.Answer, pub.Question
	default:
		v.StatusNotes = statusName(p.Status)
	}
	return v
}

// open311Request answers one request by its code, as an array of one.
func (s *Server) open311Request(w http.ResponseWriter, r *http.Request) {
	code, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok {
		s.open311NotFound(w, r)
		return
	}
	v, err := s.open311One(w, r, code)
	if err != nil {
		s.open311Fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, []open311RequestView{v})
}

// open311One reads one request as the caller may see it. An unknown code,
// or a phone or e-mail that is not the sender's, is "not found" and counts
// against the address's look-up limit, like the sender's look-up: a
// contact cannot be guessed by comparing answers.
func (s *Server) open311One(w http.ResponseWriter, r *http.Request, code string) (open311RequestView, error) {
	var p *petition.Petition
	contact := r.URL.Query().Get("phone")
	if contact == "" {
		contact = r.URL.Query().Get("email")
	}
	err := s.publicTry(w, r, func() (err error) {
		if contact != "" {
			p, err = s.Petitions().ForSender(r.Context(), code, contact)
			return err
		}
		if !petition.ValidCode(code) {
			return apperr.NotFound("Không tìm thấy yêu cầu "+code, "no service request "+code)
		}
		p, err = s.Petitions().Store.Get(r.Context(), code)
		return err
	})
	if err != nil {
		return open311RequestView{}, err
	}
	switch {
	case contact != "" || petition.CanView(actor(r), p):
		return open311View(p, open311Whole), nil
	case p.Published:
		return open311View(p, open311Public), nil
	}
	return open311View(p, open311Short), nil
}

// open311Requests lists requests: those named by service_request_id (at
// most 50), else the published answers, newest first, filtered by
// jurisdiction_id, service_code, start_date and end_date (at most 90 days,
// the last 90 by default) and status; at most 1,000.
func (s *Server) open311Requests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if ids := q.Get("service_request_id"); ids != "" {
		var out []open311RequestView
		for i, code := range strings.Split(ids, ",") {
			if i == 50 {
				break
			}
			v, err := s.open311One(w, r, strings.TrimSpace(code))
			if apperr.Code(err) == apperr.ENOTFOUND {
				continue
			}
			if err != nil {
				s.open311Fail(w, r, err)
				return
			}
			out = append(out, v)
		}
		writeJSON(w, http.StatusOK, append([]open311RequestView{}, out...))
		return
	}
	f, err := s.open311Filter(r)
	if err != nil {
		s.open311Fail(w, r, err)
		return
	}
	out := []open311RequestView{}
	if f.status != "open" { // published answers are all closed
		ps, err := s.DB.PublishedPetitions(r.Context(), f.unit, f.field, f.from, f.to, 1000)
		if err != nil {
			s.open311Fail(w, r, err)
			return
		}
		for i := range ps {
			out = append(out, open311View(&ps[i], open311Public))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type open311Query struct {
	unit, field, status string
	from, to            time.Time
}

func (s *Server) open311Filter(r *http.Request) (open311Query, error) {
	q := r.URL.Query()
	var f open311Query
	var err error
	if f.unit, err = s.open311Unit(r, false); err != nil {
		return f, err
	}
	f.field, f.status = q.Get("service_code"), q.Get("status")
	if f.status != "" && f.status != "open" && f.status != "closed" {
		return f, apperr.Invalid("status", "status phải là open hoặc closed", "status must be open or closed")
	}
	f.to, f.from = s.now(), s.now().AddDate(0, 0, -90)
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"start_date", &f.from}, {"end_date", &f.to}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, apperr.Invalid(d.name, d.name+" phải theo ISO 8601 có múi giờ, ví dụ 2026-05-04T17:00:00+07:00",
					d.name+" must be ISO 8601 with a time zone, e.g. 2026-05-04T17:00:00+07:00")
			}
			*d.dst = t
		}
	}
	if q.Get("start_date") != "" && q.Get("end_date") == "" {
		f.to = f.from.AddDate(0, 0, 90)
	}
	if f.to.Before(f.from) || f.to.Sub(f.from) > 90*24*time.Hour {
		return f, apperr.Invalid("end_date", "Khoảng ngày phải từ 0 đến 90 ngày", "the dates may span 0 to 90 days")
	}
	return f, nil
}
