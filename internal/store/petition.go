package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

// Petitions is the petition store; it satisfies petition.Store.
type Petitions struct{ DB *DB }

// petitionData is the part of a petition kept as JSON: texts that are
// shown but never filtered on.
type petitionData struct {
	InfoRequest string `json:"info_request,omitempty"`
	InfoReply   string `json:"info_reply,omitempty"`
	Reason      string `json:"reason,omitempty"`
	MergedInto  string `json:"merged_into,omitempty"`
	Draft       string `json:"draft,omitempty"`
	DraftBy     string `json:"draft_by,omitempty"`
	Answer      string `json:"answer,omitempty"`
	AnsweredBy  string `json:"answered_by,omitempty"`
	AnsweredAt  int64  `json:"answered_at,omitempty"`
	PublicText  string `json:"public_text,omitempty"`
	MediaURL    string `json:"media_url,omitempty"`
}

const petitionCols = `id, code, unit_code, kind, field, department, subject, body, address, lat, lng, dossier_code, channel,
	sender_name, sender_phone, sender_email, sender_user_id, status, assignee, received_at, refuse_due_at, info_due_at, due_at,
	paused_at, settled_at, outcome, escalated_at, published, published_at, useful, not_useful, satisfaction, rated_at,
	version, event_count, last_hash, data`

func scanPetition(sc scanner) (*petition.Petition, chainState, error) {
	var p petition.Petition
	var c chainState
	var lat, lng sql.NullFloat64
	var rec, rdue, idue, due, paused, settled, esc, pubAt, rated int64
	var published int
	var data string
	err := sc.Scan(&p.ID, &p.Code, &p.UnitCode, &p.Kind, &p.Field, &p.Department, &p.Subject, &p.Text, &p.Address, &lat, &lng,
		&p.DossierCode, &p.Channel, &p.Sender.Name, &p.Sender.Phone, &p.Sender.Email, &p.Sender.UserID, &p.Status, &p.Assignee,
		&rec, &rdue, &idue, &due, &paused, &settled, &p.Outcome, &esc, &published, &pubAt, &p.Useful, &p.NotUseful,
		&p.Satisfaction, &rated, &p.Version, &c.count, &c.lastHash, &data)
	if err != nil {
		return nil, c, err
	}
	if lat.Valid && lng.Valid {
		p.Lat, p.Long = &lat.Float64, &lng.Float64
	}
	p.ReceivedAt, p.RefuseDueAt, p.InfoDueAt, p.DueAt = fromMicros(rec), fromMicros(rdue), fromMicros(idue), fromMicros(due)
	p.PausedAt, p.SettledAt, p.EscalatedAt = fromMicros(paused), fromMicros(settled), fromMicros(esc)
	p.Published, p.PublishedAt, p.RatedAt = published != 0, fromMicros(pubAt), fromMicros(rated)
	var x petitionData
	if err := json.Unmarshal([]byte(data), &x); err != nil {
		return nil, c, err
	}
	p.InfoRequest, p.InfoReply, p.Reason, p.MergedInto = x.InfoRequest, x.InfoReply, x.Reason, x.MergedInto
	p.Draft, p.DraftBy, p.Answer, p.AnsweredBy, p.AnsweredAt = x.Draft, x.DraftBy, x.Answer, x.AnsweredBy, fromMicros(x.AnsweredAt)
	p.PublicText, p.MediaURL = x.PublicText, x.MediaURL
	return &p, c, nil
}

func petitionDataOf(p *petition.Petition) string {
	b, _ := json.Marshal(petitionData{InfoRequest: p.InfoRequest, InfoReply: p.InfoReply, Reason: p.Reason, MergedInto: p.MergedInto,
		Draft: p.Draft, DraftBy: p.DraftBy, Answer: p.Answer, AnsweredBy: p.AnsweredBy, AnsweredAt: micros(p.AnsweredAt),
		PublicText: p.PublicText, MediaURL: p.MediaURL})
	return string(b)
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

var errPetitionNotFound = apperr.NotFound("Không tìm thấy phản ánh, kiến nghị", "petition not found")

// Create assigns the code from the unit's counter of the local day and
// writes the petition, its files, its first event (sealed) and its counts.
func (s Petitions) Create(ctx context.Context, p *petition.Petition, ch petition.Change) error {
	day := p.ReceivedAt.In(stats.Zone)
	return s.DB.inTx(ctx, func(tx *Tx) error {
		var n int
		err := tx.queryRow(ctx, `INSERT INTO petition_counters (unit_code, day, last) VALUES (?, ?, 1)
			ON CONFLICT (unit_code, day) DO UPDATE SET last = petition_counters.last + 1 RETURNING last`, p.UnitCode, day.Format("20060102")).Scan(&n)
		if err != nil {
			return normalize(err)
		}
		p.Code = petition.FormatCode(p.UnitCode, day, n)
		err = tx.queryRow(ctx, `INSERT INTO petitions (code, unit_code, kind, field, department, subject, body, address, lat, lng, dossier_code,
			channel, sender_name, sender_phone, sender_email, sender_user_id, status, received_at, refuse_due_at, info_due_at, due_at, version, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.Code, p.UnitCode, p.Kind, p.Field, p.Department, p.Subject, p.Text, p.Address, nullFloat(p.Lat), nullFloat(p.Long), p.DossierCode,
			p.Channel, p.Sender.Name, p.Sender.Phone, p.Sender.Email, p.Sender.UserID, p.Status, micros(p.ReceivedAt), micros(p.RefuseDueAt),
			micros(p.InfoDueAt), micros(p.DueAt), p.Version, petitionDataOf(p)).Scan(&p.ID)
		if err != nil {
			return normalize(err)
		}
		for i := range p.Files {
			f := &p.Files[i]
			if err := tx.queryRow(ctx, `INSERT INTO petition_files (petition_id, file_name, content_type, size, sha256, uploaded_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.ID, f.Name, f.ContentType, f.Size, f.SHA256, micros(p.ReceivedAt)).Scan(&f.ID); err != nil {
				return normalize(err)
			}
		}
		return appendPetitionChange(ctx, tx, p, chainState{}, ch)
	})
}

// Update loads, changes and writes a petition in one transaction; the
// version check makes a concurrent change lose with ECONFLICT.
func (s Petitions) Update(ctx context.Context, code string, fn func(p *petition.Petition) (petition.Change, error)) (*petition.Petition, error) {
	var out *petition.Petition
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		p, chain, err := scanPetition(tx.queryRow(ctx, `SELECT `+petitionCols+` FROM petitions WHERE code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			return errPetitionNotFound
		}
		if err != nil {
			return normalize(err)
		}
		// The whole petition, files and history, so that the caller
		// answers with what a Get would show.
		if err := loadPetitionParts(ctx, tx.query, p); err != nil {
			return err
		}
		version := p.Version
		ch, err := fn(p)
		if err != nil {
			return err
		}
		if err := writePetition(ctx, tx, p, version, chain, ch); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// writePetition writes a changed petition over the version it was read
// at, with the change's event, counts, search words and messages.
func writePetition(ctx context.Context, tx *Tx, p *petition.Petition, version int, chain chainState, ch petition.Change) error {
	res, err := tx.exec(ctx, `UPDATE petitions SET kind = ?, field = ?, department = ?, status = ?, assignee = ?, refuse_due_at = ?, info_due_at = ?,
		due_at = ?, paused_at = ?, settled_at = ?, outcome = ?, escalated_at = ?, published = ?, published_at = ?, satisfaction = ?, rated_at = ?,
		version = ?, data = ? WHERE id = ? AND version = ?`,
		p.Kind, p.Field, p.Department, p.Status, p.Assignee, micros(p.RefuseDueAt), micros(p.InfoDueAt), micros(p.DueAt), micros(p.PausedAt),
		micros(p.SettledAt), p.Outcome, micros(p.EscalatedAt), boolInt(p.Published), micros(p.PublishedAt), p.Satisfaction, micros(p.RatedAt),
		p.Version, petitionDataOf(p), p.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Conflict("Phản ánh đã được người khác cập nhật, vui lòng tải lại", "the petition was changed by someone else; reload it")
	}
	if err := appendPetitionChange(ctx, tx, p, chain, ch); err != nil {
		return err
	}
	if ch.Reindex {
		if err := indexPetitionWords(ctx, tx, p); err != nil {
			return err
		}
	}
	if ch.Escalated {
		return escalationMessages(ctx, tx, p)
	}
	return nil
}

// appendPetitionChange seals the change's event onto the chain, keeps the
// chain's head on the row, and adds the counts to the unit's day.
func appendPetitionChange(ctx context.Context, tx *Tx, p *petition.Petition, chain chainState, ch petition.Change) error {
	ev := ch.Event
	ev.Seq = chain.count + 1
	ev.Seal(p.Code, chain.lastHash)
	if _, err := tx.exec(ctx, `INSERT INTO petition_events (petition_id, seq, action, actor, actor_name, actor_role, actor_unit, at,
		from_status, to_status, note, outcome, due_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, ev.Seq, ev.Action, ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit, micros(ev.At), ev.FromStatus, ev.ToStatus,
		ev.Note, ev.Outcome, micros(ev.DueAt), ev.PrevHash, ev.Hash); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE petitions SET event_count = ?, last_hash = ? WHERE id = ?`, ev.Seq, ev.Hash, p.ID); err != nil {
		return err
	}
	p.Events = append(p.Events, ev)
	return addPetitionCounts(ctx, tx, p.UnitCode, stats.Day(ev.At), ch.Counts)
}

// addPetitionCounts moves the unit's roll-up row of the day.
func addPetitionCounts(ctx context.Context, tx *Tx, unitCode, day string, c petition.Counts) error {
	if c == (petition.Counts{}) {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO petition_rollups (unit_code, day, received, answered, answered_on_time, late, dissatisfied, dossier_complaints)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_code, day) DO UPDATE SET received = petition_rollups.received + excluded.received,
		answered = petition_rollups.answered + excluded.answered, answered_on_time = petition_rollups.answered_on_time + excluded.answered_on_time,
		late = petition_rollups.late + excluded.late, dissatisfied = petition_rollups.dissatisfied + excluded.dissatisfied,
		dossier_complaints = petition_rollups.dossier_complaints + excluded.dossier_complaints`,
		unitCode, day, c.Received, c.Answered, c.AnsweredOnTime, c.Late, c.Dissatisfied, c.DossierComplaints)
	return err
}

// Get returns a petition with its files and history.
func (s Petitions) Get(ctx context.Context, code string) (*petition.Petition, error) {
	p, _, err := scanPetition(s.DB.queryRow(ctx, `SELECT `+petitionCols+` FROM petitions WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errPetitionNotFound
	}
	if err != nil {
		return nil, normalize(err)
	}
	return p, loadPetitionParts(ctx, s.DB.query, p)
}

// rowsQuery runs a read on the database or in a transaction.
type rowsQuery func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

// loadPetitionParts reads a petition's files and history through q.
func loadPetitionParts(ctx context.Context, q rowsQuery, p *petition.Petition) error {
	var err error
	if p.Files, err = petitionFiles(ctx, q, p.ID); err != nil {
		return err
	}
	p.Events, err = petitionEvents(ctx, q, p.ID)
	return err
}

// foldRows hands each row of a read to fn.
func foldRows(rows *sql.Rows, err error, fn func(scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func petitionFiles(ctx context.Context, q rowsQuery, id int64) ([]petition.File, error) {
	var out []petition.File
	rows, err := q(ctx, `SELECT id, file_name, content_type, size, sha256 FROM petition_files WHERE petition_id = ? ORDER BY id`, id)
	err = foldRows(rows, err, func(sc scanner) error {
		var f petition.File
		if err := sc.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

func petitionEvents(ctx context.Context, q rowsQuery, id int64) ([]petition.Event, error) {
	var out []petition.Event
	rows, err := q(ctx, `SELECT seq, action, actor, actor_name, actor_role, actor_unit, at, from_status, to_status, note, outcome,
		due_at, prev_hash, hash FROM petition_events WHERE petition_id = ? ORDER BY seq`, id)
	err = foldRows(rows, err, func(sc scanner) error {
		var e petition.Event
		var at, due int64
		if err := sc.Scan(&e.Seq, &e.Action, &e.Actor, &e.ActorName, &e.ActorRole, &e.ActorUnit, &at, &e.FromStatus, &e.ToStatus,
			&e.Note, &e.Outcome, &due, &e.PrevHash, &e.Hash); err != nil {
			return err
		}
		e.At, e.DueAt = fromMicros(at), fromMicros(due)
		out = append(out, e)
		return nil
	})
	return out, err
}

// File returns one file of a petition; a file of another petition is not
// found, so ids cannot be probed.
func (s Petitions) File(ctx context.Context, petitionID, id int64) (petition.File, error) {
	var f petition.File
	err := s.DB.queryRow(ctx, `SELECT id, file_name, content_type, size, sha256 FROM petition_files WHERE id = ? AND petition_id = ?`,
		id, petitionID).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return f, apperr.NotFound("Không tìm thấy tệp", "file not found")
	}
	return f, normalize(err)
}

// DossierIn tells whether the dossier passed through the unit.
func (s Petitions) DossierIn(ctx context.Context, dossierCode, unitCode string) (bool, error) {
	var n int
	err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM dossiers d JOIN dossier_units u ON u.dossier_id = d.id
		WHERE d.code = ? AND u.unit_code = ?`, dossierCode, unitCode).Scan(&n)
	return n > 0, normalize(err)
}

// Settings returns the unit's petition setting (the default when it set
// none).
func (s Petitions) Settings(ctx context.Context, unitCode string) (petition.Settings, error) {
	var set petition.Settings
	var direct int
	err := s.DB.queryRow(ctx, `SELECT direct_answer FROM petition_settings WHERE unit_code = ?`, unitCode).Scan(&direct)
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	set.DirectAnswer = direct != 0
	return set, normalize(err)
}

// SetSettings records the unit's petition setting.
func (s Petitions) SetSettings(ctx context.Context, unitCode string, set petition.Settings, by string) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO petition_settings (unit_code, direct_answer, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (unit_code) DO UPDATE SET direct_answer = excluded.direct_answer, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			unitCode, boolInt(set.DirectAnswer), by, s.DB.Now().UnixMicro())
		return err
	})
}

// ensure the interface is met.
var _ petition.Store = Petitions{}

// PetitionRollupRows reads every petition roll-up row, by unit and day:
// for tests that recount them.
func (db *DB) PetitionRollupRows(ctx context.Context) (map[[2]string]petition.Counts, error) {
	out := map[[2]string]petition.Counts{}
	err := db.foldQuery(ctx, `SELECT unit_code, day, received, answered, answered_on_time, late, dissatisfied, dossier_complaints
		FROM petition_rollups`, nil, func(s scanner) error {
		var k [2]string
		var c petition.Counts
		if err := s.Scan(&k[0], &k[1], &c.Received, &c.Answered, &c.AnsweredOnTime, &c.Late, &c.Dissatisfied, &c.DossierComplaints); err != nil {
			return err
		}
		out[k] = c
		return nil
	})
	return out, err
}

// EachPetitionForRecount hands every petition's row to fn: a scan, for
// tests that recount the roll-ups, never for a page.
func (db *DB) EachPetitionForRecount(ctx context.Context, fn func(p petition.Petition)) error {
	return db.foldQuery(ctx, `SELECT `+petitionCols+` FROM petitions ORDER BY id`, nil, func(s scanner) error {
		p, _, err := scanPetition(s)
		if err != nil {
			return err
		}
		fn(*p)
		return nil
	})
}

// FileNamed tells whether any row (a dossier's attachment, archived or not,
// or a petition's file) names the checksum: a file no row names may be
// deleted from the file store.
func (db *DB) FileNamed(ctx context.Context, sum string) (bool, error) {
	var n int
	err := db.queryRow(ctx, fileNamedQuery, sum, sum, sum, sum, sum).Scan(&n)
	return n > 0, normalize(err)
}

// fileNamedQuery counts the rows that name a checksum (given five times):
// attachments, archived or not, petitions' files, civil-status records'
// scanned pages and the news' pictures.
const fileNamedQuery = `SELECT (SELECT COUNT(*) FROM attachments WHERE sha256 = ?) + (SELECT COUNT(*) FROM attachments_archive WHERE sha256 = ?)
	+ (SELECT COUNT(*) FROM petition_files WHERE sha256 = ?) + (SELECT COUNT(*) FROM civil_records WHERE scan_sha256 <> '' AND scan_sha256 = ?)
	+ (SELECT COUNT(*) FROM news_images WHERE sha256 = ?)`

// LateToEscalate lists open petitions late at now and not escalated yet,
// through the (escalated_at, status, due_at) index.
func (s Petitions) LateToEscalate(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return column[string](s.DB.query(ctx, `SELECT code FROM petitions WHERE escalated_at = 0 AND `+latePetitions+`
		ORDER BY due_at LIMIT ?`, micros(now), limit))
}

// escalationMessages tells each leader of the petition's unit who has a
// phone, by SMS through the outbox, that the petition is late: written in
// the escalation's transaction, sent by the outbox's worker when an SMS
// gateway is configured (kept pending otherwise).
func escalationMessages(ctx context.Context, tx *Tx, p *petition.Petition) error {
	phones, err := column[string](tx.query(ctx, `SELECT phone FROM users WHERE unit_code = ? AND role = ? AND disabled = 0 AND phone <> '' ORDER BY id`,
		p.UnitCode, auth.RoleLeader))
	if err != nil {
		return err
	}
	text := "Phan anh " + p.Code + " (" + vntext.Unaccent(vntext.Truncate(p.Subject, 60)) + ") da qua han tra loi " +
		p.DueAt.In(stats.Zone).Format("15:04 02/01/2006")
	payload, _ := json.Marshal(map[string]string{"kind": "petition_late", "text": text})
	for _, phone := range phones {
		if err := tx.Enqueue(ctx, outbox.Message{Channel: notify.ChannelSMS, Topic: "petition.late", UnitCode: p.UnitCode,
			OrderKey: p.Code, Recipient: phone, Payload: payload, IdemKey: "ptl_" + p.Code + "_" + phone}); err != nil {
			return err
		}
	}
	return nil
}
