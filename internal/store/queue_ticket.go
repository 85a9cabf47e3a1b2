package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
)

const ticketCols = `id, unit_code, day, group_code, seq, number, token, priority, priority_reason, appointment, due_at, rank_at, status,
	target_desk, desk_id, officer, calls, name, phone, id_number, dossier_code, created_at, waiting_since, called_at, finished_at, rating`

func scanTicket(sc interface{ Scan(...any) error }) (queue.Ticket, error) {
	var t queue.Ticket
	var prio int
	var due, rank, created, waiting, called, finished int64
	err := sc.Scan(&t.ID, &t.UnitCode, &t.Day, &t.Group, &t.Seq, &t.Number, &t.Token, &prio, &t.PriorityReason, &t.Appointment, &due, &rank, &t.Status,
		&t.TargetDesk, &t.DeskID, &t.Officer, &t.Calls, &t.Person.Name, &t.Person.Phone, &t.Person.IDNumber, &t.DossierCode,
		&created, &waiting, &called, &finished, &t.Rating)
	t.Priority = prio == 1
	t.DueAt, t.RankAt, t.CreatedAt, t.WaitingSince = fromMicros(due), fromMicros(rank), fromMicros(created), fromMicros(waiting)
	t.CalledAt, t.FinishedAt = fromMicros(called), fromMicros(finished)
	return t, err
}

func ticketWhere(ctx context.Context, tx *Tx, db *DB, where string, args ...any) (queue.Ticket, error) {
	var row *sql.Row
	if tx != nil {
		row = tx.queryRow(ctx, `SELECT `+ticketCols+` FROM queue_tickets WHERE `+where, args...)
	} else {
		row = db.queryRow(ctx, `SELECT `+ticketCols+` FROM queue_tickets WHERE `+where, args...)
	}
	t, err := scanTicket(row)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errTicketNotFound
	}
	return t, normalize(err)
}

// Ticket reads one ticket.
func (q Queue) Ticket(ctx context.Context, id int64) (queue.Ticket, error) {
	return ticketWhere(ctx, nil, q.DB, `id = ?`, id)
}

// TicketByToken reads the ticket of a public token (its QR code).
func (q Queue) TicketByToken(ctx context.Context, token string) (queue.Ticket, error) {
	if token == "" || len(token) > 64 {
		return queue.Ticket{}, errTicketNotFound
	}
	return ticketWhere(ctx, nil, q.DB, `token = ?`, token)
}

// TicketRequest is what the kiosk sends: the unit, the group chosen, a
// priority reason if any, and optionally who the person is.
type TicketRequest struct {
	Unit           string       `json:"unit"`
	Group          string       `json:"group"`
	PriorityReason string       `json:"priority_reason,omitempty"`
	Person         queue.Person `json:"person"`
}

// openDay returns the unit's numbering day at now, refusing a day the
// counter does not open (a holiday, a Sunday) and the hours after it
// closed.
func (q Queue) openDay(ctx context.Context, unitCode string, now time.Time) (string, error) {
	u, err := q.Cals.unitCal(ctx, unitCode)
	if err != nil {
		return "", err
	}
	cal, err := q.Cals.forUnit(ctx, u)
	if err != nil {
		return "", err
	}
	spans := cal.OpenSpans(now)
	if len(spans) == 0 {
		return "", apperr.Conflict("Hôm nay bộ phận một cửa không làm việc; mời quay lại vào ngày làm việc",
			"the counter is closed today; please come back on a working day")
	}
	// Before opening a ticket waits for the day; after closing it would
	// wait for nothing, since numbering starts again tomorrow.
	local := now.In(calendar.Zone)
	if local.Hour()*60+local.Minute() >= spans[len(spans)-1].End {
		return "", apperr.Conflict("Bộ phận một cửa đã hết giờ làm việc hôm nay; mời quay lại vào ngày làm việc tiếp theo",
			"the counter has closed for today; please come back on the next working day")
	}
	return queue.DayOf(now, calendar.Zone), nil
}

// TakeTicket issues the next number of the group on the unit's working
// day: A001, A002, ... restarting each day.
func (q Queue) TakeTicket(ctx context.Context, req TicketRequest) (queue.Ticket, error) {
	now := q.DB.Now()
	if err := queue.ValidPriority(req.PriorityReason); err != nil {
		return queue.Ticket{}, err
	}
	if err := req.Person.Validate(now); err != nil {
		return queue.Ticket{}, err
	}
	g, err := q.Group(ctx, req.Unit, strings.ToUpper(strings.TrimSpace(req.Group)))
	if err != nil {
		return queue.Ticket{}, err
	}
	day, err := q.openDay(ctx, req.Unit, now)
	if err != nil {
		return queue.Ticket{}, err
	}
	t := queue.Ticket{UnitCode: g.UnitCode, Day: day, Group: g.Code, Priority: req.PriorityReason != "", PriorityReason: req.PriorityReason,
		Status: queue.Waiting, Person: req.Person, CreatedAt: now, WaitingSince: now, RankAt: now}
	err = q.inQueue(ctx, g.UnitCode, func(tx *qtx) error { return issue(ctx, tx, &t) })
	return t, err
}

// issue numbers and inserts t (its unit, day, group, person and times set).
func issue(ctx context.Context, tx *qtx, t *queue.Ticket) error {
	if err := tx.queryRow(ctx, `INSERT INTO queue_counters (unit_code, group_code, day, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (unit_code, group_code, day) DO UPDATE SET last = queue_counters.last + 1 RETURNING last`,
		t.UnitCode, t.Group, t.Day).Scan(&t.Seq); err != nil {
		return err
	}
	t.Number, t.Token = queue.FormatNumber(t.Group, t.Seq), strings.ToLower(rand.Text())
	if err := tx.queryRow(ctx, `INSERT INTO queue_tickets (unit_code, day, group_code, seq, number, token, priority, priority_reason, appointment, due_at, rank_at,
		status, name, phone, id_number, created_at, waiting_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.UnitCode, t.Day, t.Group, t.Seq, t.Number, t.Token, boolInt(t.Priority), t.PriorityReason, t.Appointment, micros(t.DueAt), micros(t.RankAt),
		t.Status, t.Person.Name, t.Person.Phone, t.Person.IDNumber, micros(t.CreatedAt), micros(t.WaitingSince)).Scan(&t.ID); err != nil {
		return err
	}
	return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, Action: EvIssue, Detail: t.PriorityReason})
}

// TicketPlace is where a waiting ticket stands: how many are called before
// it and about how long that takes.
type TicketPlace struct {
	Ahead        int           `json:"ahead"`
	ExpectedWait time.Duration `json:"-"`
	WaitMinutes  int           `json:"expected_wait_minutes"`
	OpenDesks    int           `json:"open_desks"`
}

// Place says where t stands in its group's queue at now (zero when it is
// no longer waiting): the waiting tickets called before it (queue.Before),
// the group's average service time over the last week from the roll-up,
// and the desks open for the group.
func (q Queue) Place(ctx context.Context, t queue.Ticket) (TicketPlace, error) {
	var p TicketPlace
	if t.Status != queue.Waiting {
		return p, nil
	}
	now := q.DB.Now()
	rows, err := q.DB.query(ctx, `SELECT `+ticketCols+` FROM queue_tickets WHERE unit_code = ? AND day = ? AND status = ? AND group_code = ? AND id <> ?`,
		t.UnitCode, t.Day, queue.Waiting, t.Group, t.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanTicket(rows)
		if err != nil {
			return p, err
		}
		if queue.Before(o, t, now) {
			p.Ahead++
		}
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	avg, err := q.averageService(ctx, t.UnitCode, t.Group, now)
	if err != nil {
		return p, err
	}
	if err := q.DB.queryRow(ctx, `SELECT COUNT(*) FROM queue_desks WHERE unit_code = ? AND officer <> '' AND officer_day = ? AND (',' || group_codes || ',') LIKE ?`,
		t.UnitCode, t.Day, "%,"+t.Group+",%").Scan(&p.OpenDesks); err != nil {
		return p, err
	}
	p.ExpectedWait = queue.ExpectedWait(p.Ahead, avg, p.OpenDesks)
	p.WaitMinutes = int((p.ExpectedWait + time.Minute - 1) / time.Minute)
	return p, nil
}

// averageService is the group's mean service time over the last 7 days,
// from the roll-up; 0 when none was served.
func (q Queue) averageService(ctx context.Context, unit, group string, now time.Time) (time.Duration, error) {
	var n, sum int64
	from := queue.DayOf(now.AddDate(0, 0, -7), calendar.Zone)
	err := q.DB.queryRow(ctx, `SELECT COALESCE(SUM(served_n), 0), COALESCE(SUM(served_sum), 0) FROM queue_stats WHERE unit_code = ? AND group_code = ? AND day >= ?`,
		unit, group, from).Scan(&n, &sum)
	if err != nil || n == 0 {
		return 0, err
	}
	return time.Duration(sum/n) * time.Microsecond, nil
}

// deskWaitingQuery lists the tickets a desk may call, in the order it
// calls them: today's waiting tickets sent to the desk, or of a group it
// serves and sent to no desk, in the order of queue.Before. Its arguments:
// unit, day, desk id, the desk's groups joined by commas, now.
const deskWaitingQuery = `SELECT ` + ticketCols + ` FROM queue_tickets WHERE unit_code = ? AND day = ? AND status = 'waiting'
	AND (target_desk = ? OR (target_desk = 0 AND (',' || ? || ',') LIKE ('%,' || group_code || ',%')))
	ORDER BY priority DESC, CASE WHEN due_at > 0 AND due_at <= ? THEN 0 ELSE 1 END, rank_at, id`

// nextQuery picks the ticket a desk calls next.
const nextQuery = deskWaitingQuery + ` LIMIT 1`

// Call calls the next ticket to a desk for officer, who is signed in at it
// if nobody is. The ticket the desk was serving, if any, is marked served
// first. It answers the ticket called, or ok=false when nobody waits (the
// desk's ticket then stays as it is).
func (q Queue) Call(ctx context.Context, deskID int64, officer string) (t queue.Ticket, ok bool, err error) {
	d, err := q.Desk(ctx, deskID)
	if err != nil {
		return t, false, err
	}
	err = q.inQueue(ctx, d.UnitCode, func(tx *qtx) error {
		if d, err = tx.desk(ctx, deskID, officer); err != nil {
			return err
		}
		t, err = scanTicket(tx.queryRow(ctx, nextQuery, d.UnitCode, queue.DayOf(tx.now, calendar.Zone), d.ID, strings.Join(d.Groups, ","), micros(tx.now)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // nobody waits: the desk keeps its ticket
		}
		if err != nil {
			return err
		}
		if d.TicketID != 0 {
			if err := tx.finishCurrent(ctx, d); err != nil {
				return err
			}
		}
		ok = true
		return tx.call(ctx, &t, d)
	})
	return t, ok, err
}

// desk reads a desk in the write and makes sure officer works at it today,
// signing him in if nobody does.
func (tx *qtx) desk(ctx context.Context, id int64, officer string) (queue.Desk, error) {
	d, err := deskInTx(ctx, tx.Tx, id)
	if err != nil {
		return d, err
	}
	return d, signIn(ctx, tx.Tx, &d, officer, queue.DayOf(tx.now, calendar.Zone), false)
}

// call marks a waiting ticket called to the desk. The update is
// conditional on the ticket still waiting: with the unit's sequence held
// nobody else can have called it, and if that ever changes the call fails
// rather than calling one ticket twice.
func (tx *qtx) call(ctx context.Context, t *queue.Ticket, d queue.Desk) error {
	res, err := tx.exec(ctx, `UPDATE queue_tickets SET status = 'called', desk_id = ?, officer = ?, called_at = ?, calls = calls + 1, target_desk = 0
		WHERE id = ? AND status = 'waiting'`, d.ID, d.Officer, micros(tx.now), t.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return apperr.Conflict("Số này vừa được quầy khác gọi; hãy gọi lại", "the ticket was just called by another desk; call again")
	}
	if _, err := tx.exec(ctx, `UPDATE queue_desks SET ticket_id = ? WHERE id = ?`, t.ID, d.ID); err != nil {
		return err
	}
	wait := tx.now.Sub(t.WaitingSince)
	t.Status, t.DeskID, t.Officer, t.CalledAt, t.Calls, t.TargetDesk = queue.Called, d.ID, d.Officer, tx.now, t.Calls+1, 0
	return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, DeskID: d.ID, DeskNumber: d.Number, Officer: d.Officer,
		Action: EvCall, Wait: wait.Microseconds()})
}

// finishCurrent marks the ticket a desk is serving as served.
func (tx *qtx) finishCurrent(ctx context.Context, d queue.Desk) error {
	t, err := ticketWhere(ctx, tx.Tx, nil, `id = ?`, d.TicketID)
	if err != nil {
		return err
	}
	// A ticket left called on an earlier day is let go: counting it served
	// would put a night into the service times.
	if t.Status != queue.Called || t.DeskID != d.ID || t.Day != queue.DayOf(tx.now, calendar.Zone) {
		_, err := tx.exec(ctx, `UPDATE queue_desks SET ticket_id = 0 WHERE id = ?`, d.ID)
		return err
	}
	return tx.end(ctx, &t, d, queue.Served)
}

// end finishes a called ticket as served or skipped and frees its desk.
func (tx *qtx) end(ctx context.Context, t *queue.Ticket, d queue.Desk, status string) error {
	if _, err := tx.exec(ctx, `UPDATE queue_tickets SET status = ?, finished_at = ? WHERE id = ?`, status, micros(tx.now), t.ID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE queue_desks SET ticket_id = 0 WHERE id = ? AND ticket_id = ?`, d.ID, t.ID); err != nil {
		return err
	}
	e := QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, DeskID: d.ID, DeskNumber: d.Number, Officer: t.Officer, Action: EvSkip}
	if status == queue.Served {
		e.Action, e.Service = EvServe, tx.now.Sub(t.CalledAt).Microseconds()
	}
	t.Status, t.FinishedAt = status, tx.now
	return tx.event(ctx, e)
}

// Ticket actions at a desk.
const (
	ActRecall   = "recall"   // call the same number again
	ActSkip     = "skip"     // the person did not come (no-show)
	ActServe    = "serve"    // done
	ActTransfer = "transfer" // to another desk or group: waits again, keeping its place (a skipped ticket too)
	ActLink     = "link"     // the dossier opened from the ticket
)

// TicketActions lists the actions of POST /api/v1/tickets/{id}/actions/{action}.
var TicketActions = []string{ActRecall, ActSkip, ActServe, ActTransfer, ActLink}

// TicketAction is an action on a ticket and what it needs: transfer names
// a desk or a group, link the dossier's code.
type TicketAction struct {
	Action string `json:"-"`
	// Manager says the caller leads or administers the unit: he may end
	// or recall the ticket of a desk another officer holds.
	Manager bool   `json:"-"`
	DeskID  int64  `json:"desk_id,omitempty"`
	Group   string `json:"group,omitempty"`
	Dossier string `json:"dossier_code,omitempty"`
}

var errNotCalled = apperr.Conflict("Số này không đang được phục vụ tại quầy", "the ticket is not being served at a desk")

// Act takes an action on a ticket of officer's unit (the caller checks the
// unit); recall, skip and serve need the ticket called, transfer a ticket
// not yet served.
func (q Queue) Act(ctx context.Context, id int64, a TicketAction, officer string) (queue.Ticket, error) {
	return q.onTicket(ctx, id, func(tx *qtx, t *queue.Ticket) error {
		switch a.Action {
		case ActRecall, ActSkip, ActServe:
			return tx.atDesk(ctx, t, a, officer)
		case ActTransfer:
			return tx.transfer(ctx, t, a, officer)
		case ActLink:
			return tx.link(ctx, t, a.Dossier, officer)
		}
		return apperr.Invalid("action", "Thao tác phải là recall, skip, serve, transfer hoặc link", "action must be recall, skip, serve, transfer or link")
	})
}

// onTicket runs fn on a ticket read again inside a queue write of its unit,
// and answers the ticket as fn left it.
func (q Queue) onTicket(ctx context.Context, id int64, fn func(tx *qtx, t *queue.Ticket) error) (queue.Ticket, error) {
	t, err := q.Ticket(ctx, id)
	if err != nil {
		return t, err
	}
	err = q.inQueue(ctx, t.UnitCode, func(tx *qtx) error {
		if t, err = ticketWhere(ctx, tx.Tx, nil, `id = ?`, id); err != nil {
			return err
		}
		return fn(tx, &t)
	})
	return t, err
}

// atDesk recalls, skips or serves the ticket called at a desk: only the
// officer who holds the desk today, or a manager of the unit, may.
func (tx *qtx) atDesk(ctx context.Context, t *queue.Ticket, a TicketAction, officer string) error {
	if t.Status != queue.Called {
		return errNotCalled
	}
	d, err := deskInTx(ctx, tx.Tx, t.DeskID)
	if err != nil {
		return err
	}
	if held := d.HeldOn(queue.DayOf(tx.now, calendar.Zone)); !a.Manager && held != officer {
		return apperr.Forbidden(d.Name+" do cán bộ "+held+" phụ trách: chỉ cán bộ đó hoặc lãnh đạo, quản trị đơn vị thao tác được trên số đang gọi",
			d.Name+" is held by "+held+": only that officer or the unit's leader or administrator may act on its ticket")
	}
	switch a.Action {
	case ActSkip:
		return tx.end(ctx, t, d, queue.Skipped)
	case ActServe:
		return tx.end(ctx, t, d, queue.Served)
	}
	if _, err := tx.exec(ctx, `UPDATE queue_tickets SET calls = calls + 1 WHERE id = ?`, t.ID); err != nil {
		return err
	}
	t.Calls++
	return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, DeskID: d.ID, DeskNumber: d.Number, Officer: t.Officer, Action: EvRecall})
}

// transfer sends a ticket to another desk or group of its unit: it waits
// again from now, keeping its rank (its place among the walk-ins). A
// skipped ticket whose holder comes back late is sent back the same way.
func (tx *qtx) transfer(ctx context.Context, t *queue.Ticket, a TicketAction, officer string) error {
	if t.Status == queue.Served {
		return apperr.Conflict("Số này đã được phục vụ xong, không chuyển được", "the ticket was served and cannot be transferred")
	}
	group, target, detail := t.Group, int64(0), ""
	switch {
	case a.DeskID != 0 && a.Group == "":
		d, err := deskInTx(ctx, tx.Tx, a.DeskID)
		if err != nil || d.UnitCode != t.UnitCode {
			return apperr.Invalid("desk_id", "Không có quầy này ở đơn vị", "no such desk in the unit")
		}
		target, detail = d.ID, fmt.Sprintf("desk %d", d.Number)
	case a.Group != "" && a.DeskID == 0:
		var n int
		group = strings.ToUpper(strings.TrimSpace(a.Group))
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM queue_groups WHERE unit_code = ? AND code = ?`, t.UnitCode, group).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Invalid("group", "Đơn vị chưa có nhóm dịch vụ "+group, "the unit has no service group "+group)
		}
		detail = "group " + group
	default:
		return apperr.Invalid("desk_id", "Chuyển đến một quầy (desk_id) hoặc một nhóm dịch vụ (group), không cả hai", "transfer to a desk (desk_id) or a group (group), not both")
	}
	if t.Status == queue.Called {
		if _, err := tx.exec(ctx, `UPDATE queue_desks SET ticket_id = 0 WHERE id = ? AND ticket_id = ?`, t.DeskID, t.ID); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE queue_tickets SET status = 'waiting', group_code = ?, target_desk = ?, waiting_since = ? WHERE id = ?`,
		group, target, micros(tx.now), t.ID); err != nil {
		return err
	}
	from := t.DeskID
	t.Status, t.Group, t.TargetDesk, t.WaitingSince = queue.Waiting, group, target, tx.now
	return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: group, DeskID: from, Officer: officer, Action: EvTransfer, Detail: detail})
}

// link ties the dossier opened from the ticket to it; the dossier must be
// of the ticket's unit. The dossier's own hash-chained history carries the
// legal record from then on; the ticket's log names the dossier.
func (tx *qtx) link(ctx context.Context, t *queue.Ticket, code, officer string) error {
	var unit string
	err := tx.queryRow(ctx, `SELECT unit_code FROM dossiers WHERE code = ?`, strings.TrimSpace(code)).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && unit != t.UnitCode) {
		return apperr.Invalid("dossier_code", "Không có hồ sơ mã "+code+" ở đơn vị", "no dossier "+code+" in the unit")
	}
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE queue_tickets SET dossier_code = ? WHERE id = ?`, strings.TrimSpace(code), t.ID); err != nil {
		return err
	}
	t.DossierCode = strings.TrimSpace(code)
	return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, DeskID: t.DeskID, Officer: officer, Action: EvLink, Detail: t.DossierCode})
}

// DeskQueue is what a desk sees: the ticket it serves and the tickets it
// would call, in order.
type DeskQueue struct {
	Desk    queue.Desk     `json:"desk"`
	Current *queue.Ticket  `json:"current,omitempty"`
	Waiting []queue.Ticket `json:"waiting"`
	// ToRate is the ticket the desk served last today if it is not rated
	// yet: what the desk's rating tablet asks about.
	ToRate *queue.Ticket `json:"to_rate,omitempty"`
}

// maxDeskQueue bounds the waiting list shown to a desk.
const maxDeskQueue = 200

// ForDesk reads a desk's current ticket and its waiting list in call order.
func (q Queue) ForDesk(ctx context.Context, deskID int64) (DeskQueue, error) {
	d, err := q.Desk(ctx, deskID)
	if err != nil {
		return DeskQueue{}, err
	}
	out := DeskQueue{Desk: d, Waiting: []queue.Ticket{}}
	if d.TicketID != 0 {
		t, err := q.Ticket(ctx, d.TicketID)
		if err != nil {
			return out, err
		}
		out.Current = &t
	}
	now := q.DB.Now()
	day := queue.DayOf(now, calendar.Zone)
	last, err := ticketWhere(ctx, nil, q.DB, `id = (SELECT id FROM queue_tickets WHERE unit_code = ? AND day = ? AND status = 'served' AND desk_id = ?
		ORDER BY finished_at DESC, id DESC LIMIT 1)`, d.UnitCode, day, d.ID)
	switch {
	case err == nil && last.Rating == 0:
		out.ToRate = &last
	case err != nil && apperr.Code(err) != apperr.ENOTFOUND:
		return out, err
	}
	rows, err := q.DB.query(ctx, deskWaitingQuery+` LIMIT ?`,
		d.UnitCode, day, d.ID, strings.Join(d.Groups, ","), micros(now), maxDeskQueue)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return out, err
		}
		t.Token = ""
		out.Waiting = append(out.Waiting, t)
	}
	return out, rows.Err()
}

// WaitingByGroup counts today's waiting tickets of a unit by group.
func (q Queue) WaitingByGroup(ctx context.Context, unitCode string) (map[string]int, error) {
	rows, err := q.DB.query(ctx, `SELECT group_code, COUNT(*) FROM queue_tickets WHERE unit_code = ? AND day = ? AND status = 'waiting' GROUP BY group_code`,
		unitCode, queue.DayOf(q.DB.Now(), calendar.Zone))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var g string
		var n int
		if err := rows.Scan(&g, &n); err != nil {
			return nil, err
		}
		out[g] = n
	}
	return out, rows.Err()
}
