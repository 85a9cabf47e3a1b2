package store

import (
	"context"

	"github.com/motcua/motcua/internal/dossier"
)

// AuditResult is what a verification of the history chains found.
type AuditResult struct {
	Checked     int    // dossiers
	Events      int    // events
	Broken      int    // broken chains
	FirstBroken string // code of the first broken dossier, by id
	BrokenAt    int    // the first bad event's sequence number in it
	Archived    int    // of the dossiers checked, those in the archive

	Petitions      int // petitions' chains checked (their broken ones count in Broken)
	PetitionEvents int

	Civil        int // civil-status records' chains checked (their broken ones count in Broken)
	CivilEvents  int
	CivilContent int // records whose content differs from their last sealed event
}

// VerifyAudit recomputes every dossier's hash chain and compares the last
// hash with the one kept on the dossier row, so that both an edited and a
// deleted last event are found.
// The archived dossiers' chains are verified the same way, in their own
// tables: a move copies the rows as they were, so their hashes still hold.
func (db *DB) VerifyAudit(ctx context.Context) (AuditResult, error) {
	var res AuditResult
	if err := db.verifyChains(ctx, "", &res); err != nil {
		return res, err
	}
	live := res.Checked
	if err := db.verifyChains(ctx, "_archive", &res); err != nil {
		return res, err
	}
	res.Archived = res.Checked - live
	if err := db.verifyPetitionChains(ctx, &res); err != nil {
		return res, err
	}
	return res, db.verifyCivilChains(ctx, &res)
}

// verifyPetitionChains verifies the petitions' chains by the same rule
// (a petition's event has no step nor assignee).
func (db *DB) verifyPetitionChains(ctx context.Context, res *AuditResult) error {
	var p AuditResult
	err := db.verifyQuery(ctx, `SELECT d.id, d.code, d.event_count, d.last_hash, e.seq, e.action, e.actor, e.actor_name, e.actor_role, e.actor_unit, e.at,
		e.from_status, e.to_status, 0, 0, '', e.note, e.outcome, e.due_at, e.prev_hash, e.hash
		FROM petitions d LEFT JOIN petition_events e ON e.petition_id = d.id ORDER BY d.id, e.seq`, &p)
	res.Petitions, res.PetitionEvents, res.Broken = p.Checked, p.Events, res.Broken+p.Broken
	if res.FirstBroken == "" {
		res.FirstBroken, res.BrokenAt = p.FirstBroken, p.BrokenAt
	}
	return err
}

// verifyChains verifies the chains of the dossier tables named with suffix
// ("" for the working tables, "_archive" for the archive) into res.
func (db *DB) verifyChains(ctx context.Context, suffix string, res *AuditResult) error {
	return db.verifyQuery(ctx, `SELECT d.id, d.code, d.event_count, d.last_hash, e.seq, e.action, e.actor, e.actor_name, e.actor_role, e.actor_unit, e.at,
		e.from_status, e.to_status, e.step, e.to_step, e.assignee, e.note, e.outcome, e.due_at, e.prev_hash, e.hash
		FROM dossiers`+suffix+` d LEFT JOIN dossier_events`+suffix+` e ON e.dossier_id = d.id ORDER BY d.id, e.seq`, res)
}

// verifyQuery verifies the chains that query reads: each owner's id, code,
// kept count and last hash, then its events in order (NULLs without any).
func (db *DB) verifyQuery(ctx context.Context, query string, res *AuditResult) error {
	rows, err := db.query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur struct {
		id         int64
		code, last string
		count      int
		evs        []dossier.Event
	}
	flush := func() {
		if cur.code == "" {
			return
		}
		res.Checked++
		res.Events += len(cur.evs)
		bad := dossier.VerifyChain(cur.code, cur.evs)
		if bad == 0 && (len(cur.evs) != cur.count || (len(cur.evs) > 0 && cur.evs[len(cur.evs)-1].Hash != cur.last)) {
			bad = len(cur.evs) + 1 // the newest events were deleted or replaced
		}
		if bad != 0 {
			res.Broken++
			if res.FirstBroken == "" {
				res.FirstBroken, res.BrokenAt = cur.code, bad
			}
		}
	}
	for rows.Next() {
		var id int64
		var code, last string
		var count int
		var seq *int64
		var e dossier.Event
		var action, actor, actorName, role, unit, assignee, note, outcome, prev, hash *string
		var at, from, to, step, toStep, due *int64
		if err := rows.Scan(&id, &code, &count, &last, &seq, &action, &actor, &actorName, &role, &unit, &at, &from, &to, &step, &toStep,
			&assignee, &note, &outcome, &due, &prev, &hash); err != nil {
			return err
		}
		if id != cur.id {
			flush()
			cur.id, cur.code, cur.last, cur.count, cur.evs = id, code, last, count, nil
		}
		if seq == nil {
			continue
		}
		e.Seq, e.Action, e.Actor, e.ActorName, e.ActorRole, e.ActorUnit = int(*seq), *action, *actor, *actorName, *role, *unit
		e.At, e.FromStatus, e.ToStatus, e.Step, e.ToStep = fromMicros(*at), dossier.Status(*from), dossier.Status(*to), int(*step), int(*toStep)
		e.Assignee, e.Note, e.Outcome, e.DueAt, e.PrevHash, e.Hash = *assignee, *note, *outcome, fromMicros(*due), *prev, *hash
		cur.evs = append(cur.evs, e)
	}
	flush()
	return rows.Err()
}
