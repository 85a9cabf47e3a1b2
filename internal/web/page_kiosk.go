package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// The kiosk (máy lấy số): a touch screen at the entrance where a citizen
// chooses a service group, says whether he is owed priority, or checks in
// with his booking code, and gets a numbered ticket to print on the
// kiosk's receipt printer. No account: the unit is in the address and the
// requests are throttled like the API's (queueTry).

type kioskData struct {
	Unit     string
	UnitName string
	Groups   []GroupOverview
	Reasons  []string
	Paper    string // the receipt's width: "80" (default) or "58" mm
	Errors   formErrors
	Code     string // the booking code typed, shown again on an error
}

// kioskPaper reads ?paper=: the kiosk's printer takes 58 or 80 mm rolls.
func kioskPaper(r *http.Request) string {
	if r.FormValue("paper") == "58" {
		return "58"
	}
	return "80"
}

// kioskPage shows a unit's service groups as big buttons.
func (s *Server) kioskPage(w http.ResponseWriter, r *http.Request) {
	s.showKiosk(w, r, http.StatusOK, kioskData{})
}

func (s *Server) showKiosk(w http.ResponseWriter, r *http.Request, status int, d kioskData) {
	unit, err := d.Unit, error(nil)
	if unit == "" {
		unit, err = unitParam(r, actor(r))
	}
	if err == nil {
		var o QueueOverview
		if o, err = s.QueueOverview(r.Context(), unit); err == nil {
			d.Unit, d.Groups, d.Reasons, d.Paper = unit, o.Groups, queue.PriorityReasons, kioskPaper(r)
			d.UnitName, _ = s.unitNames(r, unit)
			p := s.newPage(w, r, "", "kiosk.title")
			p.setAlt("/lay-so", url.Values{"unit": {unit}, "paper": {d.Paper}})
			p.Data = d
			s.render(w, r, status, "kiosk", p)
			return
		}
	}
	s.pageFail(w, r, err)
}

// kioskTake issues a ticket of the group pressed and shows it to print.
func (s *Server) kioskTake(w http.ResponseWriter, r *http.Request) {
	req := store.TicketRequest{Unit: strings.TrimSpace(r.PostFormValue("unit")), Group: r.PostFormValue("group"),
		PriorityReason: r.PostFormValue("priority_reason")}
	err := s.queueTry(w, r)
	var t queue.Ticket
	if err == nil {
		t, err = s.queueStore().TakeTicket(r.Context(), req)
	}
	s.kioskIssued(w, r, t, err, "")
}

// kioskCheckIn turns a booking code into a ticket called at its time.
func (s *Server) kioskCheckIn(w http.ResponseWriter, r *http.Request) {
	code := strings.ToUpper(strings.TrimSpace(r.PostFormValue("code")))
	err := s.queueTry(w, r)
	var t queue.Ticket
	if err == nil {
		if code == "" {
			err = apperr.Invalid("code", "Nhập mã lịch hẹn", "enter the booking code")
		} else {
			t, err = s.kioskAppointment(r, code)
		}
	}
	s.kioskIssued(w, r, t, err, code)
}

// kioskAppointment checks in a booking of the kiosk's unit; another
// unit's code is "not found" there.
func (s *Server) kioskAppointment(r *http.Request, code string) (queue.Ticket, error) {
	q := s.queueStore()
	a, err := q.Appointment(r.Context(), code)
	if err == nil && a.UnitCode != strings.TrimSpace(r.PostFormValue("unit")) {
		err = apperr.NotFound("Không tìm thấy lịch hẹn", "appointment not found")
	}
	if err != nil {
		return queue.Ticket{}, err
	}
	return q.CheckIn(r.Context(), code)
}

// kioskIssued shows the new ticket, or the kiosk again with what went wrong.
func (s *Server) kioskIssued(w http.ResponseWriter, r *http.Request, t queue.Ticket, err error, code string) {
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "code")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showKiosk(w, r, statusOf[apperr.Code(err)], kioskData{Unit: strings.TrimSpace(r.PostFormValue("unit")), Code: code, Errors: errs})
		return
	}
	s.showTicket(w, r, t, true)
}
