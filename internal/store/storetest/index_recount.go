package storetest

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

// IndexMatchesRecount compares the counts of the index of a unit (its
// subtree) over from..to with a recount from the dossiers themselves, for
// every indicator the system computes from dossiers, and the length of the
// 2.1, 3.3 and 4.3 drill-downs with the points they explain. It says where the
// first one differs.
func IndexMatchesRecount(ctx context.Context, db *store.DB, unit, from, to string) error {
	want, err := RecountIndex(ctx, db, unit, from, to)
	if err != nil {
		return err
	}
	facts, err := db.IndexFacts(ctx, []string{unit}, from, to)
	if err != nil {
		return err
	}
	got := facts[unit].Counts()
	for id, w := range want {
		if id == "1.4" { // the portal's acknowledgements are not the dossiers'
			if got[id].Denominator != w.Denominator {
				return fmt.Errorf("index %s %s..%s: 1.4 reported: recount %d, stored %d", unit, from, to, w.Denominator, got[id].Denominator)
			}
			continue
		}
		if got[id] != w {
			return fmt.Errorf("index %s %s..%s: %s: recount %+v, stored %+v", unit, from, to, id, w, got[id])
		}
	}
	for _, id := range []string{"2.1", "3.3", "4.3"} {
		_, n, err := db.IndexCosts(ctx, unit, id, from, to, 1, 0)
		if err != nil {
			return err
		}
		if lost := want[id].Denominator - want[id].Numerator; int64(n) != lost {
			return fmt.Errorf("index %s %s..%s: %s lists %d dossiers, %d cost points", unit, from, to, id, n, lost)
		}
	}
	return nil
}

// RecountIndex derives the dossier-based counts of the index of a unit
// (its subtree) over from..to from the dossiers' own fields, following
// DOMAIN §8 as written rather than the roll-ups.
func RecountIndex(ctx context.Context, db *store.DB, unit, from, to string) (map[string]index.Count, error) {
	st := store.Dossiers{DB: db}
	ds, _, err := st.List(ctx, dossier.Filter{Limit: 1 << 30}, dossier.Scope{All: true})
	if err != nil {
		return nil, err
	}
	in := func(d *dossier.Dossier, field string) bool {
		at := map[string]func() string{
			"submitted": func() string { return dayOf(d.SubmittedAt) },
			"received":  func() string { return dayOf(d.ReceivedAt) },
			"finished":  func() string { return dayOf(d.FinishedAt) },
			"rated":     func() string { return dayOf(d.RatedAt) },
		}[field]()
		return at != "" && at >= from && at <= to
	}
	procs, err := store.Procedures{DB: db}.List(ctx, store.ProcedureFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	offered := map[string]bool{} // the procedures offered online
	for _, p := range procs {
		offered[p.Code] = p.OnlineMode != procedure.OnlineNone
	}
	usedOnline := map[string]bool{}
	now := db.Now()
	current := to >= stats.Day(now) // the dossiers still running count
	// 4.3 counts the dossiers received online from the wallet's first day.
	start, err := db.WalletStart(ctx)
	if err != nil {
		return nil, err
	}
	walletDay := ""
	if !start.IsZero() {
		walletDay = dayOf(start)
	}
	var reusedOnline, receivedOnline int64
	var submitted, received, online, finished, inTime, electronic, ratedBad, running, runningOnTime int64
	for i := range ds {
		ok, err := db.UnitWithin(ctx, ds[i].UnitCode, unit)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		d, err := st.Get(ctx, ds[i].Code)
		if err != nil {
			return nil, err
		}
		if in(d, "submitted") {
			submitted++
		}
		if in(d, "received") {
			received++
			if d.Channel == dossier.ChannelOnline && dayOf(d.ReceivedAt) >= walletDay {
				receivedOnline++
				if len(d.Reused) > 0 {
					reusedOnline++
				}
			}
			if d.Channel == dossier.ChannelOnline {
				online++
				if offered[d.ProcedureCode] {
					usedOnline[d.ProcedureCode] = true
				}
			}
		}
		if d.Outcome != "" && in(d, "finished") {
			finished++
			if (d.Outcome == "early" || d.Outcome == "on_time") && d.SupplementCount <= 1 {
				inTime++
			}
			if d.Result.Electronic() {
				electronic++
			}
		}
		if current && d.Status.Open() && !d.DueAt.IsZero() {
			running++
			// paused: on time if it paused on time; else not yet due
			if d.Status.Paused() && !d.DueAt.Before(d.PausedAt) || !d.Status.Paused() && !d.DueAt.Before(now) {
				runningOnTime++
			}
		}
		if d.Rating == dossier.RatingBad && in(d, "rated") {
			ratedBad++
		}
	}
	var nOffered int64
	for _, ok := range offered {
		if ok {
			nOffered++
		}
	}
	return map[string]index.Count{
		"1.4": {Denominator: submitted},
		"3.2": {Numerator: int64(len(usedOnline)), Denominator: nOffered},
		"2.1": {Numerator: inTime + runningOnTime, Denominator: finished + running},
		"3.3": {Numerator: online, Denominator: received},
		"4.1": {Numerator: electronic, Denominator: finished},
		"4.3": {Numerator: reusedOnline, Denominator: receivedOnline},
		// 5.4: finished − late − rated "not satisfied", late being finished − in time
		"5.4": {Numerator: max(0, inTime-ratedBad), Denominator: finished},
	}, nil
}

// dayOf is the day of a time in Việt Nam, "" for no time.
func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return stats.Day(t)
}
