package calendar

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

// FuzzParseSpans: office hours typed by an officer either come back as
// spans within the day that read back the same once written as HH:MM, or
// are refused with an "invalid" on the field spans quoting the bad part.
func FuzzParseSpans(f *testing.F) {
	for _, s := range []string{
		"07:30-11:30, 13:30-17:00", "08:00-12:00,13:00-17:00", "", " , ", "00:00-24:00", "8-12", "08:00",
		"08:00-25:00", "sáng", "7:30-11:30", "12:00-08:00", "08:00-12:00-13:00", "24:00-24:00", "\xff-\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans, err := ParseSpans(s)
		if err != nil {
			if e := apperr.As(err); spans != nil || e == nil || e.Code != apperr.EINVALID || e.Field != "spans" || !strings.Contains(e.Message, "08:00-12:00") {
				t.Fatalf("ParseSpans(%q) = %v, %#v", s, spans, err)
			}
			return
		}
		parts := make([]string, len(spans))
		for i, sp := range spans {
			if sp.Start < 0 || sp.Start > minutesPerDay || sp.End < 0 || sp.End > minutesPerDay {
				t.Fatalf("ParseSpans(%q): span %v outside the day", s, sp)
			}
			parts[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", sp.Start/60, sp.Start%60, sp.End/60, sp.End%60)
		}
		back, err := ParseSpans(strings.Join(parts, ","))
		if err != nil || !slices.Equal(back, spans) {
			t.Fatalf("ParseSpans(%q) = %v, written back reads %v, %v", s, spans, back, err)
		}
	})
}

// FuzzParseSchedule: a year's schedule file is either refused, or every
// day it keeps is a valid date of that year with a source, sorted, usable
// by New, and the schedule written out again reads back the same.
func FuzzParseSchedule(f *testing.F) {
	for _, y := range OfficialYears() {
		b, err := scheduleFS.ReadFile(fmt.Sprintf("schedules/%d.json", y))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint16(y), b)
	}
	f.Add(uint16(2026), []byte(`{"year":2026,"days":[{"date":"2026-02-30","kind":"holiday","source":"x"}]}`))
	f.Add(uint16(2026), []byte(`{"year":2026,"days":[{"date":"2026-05-01","kind":"nghỉ","source":"x"}]}`))
	f.Add(uint16(2026), []byte(`{"year":2026,"days":[{"date":"2026-05-01","kind":"holiday"}]}`))
	f.Add(uint16(2026), []byte(`{"year":2026,"dayz":[]}`))
	f.Add(uint16(2027), []byte(`{"year":2027,"days":[]} {}`))
	f.Fuzz(func(t *testing.T, year uint16, b []byte) {
		name := fmt.Sprintf("schedules/%d.json", year)
		s, err := parseSchedule(name, b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "calendar: ") {
				t.Fatalf("%s: error %q does not say where it comes from", name, err)
			}
			return
		}
		if s.Year != int(year) {
			t.Fatalf("%s holds year %d", name, s.Year)
		}
		if _, err := New(DefaultOfficeHours(), s.Days); err != nil {
			t.Fatalf("%s: accepted days refused by New: %v", name, err)
		}
		for i, d := range s.Days {
			n, err := parseDayNum(d.Date)
			if err != nil || dayStart(n).Format(DateLayout) != d.Date || !strings.HasPrefix(d.Date, fmt.Sprintf("%d-", year)) || d.Source == "" {
				t.Fatalf("%s: day %+v kept", name, d)
			}
			if i > 0 && s.Days[i-1].Date > d.Date {
				t.Fatalf("%s: days not sorted at %s", name, d.Date)
			}
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseSchedule(name, out)
		if err != nil || !reflect.DeepEqual(back, s) {
			t.Fatalf("%s written out reads back as %+v, %v", name, back, err)
		}
	})
}
