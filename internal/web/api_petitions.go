package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
)

// Petitions is the petition service over the server's database: the pages
// and the API call the same rules.
func (s *Server) Petitions() *petition.Service {
	return &petition.Service{Store: store.Petitions{DB: s.DB}, Calendars: s.Calendar, Units: s.DB, Officers: s.DB, Now: s.now}
}

// petitionOfficerView is a petition as its unit's officers see it: whole,
// with the late and near-due flags and the actions the caller may take.
type petitionOfficerView struct {
	*petition.Petition
	StatusName     string   `json:"status_name"`
	Late           bool     `json:"late"`
	NearDue        bool     `json:"near_due"`
	AllowedActions []string `json:"allowed_actions"`
}

// petitionSenderView is what its sender reads: the status, the deadlines,
// what is asked of them and the answer; never the draft, the assignee or
// the officers' notes.
type petitionSenderView struct {
	Code         string           `json:"code"`
	Unit         string           `json:"unit"`
	Kind         string           `json:"kind"`
	Field        string           `json:"field"`
	Subject      string           `json:"subject"`
	Text         string           `json:"text"`
	Address      string           `json:"address,omitempty"`
	DossierCode  string           `json:"dossier_code,omitempty"`
	Status       petition.Status  `json:"status"`
	StatusName   string           `json:"status_name"`
	ReceivedAt   time.Time        `json:"received_at"`
	DueAt        time.Time        `json:"due_at"`
	InfoRequest  string           `json:"info_request,omitempty"`
	Reason       string           `json:"reason,omitempty"`
	MergedInto   string           `json:"merged_into,omitempty"`
	Answer       string           `json:"answer,omitempty"`
	AnsweredAt   time.Time        `json:"answered_at,omitzero"`
	Published    bool             `json:"published"`
	Satisfaction string           `json:"satisfaction,omitempty"`
	Sender       petition.Sender  `json:"sender"` // masked
	Files        []petition.File  `json:"files,omitempty"`
	History      []petitionStatus `json:"history"`
}

// petitionStatus is one step of the history as the sender reads it.
type petitionStatus struct {
	Action string          `json:"action"`
	At     time.Time       `json:"at"`
	Status petition.Status `json:"status"`
}

// petitionPublicView is a published answer: no sender, address or files.
type petitionPublicView struct {
	Code        string    `json:"code"`
	Unit        string    `json:"unit"`
	Kind        string    `json:"kind"`
	Field       string    `json:"field"`
	Subject     string    `json:"subject"`
	Question    string    `json:"question"`
	Answer      string    `json:"answer"`
	AnsweredAt  time.Time `json:"answered_at"`
	PublishedAt time.Time `json:"published_at"`
	Useful      int       `json:"useful"`
	NotUseful   int       `json:"not_useful"`
}

func statusName(st petition.Status) string { return petition.StatusName[st][0] }

func (s *Server) petitionOfficerView(ctx context.Context, a auth.Actor, p *petition.Petition) petitionOfficerView {
	return s.petitionOfficerViews(ctx, a, []petition.Petition{*p})[0]
}

// petitionOfficerViews builds the views of a page of the queue, with the
// unit's calendar and setting read once.
func (s *Server) petitionOfficerViews(ctx context.Context, a auth.Actor, ps []petition.Petition) []petitionOfficerView {
	svc, now := s.Petitions(), s.now()
	allowed := svc.Prober(ctx, a)
	cal, calErr := s.Calendar.For(ctx, a.UnitCode)
	out := make([]petitionOfficerView, 0, len(ps))
	for i := range ps {
		p := &ps[i]
		v := petitionOfficerView{Petition: p, StatusName: statusName(p.Status), Late: p.Late(now), AllowedActions: allowed(p)}
		if calErr == nil {
			v.NearDue = svc.NearDue(cal, p, now)
		}
		out = append(out, v)
	}
	return out
}

// PetitionSenderView builds the sender's view (also for the pages).
func PetitionSenderView(p *petition.Petition) petitionSenderView {
	v := petitionSenderView{Code: p.Code, Unit: p.UnitCode, Kind: p.Kind, Field: p.Field, Subject: p.Subject, Text: p.Text, Address: p.Address,
		DossierCode: p.DossierCode, Status: p.Status, StatusName: statusName(p.Status), ReceivedAt: p.ReceivedAt, DueAt: p.DueAt,
		InfoRequest: p.InfoRequest, Reason: p.Reason, MergedInto: p.MergedInto, Answer: p.Answer, AnsweredAt: p.AnsweredAt,
		Published: p.Published, Satisfaction: p.Satisfaction, Sender: p.Sender.Masked(), Files: p.Files, History: []petitionStatus{}}
	for _, e := range p.Events {
		if e.Action == petition.ActEscalate {
			continue // the unit's own business
		}
		v.History = append(v.History, petitionStatus{Action: e.Action, At: e.At, Status: petition.Status(e.ToStatus)})
	}
	return v
}

// PetitionPublicView builds a published answer's view (also for the pages
// and Open311): the question as the leader published it, never the
// sender's own text.
func PetitionPublicView(p *petition.Petition) petitionPublicView {
	return petitionPublicView{Code: p.Code, Unit: p.UnitCode, Kind: p.Kind, Field: p.Field, Subject: p.Subject, Question: p.PublicText, Answer: p.Answer,
		AnsweredAt: p.AnsweredAt, PublishedAt: p.PublishedAt, Useful: p.Useful, NotUseful: p.NotUseful}
}

// submitPetition takes a petition from anyone: a JSON body, or a
// multipart form whose "petition" part is that JSON, followed by up to five
// "file" parts (JPEG, PNG or PDF, checked by their first bytes).
func (s *Server) submitPetition(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	if _, err := s.petitionAttempt(w, r, a); err != nil {
		s.fail(w, r, err)
		return
	}
	req, files, err := s.readPetition(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req.Channel = petition.ChannelAPI
	p, err := s.Petitions().Submit(r.Context(), a, req, files)
	if err != nil {
		s.dropUnusedFiles(r.Context(), files)
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/petitions/"+p.Code)
	writeJSON(w, http.StatusCreated, PetitionSenderView(p))
}

// petitionAttempt counts a petition sent from the client's address, or
// from the signed-in account, and refuses it over the limit: every one
// counts, since each adds a row and perhaps files.
func (s *Server) petitionAttempt(w http.ResponseWriter, r *http.Request, a auth.Actor) (*attempt, error) {
	rate := s.limits.Petition
	if rate.N <= 0 {
		return &attempt{}, nil
	}
	key := s.clientAddr(r)
	if a.Username != "" {
		key = "account|" + accountKey(a.Username)
	}
	return s.count(w, r, []limitRule{{store.Counter{Kind: limitPetition, Key: key, Window: rate.Per}, rate.N}})
}

// maxPetitionBody bounds a petition's multipart body: the files' total and
// the JSON part, with a margin for the parts' headers.
const maxPetitionBody = petition.MaxFilesBytes + maxBody + 64<<10

// readPetition reads the request's petition and stores its files.
func (s *Server) readPetition(w http.ResponseWriter, r *http.Request) (petition.SubmitRequest, []petition.File, error) {
	var req petition.SubmitRequest
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return req, nil, decode(w, r, &req)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPetitionBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return req, nil, apperr.Invalid("body", "Không đọc được dữ liệu gửi lên", "the form could not be read")
	}
	var files []petition.File
	fail := func(err error) (petition.SubmitRequest, []petition.File, error) {
		s.dropUnusedFiles(r.Context(), files)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = apperr.New(apperr.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa 20 MB tệp)", "the request is too large (20 MB of files at most)")
		}
		return req, nil, err
	}
	seen := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(apperr.Invalid("body", "Không đọc được dữ liệu gửi lên", "the form could not be read"))
		}
		switch {
		case p.FormName() == "petition" && !seen:
			body, err := io.ReadAll(io.LimitReader(p, maxBody+1))
			if err == nil && len(body) > maxBody {
				err = errTooLarge
			}
			if err == nil {
				err = decodeBytes(body, &req)
			}
			if err != nil {
				return fail(err)
			}
			seen = true
		case p.FormName() == "file" && seen:
			f, err := s.putPetitionFile(r.Context(), p, cleanFileName(p.FileName()), files)
			if err != nil {
				return fail(err)
			}
			files = append(files, f)
		default:
			return fail(apperr.Invalid("body", "Biểu mẫu gồm phần “petition” (JSON) rồi các phần “file”", "the form has a “petition” part (JSON) and then “file” parts"))
		}
	}
	if !seen {
		return fail(apperr.Invalid("petition", "Thiếu phần “petition” (JSON)", "the “petition” part (JSON) is missing"))
	}
	return req, files, nil
}

// putPetitionFile checks one file against the limits (count, size, total)
// and its type by name and first bytes, as dossiers' uploads are, and
// stores it. The pages' form uses it too.
func (s *Server) putPetitionFile(ctx context.Context, body io.Reader, name string, before []petition.File) (petition.File, error) {
	if s.Files == nil {
		return petition.File{}, apperr.Conflict("Máy chủ chưa được cấu hình để nhận tệp", "this server does not take files")
	}
	if len(before) >= petition.MaxFiles {
		return petition.File{}, apperr.Invalid("file", "Gửi tối đa 5 tệp", "at most 5 files")
	}
	var used int64
	for _, f := range before {
		used += f.Size
	}
	want := fileTypes[strings.ToLower(path.Ext(name))]
	br, got, err := sniff(body)
	if err != nil {
		return petition.File{}, err
	}
	if name == "" || want == "" || got != want {
		return petition.File{}, apperr.Invalid("file", "Tệp “"+name+"” không phải ảnh JPEG, PNG hay tệp PDF", "the file “"+name+"” is not a JPEG or PNG picture nor a PDF")
	}
	limit := min(int64(petition.MaxFileBytes), petition.MaxFilesBytes-used)
	info, err := s.Files.Put(ctx, br, limit)
	if errors.Is(err, blob.ErrTooLarge) {
		return petition.File{}, apperr.New(apperr.ETOOLARGE, "Tệp “"+name+"” vượt giới hạn (10 MB một tệp, 20 MB tất cả)",
			"the file “"+name+"” is over the limit (10 MB a file, 20 MB in all)")
	}
	if err != nil {
		return petition.File{}, err
	}
	return petition.File{Name: name, ContentType: want, Size: info.Size, SHA256: info.SHA256}, nil
}

// dropUnusedFiles deletes the files of a refused petition that no row
// names (the same picture may belong to another petition or dossier).
func (s *Server) dropUnusedFiles(ctx context.Context, files []petition.File) {
	for _, f := range files {
		if named, err := s.DB.FileNamed(ctx, f.SHA256); err == nil && !named {
			if err := s.Files.Delete(ctx, f.SHA256); err != nil {
				s.Log.Warn("petition: delete an unused file", "sha256", f.SHA256, "err", err)
			}
		}
	}
}

// listPetitions is the officers' queue of their unit: ?status=1..8,
// ?open=true, ?queue=late|near_due, ?field=, ?assignee=, ?limit=, ?offset=.
func (s *Server) listPetitions(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := parsePetitionQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, total, err := s.Petitions().List(r.Context(), a, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := s.petitionOfficerViews(r.Context(), a, ps)
	writeJSON(w, http.StatusOK, map[string]any{"petitions": out, "total": total, "limit": petition.PageLimit(req.Limit), "offset": req.Offset})
}

// parsePetitionQuery reads the queue's query string.
func parsePetitionQuery(r *http.Request) (petition.ListRequest, error) {
	q := r.URL.Query()
	req := petition.ListRequest{Queue: q.Get("queue"), Field: q.Get("field"), Assignee: q.Get("assignee")}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &req.Limit}, {"offset", &req.Offset}, {"status", (*int)(&req.Status)}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return req, apperr.Invalid(p.name, p.name+" phải là số nguyên", p.name+" must be an integer")
			}
			*p.dst = n
		}
	}
	switch q.Get("open") {
	case "", "false":
	case "true":
		req.Open = true
	default:
		return req, apperr.Invalid("open", "open phải là true hoặc false", "open must be true or false")
	}
	return req, nil
}

// getPetition answers an officer of the unit with the whole petition, and
// the sender (signed in, or with ?phone= or ?email=) with the sender's view.
func (s *Server) getPetition(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	p, err := s.petitionFor(w, r)
	switch {
	case err != nil:
		s.fail(w, r, err)
	case a.IsOfficer() && p.UnitCode == a.UnitCode:
		writeJSON(w, http.StatusOK, s.petitionOfficerView(r.Context(), a, p))
	default:
		writeJSON(w, http.StatusOK, PetitionSenderView(p))
	}
}

// petitionFor finds the petition of the path for the caller: an officer of
// its unit or its signed-in sender, or, with ?phone= or ?email=, whoever
// gives the contact it was sent with (counted on the look-up limit when
// nothing is found). Anyone else: not found.
func (s *Server) petitionFor(w http.ResponseWriter, r *http.Request) (*petition.Petition, error) {
	code, a, q := r.PathValue("code"), actor(r), r.URL.Query()
	contact := q.Get("phone")
	if contact == "" {
		contact = q.Get("email")
	}
	svc := s.Petitions()
	if contact == "" && a.Username != "" {
		return svc.Get(r.Context(), a, code)
	}
	var p *petition.Petition
	err := s.publicTry(w, r, func() (err error) {
		p, err = svc.ForSender(r.Context(), code, contact)
		return err
	})
	return p, err
}

// petitionFile sends a photo or file of a petition to whoever may read the
// petition (petitionFor); a file of another petition is not found.
func (s *Server) petitionFile(w http.ResponseWriter, r *http.Request) {
	p, err := s.petitionFor(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendPetitionFile(w, r, p, s.fail)
}

// sendPetitionFile sends the file of the path's id if it belongs to p (the
// caller has checked that p may be read), answering errors with fail: the
// API's JSON or the page's. An id that is not a number is not found.
func (s *Server) sendPetitionFile(w http.ResponseWriter, r *http.Request, p *petition.Petition,
	fail func(http.ResponseWriter, *http.Request, error)) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f, err := store.Petitions{DB: s.DB}.File(r.Context(), p.ID, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	// sendFile names its owner by a dossier's code in its log line only.
	s.sendFile(w, r, &dossier.Dossier{Code: p.Code}, &store.Attachment{FileName: f.Name, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, UploadedAt: p.ReceivedAt}, fail)
}

// petitionActionRequest is the body of an action: the action's fields,
// and for the sender's actions (supply_info, rate) the phone or e-mail the
// petition was sent with; for "vote", whether the answer was useful.
type petitionActionRequest struct {
	Text         string `json:"text,omitempty"`
	Field        string `json:"field,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Department   string `json:"department,omitempty"`
	Assignee     string `json:"assignee,omitempty"`
	Into         string `json:"into,omitempty"`
	Satisfaction string `json:"satisfaction,omitempty"`
	Contact      string `json:"contact,omitempty"`
	Useful       *bool  `json:"useful,omitempty"`
}

func (q petitionActionRequest) action(name string) petition.ActionRequest {
	return petition.ActionRequest{Action: name, Text: q.Text, Field: q.Field, Kind: q.Kind, Department: q.Department, Assignee: q.Assignee,
		Into: q.Into, Satisfaction: q.Satisfaction}
}

// actVote is the readers' action on a published answer.
const actVote = "vote"

func (s *Server) actOnPetition(w http.ResponseWriter, r *http.Request) {
	action, code, a := r.PathValue("action"), r.PathValue("code"), actor(r)
	if !slices.Contains(petition.OfficerActions, action) && !slices.Contains(petition.SenderActions, action) && action != actVote {
		s.fail(w, r, apperr.NotFound("Không có thao tác "+action, "no such action: "+action))
		return
	}
	var req petitionActionRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	act := req.action(action)
	svc := s.Petitions()
	var p *petition.Petition
	var err error
	switch {
	case action == actVote:
		p, err = s.votePetition(w, r, code, req.Useful)
		if err == nil {
			writeJSON(w, http.StatusOK, PetitionPublicView(p))
			return
		}
	case req.Contact != "" || (!a.IsOfficer() && slices.Contains(petition.SenderActions, action)):
		err = s.publicTry(w, r, func() (err error) {
			p, err = svc.SenderAct(r.Context(), code, req.Contact, act)
			return err
		})
		if err == nil {
			writeJSON(w, http.StatusOK, PetitionSenderView(p))
			return
		}
	default:
		if a, err = requireUser(r); err == nil {
			if p, err = svc.Act(r.Context(), a, code, act); err == nil {
				writeJSON(w, http.StatusOK, s.petitionOfficerView(r.Context(), a, p))
				return
			}
		}
	}
	s.fail(w, r, err)
}

// votePetition counts a reader's vote once per answer and address: the
// voter is a digest of the client's address, never the address itself.
func (s *Server) votePetition(w http.ResponseWriter, r *http.Request, code string, useful *bool) (*petition.Petition, error) {
	if useful == nil {
		return nil, apperr.Invalid("useful", "Cho biết câu trả lời có hữu ích không (useful: true hoặc false)", "say whether the answer was useful (useful: true or false)")
	}
	sum := sha256.Sum256([]byte("petition-vote|" + s.clientAddr(r)))
	var p *petition.Petition
	err := s.publicTry(w, r, func() (err error) {
		p, err = s.Petitions().Vote(r.Context(), code, hex.EncodeToString(sum[:16]), *useful)
		return err
	})
	return p, err
}

// publicPetitions searches the published answers: ?q= (words without
// accents match), ?limit=, ?offset=.
func (s *Server) publicPetitions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, err := strconv.Atoi(q.Get("offset"))
	if q.Get("offset") == "" {
		offset, err = 0, nil
	}
	if err != nil {
		s.fail(w, r, apperr.Invalid("offset", "offset phải là số nguyên", "offset must be an integer"))
		return
	}
	ps, total, err := s.Petitions().Public(r.Context(), q.Get("q"), limit, offset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]petitionPublicView, 0, len(ps))
	for i := range ps {
		out = append(out, PetitionPublicView(&ps[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"petitions": out, "total": total})
}
