package calendar

import (
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// at is a local Viet Nam instant.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Zone)
}

func mustNew(t testing.TB, hours OfficeHours, days ...Day) *WorkCalendar {
	t.Helper()
	c, err := New(hours, days)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hol(date string) Day { return Day{Date: date, Kind: Holiday, Name: "test"} }
func work(date string) Day {
	return Day{Date: date, Kind: Workday, Name: "làm bù"}
}

// gioTo2025 is the 2025 Hùng Kings day, Monday 7 April.
var gioTo2025 = hol("2025-04-07")

func assertTime(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", name, got.In(Zone).Format("Mon 2006-01-02 15:04"), want.Format("Mon 2006-01-02 15:04"))
	}
}

func TestValidate(t *testing.T) {
	bad := []OfficeHours{
		{},
		{Spans: []Span{{600, 540}}},
		{Spans: []Span{{-1, 60}}},
		{Spans: []Span{{0, 1441}}},
		{Spans: []Span{{480, 720}, {700, 1000}}},
		{Spans: []Span{{780, 1020}, {480, 720}}},
		{Spans: []Span{{480, 720}}, SaturdayWorks: true},
		{Spans: []Span{{480, 720}}, Saturday: []Span{{720, 480}}},
	}
	for i, h := range bad {
		err := h.Validate()
		if apperr.Code(err) != apperr.EINVALID {
			t.Errorf("case %d: Validate = %v, want invalid", i, err)
		}
		if _, err := New(h, nil); err == nil {
			t.Errorf("case %d: New accepted invalid hours", i)
		}
	}
	if err := DefaultOfficeHours().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsBadDays(t *testing.T) {
	bad := [][]Day{
		{{Date: "2025-13-01", Kind: Holiday}},
		{{Date: "2025-04-07", Kind: "rest"}},
		{hol("2025-04-07"), work("2025-04-07")},
	}
	for i, days := range bad {
		if _, err := New(DefaultOfficeHours(), days); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("case %d: New = %v, want invalid", i, err)
		}
	}
}

func TestNewCopiesHours(t *testing.T) {
	h := DefaultOfficeHours()
	c := mustNew(t, h)
	h.Spans[1].End = 23 * 60
	if c.DayLength() != 8*time.Hour {
		t.Fatalf("calendar changed with its input: %v", c.DayLength())
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025, work("2025-04-26"))
	cases := []struct {
		t    time.Time
		want bool
	}{
		{at(2025, 4, 4, 10, 0), true},  // Friday
		{at(2025, 4, 5, 10, 0), false}, // Saturday
		{at(2025, 4, 6, 10, 0), false}, // Sunday
		{at(2025, 4, 7, 10, 0), false}, // Giỗ Tổ
		{at(2025, 4, 8, 0, 0), true},
		{at(2025, 4, 26, 10, 0), true}, // swapped Saturday
		// 23:30 UTC on Sunday is already Monday morning in Viet Nam.
		{time.Date(2025, 4, 6, 23, 30, 0, 0, time.UTC), false},
		{time.Date(2025, 4, 7, 23, 30, 0, 0, time.UTC), true},
	}
	for _, tc := range cases {
		if got := c.IsWorkingDay(tc.t); got != tc.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

func TestSaturdayWorks(t *testing.T) {
	h := DefaultOfficeHours()
	h.Saturday = []Span{{8 * 60, 12 * 60}}
	receiving := mustNew(t, h)
	if receiving.IsWorkingDay(at(2025, 4, 5, 9, 0)) {
		t.Error("a receiving Saturday must not run the clock")
	}
	h.SaturdayWorks = true
	c := mustNew(t, h)
	if !c.IsWorkingDay(at(2025, 4, 5, 9, 0)) {
		t.Error("SaturdayWorks: Saturday should be a working day")
	}
	// Friday 16:00 + 1 day: 1h Friday, 4h Saturday, 3h Monday.
	assertTime(t, "Due", c.Due(at(2025, 4, 4, 16, 0), 1), at(2025, 4, 7, 11, 0))
}

// TestOpenSpans: the counter opens on working days, on a swapped Saturday,
// and on a Saturday with receiving hours unless it is a holiday; never on
// a Sunday or a holiday.
func TestOpenSpans(t *testing.T) {
	h := DefaultOfficeHours()
	h.Saturday = []Span{{8 * 60, 12 * 60}}
	c := mustNew(t, h, gioTo2025, work("2025-04-26"), hol("2025-04-12"))
	cases := []struct {
		t     time.Time
		spans int
	}{
		{at(2025, 4, 4, 10, 0), 2},  // Friday
		{at(2025, 4, 5, 10, 0), 1},  // Saturday: receiving hours
		{at(2025, 4, 6, 10, 0), 0},  // Sunday
		{at(2025, 4, 7, 10, 0), 0},  // Giỗ Tổ
		{at(2025, 4, 12, 9, 0), 0},  // a Saturday made a holiday
		{at(2025, 4, 26, 10, 0), 2}, // swapped Saturday: a full day
	}
	for _, tc := range cases {
		if got := c.OpenSpans(tc.t); len(got) != tc.spans {
			t.Errorf("OpenSpans(%s) = %v, want %d spans", tc.t.Format("Mon 02/01"), got, tc.spans)
		}
	}
	if got := mustNew(t, DefaultOfficeHours()).OpenSpans(at(2025, 4, 5, 10, 0)); got != nil {
		t.Errorf("a Saturday without receiving hours: %v", got)
	}
}

func TestDayLength(t *testing.T) {
	if got := mustNew(t, DefaultOfficeHours()).DayLength(); got != 8*time.Hour {
		t.Fatalf("DayLength = %v", got)
	}
	h := OfficeHours{Spans: []Span{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17 * 60}}}
	if got := mustNew(t, h).DayLength(); got != 7*time.Hour+30*time.Minute {
		t.Fatalf("DayLength = %v", got)
	}
}

func TestNextOpening(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	cases := []struct{ in, want time.Time }{
		{at(2025, 4, 3, 9, 15), at(2025, 4, 3, 9, 15)},
		{at(2025, 4, 3, 7, 0), at(2025, 4, 3, 8, 0)},
		{at(2025, 4, 3, 12, 0), at(2025, 4, 3, 13, 0)},
		{at(2025, 4, 3, 12, 30), at(2025, 4, 3, 13, 0)},
		{at(2025, 4, 3, 17, 0), at(2025, 4, 4, 8, 0)},
		{at(2025, 4, 4, 18, 0), at(2025, 4, 8, 8, 0)}, // weekend, then Giỗ Tổ
		{at(2025, 4, 6, 10, 0), at(2025, 4, 8, 8, 0)},
	}
	for _, tc := range cases {
		assertTime(t, "NextOpening("+tc.in.Format("Mon 15:04")+")", c.NextOpening(tc.in), tc.want)
	}
}

func TestDue(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025, work("2025-04-26"), hol("2025-04-30"), hol("2025-05-01"), hol("2025-05-02"))
	cases := []struct {
		name  string
		start time.Time
		days  float64
		want  time.Time
	}{
		{"afternoon receipt, 1 day", at(2025, 3, 31, 14, 0), 1, at(2025, 4, 1, 14, 0)},
		{"across Giỗ Tổ", at(2025, 4, 4, 10, 0), 2, at(2025, 4, 9, 10, 0)},
		{"after hours starts next opening", at(2025, 4, 3, 17, 30), 1, at(2025, 4, 4, 17, 0)},
		{"before opening", at(2025, 4, 3, 6, 0), 1, at(2025, 4, 3, 17, 0)},
		{"at lunch", at(2025, 4, 3, 12, 10), 0.5, at(2025, 4, 3, 17, 0)},
		{"half day from morning", at(2025, 4, 3, 10, 0), 0.5, at(2025, 4, 3, 15, 0)},
		{"ends at span end", at(2025, 4, 3, 8, 0), 0.5, at(2025, 4, 3, 12, 0)},
		{"Friday afternoon", at(2025, 4, 4, 13, 0), 0.5, at(2025, 4, 4, 17, 0)},
		{"zero days", at(2025, 4, 3, 10, 0), 0, at(2025, 4, 3, 10, 0)},
		// Thu 24/4 10:00 + 3 days: Fri 25, Sat 26 (worked), Mon 28 10:00;
		// without the swap it would be Tue 29.
		{"swapped Saturday counted", at(2025, 4, 24, 10, 0), 3, at(2025, 4, 28, 10, 0)},
		// Tue 29/4 15:00 + 1 day: 2h Tue, 30/4–4/5 off, 6h Mon 5/5 → 15:00.
		{"across 30/4–1/5", at(2025, 4, 29, 15, 0), 1, at(2025, 5, 5, 15, 0)},
		{"utc input", time.Date(2025, 3, 31, 7, 0, 0, 0, time.UTC), 1, at(2025, 4, 1, 14, 0)},
	}
	for _, tc := range cases {
		assertTime(t, tc.name, c.Due(tc.start, tc.days), tc.want)
	}
}

func TestDue30Days(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	// The 30th working day after Tue 1/4/2025, skipping weekends and Giỗ
	// Tổ only, is Wed 14/5.
	got := c.Due(at(2025, 4, 1, 9, 0), 30)
	want := at(2025, 5, 14, 9, 0)
	assertTime(t, "Due 30", got, want)
	if b := c.Between(at(2025, 4, 1, 9, 0), got); b != 30*8*time.Hour {
		t.Errorf("Between = %v, want 240h", b)
	}
}

func TestBetween(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	cases := []struct {
		a, b time.Time
		want time.Duration
	}{
		{at(2025, 4, 3, 10, 0), at(2025, 4, 3, 10, 0), 0},
		{at(2025, 4, 3, 11, 0), at(2025, 4, 3, 10, 0), 0},
		{at(2025, 4, 3, 10, 0), at(2025, 4, 3, 14, 0), 3 * time.Hour},
		{at(2025, 4, 3, 0, 0), at(2025, 4, 4, 0, 0), 8 * time.Hour},
		{at(2025, 4, 4, 16, 0), at(2025, 4, 8, 9, 0), 2 * time.Hour},
		{at(2025, 4, 5, 9, 0), at(2025, 4, 6, 9, 0), 0},
	}
	for _, tc := range cases {
		if got := c.Between(tc.a, tc.b); got != tc.want {
			t.Errorf("Between(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestDueSameDay(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	cases := []struct {
		name       string
		start, due time.Time
	}{
		{"morning", at(2025, 4, 3, 9, 0), at(2025, 4, 3, 17, 0)},
		{"before opening", at(2025, 4, 3, 7, 0), at(2025, 4, 3, 17, 0)},
		{"at cut-off", at(2025, 4, 3, 15, 0), at(2025, 4, 3, 17, 0)},
		{"after cut-off", at(2025, 4, 3, 15, 1), at(2025, 4, 4, 17, 0)},
		{"Friday after cut-off skips weekend and Giỗ Tổ", at(2025, 4, 4, 16, 0), at(2025, 4, 8, 17, 0)},
		{"Saturday", at(2025, 4, 5, 9, 0), at(2025, 4, 8, 17, 0)},
		{"holiday morning", at(2025, 4, 7, 9, 0), at(2025, 4, 8, 17, 0)},
	}
	for _, tc := range cases {
		assertTime(t, tc.name, c.DueSameDay(tc.start, 15), tc.due)
	}
}

func TestResume(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	// Due Wed 9/4 10:00, paused Thu 3/4 10:00: 24h left
	// (Thu 6h, Fri 8h, Tue 8h, Wed 2h; Mon 7/4 is Giỗ Tổ).
	due := at(2025, 4, 9, 10, 0)
	paused := at(2025, 4, 3, 10, 0)
	if got := c.Between(paused, due); got != 24*time.Hour {
		t.Fatalf("remaining = %v", got)
	}
	// Resumed Fri 4/4 14:00: 3h Fri, Tue 8h, Wed 8h, Thu 10/4 5h → 14:00.
	assertTime(t, "across Giỗ Tổ", c.Resume(due, paused, at(2025, 4, 4, 14, 0)), at(2025, 4, 10, 14, 0))

	// Paused and resumed inside the same afternoon of a late dossier: the
	// due time moves by the 2h pause, from Wed 10:00 to Wed 12:00.
	late := c.Resume(due, at(2025, 4, 9, 14, 0), at(2025, 4, 9, 16, 0))
	assertTime(t, "late pause", late, at(2025, 4, 9, 12, 0))

	// Paused exactly at the due time: no time left, due at resumption.
	assertTime(t, "paused at due", c.Resume(due, due, at(2025, 4, 10, 9, 0)), at(2025, 4, 10, 9, 0))

	// Resumed before it was paused: nothing changes.
	assertTime(t, "bad resume", c.Resume(due, paused, paused.Add(-time.Hour)), due)
}

func TestClassify(t *testing.T) {
	due := at(2025, 4, 9, 10, 0)
	cases := []struct {
		finished time.Time
		want     string
	}{
		{at(2025, 4, 8, 16, 0), Early},
		{at(2025, 4, 9, 0, 0), OnTime},
		{at(2025, 4, 9, 10, 0), OnTime},
		{at(2025, 4, 9, 10, 1), Late},
		{at(2025, 4, 10, 8, 0), Late},
		{time.Date(2025, 4, 8, 17, 30, 0, 0, time.UTC), OnTime}, // 00:30 on 9/4 locally
	}
	c := mustNew(t, DefaultOfficeHours())
	for _, tc := range cases {
		if got := c.Classify(tc.finished, due); got != tc.want {
			t.Errorf("Classify(%s) = %s, want %s", tc.finished, got, tc.want)
		}
	}
}

// TestAddBetweenInverse checks that Between undoes Add, and that Add lands
// on working time, for many starts and durations.
func TestAddBetweenInverse(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025, work("2025-04-26"), hol("2025-04-30"))
	start := at(2025, 3, 28, 0, 0)
	for i := 0; i < 24*14*4; i++ {
		s := start.Add(time.Duration(i) * 15 * time.Minute)
		for _, d := range []time.Duration{time.Minute, 37 * time.Minute, 4 * time.Hour, 8 * time.Hour, 50 * time.Hour} {
			e := c.Add(s, d)
			if got := c.Between(s, e); got != d {
				t.Fatalf("Between(%s, Add(+%v)=%s) = %v", s, d, e, got)
			}
			if !c.NextOpening(e.Add(-time.Nanosecond)).Equal(e.Add(-time.Nanosecond)) {
				t.Fatalf("Add(%s, %v) = %s is not the end of working time", s, d, e)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours(), gioTo2025)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c.Due(at(2025, 4, 1, 9, 0).Add(time.Duration(i)*time.Hour), 3)
			}
		}()
	}
	wg.Wait()
}

func TestResultsInZone(t *testing.T) {
	c := mustNew(t, DefaultOfficeHours())
	got := c.Due(time.Date(2025, 3, 31, 7, 0, 0, 0, time.UTC), 1)
	if got.Location() != Zone {
		t.Errorf("location = %v, want Zone", got.Location())
	}
}
