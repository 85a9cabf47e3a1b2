package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// Booking an appointment (/dat-lich?unit=): the citizen chooses a
// procedure the unit takes appointments for, then a day, sees the slots
// with places left, and books one with his name and phone; the code he
// gets checks him in at the kiosk, and he is called at the slot's time
// ahead of the walk-ins. No account; throttled like the kiosk and, much lower, per booking (bookingTry).

type bookingData struct {
	Unit, UnitName string
	Procs          []bookingProc
	Procedure      string // the code chosen
	ProcName       string
	Date           string // YYYY-MM-DD
	Slots          []slotView
	Slot           string // the slot chosen (RFC 3339)
	Name, Phone    string
	Errors         formErrors
	Booked         *queue.Appointment
}

type bookingProc struct{ Code, Name, Group string }

func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := bookingData{Procedure: strings.TrimSpace(q.Get("procedure")), Date: q.Get("date")}
	s.showBooking(w, r, http.StatusOK, d)
}

func (s *Server) showBooking(w http.ResponseWriter, r *http.Request, status int, d bookingData) {
	var err error
	if d.Unit == "" {
		d.Unit, err = unitParam(r, actor(r))
	}
	if err == nil {
		err = s.bookingChoices(r, &d)
	}
	if err != nil {
		e := apperr.As(err)
		if e == nil || e.Code != apperr.EINVALID || d.Procedure == "" {
			s.pageFail(w, r, err)
			return
		}
		d.Errors.add("date", s.ui.cat[requestLang(w, r)].pick(e.Message, e.MessageEn))
		status = statusOf[e.Code]
	}
	d.UnitName, _ = s.unitNames(r, d.Unit)
	p := s.newPage(w, r, "", "booking.title")
	p.setAlt("/dat-lich", url.Values{"unit": {d.Unit}, "procedure": {d.Procedure}, "date": {d.Date}})
	p.Data = d
	s.render(w, r, status, "booking", p)
}

// bookingChoices fills the procedures the unit books, and when one is
// chosen the day's slots.
func (s *Server) bookingChoices(r *http.Request, d *bookingData) error {
	groups, err := s.queueStore().Groups(r.Context(), d.Unit)
	if err != nil {
		return err
	}
	for _, g := range groups {
		for _, code := range g.Procedures {
			pr, err := s.Procs.ForUnit(r.Context(), code, d.Unit)
			if err != nil {
				continue // a code no longer in the catalogue is not offered
			}
			d.Procs = append(d.Procs, bookingProc{Code: code, Name: pr.Name, Group: g.Name})
			if code == d.Procedure {
				d.ProcName = pr.Name
			}
		}
	}
	if d.Procedure == "" {
		return nil
	}
	if d.Date == "" {
		d.Date = s.now().In(calendar.Zone).Format(calendar.DateLayout)
	}
	day, err := time.ParseInLocation(calendar.DateLayout, d.Date, calendar.Zone)
	if err != nil {
		return apperr.Invalid("date", "Ngày phải có dạng YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	_, slots, err := s.queueStore().Slots(r.Context(), store.SlotsRequest{Unit: d.Unit, Procedure: d.Procedure, Date: day})
	for _, sl := range slots {
		d.Slots = append(d.Slots, slotView{Slot: sl, Free: sl.Free()})
	}
	return err
}

// bookingPost books the chosen slot.
func (s *Server) bookingPost(w http.ResponseWriter, r *http.Request) {
	d := bookingData{Unit: strings.TrimSpace(r.PostFormValue("unit")), Procedure: r.PostFormValue("procedure"), Date: r.PostFormValue("date"), Slot: r.PostFormValue("slot"),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone")}
	c := s.ui.cat[requestLang(w, r)]
	slot, perr := time.Parse(time.RFC3339, d.Slot)
	if perr != nil {
		d.Errors.add("slot", c.T("booking.err.slot"))
		s.showBooking(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	err := s.bookingTry(w, r)
	var a queue.Appointment
	if err == nil {
		a, err = s.queueStore().Book(r.Context(), store.BookRequest{Unit: d.Unit, Procedure: d.Procedure, Slot: slot,
			Person: queue.Person{Name: d.Name, Phone: d.Phone}})
	}
	if err != nil {
		var ok bool
		if d.Errors, ok = fieldErrors(c, err, "slot", "name", "phone", "date", "procedure"); !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showBooking(w, r, statusOf[apperr.Code(err)], d)
		return
	}
	d.Booked = &a
	s.showBooking(w, r, http.StatusCreated, d)
}

// bookingLink is a unit's booking page if its counter has service groups,
// for the home page's list of offices; "" otherwise.
func (s *Server) bookingLink(r *http.Request, unit string) string {
	gs, err := s.queueStore().Groups(r.Context(), unit)
	if err != nil || len(gs) == 0 {
		return ""
	}
	return "/dat-lich?" + url.Values{"unit": {unit}}.Encode()
}

// HM shows a slot's local hour and minute.
func (bookingData) HM(t time.Time) string { return t.In(calendar.Zone).Format("15:04") }
