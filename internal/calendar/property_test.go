package calendar

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// genCalendar draws office hours and exceptions around 2025.
func genCalendar(t *rapid.T) *WorkCalendar {
	h := DefaultOfficeHours()
	if rapid.Bool().Draw(t, "saturdayWorks") {
		h.Saturday, h.SaturdayWorks = []Span{{8 * 60, 11*60 + 30}}, true
	}
	n := rapid.IntRange(0, 40).Draw(t, "exceptions")
	var days []Day
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		date := at(2025, 1, 1, 0, 0).AddDate(0, 0, rapid.IntRange(0, 120).Draw(t, "day")).Format(DateLayout)
		if seen[date] {
			continue
		}
		seen[date] = true
		kind := rapid.SampledFrom([]string{Holiday, Workday}).Draw(t, "kind")
		days = append(days, Day{Date: date, Kind: kind})
	}
	c, err := New(h, days)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func genInstant(t *rapid.T, label string) time.Time {
	return at(2025, 1, 1, 0, 0).Add(time.Duration(rapid.Int64Range(0, 120*24*60).Draw(t, label)) * time.Minute)
}

func TestAddProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCalendar(t)
		s := genInstant(t, "start")
		d := time.Duration(rapid.Int64Range(1, 40*8*60).Draw(t, "minutes")) * time.Minute
		e := c.Add(s, d)
		if got := c.Between(s, e); got != d {
			t.Fatalf("Between(s, Add(s, %v)) = %v", d, got)
		}
		if e2 := c.Add(s, d+time.Minute); !e2.After(e) {
			t.Fatalf("Add is not increasing: %s then %s", e, e2)
		}
		// Splitting the time in two gives the same end.
		part := d / 2
		if mid := c.Add(s, part); part > 0 && !c.Add(mid, d-part).Equal(e) {
			t.Fatalf("Add(Add(s, %v), %v) != Add(s, %v)", part, d-part, d)
		}
	})
}

func TestResumeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCalendar(t)
		due := c.Add(genInstant(t, "received"), time.Duration(rapid.IntRange(1, 80).Draw(t, "hours"))*time.Hour)
		paused := genInstant(t, "paused")
		resumed := paused.Add(time.Duration(rapid.IntRange(1, 500).Draw(t, "pause")) * time.Hour)
		got := c.Resume(due, paused, resumed)
		// The working time between pause and due is preserved after resume,
		// and a late dossier stays exactly as late in working time.
		if paused.Before(due) {
			if c.Between(resumed, got) != c.Between(paused, due) {
				t.Fatalf("remaining time not preserved")
			}
		} else if late := c.Between(got, resumed); late != c.Between(due, paused) {
			t.Fatalf("lateness %v, was %v", late, c.Between(due, paused))
		}
	})
}
