package calendar

import (
	"math"
	"time"
)

// Classification of a finished dossier against its due time.
const (
	Early  = "early"
	OnTime = "on_time"
	Late   = "late"
)

// Due returns the due time of a dossier received at start with a time limit
// of days working days. A working day is DayLength of working time, so a
// dossier received at 14:00 with one day is due at 14:00 the next working
// day, and one received after hours starts its clock at the next opening.
func (c *WorkCalendar) Due(start time.Time, days float64) time.Time {
	d := time.Duration(math.Round(days * float64(c.dayLen)))
	return c.Add(start, d)
}

// DueSameDay returns the due time of a "same day" procedure: the close of the
// receiving day when start is on a working day no later than cutoffHour:00
// local (before opening counts), else the close of the next working day.
func (c *WorkCalendar) DueSameDay(start time.Time, cutoffHour int) time.Time {
	n, off := split(start)
	if len(c.spans(n)) > 0 && off <= time.Duration(cutoffHour)*time.Hour {
		return c.lastEnd(n)
	}
	return c.lastEnd(n + 1)
}

// Resume returns the due time after a pause: while a dossier waits for the
// applicant the clock stops, so the working time left at pausedAt is counted
// again from resumedAt.
//
// A dossier paused when already late has no time left. Its due time moves
// later by the working time the pause lasted, so the lateness reported when
// it is finished does not count the applicant's wait, and it stays late.
// A resume that does not follow the pause changes nothing.
func (c *WorkCalendar) Resume(due, pausedAt, resumedAt time.Time) time.Time {
	if !resumedAt.After(pausedAt) {
		return due.In(Zone)
	}
	if pausedAt.Before(due) {
		return c.Add(resumedAt, c.Between(pausedAt, due))
	}
	return c.Add(due, c.Between(pausedAt, resumedAt))
}

// Classify compares a finish with its due time: Late after the due instant,
// Early on a local date before the due date, OnTime otherwise (the same day,
// up to the due instant).
func Classify(finished, due time.Time) string {
	switch {
	case finished.After(due):
		return Late
	case dayNum(finished) < dayNum(due):
		return Early
	}
	return OnTime
}

// Classify is the package function, offered on the calendar for callers that
// hold one.
func (c *WorkCalendar) Classify(finished, due time.Time) string {
	return Classify(finished, due)
}
