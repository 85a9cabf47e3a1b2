package store

import (
	"context"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
)

func statusOf(s civil.Status) dossier.Status { return dossier.Status(s) }

// appendCivilEvent seals the change's event onto the record's chain, with
// the digest of the record's content after the change first in its note,
// and keeps the chain's head on the row.
func appendCivilEvent(ctx context.Context, tx *Tx, r *civil.Record, chain chainState, ev civil.Event) error {
	ev.Seq = chain.count + 1
	ev.Note = civil.DigestNote(r.Digest(), ev.Note)
	ev.Seal(civil.ChainName(r.ID), chain.lastHash)
	if _, err := tx.exec(ctx, `INSERT INTO civil_events (record_id, seq, action, actor, actor_name, actor_role, actor_unit, at, from_status,
		to_status, note, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, ev.Seq, ev.Action, ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit, micros(ev.At), ev.FromStatus, ev.ToStatus,
		ev.Note, ev.PrevHash, ev.Hash); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE civil_records SET event_count = ?, last_hash = ? WHERE id = ?`, ev.Seq, ev.Hash, r.ID); err != nil {
		return err
	}
	r.Events = append(r.Events, ev)
	return nil
}

func loadCivilEvents(ctx context.Context, query queryFunc, r *civil.Record) error {
	rows, err := query(ctx, `SELECT seq, action, actor, actor_name, actor_role, actor_unit, at, from_status, to_status, note, prev_hash, hash
		FROM civil_events WHERE record_id = ? ORDER BY seq`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.Events = nil
	for rows.Next() {
		var e civil.Event
		var at int64
		if err := rows.Scan(&e.Seq, &e.Action, &e.Actor, &e.ActorName, &e.ActorRole, &e.ActorUnit, &at, &e.FromStatus, &e.ToStatus,
			&e.Note, &e.PrevHash, &e.Hash); err != nil {
			return normalize(err)
		}
		e.At = fromMicros(at)
		r.Events = append(r.Events, e)
	}
	return normalize(rows.Err())
}

// CivilChainProblem is a record whose history or content does not hold.
type CivilChainProblem struct {
	RecordID int64
	Seq      int    // the first event that fails, 0 when the chain holds
	Content  bool   // the content differs from its last event's digest
	Problem  string // in English, for the operator
}

// VerifyCivilChains walks every record's history: each chain must verify
// and the digest of the record's current content must be the one its last
// event sealed, so that a row edited behind the chain is found. fn gets
// every problem; the count of records checked is returned.
func (db *DB) VerifyCivilChains(ctx context.Context, fn func(CivilChainProblem)) (int, error) {
	ids, err := column[int64](db.query(ctx, `SELECT id FROM civil_records ORDER BY id`))
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		r, err := Civil{DB: db}.Get(ctx, id)
		if err != nil {
			return 0, err
		}
		if bad := dossier.VerifyChain(civil.ChainName(id), r.Events); bad != 0 {
			fn(CivilChainProblem{RecordID: id, Seq: bad, Problem: "history chain broken"})
			continue
		}
		if len(r.Events) == 0 {
			fn(CivilChainProblem{RecordID: id, Content: true, Problem: "record without history"})
			continue
		}
		if civil.NoteDigest(r.Events[len(r.Events)-1].Note) != r.Digest() {
			fn(CivilChainProblem{RecordID: id, Content: true, Problem: "content differs from its last sealed event"})
		}
	}
	return len(ids), nil
}
