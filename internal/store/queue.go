package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
)

// Queue is the counter queue's store (internal/queue): a unit's service
// groups and desks, tickets, appointments, the board's events, ratings and
// the roll-up of waiting and service times. Cals gives each unit's
// calendar: tickets are numbered and appointments offered on its open days.
//
// Every write runs in one transaction that first takes the unit's event
// sequence (inQueue): on PostgreSQL that row lock orders the unit's queue
// writes, so two servers never call the same ticket and the board's events
// commit in the order of their numbers; SQLite has one writer anyway.
type Queue struct {
	DB   *DB
	Cals *Calendars
}

var (
	errGroupNotFound  = apperr.NotFound("Không tìm thấy nhóm dịch vụ", "service group not found")
	errDeskNotFound   = apperr.NotFound("Không tìm thấy quầy", "desk not found")
	errTicketNotFound = apperr.NotFound("Không tìm thấy số thứ tự", "ticket not found")
)

const groupCols = `id, unit_code, code, name, procedures, slot_minutes, slot_capacity, grace_minutes, position`

func scanGroup(sc interface{ Scan(...any) error }) (queue.Group, error) {
	var g queue.Group
	var procs string
	err := sc.Scan(&g.ID, &g.UnitCode, &g.Code, &g.Name, &procs, &g.SlotMin, &g.PerDesk, &g.GraceMin, &g.Position)
	g.Procedures = splitList(procs)
	return g, err
}

// splitList reads a comma-separated column ("" = none).
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Groups lists a unit's service groups in the kiosk's order.
func (q Queue) Groups(ctx context.Context, unitCode string) ([]queue.Group, error) {
	rows, err := q.DB.query(ctx, `SELECT `+groupCols+` FROM queue_groups WHERE unit_code = ? ORDER BY position, code`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []queue.Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Group reads one of a unit's groups by its letter.
func (q Queue) Group(ctx context.Context, unitCode, code string) (queue.Group, error) {
	g, err := scanGroup(q.DB.queryRow(ctx, `SELECT `+groupCols+` FROM queue_groups WHERE unit_code = ? AND code = ?`, unitCode, code))
	if errors.Is(err, sql.ErrNoRows) {
		return g, errGroupNotFound
	}
	return g, normalize(err)
}

// SaveGroup adds a group to its unit, or replaces the unit's group of the
// same letter. Its procedures must exist.
func (q Queue) SaveGroup(ctx context.Context, g queue.Group) (queue.Group, error) {
	if err := g.Validate(); err != nil {
		return g, err
	}
	if _, err := q.DB.Unit(ctx, g.UnitCode); err != nil {
		return g, err
	}
	for _, p := range g.Procedures {
		var n int
		if err := q.DB.queryRow(ctx, `SELECT COUNT(*) FROM procedures WHERE code = ?`, p).Scan(&n); err != nil {
			return g, err
		}
		if n == 0 {
			return g, apperr.Invalid("procedures", "Không có thủ tục mã "+p, "no procedure has the code "+p)
		}
	}
	err := q.DB.inTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO queue_groups (unit_code, code, name, procedures, slot_minutes, slot_capacity, grace_minutes, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (unit_code, code) DO UPDATE SET name = excluded.name, procedures = excluded.procedures, slot_minutes = excluded.slot_minutes,
			slot_capacity = excluded.slot_capacity, grace_minutes = excluded.grace_minutes, position = excluded.position RETURNING id`,
			g.UnitCode, g.Code, g.Name, strings.Join(g.Procedures, ","), g.SlotMin, g.PerDesk, g.GraceMin, g.Position).Scan(&g.ID)
	})
	return g, normalize(err)
}

const deskCols = `id, unit_code, number, name, group_codes, officer, officer_day, ticket_id`

func scanDesk(sc interface{ Scan(...any) error }) (queue.Desk, error) {
	var d queue.Desk
	var groups string
	err := sc.Scan(&d.ID, &d.UnitCode, &d.Number, &d.Name, &groups, &d.Officer, &d.OfficerDay, &d.TicketID)
	d.Groups = splitList(groups)
	return d, err
}

// Desks lists a unit's desks by number.
func (q Queue) Desks(ctx context.Context, unitCode string) ([]queue.Desk, error) {
	rows, err := q.DB.query(ctx, `SELECT `+deskCols+` FROM queue_desks WHERE unit_code = ? ORDER BY number`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []queue.Desk{}
	for rows.Next() {
		d, err := scanDesk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Desk reads one desk.
func (q Queue) Desk(ctx context.Context, id int64) (queue.Desk, error) {
	d, err := scanDesk(q.DB.queryRow(ctx, `SELECT `+deskCols+` FROM queue_desks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errDeskNotFound
	}
	return d, normalize(err)
}

func deskInTx(ctx context.Context, tx *Tx, id int64) (queue.Desk, error) {
	d, err := scanDesk(tx.queryRow(ctx, `SELECT `+deskCols+` FROM queue_desks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errDeskNotFound
	}
	return d, normalize(err)
}

// SaveDesk adds a desk (ID 0) or changes one of the same unit; the groups
// it serves must be the unit's.
func (q Queue) SaveDesk(ctx context.Context, d queue.Desk) (queue.Desk, error) {
	if err := d.Validate(); err != nil {
		return d, err
	}
	groups, err := q.Groups(ctx, d.UnitCode)
	if err != nil {
		return d, err
	}
	for _, code := range d.Groups {
		if !hasGroup(groups, code) {
			return d, apperr.Invalid("groups", "Đơn vị chưa có nhóm dịch vụ "+code, "the unit has no service group "+code)
		}
	}
	err = q.inQueue(ctx, d.UnitCode, func(qt *qtx) error { // serialised with the unit's sign-ins and calls
		tx := qt.Tx
		if d.ID == 0 {
			return tx.queryRow(ctx, `INSERT INTO queue_desks (unit_code, number, name, group_codes) VALUES (?, ?, ?, ?) RETURNING id`,
				d.UnitCode, d.Number, d.Name, strings.Join(d.Groups, ",")).Scan(&d.ID)
		}
		old, err := deskInTx(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		if old.UnitCode != d.UnitCode {
			return errDeskNotFound
		}
		d.Officer, d.OfficerDay, d.TicketID = old.Officer, old.OfficerDay, old.TicketID
		_, err = tx.exec(ctx, `UPDATE queue_desks SET number = ?, name = ?, group_codes = ? WHERE id = ?`, d.Number, d.Name, strings.Join(d.Groups, ","), d.ID)
		return err
	})
	return d, normalize(err)
}

func hasGroup(groups []queue.Group, code string) bool {
	for _, g := range groups {
		if g.Code == code {
			return true
		}
	}
	return false
}

// OpenDesk signs officer in at a desk for today (every desk action then
// names him); "" signs the desk's officer out. A desk held today by another
// officer is refused: he signs out first.
func (q Queue) OpenDesk(ctx context.Context, id int64, officer string) (queue.Desk, error) {
	d, err := q.Desk(ctx, id)
	if err != nil {
		return d, err
	}
	// In the unit's queue write, as calls are: on PostgreSQL two officers
	// opening one desk at once are then taken one after the other, and
	// the second finds the desk held.
	err = q.inQueue(ctx, d.UnitCode, func(tx *qtx) (err error) {
		if d, err = deskInTx(ctx, tx.Tx, id); err != nil {
			return err
		}
		return signIn(ctx, tx.Tx, &d, officer, queue.DayOf(tx.now, calendar.Zone), officer == "")
	})
	return d, err
}

// signIn puts officer at the desk for day, refusing a desk another officer
// holds that day unless force (signing out).
func signIn(ctx context.Context, tx *Tx, d *queue.Desk, officer, day string, force bool) error {
	held := d.HeldOn(day)
	if held == officer && officer != "" {
		return nil
	}
	if !force && held != "" {
		return errDeskHeld(*d)
	}
	d.Officer, d.OfficerDay = officer, day
	_, err := tx.exec(ctx, `UPDATE queue_desks SET officer = ?, officer_day = ? WHERE id = ?`, officer, day, d.ID)
	return err
}

func errDeskHeld(d queue.Desk) error {
	return apperr.Conflict(d.Name+" đang do cán bộ "+d.Officer+" phụ trách; cán bộ đó cần rời quầy trước",
		d.Name+" is held by "+d.Officer+", who must leave it first")
}
