package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
)

func (s *Server) calendarYear(w http.ResponseWriter, r *http.Request) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		s.fail(w, r, apperr.Invalid("year", "Năm phải là số, ví dụ 2026", "year must be a number, e.g. 2026"))
		return
	}
	unitCode := r.URL.Query().Get("unit") // empty: the national calendar
	days, err := s.Calendar.Year(r.Context(), unitCode, y)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": y, "unit": unitCode, "days": days})
}

// calendarDayRequest is an administrator's change to their unit's calendar.
type calendarDayRequest struct {
	Date   string `json:"date"`
	Kind   string `json:"kind,omitempty"`
	Name   string `json:"name,omitempty"`
	Unset  bool   `json:"unset,omitempty"`
	Reason string `json:"reason"`
}

// changeUnitCalendar sets or unsets a day of the unit's calendar: only the
// unit's own administrator may, so a ward cannot move another's due dates.
func (s *Server) changeUnitCalendar(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if a.Role != auth.RoleAdmin || a.UnitCode == "" || a.UnitCode != code {
		s.fail(w, r, apperr.Forbidden("Chỉ quản trị của đơn vị này được thay đổi lịch của đơn vị", "only the unit's own administrators change its calendar"))
		return
	}
	var req calendarDayRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	ch := store.DayChange{Date: strings.TrimSpace(req.Date), Kind: req.Kind, Name: strings.TrimSpace(req.Name),
		Unset: req.Unset, Reason: strings.TrimSpace(req.Reason), By: a}
	res, err := s.Calendar.ChangeDay(r.Context(), code, ch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": code, "date": ch.Date, "checked": res.Checked, "moved": res.Moved})
}

// calendarDue tells a citizen when a result would be due if the dossier were
// received at 'from' (now by default) by 'unit' (its own office hours).
func (s *Server) calendarDue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from := s.Now()
	if v := q.Get("from"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			s.fail(w, r, apperr.Invalid("from", "Thời điểm phải theo dạng RFC 3339, ví dụ 2026-05-04T09:30:00+07:00", "from must be RFC 3339, e.g. 2026-05-04T09:30:00+07:00"))
			return
		}
		if t.Year() < 1900 || t.Year() > 2100 { // the calendar's range; a due date past 9999 cannot even be written
			s.fail(w, r, apperr.Invalid("from", "Thời điểm phải trong các năm từ 1900 đến 2100", "from must be within the years 1900 to 2100"))
			return
		}
		from = t
	}
	if q.Get("procedure") == "" {
		s.fail(w, r, apperr.Invalid("procedure", "Chưa chọn thủ tục", "procedure is required"))
		return
	}
	p, err := s.Procs.Get(r.Context(), q.Get("procedure"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.Calendar.For(r.Context(), q.Get("unit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var due time.Time
	if p.Limit.Kind == procedure.LimitSameDay {
		due = cal.DueSameDay(from, p.Limit.CutoffHour)
	} else {
		due = cal.Due(from, p.Limit.Days)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"procedure": p.Code, "from": from.In(calendar.Zone), "due_at": due.In(calendar.Zone), "time_limit": p.Limit,
	})
}
