package calendar

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The government's announced schedules for public servants ship as data, one
// file per year, so a new year's announcement is a data change, not a code
// change, and each day carries the document that fixed it.
//
//go:embed schedules/*.json
var scheduleFS embed.FS

// schedule is one year's file.
type schedule struct {
	Year    int      `json:"year"`
	Sources []string `json:"sources"`
	Notes   []string `json:"notes,omitempty"`
	Days    []Day    `json:"days"`
}

// official holds the embedded schedules by year. They are part of the
// binary, so a malformed file is a build defect the tests catch; loading
// panics rather than silently dropping a year.
var official = sync.OnceValue(func() map[int][]Day {
	m, err := loadSchedules()
	if err != nil {
		panic(err)
	}
	return m
})

// Official returns the schedule the government announced for year, with each
// day's source, and false when none is shipped.
func Official(year int) ([]Day, bool) {
	days, ok := official()[year]
	if !ok {
		return nil, false
	}
	return slices.Clone(days), true
}

// OfficialYears lists the years with a shipped schedule, in order.
func OfficialYears() []int {
	years := make([]int, 0, len(official()))
	for y := range official() {
		years = append(years, y)
	}
	slices.Sort(years)
	return years
}

func loadSchedules() (map[int][]Day, error) {
	names, err := scheduleFS.ReadDir("schedules")
	if err != nil {
		return nil, err
	}
	m := make(map[int][]Day, len(names))
	for _, e := range names {
		s, err := loadSchedule(path.Join("schedules", e.Name()))
		if err != nil {
			return nil, err
		}
		m[s.Year] = s.Days
	}
	return m, nil
}

// loadSchedule reads one file and checks that it is usable by New and that
// every date belongs to the year the file is named after.
func loadSchedule(name string) (schedule, error) {
	b, err := scheduleFS.ReadFile(name)
	if err != nil {
		return schedule{}, err
	}
	return parseSchedule(name, b)
}

// parseSchedule is loadSchedule once the file is read: the part the fuzz
// test drives. Unknown fields are refused so that a misspelt key is not
// silently dropped.
func parseSchedule(name string, b []byte) (schedule, error) {
	var s schedule
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("calendar: %s: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return s, fmt.Errorf("calendar: %s: unexpected data after the schedule", name)
	}
	if want := strings.TrimSuffix(path.Base(name), ".json"); strconv.Itoa(s.Year) != want {
		return s, fmt.Errorf("calendar: %s holds year %d", name, s.Year)
	}
	prefix := strconv.Itoa(s.Year) + "-"
	for _, d := range s.Days {
		if !strings.HasPrefix(d.Date, prefix) || d.Source == "" {
			return s, fmt.Errorf("calendar: %s: day %s is outside the year or has no source", name, d.Date)
		}
	}
	if _, err := New(DefaultOfficeHours(), s.Days); err != nil {
		return s, fmt.Errorf("calendar: %s: %w", name, err)
	}
	sortDays(s.Days)
	return s, nil
}
