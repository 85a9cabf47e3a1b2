package calendar

import (
	"testing"
	"time"
)

func TestLunarNewYear(t *testing.T) {
	for _, want := range []string{"2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06"} {
		y := mustDate(t, want).Year()
		checkLunar(t, LunarDate{Year: y, Month: 1, Day: 1}, want)
	}
}

func TestGioTo(t *testing.T) {
	for _, want := range []string{"2024-04-18", "2025-04-07", "2026-04-26"} {
		y := mustDate(t, want).Year()
		checkLunar(t, LunarDate{Year: y, Month: 3, Day: 10}, want)
	}
}

// TestLeapMonths checks leap months published in Vietnamese almanacs.
func TestLeapMonths(t *testing.T) {
	cases := []struct {
		l    LunarDate
		want string
	}{
		{LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}, "2023-03-22"},
		{LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}, "2025-07-25"},
		{LunarDate{Year: 2020, Month: 4, Day: 1, Leap: true}, "2020-05-23"},
	}
	for _, tc := range cases {
		checkLunar(t, tc.l, tc.want)
	}
	// 2024 has no leap month.
	if _, _, _, ok := LunarToSolar(LunarDate{Year: 2024, Month: 6, Day: 1, Leap: true}); ok {
		t.Error("2024 has no leap 6th month")
	}
}

// TestVietnamNotChina checks 1985, when the UTC+7 calendar put Tết on
// 1985-01-21, a month before China's UTC+8 calendar (1985-02-20): the time
// zone is part of the algorithm, not a detail.
func TestVietnamNotChina(t *testing.T) {
	checkLunar(t, LunarDate{Year: 1985, Month: 1, Day: 1}, "1985-01-21")
	checkLunar(t, LunarDate{Year: 2007, Month: 1, Day: 1}, "2007-02-17")
}

// TestLateNewMoon covers a day just before a new moon that comes a day after
// its mean-motion estimate (local 2054-05-08 00:01).
func TestLateNewMoon(t *testing.T) {
	checkLunar(t, LunarDate{Year: 2054, Month: 3, Day: 30}, "2054-05-07")
	checkLunar(t, LunarDate{Year: 2054, Month: 4, Day: 1}, "2054-05-08")
}

func TestLunarToSolarRejects(t *testing.T) {
	bad := []LunarDate{
		{Year: 2025, Month: 0, Day: 1},
		{Year: 2025, Month: 13, Day: 1},
		{Year: 2025, Month: 1, Day: 0},
		{Year: 2025, Month: 1, Day: 31},
		{Year: 2025, Month: 5, Day: 1, Leap: true},
	}
	for _, l := range bad {
		if y, m, d, ok := LunarToSolar(l); ok {
			t.Errorf("LunarToSolar(%+v) = %d-%d-%d, want not ok", l, y, m, d)
		}
	}
}

// TestLunarRoundTrip walks every day of 1900–2100 and checks that the
// conversion round-trips and that months and years have a lawful length.
func TestLunarRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 73,000 days")
	}
	first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
	prev := SolarToLunar(1899, 12, 31)
	// -1: the first month and year are entered part-way, so not checked.
	monthLen, monthsInYear := -1, -1
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		l := SolarToLunar(d.Year(), int(d.Month()), d.Day())
		y, m, dd, ok := LunarToSolar(l)
		if !ok || y != d.Year() || m != int(d.Month()) || dd != d.Day() {
			t.Fatalf("%s -> %+v -> %d-%d-%d %v", d.Format(DateLayout), l, y, m, dd, ok)
		}
		if l.Day != 1 {
			if l.Day != prev.Day+1 || l.Month != prev.Month || l.Leap != prev.Leap {
				t.Fatalf("%s: %+v does not follow %+v", d.Format(DateLayout), l, prev)
			}
		} else {
			checkMonth(t, d, prev, monthLen)
			monthsInYear = checkYear(t, d, l, prev, monthsInYear)
		}
		if monthLen >= 0 || l.Day == 1 {
			monthLen = l.Day
		}
		prev = l
	}
}

func checkMonth(t *testing.T, d time.Time, prev LunarDate, n int) {
	t.Helper()
	if n >= 0 && n != 29 && n != 30 {
		t.Fatalf("%s: month %+v had %d days", d.Format(DateLayout), prev, n)
	}
}

// checkYear counts months and checks each lunar year that ends has 12 or 13.
func checkYear(t *testing.T, d time.Time, l, prev LunarDate, n int) int {
	t.Helper()
	if l.Year == prev.Year {
		if !l.Leap && l.Month != prev.Month+1 || l.Leap && l.Month != prev.Month {
			t.Fatalf("%s: month %+v after %+v", d.Format(DateLayout), l, prev)
		}
		if n < 0 {
			return n
		}
		return n + 1
	}
	if l.Year != prev.Year+1 || l.Month != 1 || l.Leap {
		t.Fatalf("%s: year starts with %+v after %+v", d.Format(DateLayout), l, prev)
	}
	if n >= 0 && n != 12 && n != 13 {
		t.Fatalf("lunar year %d had %d months", prev.Year, n)
	}
	return 1
}

// FuzzLunarRoundTrip checks the round trip for any day 1800–2199, and that
// LunarToSolar never accepts a date it cannot give back.
func FuzzLunarRoundTrip(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(20000))
	f.Add(int64(-25567))
	f.Fuzz(func(t *testing.T, n int64) {
		const span = 400 * 366
		n %= span
		if n < 0 {
			n += span
		}
		day := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		if day.Year() > 2199 {
			return
		}
		l := SolarToLunar(day.Year(), int(day.Month()), day.Day())
		y, m, d, ok := LunarToSolar(l)
		if !ok || y != day.Year() || m != int(day.Month()) || d != day.Day() {
			t.Fatalf("%s -> %+v -> %d-%d-%d %v", day.Format(DateLayout), l, y, m, d, ok)
		}
		l.Leap = !l.Leap
		if y, m, d, ok := LunarToSolar(l); ok {
			if back := SolarToLunar(y, m, d); back != l {
				t.Fatalf("%+v -> %d-%d-%d -> %+v", l, y, m, d, back)
			}
		}
	})
}

func checkLunar(t *testing.T, l LunarDate, want string) {
	t.Helper()
	y, m, d, ok := LunarToSolar(l)
	got := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format(DateLayout)
	if !ok || got != want {
		t.Errorf("LunarToSolar(%+v) = %s %v, want %s", l, got, ok, want)
	}
	w := mustDate(t, want)
	if back := SolarToLunar(w.Year(), int(w.Month()), w.Day()); back != l {
		t.Errorf("SolarToLunar(%s) = %+v, want %+v", want, back, l)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
