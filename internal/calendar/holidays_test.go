package calendar

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// listing renders days one a line with their weekday, as a reviewer would
// check them against the announcement.
func listing(days []Day) string {
	var b strings.Builder
	for _, d := range days {
		t, _ := time.ParseInLocation(DateLayout, d.Date, Zone)
		fmt.Fprintf(&b, "%s %s %-7s %s | %s\n", d.Date, t.Weekday().String()[:3], d.Kind, d.Name, d.Source)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

func TestStatutoryGolden(t *testing.T) {
	for y := 2024; y <= 2027; y++ {
		golden(t, fmt.Sprintf("statutory-%d.txt", y), listing(Statutory(y)))
	}
}

func TestYearGolden(t *testing.T) {
	for y := 2024; y <= 2027; y++ {
		golden(t, fmt.Sprintf("year-%d.txt", y), listing(Year(y)))
	}
}

func TestOfficial(t *testing.T) {
	if got := OfficialYears(); !slices.Equal(got, []int{2024, 2025, 2026}) {
		t.Fatalf("OfficialYears = %v", got)
	}
	if _, ok := Official(2023); ok {
		t.Error("no schedule is shipped for 2023")
	}
	days, _ := Official(2025)
	days[0].Name = "changed"
	if again, _ := Official(2025); again[0].Name == "changed" {
		t.Error("Official must return a copy")
	}
	for _, y := range OfficialYears() {
		if _, err := loadSchedule(fmt.Sprintf("schedules/%d.json", y)); err != nil {
			t.Error(err)
		}
	}
}

// TestOfficialCoversStatutory checks each shipped schedule against the
// lunar calendar: lunar new year and Giỗ Tổ (or its substitute) are off, and
// every fixed-date holiday on a weekday is off.
func TestOfficialCoversStatutory(t *testing.T) {
	for _, y := range OfficialYears() {
		c := mustNew(t, DefaultOfficeHours(), Year(y)...)
		off := func(d time.Time) bool { return !c.IsWorkingDay(d.Add(9 * time.Hour)) }
		if nd := lunarDay(y, 1, 1); !off(nd) {
			t.Errorf("%d: lunar new year %s is worked", y, nd.Format(DateLayout))
		}
		gioTo := lunarDay(y, 3, 10)
		if !off(gioTo) || isWeekend(gioTo) && !off(gioTo.AddDate(0, 0, 1)) {
			t.Errorf("%d: Giỗ Tổ %s or its substitute is worked", y, gioTo.Format(DateLayout))
		}
		for _, md := range [][2]int{{1, 1}, {4, 30}, {5, 1}, {9, 2}} {
			if d := civil(y, md[0], md[1]); !isWeekend(d) && !off(d) {
				t.Errorf("%d: %s is worked", y, d.Format(DateLayout))
			}
		}
	}
}

func TestStatutoryRules(t *testing.T) {
	for y := 2000; y <= 2100; y++ {
		days := Statutory(y)
		seen := map[string]bool{}
		for _, d := range days {
			if seen[d.Date] {
				t.Fatalf("%d: %s listed twice", y, d.Date)
			}
			seen[d.Date] = true
			if strings.HasPrefix(d.Name, "Nghỉ bù") && isWeekend(mustDate(t, d.Date)) {
				t.Fatalf("%d: substitute %s on a weekend", y, d.Date)
			}
		}
		want := 11 // Art. 112: 1 + 5 (Tết) + 1 + 1 + 1 + 2 (Quốc khánh)
		if y >= cultureDayFrom {
			want++
		}
		if n := countNotSubstitute(days); n != want {
			t.Fatalf("%d: %d holidays, want %d", y, n, want)
		}
	}
}

func countNotSubstitute(days []Day) int {
	n := 0
	for _, d := range days {
		if !strings.HasPrefix(d.Name, "Nghỉ bù") {
			n++
		}
	}
	return n
}

func TestCultureDayHasNoSubstitute(t *testing.T) {
	// 24/11/2029 is a Saturday.
	for _, d := range Statutory(2029) {
		if strings.Contains(d.Name, "Văn hóa") && d.Date != "2029-11-24" {
			t.Errorf("unexpected %+v", d)
		}
	}
	for _, d := range Statutory(2025) {
		if d.Date == "2025-11-24" {
			t.Error("24/11 is a holiday only from 2026")
		}
	}
}

func TestNationalDayAdjacent(t *testing.T) {
	cases := map[int]string{2024: "2024-09-03", 2025: "2025-09-01", 2026: "2026-09-01", 2029: "2029-09-03"}
	for y, want := range cases {
		if got := nationalDayAdjacent(y).Format(DateLayout); got != want {
			t.Errorf("%d: %s, want %s", y, got, want)
		}
	}
}

func TestMerge(t *testing.T) {
	base := []Day{hol("2025-01-01"), hol("2025-04-07"), hol("2025-09-02")}
	overrides := []Day{work("2025-04-26"), {Date: "2025-09-02", Kind: Holiday, Name: "renamed"}, hol("2025-03-10")}
	got := Merge(base, overrides, []string{"2025-04-07", "2025-03-10"})
	want := []string{"2025-01-01 holiday test", "2025-03-10 holiday test", "2025-04-26 workday làm bù", "2025-09-02 holiday renamed"}
	var have []string
	for _, d := range got {
		have = append(have, d.Date+" "+d.Kind+" "+d.Name)
	}
	if !slices.Equal(have, want) {
		t.Errorf("Merge = %q, want %q", have, want)
	}
	if _, err := New(DefaultOfficeHours(), Merge(Year(2025), Year(2025), nil)); err != nil {
		t.Errorf("Merge output must be accepted by New: %v", err)
	}
}

// officialCalendar is the calendar public servants work by, 2024–2026.
func officialCalendar(t testing.TB) *WorkCalendar {
	var days []Day
	for y := 2024; y <= 2026; y++ {
		days = append(days, Year(y)...)
	}
	return mustNew(t, DefaultOfficeHours(), days...)
}

func TestDueThroughHolidays(t *testing.T) {
	c := officialCalendar(t)
	cases := []struct {
		name  string
		start time.Time
		days  float64
		want  time.Time
	}{
		{"2024 Tết", at(2024, 2, 7, 16, 0), 1, at(2024, 2, 15, 16, 0)},
		{"2024 Giỗ Tổ", at(2024, 4, 17, 10, 0), 1, at(2024, 4, 19, 10, 0)},
		{"2024 30/4", at(2024, 4, 26, 14, 0), 2, at(2024, 5, 3, 14, 0)},
		{"2024 worked 4/5", at(2024, 5, 2, 14, 0), 2, at(2024, 5, 4, 14, 0)},
		{"2024 Quốc khánh", at(2024, 8, 30, 14, 0), 2, at(2024, 9, 5, 14, 0)},
		{"2025 Tết", at(2025, 1, 24, 9, 0), 3, at(2025, 2, 5, 9, 0)},
		{"2025 Giỗ Tổ", at(2025, 4, 4, 10, 0), 2, at(2025, 4, 9, 10, 0)},
		{"2025 worked 26/4", at(2025, 4, 25, 14, 0), 2, at(2025, 4, 28, 14, 0)},
		{"2025 30/4–4/5", at(2025, 4, 29, 15, 0), 1, at(2025, 5, 5, 15, 0)},
		{"2025 Quốc khánh", at(2025, 8, 29, 8, 0), 1, at(2025, 8, 29, 17, 0)},
		// 4h on Friday afternoon, 4h on Wed 3/9 morning: due at the 12:00 close.
		{"2025 Quốc khánh, ends at noon", at(2025, 8, 29, 13, 0), 1, at(2025, 9, 3, 12, 0)},
		{"2026 New Year with worked 10/1", at(2026, 1, 9, 15, 0), 1, at(2026, 1, 10, 15, 0)},
		{"2026 New Year", at(2025, 12, 31, 10, 0), 1, at(2026, 1, 5, 10, 0)},
		{"2026 Tết", at(2026, 2, 13, 10, 0), 3, at(2026, 2, 25, 10, 0)},
		{"2026 Giỗ Tổ substitute", at(2026, 4, 24, 10, 0), 1, at(2026, 4, 28, 10, 0)},
		{"2026 30/4–3/5", at(2026, 4, 29, 9, 0), 2, at(2026, 5, 5, 9, 0)},
		{"2026 Quốc khánh", at(2026, 8, 31, 10, 0), 1, at(2026, 9, 3, 10, 0)},
		{"2026 24/11", at(2026, 11, 23, 10, 0), 1, at(2026, 11, 25, 10, 0)},
	}
	for _, tc := range cases {
		assertTime(t, tc.name, c.Due(tc.start, tc.days), tc.want)
	}
}

func TestSameDayThroughHolidays(t *testing.T) {
	c := officialCalendar(t)
	assertTime(t, "Friday before Giỗ Tổ 2026", c.DueSameDay(at(2026, 4, 24, 16, 0), 15), at(2026, 4, 28, 17, 0))
	assertTime(t, "Friday before Tết 2026", c.DueSameDay(at(2026, 2, 13, 15, 30), 15), at(2026, 2, 23, 17, 0))
	assertTime(t, "worked Saturday 2026", c.DueSameDay(at(2026, 1, 10, 9, 0), 15), at(2026, 1, 10, 17, 0))
}

func TestResumeAcrossGioTo2026(t *testing.T) {
	c := officialCalendar(t)
	due := at(2026, 4, 28, 10, 0)
	paused := at(2026, 4, 24, 10, 0) // 8h left: Fri 6h, Mon 27/4 off, Tue 2h
	if got := c.Between(paused, due); got != 8*time.Hour {
		t.Fatalf("remaining = %v", got)
	}
	// Resumed on the substitute day: the clock restarts Tue 28/4 08:00.
	assertTime(t, "resumed on 27/4", c.Resume(due, paused, at(2026, 4, 27, 10, 0)), at(2026, 4, 28, 17, 0))
	// Resumed Wed 29/4 09:00: 7h that day, then 30/4–3/5 off, 1h on Mon 4/5.
	assertTime(t, "resumed 29/4", c.Resume(due, paused, at(2026, 4, 29, 9, 0)), at(2026, 5, 4, 9, 0))
}

// TestRecomputeAfterNewHoliday shows the recomputation a newly declared
// holiday forces on an open dossier.
func TestRecomputeAfterNewHoliday(t *testing.T) {
	start := at(2026, 11, 20, 10, 0) // Friday
	before := mustNew(t, DefaultOfficeHours(), Merge(Year(2026), nil, []string{"2026-11-24"})...)
	after := mustNew(t, DefaultOfficeHours(), Year(2026)...)
	assertTime(t, "before", before.Due(start, 3), at(2026, 11, 25, 10, 0))
	assertTime(t, "after", after.Due(start, 3), at(2026, 11, 26, 10, 0))
}
