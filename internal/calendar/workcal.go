// Package calendar is the Vietnamese working-time calendar that dossier
// deadlines depend on: office hours, weekly rest, public holidays, swapped
// (làm bù) Saturdays, and the lunar calendar the holidays follow.
//
// All dates are local to Viet Nam (UTC+7, no daylight saving). Instants
// returned by this package are expressed in Zone; they are ordinary
// time.Time values, so callers may store them in UTC.
package calendar

import (
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// zoneOffset is Viet Nam's offset from UTC in seconds.
const zoneOffset = 7 * 3600

// Zone is Asia/Ho_Chi_Minh. A fixed zone avoids depending on the host's
// time-zone database; Viet Nam has kept UTC+7 without DST since 1975.
var Zone = time.FixedZone("ICT", zoneOffset)

// Day kinds.
const (
	Holiday = "holiday" // not worked, even on a weekday
	Workday = "workday" // worked, even on a weekend (làm bù: a swapped Saturday)
)

// DateLayout is the layout of Day.Date.
const DateLayout = "2006-01-02"

// Day is one dated exception to the weekly pattern.
type Day struct {
	Date   string `json:"date"` // YYYY-MM-DD, local
	Kind   string `json:"kind"` // Holiday or Workday
	Name   string `json:"name"`
	Source string `json:"source,omitempty"` // the legal document that fixes the day, or the administrator who set it
	// Unit is the code of the unit whose administrator set the day; empty
	// for a shipped day or one the operator set for the whole country.
	Unit string `json:"unit,omitempty"`
}

// WorkCalendar answers working-time questions for one unit. It is immutable
// once built, so one value may be shared by any number of goroutines.
type WorkCalendar struct {
	hours  OfficeHours
	dayLen time.Duration
	// kinds[n-first] is the exception on local day n. A dense slice rather
	// than a map: recomputing a million deadlines looks days up hundreds of
	// millions of times, and the exceptions span only a few years.
	first int64
	kinds []dayKind
}

// dayKind is a Day.Kind in compact form; zero means no exception.
type dayKind uint8

const (
	kindNone dayKind = iota
	kindHoliday
	kindWorkday
)

// New builds a calendar from office hours and dated exceptions. A date may
// appear only once: apply administrator changes with Merge first.
func New(hours OfficeHours, days []Day) (*WorkCalendar, error) {
	if err := hours.Validate(); err != nil {
		return nil, err
	}
	nums := make([]int64, len(days))
	seen := make(map[int64]bool, len(days))
	for i, d := range days {
		n, err := parseDayNum(d.Date)
		if err != nil {
			return nil, apperr.Invalid("days",
				fmt.Sprintf("Ngày thứ %d (%q) không đúng dạng YYYY-MM-DD", i+1, d.Date),
				fmt.Sprintf("day %d (%q) is not a YYYY-MM-DD date", i+1, d.Date))
		}
		if d.Kind != Holiday && d.Kind != Workday {
			return nil, apperr.Invalid("days",
				fmt.Sprintf("Ngày %s có loại không hợp lệ %q", d.Date, d.Kind),
				fmt.Sprintf("day %s has unknown kind %q", d.Date, d.Kind))
		}
		if seen[n] {
			return nil, apperr.Invalid("days",
				fmt.Sprintf("Ngày %s bị khai báo trùng", d.Date),
				fmt.Sprintf("day %s is listed twice", d.Date))
		}
		seen[n], nums[i] = true, n
	}
	h := hours.clone()
	c := &WorkCalendar{hours: h, dayLen: length(h.Spans)}
	c.index(days, nums)
	return c, nil
}

// index fills the dense exception table; days and nums are validated.
func (c *WorkCalendar) index(days []Day, nums []int64) {
	if len(nums) == 0 {
		return
	}
	c.first = slices.Min(nums)
	c.kinds = make([]dayKind, slices.Max(nums)-c.first+1)
	for i, d := range days {
		k := kindHoliday
		if d.Kind == Workday {
			k = kindWorkday
		}
		c.kinds[nums[i]-c.first] = k
	}
}

// kind returns the exception on local day n.
func (c *WorkCalendar) kind(n int64) dayKind {
	if i := n - c.first; i >= 0 && i < int64(len(c.kinds)) {
		return c.kinds[i]
	}
	return kindNone
}

// DayLength is the working time of one ordinary working day.
func (c *WorkCalendar) DayLength() time.Duration { return c.dayLen }

// IsWorkingDay reports whether t's local date has working time.
func (c *WorkCalendar) IsWorkingDay(t time.Time) bool {
	return len(c.spans(dayNum(t))) > 0
}

// spans returns the working spans of local day n, nil when it is not worked.
func (c *WorkCalendar) spans(n int64) []Span {
	switch c.kind(n) {
	case kindHoliday:
		return nil
	case kindWorkday:
		return c.hours.Spans
	}
	switch weekday(n) {
	case time.Sunday:
		return nil
	case time.Saturday:
		if c.hours.SaturdayWorks {
			return c.hours.Saturday
		}
		return nil
	}
	return c.hours.Spans
}

// NextOpening returns t when it lies inside office hours of a working day,
// else the instant the office next opens.
func (c *WorkCalendar) NextOpening(t time.Time) time.Time {
	n, off := split(t)
	for ; ; n, off = n+1, 0 {
		for _, s := range c.spans(n) {
			if off < s.endDur() {
				return dayStart(n).Add(max(off, s.startDur()))
			}
		}
	}
}

// Add returns the instant lying d of working time after t, counting from
// NextOpening(t). When the time runs out exactly at the end of a span the
// span's end is returned (17:00, not the next morning), because that is the
// moment the deadline expires. A d <= 0 adds nothing and returns t.
func (c *WorkCalendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t.In(Zone)
	}
	n, off := split(t)
	for ; ; n, off = n+1, 0 {
		spans := c.spans(n)
		if off == 0 {
			// Skip whole days without walking their spans.
			if l := length(spans); d > l {
				d -= l
				continue
			}
		}
		for _, s := range spans {
			from := max(off, s.startDur())
			if from >= s.endDur() {
				continue
			}
			if avail := s.endDur() - from; d > avail {
				d -= avail
				continue
			}
			return dayStart(n).Add(from + d)
		}
	}
}

// Between returns the working time in [a, b), zero when b is not after a.
func (c *WorkCalendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	na, offA := split(a)
	nb, offB := split(b)
	var total time.Duration
	for n := na; n <= nb; n++ {
		lo, hi := time.Duration(0), 24*time.Hour
		if n == na {
			lo = offA
		}
		if n == nb {
			hi = offB
		}
		total += overlap(c.spans(n), lo, hi)
	}
	return total
}

// overlap is the working time of spans inside [lo, hi) of one day.
func overlap(spans []Span, lo, hi time.Duration) time.Duration {
	var d time.Duration
	for _, s := range spans {
		from, to := max(lo, s.startDur()), min(hi, s.endDur())
		if to > from {
			d += to - from
		}
	}
	return d
}

// lastEnd returns the end of the last span of the first working day at or
// after local day n.
func (c *WorkCalendar) lastEnd(n int64) time.Time {
	for ; ; n++ {
		if s := c.spans(n); len(s) > 0 {
			return dayStart(n).Add(s[len(s)-1].endDur())
		}
	}
}

// dayNum is the local day number of t: days since 1970-01-01 in Zone.
func dayNum(t time.Time) int64 {
	n, _ := split(t)
	return n
}

// split returns t's local day number and the time since that local midnight.
func split(t time.Time) (int64, time.Duration) {
	sec := t.Unix() + zoneOffset
	n := sec / 86400
	if sec%86400 < 0 {
		n--
	}
	return n, t.Sub(dayStart(n))
}

// dayStart is local midnight at the start of day n.
func dayStart(n int64) time.Time {
	return time.Unix(n*86400-zoneOffset, 0).In(Zone)
}

// weekday of local day n; day 0 (1970-01-01) was a Thursday.
func weekday(n int64) time.Weekday {
	w := (n + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// parseDayNum turns YYYY-MM-DD into a local day number.
func parseDayNum(s string) (int64, error) {
	t, err := time.ParseInLocation(DateLayout, s, Zone)
	if err != nil {
		return 0, err
	}
	return dayNum(t), nil
}

// OpenSpans returns the spans the counter is open on t's local date: the
// working spans of a working day, or the Saturday receiving hours of a
// Saturday that is no holiday; nil when the office is closed all day. The
// counter queue numbers tickets and offers appointments on these days.
func (c *WorkCalendar) OpenSpans(t time.Time) []Span {
	n := dayNum(t)
	if s := c.spans(n); len(s) > 0 {
		return s
	}
	if weekday(n) == time.Saturday && c.kind(n) != kindHoliday {
		return c.hours.Saturday
	}
	return nil
}
