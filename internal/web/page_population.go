package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/population"
)

// populationPageRoutes are the pages of the national population database:
// the check from an officer's dossier page, and the unit's log of look-ups
// for its leaders and administrators.
func (s *Server) populationPageRoutes(mux router) {
	mux.HandleFunc("POST /ho-so/{code}/doi-chieu-dan-cu", formLimit(s.dossierPopulationPost))
	mux.HandleFunc("GET /quan-tri/tra-cuu-dan-cu", s.populationLogPage)
}

// populationView is the dossier page's part: the last check's badge, and
// whether the check's form is offered (a registry is configured and the
// reader is an officer of a unit the dossier passed through).
type populationView struct {
	Last    *dossier.Event
	Text    string // the last check's outcome, whose number it was and what differed, in the page's language
	Match   bool   // the last check found the person as declared
	CanRun  bool
	LogLink bool // the reader may read the unit's log
}

// populationOf fills the dossier page's part for a staff reader, in c's
// language.
func (s *Server) populationOf(c *catalog, staff bool, role string, d *dossier.Dossier) populationView {
	if !staff {
		return populationView{}
	}
	v := populationView{Last: d.LastPopulationCheck(), CanRun: s.PopulationRegistry != nil && !d.Archived,
		LogLink: role == "leader" || role == "admin"}
	if v.Last != nil {
		var outcome string
		v.Text, outcome = population.NoteIn(v.Last.Note, c.langIndex())
		v.Match = outcome == population.Match
	}
	return v
}

// dossierPopulationPost checks the person of the form (the applicant's ID
// number by default) against the population database for the dossier; the
// outcome lands in the dossier's history, shown by the page it redirects
// to. A refusal (no reason, a database that does not answer) shows the page
// again with the message.
func (s *Server) dossierPopulationPost(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.PathValue("code")
	_, err = s.Population().Verify(r.Context(), a, r.PostFormValue("id_number"), r.PostFormValue("reason"), code)
	if err != nil {
		s.logUnavailable(r, err)
		s.refused(w, r, a, code, dossier.ActPopulationCheck, err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+code+"#population", http.StatusSeeOther)
}

type populationLogData struct {
	Rows               []populationLogRow
	Page, Pages, Total int
	PrevURL, NextURL   string
}

type populationLogRow struct {
	population.Entry
	Who, OutcomeText, DetailText string
}

const populationPageSize = 50

// populationLogPage is the unit's log of look-ups, newest first, for its
// leaders and administrators.
func (s *Server) populationLogPage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := populationLogData{Page: 1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	entries, total, err := s.Population().Log(r.Context(), a, populationPageSize, (d.Page-1)*populationPageSize)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, navOf(a), "population.log.title")
	for _, e := range entries {
		n := population.OutcomeName[e.Outcome]
		who := e.ActorName
		if who == "" {
			who = e.Username
		}
		d.Rows = append(d.Rows, populationLogRow{Entry: e, Who: who, OutcomeText: p.c.pick(n[0], n[1]),
			DetailText: population.DetailIn(e, p.c.langIndex())})
	}
	d.Total, d.Pages = total, max(1, (total+populationPageSize-1)/populationPageSize)
	d.PrevURL, d.NextURL = pageLinks(r.URL.Path, q, d.Page, d.Pages)
	p.Data = d
	s.render(w, r, http.StatusOK, "population_log", p)
}
