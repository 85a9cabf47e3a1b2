package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
)

// maxChangesShown bounds the change log on the page; the whole log stays
// in the database.
const maxChangesShown = 100

type adminCalendarData struct {
	adminView
	Unit     string // the administrator's unit, whose calendar the page shows and changes
	UnitName string
	Year     int
	Days     []calendar.Day
	Removed  []string // inherited or shipped days the unit removed for itself
	Changes  []calendarChange
}

// Origin names where a day of the unit's calendar comes from, as a message
// key: the shipped schedules, the national calendar, a unit above, or the
// unit itself.
func (d adminCalendarData) Origin(day calendar.Day) string {
	switch {
	case day.Unit == d.Unit:
		return "admin.calendar.origin.own"
	case day.Unit != "":
		return "admin.calendar.origin.parent"
	case day.Source == store.NationalSource:
		return "admin.calendar.origin.national"
	}
	return "admin.calendar.origin.shipped"
}

// calendarChange is one line of the change log.
type calendarChange struct {
	Date, Op, Kind, Name, Reason, By string
	At                               time.Time
}

// adminCalendar lists a year's days off and worked weekend days with where
// each comes from, the forms to add or remove a day, and the change log.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	year := s.now().In(calendar.Zone).Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("nam")); err == nil {
		year = y
	}
	p := s.adminPage(w, r, "admin.calendar.title", year)
	if r.URL.Query().Get("ok") == "day" {
		moved, _ := strconv.Atoi(r.URL.Query().Get("moved"))
		checked, _ := strconv.Atoi(r.URL.Query().Get("checked"))
		p.Flash = p.t("admin.ok.day", moved, checked)
	}
	s.showCalendar(w, r, p, http.StatusOK, adminCalendarData{adminView: newAdminView("calendar"), Unit: a.UnitCode, Year: year})
}

func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request, p *page, status int, d adminCalendarData) {
	u, err := s.DB.Unit(r.Context(), d.Unit)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.UnitName = u.FullName
	if d.Days, err = s.Calendar.Year(r.Context(), d.Unit, d.Year); err != nil {
		s.pageFail(w, r, err)
		return
	}
	if d.Removed, err = s.DB.RemovedDays(r.Context(), d.Unit, d.Year); err != nil {
		s.pageFail(w, r, err)
		return
	}
	if d.Changes, err = s.calendarChanges(r, d.Unit); err != nil {
		s.pageFail(w, r, err)
		return
	}
	p.Title = p.t("admin.calendar.title", d.Year)
	p.setAlt("/quan-tri/lich", map[string][]string{"nam": {strconv.Itoa(d.Year)}})
	p.Data = d
	s.render(w, r, status, "admin_calendar", p)
}

func (s *Server) calendarChanges(r *http.Request, unitCode string) ([]calendarChange, error) {
	rows, err := s.DB.CalendarChanges(r.Context(), unitCode)
	if err != nil {
		return nil, err
	}
	out := make([]calendarChange, 0, min(len(rows), maxChangesShown))
	for _, m := range rows[:min(len(rows), maxChangesShown)] {
		c := calendarChange{}
		c.Date, _ = m["date"].(string)
		c.Op, _ = m["op"].(string)
		c.Kind, _ = m["kind"].(string)
		c.Name, _ = m["name"].(string)
		c.Reason, _ = m["reason"].(string)
		c.By, _ = m["by"].(string)
		c.At, _ = m["at"].(time.Time)
		out = append(out, c)
	}
	return out, nil
}

// adminCalendarSave adds a day (op=set) or removes one (op=unset) on the
// administrator's own unit's calendar, always with a reason, and says how
// many open dossiers' due times moved. No field of the form names a unit.
func (s *Server) adminCalendarSave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ch := store.DayChange{Date: strings.TrimSpace(r.PostFormValue("date")), Kind: r.PostFormValue("kind"),
		Name: strings.TrimSpace(r.PostFormValue("name")), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Unset: r.PostFormValue("op") == "unset", By: a}
	res, err := s.Calendar.ChangeDay(r.Context(), a.UnitCode, ch)
	if err != nil {
		s.calendarRefused(w, r, a, ch, err)
		return
	}
	year := ch.Date[:4]
	http.Redirect(w, r, "/quan-tri/lich?nam="+year+"&ok=day&moved="+strconv.Itoa(res.Moved)+"&checked="+strconv.Itoa(res.Checked), http.StatusSeeOther)
}

// calendarRefused shows the year again with the refusal beside its field,
// and what was typed; a removal's reason is the one on the day's line.
func (s *Server) calendarRefused(w http.ResponseWriter, r *http.Request, a auth.Actor, ch store.DayChange, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.EINTERNAL {
		s.pageFail(w, r, err)
		return
	}
	d := adminCalendarData{adminView: newAdminView("calendar"), Unit: a.UnitCode, Year: s.now().In(calendar.Zone).Year()}
	if t, perr := time.Parse("2006-01-02", ch.Date); perr == nil {
		d.Year = t.Year()
	}
	field := e.Field
	if ch.Unset {
		field = "reason-" + ch.Date
		d.Typed.Set(field, ch.Reason)
	} else {
		for k, v := range map[string]string{"date": ch.Date, "kind": ch.Kind, "name": ch.Name, "reason": ch.Reason} {
			d.Typed.Set(k, v)
		}
	}
	d.Errors.add(field, s.ui.cat[requestLang(w, r)].pick(e.Message, e.MessageEn))
	p := s.adminPage(w, r, "admin.calendar.title", d.Year)
	s.showCalendar(w, r, p, statusOf[e.Code], d)
}
