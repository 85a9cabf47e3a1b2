package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// The desk view (/quay/{id}): what an officer of the unit works from at his
// desk, through the same store calls as the API: sign in at the desk, call
// the next number, recall, skip, transfer, mark served, and open the
// dossier of the ticket's person at the counter page.

type deskData struct {
	store.DeskQueue
	Mine    bool         // the caller is the desk's officer
	Desks   []queue.Desk // the unit's other desks, to transfer to
	Groups  []queue.Group
	Counter bool // the caller receives dossiers (the counter page is his)
	Empty   bool // "call next" found nobody waiting
	Errors  formErrors
}

// deskPage shows a desk to an officer of its unit; another unit's desk is
// "not found".
func (s *Server) deskPage(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showDesk(w, r, http.StatusOK, d, a, deskData{Empty: r.URL.Query().Get("empty") == "1"})
}

func (s *Server) showDesk(w http.ResponseWriter, r *http.Request, status int, d queue.Desk, a auth.Actor, x deskData) {
	q := s.queueStore()
	var err error
	if x.DeskQueue, err = q.ForDesk(r.Context(), d.ID); err != nil {
		s.pageFail(w, r, err)
		return
	}
	desks, err := q.Desks(r.Context(), d.UnitCode)
	if err == nil {
		x.Groups, err = q.Groups(r.Context(), d.UnitCode)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, o := range desks {
		if o.ID != d.ID {
			x.Desks = append(x.Desks, o)
		}
	}
	x.Mine, x.Counter = x.Desk.Officer == a.Username, a.Role == auth.RoleCounter
	p := s.newPage(w, r, "", "desk.title", x.Desk.Name)
	p.Scripts = []string{"queue.js"}
	p.Data = x
	s.render(w, r, status, "desk", p)
}

// deskPost takes the action of the path at the desk and comes back to it.
func (s *Server) deskPost(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	back := "/quay/" + strconv.FormatInt(d.ID, 10)
	q := s.queueStore()
	switch action := r.PathValue("action"); action {
	case "open":
		_, err = q.OpenDesk(r.Context(), d.ID, a.Username)
	case "close":
		if d.Officer != a.Username && d.Officer != "" {
			err = queueConfigurer(a, d.UnitCode)
		}
		if err == nil {
			_, err = q.OpenDesk(r.Context(), d.ID, "")
		}
	case "call":
		var ok bool
		if _, ok, err = q.Call(r.Context(), d.ID, a.Username); err == nil && !ok {
			back += "?empty=1"
		}
	case store.ActRecall, store.ActSkip, store.ActServe, store.ActTransfer, store.ActLink:
		err = s.deskTicketAct(r, d, a, action)
	default:
		err = apperr.NotFound("Không có thao tác này", "no such action")
	}
	if err != nil {
		s.deskFailed(w, r, d, a, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// deskTicketAct acts on the form's ticket, which must be of the desk's unit.
func (s *Server) deskTicketAct(r *http.Request, d queue.Desk, a auth.Actor, action string) error {
	id, err := parseID(r.PostFormValue("ticket"))
	if err != nil {
		return err
	}
	t, err := s.queueStore().Ticket(r.Context(), id)
	if err != nil {
		return err
	}
	if t.UnitCode != d.UnitCode {
		return apperr.NotFound("Không tìm thấy số thứ tự", "ticket not found")
	}
	req := store.TicketAction{Action: action, Manager: queueManager(a), Dossier: r.PostFormValue("dossier_code")}
	if action == store.ActTransfer {
		kind, v, _ := strings.Cut(r.PostFormValue("to"), ":")
		switch kind {
		case "desk":
			req.DeskID, _ = strconv.ParseInt(v, 10, 64)
		case "group":
			req.Group = v
		default:
			return apperr.Invalid("to", "Chọn quầy hoặc nhóm dịch vụ để chuyển đến", "choose the desk or group to transfer to")
		}
	}
	_, err = s.queueStore().Act(r.Context(), t.ID, req, a.Username)
	return err
}

// deskFailed shows the desk again with the refusal at the top.
func (s *Server) deskFailed(w http.ResponseWriter, r *http.Request, d queue.Desk, a auth.Actor, err error) {
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err)
	if !ok {
		s.pageFail(w, r, err)
		return
	}
	s.showDesk(w, r, statusOf[apperr.Code(err)], d, a, deskData{Errors: errs})
}
