package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// Dossiers is the dossier store; it satisfies dossier.Store.
type Dossiers struct{ DB *DB }

// dossierData is the part of a dossier kept as JSON: details that are shown
// but never filtered on.
type dossierData struct {
	Email         string   `json:"email,omitempty"`
	Address       string   `json:"address,omitempty"`
	Components    []string `json:"components,omitempty"`
	Note          string   `json:"note,omitempty"`
	Missing       []string `json:"missing,omitempty"`
	Reason        string   `json:"reason,omitempty"`
	RatingComment string   `json:"rating_comment,omitempty"`

	Subject    *dossier.Subject      `json:"subject,omitempty"`
	OnBehalf   bool                  `json:"on_behalf,omitempty"`
	ReusedFrom string                `json:"reused_from,omitempty"`
	Reused     []dossier.ReusedPaper `json:"reused,omitempty"`
	Notify     string                `json:"notify,omitempty"`
	Result     *dossier.ResultDoc    `json:"result,omitempty"`
}

const dossierCols = `id, code, unit_code, procedure_code, procedure_name, channel, status, applicant_name, applicant_id_number, applicant_phone,
	applicant_user_id, submitted_at, received_at, due_at, finished_at, returned_at, outcome, step, step_department, step_assignee,
	step_started_at, step_due_at, paused_at, resume_status, supplement_count, fee_amount, paid_at, approved, extended_at, rating, rated_at,
	version, event_count, last_hash, data`

type chainState struct {
	count    int
	lastHash string
	unit     string     // the unit as stored: a write never moves it
	running  runningKey // the running due the dossier counted in when read
}

func scanDossier(sc interface{ Scan(...any) error }) (*dossier.Dossier, chainState, error) {
	var d dossier.Dossier
	var c chainState
	var sub, rec, due, fin, ret, sst, sdue, paused, paid, ext, rated int64
	var approved int
	var data string
	err := sc.Scan(&d.ID, &d.Code, &d.UnitCode, &d.ProcedureCode, &d.ProcedureName, &d.Channel, &d.Status, &d.Applicant.Name,
		&d.Applicant.IDNumber, &d.Applicant.Phone, &d.ApplicantUserID, &sub, &rec, &due, &fin, &ret, &d.Outcome, &d.Step,
		&d.StepDepartment, &d.StepAssignee, &sst, &sdue, &paused, &d.ResumeStatus, &d.SupplementCount, &d.FeeAmount, &paid,
		&approved, &ext, &d.Rating, &rated, &d.Version, &c.count, &c.lastHash, &data)
	if err != nil {
		return nil, c, err
	}
	c.unit, c.running = d.UnitCode, runningKeyOf(d.UnitCode, d.Status, due, paused)
	d.SubmittedAt, d.ReceivedAt, d.DueAt, d.FinishedAt, d.ReturnedAt = fromMicros(sub), fromMicros(rec), fromMicros(due), fromMicros(fin), fromMicros(ret)
	d.StepStartedAt, d.StepDueAt, d.PausedAt, d.PaidAt = fromMicros(sst), fromMicros(sdue), fromMicros(paused), fromMicros(paid)
	d.ExtendedAt, d.RatedAt, d.Approved = fromMicros(ext), fromMicros(rated), approved != 0
	var x dossierData
	if err := json.Unmarshal([]byte(data), &x); err != nil {
		return nil, c, err
	}
	d.Applicant.Email, d.Applicant.Address, d.Components, d.Note = x.Email, x.Address, x.Components, x.Note
	d.Missing, d.Reason, d.RatingComment, d.Result = x.Missing, x.Reason, x.RatingComment, x.Result
	d.Subject, d.OnBehalf, d.ReusedFrom, d.Notify, d.Reused = x.Subject, x.OnBehalf, x.ReusedFrom, x.Notify, x.Reused
	return &d, c, nil
}

func dataOf(d *dossier.Dossier) string {
	b, _ := json.Marshal(dossierData{Email: d.Applicant.Email, Address: d.Applicant.Address, Components: d.Components,
		Note: d.Note, Missing: d.Missing, Reason: d.Reason, RatingComment: d.RatingComment, Subject: d.Subject, OnBehalf: d.OnBehalf, ReusedFrom: d.ReusedFrom,
		Reused: d.Reused, Notify: d.Notify, Result: d.Result})
	return string(b)
}

// Create assigns the code and writes the dossier, its first event and counts.
// The row is inserted whole, with its chain already sealed.
func (s Dossiers) Create(ctx context.Context, d *dossier.Dossier, agency string, ch dossier.Change) error {
	day := d.SubmittedAt.In(stats.Zone)
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		var n int
		err := tx.queryRow(ctx, `INSERT INTO dossier_counters (agency, day, last) VALUES (?, ?, 1)
			ON CONFLICT (agency, day) DO UPDATE SET last = dossier_counters.last + 1 RETURNING last`, agency, day.Format("20060102")).Scan(&n)
		if err != nil {
			return normalize(err)
		}
		d.Code = dossier.FormatCode(agency, day, n)
		ev := ch.Event
		ev.Seq = 1
		ev.Seal(d.Code, "")
		row := dossierRow(d, ev.Hash)
		err = tx.queryRow(ctx, `INSERT INTO dossiers (`+dossierRowCols+`) VALUES (?`+strings.Repeat(", ?", len(row)-1)+`) RETURNING id`, row...).Scan(&d.ID)
		if err != nil {
			return normalize(err)
		}
		ch.NewUnits = d.Units
		if err := writeReuses(ctx, tx, d, ev.Actor); err != nil {
			return err
		}
		if err := moveRunning(ctx, tx, runningKey{}, runningKeyOfDossier(d)); err != nil {
			return err
		}
		return s.appendChange(ctx, tx, d, &ev, ch)
	})
}

// dossierRowCols are the columns of a new dossier's row: the bulk loader's
// but the id, which the database assigns.
var dossierRowCols = strings.TrimPrefix(dossiersTable.cols, "id, ")

// dossierRow is a new dossier's row with its first event, in the order of
// dossierRowCols: the bulk loader's row, read back without the id.
func dossierRow(d *dossier.Dossier, lastHash string) []any {
	var rb rowBuf
	appendDossier(&rb, d, 1, lastHash)
	tr := tapeReader{tape: rb.tape}
	tr.value() // the id
	row := make([]any, 0, width(dossierRowCols))
	for tr.off < len(tr.tape) {
		row = append(row, tr.value())
	}
	return row
}

// Update loads, changes and writes a dossier in one transaction.
func (s Dossiers) Update(ctx context.Context, code string, fn func(d *dossier.Dossier) (dossier.Change, error)) (*dossier.Dossier, error) {
	var out *dossier.Dossier
	err := s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		d, chain, err := findDossierByCode(ctx, tx, code)
		if apperr.Code(err) == apperr.ENOTFOUND {
			return refuseArchived(ctx, tx, code, fn)
		}
		if err != nil {
			return err
		}
		if d.Units, err = dossierUnits(ctx, tx.query, d.ID); err != nil {
			return err
		}
		version := d.Version
		ch, err := fn(d)
		if err != nil {
			return err
		}
		out = d
		return s.write(ctx, tx, d, version, chain, ch)
	})
	return out, err
}

func findDossierByCode(ctx context.Context, tx *Tx, code string) (*dossier.Dossier, chainState, error) {
	d, c, err := scanDossier(tx.queryRow(ctx, `SELECT `+dossierCols+` FROM dossiers WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, c, apperr.NotFound("Không tìm thấy hồ sơ", "dossier not found")
	}
	return d, c, normalize(err)
}

type queryFunc func(ctx context.Context, query string, args ...any) (*sql.Rows, error)

func dossierUnits(ctx context.Context, query queryFunc, id int64) ([]string, error) {
	return unitsOf(ctx, query, `SELECT unit_code FROM dossier_units WHERE dossier_id = ?`, id)
}

func unitsOf(ctx context.Context, query queryFunc, q string, id int64) ([]string, error) {
	rows, err := query(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// write saves the dossier's fields if it is still at version (the version
// check makes a concurrent change on another connection or server lose with
// ECONFLICT), appends the event to the chain and moves the counts.
func (s Dossiers) write(ctx context.Context, tx *Tx, d *dossier.Dossier, version int, chain chainState, ch dossier.Change) error {
	ev := ch.Event
	ev.Seq = chain.count + 1
	ev.Seal(d.Code, chain.lastHash)
	if ch.ResultFile != nil {
		if err := bindResultFile(ctx, tx, d.ID, ev.Actor, ch.ResultFile); err != nil {
			return err
		}
	}
	res, err := tx.exec(ctx, `UPDATE dossiers SET status = ?, received_at = ?, due_at = ?, finished_at = ?, returned_at = ?, outcome = ?, step = ?,
		step_department = ?, step_assignee = ?, step_started_at = ?, step_due_at = ?, paused_at = ?, resume_status = ?, supplement_count = ?,
		fee_amount = ?, paid_at = ?, approved = ?, extended_at = ?, rating = ?, rated_at = ?, version = ?, event_count = ?, last_hash = ?, data = ?
		WHERE id = ? AND version = ?`,
		d.Status, micros(d.ReceivedAt), micros(d.DueAt), micros(d.FinishedAt), micros(d.ReturnedAt), d.Outcome, d.Step,
		d.StepDepartment, d.StepAssignee, micros(d.StepStartedAt), micros(d.StepDueAt), micros(d.PausedAt), d.ResumeStatus, d.SupplementCount,
		d.FeeAmount, micros(d.PaidAt), boolInt(d.Approved), micros(d.ExtendedAt), d.Rating, micros(d.RatedAt), d.Version, ev.Seq, ev.Hash, dataOf(d),
		d.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Conflict("Hồ sơ đã được người khác cập nhật, vui lòng tải lại", "the dossier was changed by someone else; reload it")
	}
	if err := moveRunning(ctx, tx, chain.running, runningKeyOf(chain.unit, d.Status, micros(d.DueAt), micros(d.PausedAt))); err != nil {
		return err
	}
	return s.appendChange(ctx, tx, d, &ev, ch)
}

// appendChange writes a change's sealed event, the units it brings the
// dossier to, and its counts.
func (s Dossiers) appendChange(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event, ch dossier.Change) error {
	if err := insertEvent(ctx, tx, d.ID, ev); err != nil {
		return err
	}
	if err := s.DB.produce(ctx, tx, d, ev); err != nil {
		return err
	}
	if ev.Seq > 1 && ev.FromStatus != ev.ToStatus { // the units' rows follow the status; most actions keep it
		if _, err := tx.exec(ctx, `UPDATE dossier_units SET status = ? WHERE dossier_id = ? AND status <> ?`, d.Status, d.ID, d.Status); err != nil {
			return err
		}
	}
	for _, u := range ch.NewUnits {
		if _, err := tx.exec(ctx, `INSERT INTO dossier_units (dossier_id, unit_code, status, submitted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			d.ID, u, d.Status, micros(d.SubmittedAt)); err != nil {
			return err
		}
	}
	if len(ch.Counts) > 0 {
		key := stats.Key{UnitCode: d.UnitCode, ProcedureCode: d.ProcedureCode, Day: stats.Day(ev.At), Channel: d.Channel}
		return addCounts(ctx, tx, key, ch.Counts)
	}
	return nil
}

func insertEvent(ctx context.Context, tx *Tx, dossierID int64, e *dossier.Event) error {
	_, err := tx.exec(ctx, `INSERT INTO dossier_events (dossier_id, seq, action, actor, actor_name, actor_role, actor_unit, at, from_status, to_status,
		step, to_step, assignee, note, outcome, due_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		dossierID, e.Seq, e.Action, e.Actor, e.ActorName, e.ActorRole, e.ActorUnit, micros(e.At), e.FromStatus, e.ToStatus,
		e.Step, e.ToStep, e.Assignee, e.Note, e.Outcome, micros(e.DueAt), e.PrevHash, e.Hash)
	return err
}

// Brief returns a dossier's row, without its units and history.
func (s Dossiers) Brief(ctx context.Context, code string) (*dossier.Dossier, error) {
	d, _, err := scanDossier(s.DB.queryRow(ctx, `SELECT `+dossierCols+` FROM dossiers WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return archivedBrief(ctx, s.DB.queryRow, code)
	}
	return d, err
}

// Get returns a dossier with its units and history.
func (s Dossiers) Get(ctx context.Context, code string) (*dossier.Dossier, error) {
	d, err := s.Brief(ctx, code)
	if err != nil {
		return nil, err
	}
	if d.Archived {
		return withArchivedParts(ctx, s.DB.query, d)
	}
	if d.Units, err = dossierUnits(ctx, s.DB.query, d.ID); err != nil {
		return nil, err
	}
	d.History, err = events(ctx, s.DB.query, d.ID)
	return d, err
}

const eventCols = `seq, action, actor, actor_name, actor_role, actor_unit, at, from_status, to_status, step, to_step,
		assignee, note, outcome, due_at, prev_hash, hash`

func events(ctx context.Context, query queryFunc, dossierID int64) ([]dossier.Event, error) {
	return eventsOf(ctx, query, `SELECT `+eventCols+` FROM dossier_events WHERE dossier_id = ? ORDER BY seq`, dossierID)
}

func eventsOf(ctx context.Context, query queryFunc, q string, dossierID int64) ([]dossier.Event, error) {
	rows, err := query(ctx, q, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dossier.Event
	for rows.Next() {
		var e dossier.Event
		var at, due int64
		if err := rows.Scan(&e.Seq, &e.Action, &e.Actor, &e.ActorName, &e.ActorRole, &e.ActorUnit, &at, &e.FromStatus, &e.ToStatus,
			&e.Step, &e.ToStep, &e.Assignee, &e.Note, &e.Outcome, &due, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.DueAt = fromMicros(at), fromMicros(due)
		out = append(out, e)
	}
	return out, rows.Err()
}

// List returns a page of dossiers the scope may see, newest first, and the
// number of matches.
func (s Dossiers) List(ctx context.Context, f dossier.Filter, sc dossier.Scope) ([]dossier.Dossier, int, error) {
	if queueOnly(f, sc) {
		return s.queue(ctx, f, sc.UnitCode)
	}
	where, args := listWhere(f, sc)
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM dossiers d WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	order := ` ORDER BY d.submitted_at DESC, d.id DESC`
	if !f.DueBefore.IsZero() {
		order = ` ORDER BY d.due_at, d.id`
	}
	out, err := s.page(ctx, `SELECT `+prefixCols("d.", dossierCols)+` FROM dossiers d WHERE `+where+order+
		` LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...) // placeholders: one prepared statement for every page
	return out, total, err
}

// page reads the dossiers a listing query returns.
func (s Dossiers) page(ctx context.Context, query string, args ...any) ([]dossier.Dossier, error) {
	rows, err := s.DB.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dossier.Dossier
	for rows.Next() {
		d, _, err := scanDossier(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// queueOnly tells a unit's queue by status with no other filter: the
// listing an officer opens all day.
func queueOnly(f dossier.Filter, sc dossier.Scope) bool {
	g := f
	g.Status, g.Limit, g.Offset = 0, 0, 0
	return !sc.All && sc.UnitCode != "" && f.Status != 0 && g == dossier.Filter{}
}

// queue reads a unit's queue by status off the index of its dossier_units
// rows: the count without touching a dossier, the page as the ids of its
// rows, newest first, and then those dossiers alone.
func (s Dossiers) queue(ctx context.Context, f dossier.Filter, unit string) ([]dossier.Dossier, int, error) {
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM dossier_units WHERE unit_code = ? AND status = ?`, unit, f.Status).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	out, err := s.page(ctx, `SELECT `+prefixCols("d.", dossierCols)+` FROM dossiers d WHERE d.id IN (
		SELECT du.dossier_id FROM dossier_units du WHERE du.unit_code = ? AND du.status = ?
		ORDER BY du.submitted_at DESC, du.dossier_id DESC LIMIT ? OFFSET ?) ORDER BY d.submitted_at DESC, d.id DESC`,
		unit, f.Status, f.Limit, f.Offset)
	return out, total, err
}

func listWhere(f dossier.Filter, sc dossier.Scope) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	// When the unit's own rows list the dossiers by status, the status
	// conditions on the dossiers are already met (the rows carry it, changed
	// in the same transaction); leaving them out also keeps the planner from
	// walking every dossier of that status through an index instead.
	byStatus, open := false, false
	switch {
	case sc.All:
	case sc.UnitCode != "" && f.Status != 0:
		// The unit's rows of that status: a queue costs its own length.
		add(`d.id IN (SELECT du.dossier_id FROM dossier_units du WHERE du.unit_code = ? AND du.status = ?)`, sc.UnitCode, f.Status)
		byStatus = true
	case sc.UnitCode != "" && (!f.DueBefore.IsZero() || !f.DueAfter.IsZero()):
		// Open dossiers only: the unit's open rows.
		add(`d.id IN (SELECT du.dossier_id FROM dossier_units du WHERE du.unit_code = ? AND du.status IN (1, 2, 4, 5, 6))`, sc.UnitCode)
		open = true
	case sc.UnitCode != "" && strings.TrimSpace(f.Query) != "":
		// A search cannot use an index on the names (words match anywhere):
		// it reads the unit's own rows and checks their dossiers, never
		// every dossier of the installation.
		add(`d.id IN (SELECT du.dossier_id FROM dossier_units du WHERE du.unit_code = ?)`, sc.UnitCode)
	case sc.UnitCode != "":
		add(`EXISTS (SELECT 1 FROM dossier_units du WHERE du.dossier_id = d.id AND du.unit_code = ?)`, sc.UnitCode)
	default:
		add(`d.applicant_user_id = ?`, sc.ApplicantUserID)
	}
	if f.Status != 0 && !byStatus {
		add(`d.status = ?`, f.Status)
	}
	openOnly := ` AND d.status IN (1, 2, 4, 5, 6)`
	if open || byStatus && f.Status.Open() {
		openOnly = ""
	}
	if f.UnitCode != "" {
		add(`d.unit_code = ?`, f.UnitCode)
	}
	if f.ProcedureCode != "" {
		add(`d.procedure_code = ?`, f.ProcedureCode)
	}
	if !f.DueBefore.IsZero() {
		add(`d.due_at > 0 AND d.due_at < ?`+openOnly, micros(f.DueBefore))
	}
	if !f.DueAfter.IsZero() {
		add(`d.due_at >= ?`+openOnly, micros(f.DueAfter))
	}
	if f.Channel != 0 {
		add(`d.channel = ?`, f.Channel)
	}
	if f.Outcome != "" {
		add(`d.outcome = ?`, f.Outcome)
	}
	if !f.ReceivedFrom.IsZero() {
		add(`d.received_at >= ?`, micros(f.ReceivedFrom))
	}
	if !f.ReceivedTo.IsZero() {
		add(`d.received_at > 0 AND d.received_at < ?`, micros(f.ReceivedTo))
	}
	if f.ApplicantID != "" {
		add(`d.applicant_id_number = ?`, f.ApplicantID)
	}
	if cond, a := searchCond(f.Query); cond != "" {
		add(cond, a...)
	}
	return strings.Join(conds, " AND "), args
}

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
