package calendar

import (
	"fmt"
	"sort"
	"time"
)

// Sources named on computed days.
const (
	srcLabourCode = "Bộ luật Lao động 2019, Điều 112"
	// Tết and the day beside 2/9 are fixed each year by the Prime Minister;
	// until the announcement is entered the computed default stands in.
	srcDefault = srcLabourCode + " (ngày mặc định, chờ Thủ tướng quyết định)"
	srcCulture = "Nghị quyết 80-NQ/TW; Nghị quyết 28/2026/QH16 (chưa xác minh)"
)

// cultureDayFrom is the first year 24/11 (Ngày Văn hóa Việt Nam) is a day off.
const cultureDayFrom = 2026

// holiday is a statutory day before substitutes are worked out.
type holiday struct {
	date       time.Time
	name       string
	source     string
	substitute bool // a weekend occurrence gives a day off on the next working day
}

// Statutory returns the public holidays of year under the Labour Code 2019,
// Art. 112, with the substitute days off for those falling on a weekend.
//
// Two days are the Prime Minister's to fix and get a documented default:
//   - Tết: the last day of the lunar year and the first four of the new one.
//   - Quốc khánh: 2/9 and 1/9, or 3/9 when 1/9 falls on a weekend, which is
//     the choice announced in 2024–2026 and never needs a substitute.
//
// From 2026, 24/11 (Ngày Văn hóa Việt Nam) is a holiday with no substitute.
func Statutory(year int) []Day {
	hs := statutoryHolidays(year)
	taken := make(map[string]bool, len(hs))
	days := make([]Day, 0, len(hs)+4)
	for _, h := range hs {
		taken[h.date.Format(DateLayout)] = true
		days = append(days, Day{Date: h.date.Format(DateLayout), Kind: Holiday, Name: h.name, Source: h.source})
	}
	// In date order, so the second weekend day of Tết takes the day after
	// the first one's substitute.
	for _, h := range hs {
		if !h.substitute || !isWeekend(h.date) {
			continue
		}
		d := nextFreeWeekday(h.date, taken)
		taken[d] = true
		days = append(days, Day{Date: d, Kind: Holiday, Name: "Nghỉ bù " + h.name, Source: srcLabourCode})
	}
	sortDays(days)
	return days
}

func statutoryHolidays(year int) []holiday {
	hs := []holiday{
		{civil(year, 1, 1), "Tết Dương lịch", srcLabourCode, true},
	}
	hs = append(hs, tet(year)...)
	hs = append(hs,
		holiday{lunarDay(year, 3, 10), "Giỗ Tổ Hùng Vương", srcLabourCode, true},
		holiday{civil(year, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", srcLabourCode, true},
		holiday{civil(year, 5, 1), "Ngày Quốc tế Lao động", srcLabourCode, true},
		holiday{civil(year, 9, 2), "Quốc khánh", srcLabourCode, true},
		holiday{nationalDayAdjacent(year), "Quốc khánh (ngày liền kề)", srcDefault, true},
	)
	if year >= cultureDayFrom {
		hs = append(hs, holiday{civil(year, 11, 24), "Ngày Văn hóa Việt Nam", srcCulture, false})
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].date.Before(hs[j].date) })
	return hs
}

// tet returns the default five Tết days: the last day of the lunar year
// (29 or 30 tháng Chạp) and mùng 1 to mùng 4.
func tet(year int) []holiday {
	newYear := lunarDay(year, 1, 1)
	eve := newYear.AddDate(0, 0, -1)
	last := SolarToLunar(eve.Year(), int(eve.Month()), eve.Day())
	hs := []holiday{{eve, fmt.Sprintf("Tết Nguyên đán (%d tháng Chạp)", last.Day), srcDefault, true}}
	for i := range 4 {
		hs = append(hs, holiday{newYear.AddDate(0, 0, i), fmt.Sprintf("Tết Nguyên đán (mùng %d)", i+1), srcDefault, true})
	}
	return hs
}

// nationalDayAdjacent picks the second Quốc khánh day: 1/9, unless it is a
// weekend day, then 3/9, so the two days stay working days off.
func nationalDayAdjacent(year int) time.Time {
	if d := civil(year, 9, 1); !isWeekend(d) {
		return d
	}
	return civil(year, 9, 3)
}

// nextFreeWeekday is the first Monday–Friday after d not already a holiday.
func nextFreeWeekday(d time.Time, taken map[string]bool) string {
	for {
		d = d.AddDate(0, 0, 1)
		if s := d.Format(DateLayout); !isWeekend(d) && !taken[s] {
			return s
		}
	}
}

// lunarDay is the solar date of a lunar date in its regular month: when a
// year doubles the month, the festival stays in the regular (first) copy.
func lunarDay(year, month, day int) time.Time {
	y, m, d, _ := LunarToSolar(LunarDate{Year: year, Month: month, Day: day})
	return civil(y, m, d)
}

func civil(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, Zone) }

func isWeekend(d time.Time) bool {
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

// Year returns the days off and swapped working days of year: the official
// schedule where one is shipped, else the statutory days, sorted by date.
// Official schedules list every day of each announced break, weekends
// included, so a listing names them.
func Year(year int) []Day {
	if days, ok := Official(year); ok {
		return days
	}
	return Statutory(year)
}

// Merge applies an administrator's changes on top of base: dates listed in
// removed are dropped from base, then each override replaces or adds the day
// of its date (an override wins over a removal of the same date, since it is
// the more specific statement). The result is sorted and has one day per date.
func Merge(base, overrides []Day, removed []string) []Day {
	gone := make(map[string]bool, len(removed))
	for _, d := range removed {
		gone[d] = true
	}
	byDate := make(map[string]Day, len(base)+len(overrides))
	for _, d := range base {
		if !gone[d.Date] {
			byDate[d.Date] = d
		}
	}
	for _, d := range overrides {
		byDate[d.Date] = d
	}
	out := make([]Day, 0, len(byDate))
	for _, d := range byDate {
		out = append(out, d)
	}
	sortDays(out)
	return out
}

// sortDays orders days by date; YYYY-MM-DD sorts as text.
func sortDays(days []Day) {
	sort.SliceStable(days, func(i, j int) bool { return days[i].Date < days[j].Date })
}
