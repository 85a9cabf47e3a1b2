package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/vntext"
)

// answersPageSize is the published answers a page lists.
const answersPageSize = 20

// publicAnswer is a published answer as readers see it: the sender never.
type publicAnswer struct {
	petitionPublicView
	FieldName string
	Excerpt   string // the answer's start, on the list
}

func newPublicAnswer(c *catalog, p *petition.Petition) publicAnswer {
	ex := vntext.Truncate(p.Answer, 400)
	if len(ex) < len(p.Answer) {
		ex += "…"
	}
	return publicAnswer{PetitionPublicView(p), petitionFieldName(c, p.Field), ex}
}

type answersData struct {
	Q                  string
	Page, Pages, Total int
	Rows               []publicAnswer
	PrevURL, NextURL   string
}

// answersPage is the public questions and answers, searchable without
// accents ("den duong" finds "đèn đường").
func (s *Server) answersPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := answersData{Q: strings.TrimSpace(q.Get("q")), Page: 1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	ps, total, err := s.Petitions().Public(r.Context(), d.Q, answersPageSize, (d.Page-1)*answersPageSize)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "answers", "pet.answers.title")
	for i := range ps {
		d.Rows = append(d.Rows, newPublicAnswer(p.c, &ps[i]))
	}
	d.Total, d.Pages = total, max(1, (total+answersPageSize-1)/answersPageSize)
	d.PrevURL, d.NextURL = pageLinks("/hoi-dap", q, d.Page, d.Pages)
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "petition_answers", p)
}

// answerPage is one published answer with the readers' buttons.
func (s *Server) answerPage(w http.ResponseWriter, r *http.Request) {
	found, err := s.Petitions().PublicGet(r.Context(), r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "answers", "pet.answer.title", found.Subject)
	if r.URL.Query().Get("ok") == "1" {
		p.Flash = p.t("pet.answer.thanks")
	}
	p.Data = newPublicAnswer(p.c, found)
	s.render(w, r, http.StatusOK, "petition_answer", p)
}

// answerVotePost counts a reader's "useful" or "not useful", once per
// answer and address, and comes back to the answer.
func (s *Server) answerVotePost(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	var useful bool
	switch r.PostFormValue("useful") {
	case "1":
		useful = true
	case "0":
	default:
		s.pageFail(w, r, apperr.Invalid("useful", "Chọn hữu ích hoặc không hữu ích", "choose useful or not useful"))
		return
	}
	if _, err := s.votePetition(w, r, code, &useful); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/hoi-dap/"+url.PathEscape(code)+"?ok=1", http.StatusSeeOther)
}
