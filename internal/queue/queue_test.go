package queue

import (
	"sort"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// TestBefore: priority first, then appointments whose slot has begun, then
// by rank; an appointment before its time ranks from its slot's start.
func TestBefore(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, calendar.Zone) }
	now := at(10, 0)
	ts := []Ticket{
		{ID: 1, Number: "A001", RankAt: at(9, 0)},
		{ID: 2, Number: "A002", RankAt: at(10, 30), DueAt: at(10, 30)}, // appointment at 10:30
		{ID: 3, Number: "A003", RankAt: at(9, 50), Priority: true},
		{ID: 4, Number: "A004", RankAt: at(10, 0), DueAt: at(10, 0)}, // appointment now
		{ID: 5, Number: "A005", RankAt: at(9, 55)},
		{ID: 6, Number: "A006", RankAt: at(9, 0)},
	}
	sort.Slice(ts, func(i, j int) bool { return Before(ts[i], ts[j], now) })
	var got string
	for _, t := range ts {
		got += t.Number + " "
	}
	if want := "A003 A004 A001 A006 A005 A002 "; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}

// TestCutSlots: the day's open spans in whole slots, none on a closed day.
func TestCutSlots(t *testing.T) {
	day := time.Date(2026, 3, 2, 15, 0, 0, 0, calendar.Zone)
	s := CutSlots(day, []calendar.Span{{Start: 8 * 60, End: 11*60 + 45}, {Start: 13 * 60, End: 14 * 60}}, 45)
	if len(s) != 5+1 || !s[0].Start.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, calendar.Zone)) ||
		!s[4].End.Equal(time.Date(2026, 3, 2, 11, 45, 0, 0, calendar.Zone)) || !s[5].Start.Equal(time.Date(2026, 3, 2, 13, 0, 0, 0, calendar.Zone)) {
		t.Errorf("slots: %+v", s)
	}
	if len(CutSlots(day, nil, 30)) != 0 {
		t.Error("a closed day has slots")
	}
}

// TestValidate: groups, desks and the person are checked with a clear field.
func TestValidate(t *testing.T) {
	g := Group{Code: " a ", Name: " Hộ tịch "}
	if err := g.Validate(); err != nil || g.Code != "A" || g.SlotMin != DefaultSlotMin {
		t.Errorf("group: %+v %v", g, err)
	}
	for _, bad := range []Group{{Code: "AB", Name: "x"}, {Code: "1", Name: "x"}, {Code: "A"}, {Code: "A", Name: "x", SlotMin: 500},
		{Code: "A", Name: "x", GraceMin: 45}} {
		if bad.Validate() == nil {
			t.Errorf("group %+v accepted", bad)
		}
	}
	d := Desk{Number: 2, Groups: []string{"a", "A", " b"}}
	if err := d.Validate(); err != nil || d.Name != "Quầy 2" || len(d.Groups) != 2 {
		t.Errorf("desk: %+v %v", d, err)
	}
	if (&Desk{Number: 0, Groups: []string{"A"}}).Validate() == nil || (&Desk{Number: 1}).Validate() == nil {
		t.Error("a bad desk accepted")
	}
	p := Person{Name: " Lan ", Phone: "+84 912 345 678"}
	if err := p.Validate(time.Now()); err != nil || p.Phone != "0912345678" || p.Name != "Lan" {
		t.Errorf("person: %+v %v", p, err)
	}
	if ValidPriority("vip") == nil || ValidPriority(Elderly) != nil {
		t.Error("priority reasons")
	}
	if ExpectedWait(6, 4*time.Minute, 2) != 12*time.Minute || ExpectedWait(3, 0, 0) != 15*time.Minute {
		t.Error("expected wait")
	}
}
