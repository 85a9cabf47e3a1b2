package index

import "github.com/motcua/motcua/internal/stats"

// Facts are what the store reads for a unit and period: the roll-ups'
// totals, the portal's acknowledgements, the catalogue, and the entries.
type Facts struct {
	Totals           map[string]int64 // the roll-ups added up (stats.Summary.Totals)
	Online           int64            // received online
	PortalSynced     int64            // first acknowledged by the national portal
	Procedures       int64            // active procedures in the catalogue
	ProceduresOnline int64            // of them offered online, in part or in full
	OnlineUsed       int64            // of those, the ones that received a dossier online in the period
	Entries          map[string]Count // entered indicators, by id
	// Running and RunningOnTime are the dossiers received and still open
	// now, and of them those not yet overdue: counted only for a period
	// that ends today or later (nobody knows what was open at the end of a
	// past period).
	Running, RunningOnTime int64
	// Petitions are the petition roll-ups of the period (5.2, 5.3, 5.4).
	Petitions PetitionFacts
	// Reuse is 4.3 as the roll-ups count it: the dossiers received online
	// that re-used papers of the applicant's earlier dossiers (their
	// wallet) ÷ the dossiers received online, from the day the wallet
	// started (none before: no data), over the months of the period without
	// an entry for 4.3 (see Counts).
	Reuse Count
}

// Monthly are the indicators whose entries are combined month by month
// with the computed count: a month with an entry counts the entry, the
// others what the roll-ups count (the facts then hold the computed count of
// those months only). The other indicators' entries replace the computed
// count of the whole period: they are not sums of months (3.2 counts the
// procedures used online in the period, once each).
var Monthly = map[string]bool{"4.3": true}

// PetitionFacts are a period's petition counts: those settled (answered,
// refused or merged), of them on time and late, the answers their senders
// were not satisfied with, the petitions about a dossier (complaints, for
// 5.4), and, for a period that ends today or later, the open ones late now.
type PetitionFacts struct {
	Settled, OnTime, Late, Dissatisfied, DossierComplaints, LateOpen int64
}

// petitionCounts are 5.2 and 5.3 from the petitions: both over the
// petitions due (settled in the period, or open and late now). Without any,
// they are left out (no data), and an entry still replaces them.
func (p PetitionFacts) counts(out map[string]Count) {
	due := p.Settled + p.LateOpen
	if due == 0 {
		return
	}
	out["5.2"] = Count{Numerator: p.OnTime, Denominator: due}
	out["5.3"] = Count{Numerator: max(0, due-p.Dissatisfied-p.Late-p.LateOpen), Denominator: due}
}

// Counts maps the facts onto the indicators. An entered count replaces a
// computed one, so that an administrator can correct what the system
// cannot see; for a Monthly indicator only in the months entered, the
// others' computed count added. Either way the count is marked entered.
func (f Facts) Counts() map[string]Count {
	t := f.Totals
	finished := t[stats.FinishedEarly] + t[stats.FinishedOnTime] + t[stats.FinishedLate]
	inTime := t[stats.FinishedEarly] + t[stats.FinishedOnTime] - t[stats.FinishedResupplied]
	late := finished - inTime
	out := map[string]Count{
		// 1.4: synchronised ÷ max(reported, on the portal).
		"1.4": {Numerator: f.PortalSynced, Denominator: max(t[stats.Submitted], f.PortalSynced)},
		// 2.1: finished in time, or still running on time, ÷ finished in
		// the period or still running; a dossier asked twice or more for a
		// supplement counting late.
		"2.1": {Numerator: inTime + f.RunningOnTime, Denominator: finished + f.Running},
		"3.1": {Numerator: f.ProceduresOnline, Denominator: f.Procedures},
		"3.3": {Numerator: f.Online, Denominator: t[stats.Received]},
		"4.1": {Numerator: t[stats.ResultElectronic], Denominator: finished},
		"4.3": f.Reuse,
		// 5.4: 100% − (late rate + rate of dossiers disliked or complained
		// about in a petition), over the dossiers finished.
		"5.4": {Numerator: max(0, finished-late-t[stats.RatedBad]-f.Petitions.DossierComplaints), Denominator: finished},
	}
	f.onlineService(out)
	f.Petitions.counts(out)
	for id, c := range f.Entries {
		if Monthly[id] {
			c.Numerator += out[id].Numerator
			c.Denominator += out[id].Denominator
		}
		c.Entered = true
		out[id] = c
	}
	return out
}
