package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/queue"
)

// The rating tablet (/quay/{id}/danh-gia): a tablet on the desk, signed in
// as an officer of the unit, facing the citizen. When the officer marks a
// ticket served, the tablet shows the national rating levels as big
// buttons; one tap (and a reason, if the citizen wants) rates the service
// of that ticket, which counts in the officer's evaluation; a thanks
// screen follows, then the tablet waits for the next one.

type tabletData struct {
	Desk    queue.Desk
	Ticket  *queue.Ticket // the ticket to rate; nil while the tablet waits
	Officer string        // the full name of who served
	Levels  []int
	Thanks  bool
	Errors  formErrors
}

// ratingLevels are the levels the tablet offers, best first.
var ratingLevels = []int{dossier.RatingVery, dossier.RatingOK, dossier.RatingBad}

func (s *Server) tabletPage(w http.ResponseWriter, r *http.Request) {
	d, _, err := s.pathDesk(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showTablet(w, r, http.StatusOK, tabletData{Desk: d, Thanks: r.URL.Query().Get("cam-on") == "1"})
}

func (s *Server) showTablet(w http.ResponseWriter, r *http.Request, status int, x tabletData) {
	if !x.Thanks {
		t, ok, err := s.queueStore().ToRate(r.Context(), x.Desk)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		if ok {
			x.Ticket, x.Officer = &t, t.Officer
			if u, err := s.DB.UserByName(r.Context(), t.Officer); err == nil {
				x.Officer = u.FullName
			}
		}
	}
	x.Levels = ratingLevels
	p := s.newPage(w, r, "", "tablet.title", x.Desk.Name)
	p.Scripts = []string{"queue.js"}
	p.Data = x
	s.render(w, r, status, "tablet", p)
}

// tabletPost rates the form's ticket, which must be the one the desk's
// tablet asks about.
func (s *Server) tabletPost(w http.ResponseWriter, r *http.Request) {
	d, _, err := s.pathDesk(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("ticket"), 10, 64)
	t, err := s.deskRating(r.Context(), d.ID, id, actor(r).Username)
	if err == nil {
		rating, _ := strconv.Atoi(r.PostFormValue("rating"))
		_, err = s.queueStore().RateTicket(r.Context(), t.ID, rating, r.PostFormValue("reason"))
	}
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err)
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showTablet(w, r, statusOf[apperr.Code(err)], tabletData{Desk: d, Errors: errs})
		return
	}
	http.Redirect(w, r, "/quay/"+strconv.FormatInt(d.ID, 10)+"/danh-gia?cam-on=1", http.StatusSeeOther)
}
