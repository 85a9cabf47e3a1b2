package queue

import (
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// Slot is an appointment slot: [Start, End) on one local day, with the
// places it has (its group's places per desk × the desks serving the
// group) and those taken.
type Slot struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Capacity int       `json:"capacity"`
	Booked   int       `json:"booked"`
}

// Free is the number of places left.
func (s Slot) Free() int { return max(s.Capacity-s.Booked, 0) }

// CutSlots cuts the day's open spans (calendar.OpenSpans: none on a
// holiday or a day off) into slots of length minutes; a remainder shorter
// than a slot at the end of a span is not offered. day is any instant of
// the local day.
func CutSlots(day time.Time, spans []calendar.Span, length int) []Slot {
	y, m, d := day.In(calendar.Zone).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, calendar.Zone)
	var out []Slot
	for _, sp := range spans {
		for start := sp.Start; start+length <= sp.End; start += length {
			out = append(out, Slot{Start: midnight.Add(time.Duration(start) * time.Minute).UTC(),
				End: midnight.Add(time.Duration(start+length) * time.Minute).UTC()})
		}
	}
	return out
}

// Appointment statuses. A booked appointment whose citizen has not
// checked in by its slot's start plus the group's grace time is a no-show:
// its place is free again (Holds).
const (
	Booked    = "booked"
	CheckedIn = "checked_in"
	Cancelled = "cancelled"
)

// Appointment is a booked slot: the citizen comes at its time, checks in
// at the kiosk with the code, and the ticket he gets is called at the
// slot's start ahead of the walk-ins.
type Appointment struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	UnitCode  string    `json:"unit"`
	Group     string    `json:"group"`
	Procedure string    `json:"procedure"`
	SlotAt    time.Time `json:"slot_at"`
	Status    string    `json:"status"`
	Person    Person    `json:"person"`
	TicketID  int64     `json:"ticket_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Holds tells whether a booking still holds its place at now: checked in,
// or booked and not yet past the grace time.
func Holds(status string, slotAt time.Time, grace time.Duration, now time.Time) bool {
	return status == CheckedIn || (status == Booked && now.Before(slotAt.Add(grace)))
}
