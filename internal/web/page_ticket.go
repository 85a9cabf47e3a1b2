package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/queue"
)

// The ticket's page: on the kiosk right after it is issued, to print on
// the receipt printer, and on the citizen's phone from its QR code
// (/so-thu-tu/{token}), where one follows one's place and rates the
// service once served. The token is the proof; the look-ups by token are
// throttled like the dossiers' look-up (publicTry).

type ticketData struct {
	V        TicketView
	UnitName string
	QR       template.HTML
	URL      string // the ticket's public page, in the QR code
	Path     string // the same, on this site
	Kiosk    bool   // just issued at the kiosk: print it, then back to the groups
	Paper    string
	Reason   string // the priority reason, shown by its name
	Levels   []int  // the rating levels, offered once served and not rated
	Thanks   bool
	Errors   formErrors
}

// ticketPage is the ticket's public page, opened from its QR code: where
// one stands, refreshed by the page's script while one waits.
func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	t, err := s.tokenTicket(w, r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showTicketWith(w, r, http.StatusOK, t, ticketData{Thanks: r.URL.Query().Get("cam-on") == "1"})
}

// ticketRatePost records the rating given on the citizen's phone, the
// ticket's token the proof, once it was served.
func (s *Server) ticketRatePost(w http.ResponseWriter, r *http.Request) {
	t, err := s.tokenTicket(w, r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	if _, err = s.queueStore().RateTicket(r.Context(), t.ID, rating, r.PostFormValue("reason")); err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err)
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showTicketWith(w, r, statusOf[apperr.Code(err)], t, ticketData{Errors: errs})
		return
	}
	http.Redirect(w, r, TicketPagePath+t.Token+"?cam-on=1", http.StatusSeeOther)
}

func (s *Server) showTicket(w http.ResponseWriter, r *http.Request, t queue.Ticket, kiosk bool) {
	s.showTicketWith(w, r, http.StatusOK, t, ticketData{Kiosk: kiosk})
}

func (s *Server) showTicketWith(w http.ResponseWriter, r *http.Request, status int, t queue.Ticket, d ticketData) {
	v, err := s.TicketView(r.Context(), t)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.V, d.Paper, d.Path, d.Reason, d.Levels = v, kioskPaper(r), TicketPagePath+t.Token, t.PriorityReason, ratingLevels
	d.URL = s.baseURL(r) + d.Path
	d.UnitName, _ = s.unitNames(r, t.UnitCode)
	if d.QR, err = qrSVG(d.URL, t.Number); err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "", "ticket.title", t.Number)
	if d.Kiosk {
		p.setAlt("/lay-so", url.Values{"unit": {t.UnitCode}})
	}
	p.Scripts = []string{"queue.js"}
	p.Data = d
	s.render(w, r, status, "ticket", p)
}

// tokenTicket reads the ticket of the path's token, counting a miss
// against the address's look-ups.
func (s *Server) tokenTicket(w http.ResponseWriter, r *http.Request) (queue.Ticket, error) {
	var t queue.Ticket
	err := s.publicTry(w, r, func() (err error) {
		t, err = s.queueStore().TicketByToken(r.Context(), r.PathValue("token"))
		return err
	})
	return t, err
}
