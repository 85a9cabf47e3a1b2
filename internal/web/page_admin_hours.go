package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/unit"
)

type adminHoursData struct {
	adminView
	Spans, Saturday string // as an officer writes them: 08:00-12:00, 13:00-17:00
	SaturdayWorks   bool
	DayMinutes      int    // the length of a working day, which one day of a time limit is worth
	DayLength       string // the same in hours, as the language writes them: "7,5"
	Contact         unit.Contact
}

// adminHours shows the unit's office hours in a form.
func (s *Server) adminHours(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	h, err := s.DB.OfficeHours(r.Context(), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := adminHoursData{adminView: newAdminView("hours"), Spans: formatSpans(h.Spans), Saturday: formatSpans(h.Saturday),
		SaturdayWorks: h.SaturdayWorks, DayMinutes: spanMinutes(h.Spans)}
	if d.Contact, err = s.DB.UnitContact(r.Context(), a.UnitCode); err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Contact.Hotline = formatPhone(d.Contact.Hotline)
	s.showHours(w, r, http.StatusOK, d)
}

// showHours shows the page; the form not sent is filled from the database.
func (s *Server) showHours(w http.ResponseWriter, r *http.Request, status int, d adminHoursData) {
	p := s.adminPage(w, r, "admin.hours.title")
	p.setAlt("/quan-tri/gio-lam-viec", nil)
	d.DayLength = p.c.days(math.Round(float64(d.DayMinutes)/60*100) / 100)
	p.Data = d
	s.render(w, r, status, "admin_hours", p)
}

// adminHoursSave sets the unit's office hours. Dossiers already received
// keep the due times they were given; the new hours count from the next
// dossier on.
func (s *Server) adminHoursSave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if r.PostFormValue("part") == "contact" {
		s.adminContactSave(w, r, a)
		return
	}
	d := adminHoursData{adminView: newAdminView("hours"), Spans: strings.TrimSpace(r.PostFormValue("spans")),
		Saturday: strings.TrimSpace(r.PostFormValue("saturday")), SaturdayWorks: r.PostFormValue("saturday_works") == "1"}
	err = s.setHours(r, a, d)
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "spans", "saturday")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		d.Errors = errs
		status := statusOf[apperr.Code(err)]
		if d.Contact, err = s.DB.UnitContact(r.Context(), a.UnitCode); err != nil {
			s.pageFail(w, r, err)
			return
		}
		d.Contact.Hotline = formatPhone(d.Contact.Hotline)
		s.showHours(w, r, status, d)
		return
	}
	http.Redirect(w, r, "/quan-tri/gio-lam-viec?ok=hours", http.StatusSeeOther)
}

// adminContactSave sets how the public reaches the unit (address, hotline,
// e-mail), shown on the home page. A refusal writes nothing and shows the
// form again as typed.
func (s *Server) adminContactSave(w http.ResponseWriter, r *http.Request, a auth.Actor) {
	c := unit.Contact{Address: r.PostFormValue("address"), Hotline: r.PostFormValue("hotline"), Email: r.PostFormValue("email")}
	err := s.DB.SetUnitContact(r.Context(), a.UnitCode, c)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/gio-lam-viec?ok=contact#contact-h", http.StatusSeeOther)
		return
	}
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "address", "hotline", "email")
	if !ok {
		s.pageFail(w, r, err)
		return
	}
	h, herr := s.DB.OfficeHours(r.Context(), a.UnitCode)
	if herr != nil {
		s.pageFail(w, r, herr)
		return
	}
	d := adminHoursData{adminView: newAdminView("hours"), Spans: formatSpans(h.Spans), Saturday: formatSpans(h.Saturday),
		SaturdayWorks: h.SaturdayWorks, DayMinutes: spanMinutes(h.Spans), Contact: c}
	d.Errors = errs
	s.showHours(w, r, statusOf[apperr.Code(err)], d)
}

// formatPhone groups a stored phone number's digits as people read them:
// 024 3823 4567 for a landline, 0912 345 678 for a mobile.
func formatPhone(n string) string {
	switch {
	case len(n) == 11 && strings.HasPrefix(n, "02"):
		return n[:3] + " " + n[3:7] + " " + n[7:]
	case len(n) == 10:
		return n[:4] + " " + n[4:7] + " " + n[7:]
	}
	return n
}

func (s *Server) setHours(r *http.Request, a auth.Actor, d adminHoursData) error {
	h := calendar.OfficeHours{SaturdayWorks: d.SaturdayWorks}
	var err error
	if h.Spans, err = calendar.ParseSpans(d.Spans); err != nil {
		return err
	}
	if h.Saturday, err = calendar.ParseSpans(d.Saturday); err != nil {
		return asField(err, "saturday")
	}
	return s.DB.SetOfficeHours(r.Context(), a.UnitCode, h)
}

// asField moves a refusal to another field of the form: the parser names
// every field "spans".
func asField(err error, field string) error {
	if e := apperr.As(err); e != nil {
		return apperr.Invalid(field, e.Message, e.MessageEn)
	}
	return err
}

func formatSpans(spans []calendar.Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
	}
	return strings.Join(parts, ", ")
}

func spanMinutes(spans []calendar.Span) int {
	n := 0
	for _, s := range spans {
		n += s.End - s.Start
	}
	return n
}
