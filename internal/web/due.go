package web

import (
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// dueInfo is a due time as an officer reads it: a class that colours it and
// a text that says the same thing, so that colour is never the only signal.
type dueInfo struct{ Class, Text string }

func dueOf(c *catalog, d *dossier.Dossier, now time.Time) dueInfo {
	switch {
	case d.Outcome != "" && !d.FinishedAt.IsZero():
		return dueInfo{"outcome-" + d.Outcome, c.T("outcome." + d.Outcome)}
	case !d.Status.Open():
		return dueInfo{}
	case d.DueAt.IsZero():
		return dueInfo{"none", c.T("due.not_started")}
	case d.Status.Paused():
		return dueInfo{"paused", c.T("due.paused")}
	}
	if now.After(d.DueAt) {
		if n := localDays(d.DueAt, now); n > 0 {
			return dueInfo{"late", c.T("due.late_days", n)}
		}
		return dueInfo{"late", c.T("due.late_today", d.DueAt.In(calendar.Zone).Format("15:04"))}
	}
	switch n := localDays(now, d.DueAt); n {
	case 0:
		return dueInfo{"today", c.T("due.today", d.DueAt.In(calendar.Zone).Format("15:04"))}
	case 1, 2:
		return dueInfo{"soon", c.T("due.soon", n, fmtDateTime(d.DueAt))}
	}
	return dueInfo{"ok", c.T("due.on", fmtDateTime(d.DueAt))}
}

// localDays counts the calendar days from a's local date to b's.
func localDays(a, b time.Time) int {
	da := time.Date(a.In(calendar.Zone).Year(), a.In(calendar.Zone).Month(), a.In(calendar.Zone).Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.In(calendar.Zone).Year(), b.In(calendar.Zone).Month(), b.In(calendar.Zone).Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
