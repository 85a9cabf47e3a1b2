package queue

import "time"

// Before tells whether a waiting ticket is called before b at now. The
// order, which the store's call query follows too:
//  1. priority tickets (elderly, disabled, pregnant, small child), as the
//     law asks;
//  2. appointments whose slot has begun, so a booked citizen is served at
//     the booked time ahead of the walk-ins;
//  3. everyone else by RankAt (the issue time; an appointment checked in
//     early ranks from its slot's start), then by id.
func Before(a, b Ticket, now time.Time) bool {
	if a.Priority != b.Priority {
		return a.Priority
	}
	if da, db := a.due(now), b.due(now); da != db {
		return da
	}
	if !a.RankAt.Equal(b.RankAt) {
		return a.RankAt.Before(b.RankAt)
	}
	return a.ID < b.ID
}

// due tells whether the ticket is an appointment whose time has come.
func (t Ticket) due(now time.Time) bool { return !t.DueAt.IsZero() && !t.DueAt.After(now) }

// DefaultService is the service time assumed for a group with no history.
const DefaultService = 5 * time.Minute

// ExpectedWait estimates how long someone with ahead people before him
// waits: each desk open for the group serves one at a time, each taking
// the group's recent average service time.
func ExpectedWait(ahead int, avgService time.Duration, openDesks int) time.Duration {
	if avgService <= 0 {
		avgService = DefaultService
	}
	return time.Duration(ahead) * avgService / time.Duration(max(openDesks, 1))
}
