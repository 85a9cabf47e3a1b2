package web

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/petition"
)

// petitionData is a petition as its unit's officers see it, with its
// history and the forms of the actions the caller may take.
type petitionData struct {
	P         *petition.Petition
	Status    string
	FieldName string
	Assignee  string
	Due       dueInfo
	Actions   []string
	History   []petitionEvent
	Fields    []petitionOption
	Depts     map[string]string
	Officers  []auth.User
	Point     string            // latitude, longitude
	ActName   map[string]string // the actions' names in the reader's language

	// A refused action: its message in the reader's language, and what was
	// typed.
	Failed, Error string
	Typed         map[string]string
}

// petitionEvent is one entry of the history.
type petitionEvent struct {
	At                time.Time
	Action, Who, Note string
}

// Has tells whether an action is offered, for the template.
func (d petitionData) Has(action string) bool { return slices.Contains(d.Actions, action) }

// Val is what was typed in a field of the refused action, so that its form
// comes back filled; the others stay empty.
func (d petitionData) Val(action, field string) string {
	if d.Failed != action {
		return ""
	}
	return d.Typed[field]
}

// petitionRoutes are the petitions' pages: the public form, the sender's
// look-up, the public answers, and the officers' queue and petition page.
func (s *Server) petitionRoutes(mux router) {
	mux.HandleFunc("GET /phan-anh/gui", s.petitionSubmitPage)
	mux.HandleFunc("POST /phan-anh/gui", s.petitionSubmitPost) // with photos: bounded in the handler
	mux.HandleFunc("GET /phan-anh/da-gui/{code}", s.petitionReceiptPage)
	mux.HandleFunc("GET /phan-anh/tra-cuu", s.petitionFollowPage)
	mux.HandleFunc("POST /phan-anh/tra-cuu", formLimit(s.petitionFollowPost))
	mux.HandleFunc("POST /phan-anh/tra-cuu/{action}", formLimit(s.petitionSenderPost))
	mux.HandleFunc("GET /phan-anh", s.petitionQueuePage)
	mux.HandleFunc("GET /phan-anh/{code}", s.petitionPage)
	mux.HandleFunc("POST /phan-anh/{code}/{action}", formLimit(s.petitionAct))
	mux.HandleFunc("GET /phan-anh/{code}/tep/{id}", s.petitionFilePage)
	mux.HandleFunc("GET /hoi-dap", s.answersPage)
	mux.HandleFunc("GET /hoi-dap/{code}", s.answerPage)
	mux.HandleFunc("POST /hoi-dap/{code}/danh-gia", formLimit(s.answerVotePost))
}

// petitionPage shows a petition to its unit's officers; to anyone else it
// is "not found", so that codes cannot be probed.
func (s *Server) petitionPage(w http.ResponseWriter, r *http.Request) {
	a, p, ok := s.pathPetition(w, r)
	if !ok {
		return
	}
	pg := s.newPage(w, r, "petitions", "pet.page.title", p.Code)
	if done := r.URL.Query().Get("ok"); slices.Contains(petition.OfficerActions, done) {
		n := petition.ActionName[done]
		pg.Flash = pg.t("pet.done", pg.c.pick(n[0], n[1]))
	}
	s.showPetition(w, r, pg, http.StatusOK, a, p, petitionData{})
}

// pathPetition loads the petition of the path for an officer of its unit,
// or answers the error page and returns false.
func (s *Server) pathPetition(w http.ResponseWriter, r *http.Request) (auth.Actor, *petition.Petition, bool) {
	a, err := requireUser(r)
	if err == nil && !a.IsOfficer() {
		err = apperr.NotFound("Không tìm thấy phản ánh, kiến nghị", "petition not found")
	}
	var p *petition.Petition
	if err == nil {
		p, err = s.Petitions().Get(r.Context(), a, r.PathValue("code"))
	}
	if err != nil {
		s.pageFail(w, r, err)
		return a, nil, false
	}
	return a, p, true
}

func (s *Server) showPetition(w http.ResponseWriter, r *http.Request, pg *page, status int, a auth.Actor, p *petition.Petition, x petitionData) {
	ctx := r.Context()
	svc := s.Petitions()
	x.P, x.Status, x.FieldName = p, petitionStatusName(pg.c, p.Status), petitionFieldName(pg.c, p.Field)
	cal, err := s.Calendar.For(ctx, p.UnitCode)
	x.Due = petitionDue(pg.c, p, s.now(), err == nil && svc.NearDue(cal, p, s.now()))
	x.Actions, x.ActName = svc.Allowed(ctx, a, p), map[string]string{}
	for _, act := range x.Actions {
		n := petition.ActionName[act]
		x.ActName[act] = pg.c.pick(n[0], n[1])
	}
	if p.Lat != nil && p.Long != nil {
		x.Point = fmt.Sprintf("%.6f, %.6f", *p.Lat, *p.Long)
	}
	x.Fields, x.Depts = petitionFields(pg.c), s.departmentNames(ctx, p.UnitCode)
	users := []string{p.Assignee}
	for _, e := range p.Events {
		users = append(users, e.Actor)
	}
	names := s.officerNames(ctx, users...)
	x.Assignee = names[p.Assignee]
	for _, e := range p.Events {
		n := petition.ActionName[e.Action]
		who := e.ActorName
		if e.ActorRole == "sender" {
			who = pg.t("pet.sender")
		}
		x.History = append(x.History, petitionEvent{At: e.At, Action: pg.c.pick(n[0], n[1]), Who: who, Note: e.Note})
	}
	if x.Has(petition.ActAssign) {
		officers, _ := s.DB.UnitOfficers(ctx, p.UnitCode)
		for _, u := range officers {
			if u.Role != auth.RoleAdmin {
				x.Officers = append(x.Officers, u)
			}
		}
	}
	if x.Typed == nil {
		x.Typed = map[string]string{}
	}
	pg.setAlt("/phan-anh/"+p.Code, nil)
	pg.Data = x
	s.render(w, r, status, "petition", pg)
}

// petitionActFields are the fields of the action forms.
var petitionActFields = []string{"text", "field", "kind", "department", "assignee", "into"}

// petitionAct performs one action from the petition page: on success it
// redirects (a reload does not repeat it); on refusal it shows the page
// again with the message beside the action's form and what was typed.
func (s *Server) petitionAct(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code, action := r.PathValue("code"), r.PathValue("action")
	if !a.IsOfficer() || !slices.Contains(petition.OfficerActions, action) {
		s.pageNotFound(w, r)
		return
	}
	req := petition.ActionRequest{Action: action, Text: r.PostFormValue("text"), Field: r.PostFormValue("field"),
		Kind: r.PostFormValue("kind"), Department: r.PostFormValue("department"), Assignee: r.PostFormValue("assignee"),
		Into: r.PostFormValue("into")}
	svc := s.Petitions()
	_, err = svc.Act(r.Context(), a, code, req)
	if err == nil {
		http.Redirect(w, r, "/phan-anh/"+code+"?ok="+action, http.StatusSeeOther)
		return
	}
	e := apperr.As(err)
	if e == nil || e.Code == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	p, gerr := svc.Get(r.Context(), a, code)
	if gerr != nil {
		s.pageFail(w, r, gerr)
		return
	}
	x := petitionData{Failed: action, Typed: map[string]string{}}
	pg := s.newPage(w, r, "petitions", "pet.page.title", code)
	x.Error = pg.c.pick(e.Message, e.MessageEn)
	for _, k := range petitionActFields {
		x.Typed[k] = r.PostFormValue(k)
	}
	s.showPetition(w, r, pg, statusOf[e.Code], a, p, x)
}

// petitionFilePage sends a photo or file of a petition to its unit's officers.
func (s *Server) petitionFilePage(w http.ResponseWriter, r *http.Request) {
	if _, p, ok := s.pathPetition(w, r); ok {
		s.sendPetitionFile(w, r, p, s.pageFail)
	}
}
