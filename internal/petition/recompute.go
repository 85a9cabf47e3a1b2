package petition

import (
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// ActRecompute is the system's action when the unit's calendar changed
// under an open petition: its due times move, as a dossier's do.
const ActRecompute = "recompute_due"

// Recompute moves an open petition's due times from the old calendar to
// cal: the working time between receipt and each due time, measured on the
// old one, laid on the new one. A petition waiting for its sender keeps its
// due time (its clock is stopped; supply_info lays the time left on the
// calendar of that day). It reports whether anything moved, with the event
// to chain.
func Recompute(p *Petition, old, cal dossier.Calendar, now time.Time, why string) (Change, bool) {
	if !p.Status.Open() || p.Status == StatusWaiting || p.DueAt.IsZero() {
		return Change{}, false
	}
	move := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return cal.Add(p.ReceivedAt, old.Between(p.ReceivedAt, t)).UTC()
	}
	due := move(p.DueAt)
	if due.Equal(p.DueAt) {
		return Change{}, false
	}
	note := "Hạn trả lời thay đổi từ " + p.DueAt.In(stats.Zone).Format("15:04 02/01/2006") + " do " + why
	p.RefuseDueAt, p.InfoDueAt, p.DueAt = move(p.RefuseDueAt), move(p.InfoDueAt), due
	p.Version++
	a := auth.System
	ev := Event{Action: ActRecompute, Actor: a.Username, ActorName: a.FullName, ActorRole: a.Role, At: now.UTC().Truncate(time.Microsecond),
		FromStatus: dossier.Status(p.Status), ToStatus: dossier.Status(p.Status), Note: note, DueAt: p.DueAt}
	return Change{Event: ev}, true
}
