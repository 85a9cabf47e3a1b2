package store

import (
	"context"
	"strings"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
)

func statusOf(s civil.Status) dossier.Status { return dossier.Status(s) }

// appendCivilEvent seals the change's event onto the record's chain, with
// the digest of the record's content after the change first in its note,
// and keeps the chain's head on the row.
func appendCivilEvent(ctx context.Context, tx *Tx, r *civil.Record, chain chainState, ev civil.Event) error {
	ev.Note = civil.DigestNote(r.Digest(), ev.Note)
	return sealCivilEvent(ctx, tx, r, &chain, ev)
}

// sealCivilEvent seals an event whose note already holds its digest onto
// the chain, and moves the chain's head.
func sealCivilEvent(ctx context.Context, tx *Tx, r *civil.Record, chain *chainState, ev civil.Event) error {
	ev.Seq = chain.count + 1
	ev.Seal(civil.ChainName(r.ID), chain.lastHash)
	chain.count, chain.lastHash = ev.Seq, ev.Hash
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

// verifyCivilChains verifies the records' chains by the same rule as the
// dossiers' (a record's chain is named civil.ChainName), then each
// record's content against its last event (verifyCivilContent).
func (db *DB) verifyCivilChains(ctx context.Context, res *AuditResult) error {
	var c AuditResult
	err := db.verifyQuery(ctx, `SELECT d.id, 'HT-' || CAST(d.id AS TEXT), d.event_count, d.last_hash, e.seq, e.action, e.actor, e.actor_name,
		e.actor_role, e.actor_unit, e.at, e.from_status, e.to_status, 0, 0, '', e.note, '', 0, e.prev_hash, e.hash
		FROM civil_records d LEFT JOIN civil_events e ON e.record_id = d.id ORDER BY d.id, e.seq`, &c)
	if err != nil {
		return err
	}
	res.Civil, res.CivilEvents, res.Broken = c.Checked, c.Events, res.Broken+c.Broken
	if res.FirstBroken == "" {
		res.FirstBroken, res.BrokenAt = c.FirstBroken, c.BrokenAt
	}
	return db.verifyCivilContent(ctx, res)
}

// civilContentQuery reads every record with its last event's note and its
// people, one row per person, in one ordered join: the audit streams it
// instead of reading each record with its own queries.
var civilContentQuery = `SELECT r.` + strings.ReplaceAll(civilRecordCols, ", ", ", r.") + `, COALESCE(e.note, ''),
	p.role, p.full_name, p.sex, p.birth_date, p.birth_place, p.home_town, p.ethnicity, p.nationality, p.id_number, p.residence
	FROM civil_records r LEFT JOIN civil_events e ON e.record_id = r.id AND e.seq = r.event_count
	LEFT JOIN civil_people p ON p.record_id = r.id ORDER BY r.id, p.position`

// extraScan scans a row's leading columns as sc would and the rest into extra.
type extraScan struct {
	sc    scanner
	extra []any
}

func (x extraScan) Scan(dest ...any) error { return x.sc.Scan(append(dest, x.extra...)...) }

// verifyCivilContent checks that each record's current content is the one
// its last event sealed, so that a row edited behind the chain (a name, a
// date) is found too.
func (db *DB) verifyCivilContent(ctx context.Context, res *AuditResult) error {
	rows, err := db.query(ctx, civilContentQuery)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur *civil.Record
	var lastNote string
	var count int
	flush := func() {
		if cur == nil || (count > 0 && civil.NoteDigest(lastNote) == cur.Digest()) {
			return
		}
		res.Broken++
		res.CivilContent++
		if res.FirstBroken == "" {
			res.FirstBroken, res.BrokenAt = civil.ChainName(cur.ID), count
		}
	}
	for rows.Next() {
		var note string
		var role, name, sex, birth, place, home, eth, nat, idn, residence *string
		r, chain, err := scanCivilRecord(extraScan{rows, []any{&note, &role, &name, &sex, &birth, &place, &home, &eth, &nat, &idn, &residence}})
		if err != nil {
			return normalize(err)
		}
		if cur == nil || r.ID != cur.ID {
			flush()
			cur, lastNote, count = r, note, chain.count
			cur.People = []civil.Person{}
		}
		if role != nil {
			cur.People = append(cur.People, civil.Person{Role: *role, FullName: *name, Sex: *sex, BirthDate: *birth, BirthPlace: *place,
				HomeTown: *home, Ethnicity: *eth, Nationality: *nat, IDNumber: *idn, Residence: *residence})
		}
	}
	if err := rows.Err(); err != nil {
		return normalize(err)
	}
	flush()
	return nil
}
