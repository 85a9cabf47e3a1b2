package web

import (
	"context"
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// A dossier opened from a queue ticket: the desk view links the counter
// page with ?ticket=ID; the person of the ticket fills the applicant's
// fields, the ticket rides along the procedure's choice, and the dossier
// made is linked to the ticket (its log names the dossier).

// counterTicket reads the ticket of ?ticket= (or the form's), which must be
// of the officer's unit, and fills the applicant from it; none, nil.
func (s *Server) counterTicket(r *http.Request, a auth.Actor, d *counterData) error {
	v := r.FormValue("ticket")
	if v == "" {
		return nil
	}
	id, err := parseID(v)
	if err != nil {
		return err
	}
	t, err := s.queueStore().Ticket(r.Context(), id)
	if err == nil && t.UnitCode != a.UnitCode {
		err = apperr.NotFound("Không tìm thấy số thứ tự", "ticket not found")
	}
	if err != nil {
		return err
	}
	d.Ticket = &t
	if r.Method == http.MethodGet {
		d.Form.Name, d.Form.Phone, d.Form.IDNumber = t.Person.Name, t.Person.Phone, t.Person.IDNumber
	}
	return nil
}

// linkTicket ties the dossier made at the counter to its ticket.
func (s *Server) linkTicket(ctx context.Context, t *queue.Ticket, code, officer string) {
	if t == nil {
		return
	}
	if _, err := s.queueStore().Act(ctx, t.ID, store.TicketAction{Action: store.ActLink, Dossier: code}, officer); err != nil {
		s.Log.Warn("counter: link the dossier to its ticket", "ticket", t.ID, "dossier", code, "err", err)
	}
}
