package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/vntext"
)

var (
	errAppointmentNotFound = apperr.NotFound("Không tìm thấy lịch hẹn", "appointment not found")
	errAppointmentUsed     = apperr.Conflict("Lịch hẹn này đã được dùng hoặc đã huỷ", "this appointment was already used or cancelled")
)

// groupFor finds the service group that books a procedure: the unit's if
// a unit is named, else the only unit's that covers it.
func (q Queue) groupFor(ctx context.Context, unitCode, procedure string) (queue.Group, error) {
	rows, err := q.DB.query(ctx, `SELECT `+groupCols+` FROM queue_groups WHERE (unit_code = ? OR ? = '') AND (',' || procedures || ',') LIKE ? ORDER BY unit_code, position, code`,
		unitCode, unitCode, "%,"+procedure+",%")
	if err != nil {
		return queue.Group{}, err
	}
	defer rows.Close()
	var found []queue.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return g, err
		}
		if len(found) == 0 || found[0].UnitCode != g.UnitCode {
			found = append(found, g)
		}
	}
	if err := rows.Err(); err != nil {
		return queue.Group{}, err
	}
	switch {
	case len(found) == 0:
		return queue.Group{}, apperr.NotFound("Thủ tục này chưa nhận đặt lịch hẹn tại đơn vị", "no appointments are taken for this procedure here")
	case len(found) > 1:
		return queue.Group{}, apperr.Invalid("unit", "Nhiều đơn vị nhận đặt lịch cho thủ tục này: hãy chọn đơn vị (unit)", "several units take appointments for this procedure: name the unit")
	}
	return found[0], nil
}

// SlotsRequest asks for a day's appointment slots of a procedure.
type SlotsRequest struct {
	Unit      string    // optional when one unit covers the procedure
	Procedure string    // procedure code
	Date      time.Time // any instant of the local day
}

// Slots lists the appointment slots of a procedure on a day: the unit's
// open spans of that day cut to the group's slot length (none on a
// holiday or a day off), each with its places (per desk × desks serving
// the group) and those held; slots whose grace time is over are left out,
// and Book refuses them.
func (q Queue) Slots(ctx context.Context, req SlotsRequest) (queue.Group, []queue.Slot, error) {
	g, err := q.groupFor(ctx, req.Unit, req.Procedure)
	if err != nil {
		return g, nil, err
	}
	slots, err := q.slotsOf(ctx, g, req.Date)
	return g, slots, err
}

func (q Queue) slotsOf(ctx context.Context, g queue.Group, date time.Time) ([]queue.Slot, error) {
	u, err := q.Cals.unitCal(ctx, g.UnitCode)
	if err != nil {
		return nil, err
	}
	cal, err := q.Cals.forUnit(ctx, u)
	if err != nil {
		return nil, err
	}
	desks, err := q.desksServing(ctx, g)
	if err != nil {
		return nil, err
	}
	now := q.DB.Now()
	all := queue.CutSlots(date, cal.OpenSpans(date), g.SlotMin)
	if len(all) == 0 {
		return []queue.Slot{}, nil
	}
	held, err := q.held(ctx, g, all[0].Start, all[len(all)-1].End, now)
	if err != nil {
		return nil, err
	}
	out := []queue.Slot{}
	grace := time.Duration(g.GraceMin) * time.Minute
	for _, s := range all {
		if !now.Before(s.Start.Add(grace)) {
			continue // booked now, it would be a no-show at once
		}
		s.Capacity, s.Booked = g.PerDesk*desks, held[s.Start.UnixMicro()]
		out = append(out, s)
	}
	return out, nil
}

func (q Queue) desksServing(ctx context.Context, g queue.Group) (int, error) {
	var n int
	err := q.DB.queryRow(ctx, `SELECT COUNT(*) FROM queue_desks WHERE unit_code = ? AND (',' || group_codes || ',') LIKE ?`,
		g.UnitCode, "%,"+g.Code+",%").Scan(&n)
	return n, err
}

// held counts the places held in [from, to) by slot start (queue.Holds).
func (q Queue) held(ctx context.Context, g queue.Group, from, to, now time.Time) (map[int64]int, error) {
	rows, err := q.DB.query(ctx, `SELECT slot_at, status FROM queue_appointments WHERE unit_code = ? AND group_code = ? AND slot_at >= ? AND slot_at < ?`,
		g.UnitCode, g.Code, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	grace := time.Duration(g.GraceMin) * time.Minute
	for rows.Next() {
		var at int64
		var status string
		if err := rows.Scan(&at, &status); err != nil {
			return nil, err
		}
		if queue.Holds(status, fromMicros(at), grace, now) {
			out[at]++
		}
	}
	return out, rows.Err()
}

// BookRequest books an appointment: the procedure, the slot's start, who
// comes (name and phone required, to reach him), and the unit when more
// than one takes the procedure.
type BookRequest struct {
	Unit      string       `json:"unit,omitempty"`
	Procedure string       `json:"procedure"`
	Slot      time.Time    `json:"slot"`
	Person    queue.Person `json:"person"`
}

// Book takes a place in a slot and answers the appointment with its code.
// The places are counted again in the write, under the unit's queue
// sequence, so two citizens never take the last place both.
func (q Queue) Book(ctx context.Context, req BookRequest) (queue.Appointment, error) {
	now := q.DB.Now()
	if err := req.Person.Validate(now); err != nil {
		return queue.Appointment{}, err
	}
	if req.Person.Name == "" || req.Person.Phone == "" {
		return queue.Appointment{}, apperr.Invalid("person", "Cần họ tên và số điện thoại của người đến hẹn", "the name and phone of who comes are required")
	}
	g, err := q.groupFor(ctx, req.Unit, req.Procedure)
	if err != nil {
		return queue.Appointment{}, err
	}
	a := queue.Appointment{UnitCode: g.UnitCode, Group: g.Code, Procedure: req.Procedure, SlotAt: req.Slot.UTC(), Status: queue.Booked,
		Person: req.Person, CreatedAt: now}
	err = q.inQueue(ctx, g.UnitCode, func(tx *qtx) error {
		slots, err := q.slotsOf(ctx, g, req.Slot)
		if err != nil {
			return err
		}
		if err := slotOpen(slots, a.SlotAt); err != nil {
			return err
		}
		if err := q.phoneFree(ctx, a); err != nil {
			return err
		}
		a.Code = rand.Text()[:8]
		return tx.queryRow(ctx, `INSERT INTO queue_appointments (code, unit_code, group_code, procedure_code, slot_at, status, name, phone, id_number, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Code, a.UnitCode, a.Group, a.Procedure, micros(a.SlotAt), a.Status,
			a.Person.Name, a.Person.Phone, a.Person.IDNumber, micros(now)).Scan(&a.ID)
	})
	return a, err
}

// maxBookingsPerPhone bounds the bookings one phone holds on one day at a
// unit (booked or checked in; a no-show still counts), so that nobody can
// take a day's slots from many addresses.
const maxBookingsPerPhone = 2

// phoneFree checks that the booking's phone holds fewer than
// maxBookingsPerPhone bookings on the slot's day at the unit.
func (q Queue) phoneFree(ctx context.Context, a queue.Appointment) error {
	y, m, d := a.SlotAt.In(calendar.Zone).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, calendar.Zone)
	var n int
	if err := q.DB.queryRow(ctx, `SELECT COUNT(*) FROM queue_appointments WHERE unit_code = ? AND phone = ? AND slot_at >= ? AND slot_at < ? AND status <> ?`,
		a.UnitCode, a.Person.Phone, micros(from), micros(from.AddDate(0, 0, 1)), queue.Cancelled).Scan(&n); err != nil {
		return err
	}
	if n >= maxBookingsPerPhone {
		return apperr.Conflict("Số điện thoại này đã có 2 lịch hẹn trong ngày tại đơn vị; hãy huỷ bớt trước khi đặt thêm",
			"this phone already holds 2 appointments that day at the unit; cancel one before booking another")
	}
	return nil
}

// slotOpen checks that at starts one of slots and that it has a place.
func slotOpen(slots []queue.Slot, at time.Time) error {
	for _, s := range slots {
		if s.Start.Equal(at) {
			if s.Free() == 0 {
				return apperr.Conflict("Khung giờ này đã hết chỗ; mời chọn khung khác", "this slot is full; please choose another")
			}
			return nil
		}
	}
	return apperr.Invalid("slot", "Không có khung hẹn bắt đầu lúc này (ngoài giờ làm việc, ngày nghỉ hoặc đã qua)",
		"no slot starts at this time (outside office hours, a day off, or past)")
}

const appointmentCols = `id, code, unit_code, group_code, procedure_code, slot_at, status, name, phone, id_number, ticket_id, created_at`

func scanAppointment(sc interface{ Scan(...any) error }) (queue.Appointment, error) {
	var a queue.Appointment
	var slot, created int64
	err := sc.Scan(&a.ID, &a.Code, &a.UnitCode, &a.Group, &a.Procedure, &slot, &a.Status, &a.Person.Name, &a.Person.Phone, &a.Person.IDNumber, &a.TicketID, &created)
	a.SlotAt, a.CreatedAt = fromMicros(slot), fromMicros(created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, errAppointmentNotFound
	}
	return a, normalize(err)
}

// Appointment reads an appointment by its code.
func (q Queue) Appointment(ctx context.Context, code string) (queue.Appointment, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || len(code) > 16 {
		return queue.Appointment{}, errAppointmentNotFound
	}
	return scanAppointment(q.DB.queryRow(ctx, `SELECT `+appointmentCols+` FROM queue_appointments WHERE code = ?`, code))
}

// CheckIn turns a booked appointment into a ticket of its group when the
// citizen arrives on its day, at the latest by the slot's start plus the
// grace time; the ticket ranks from the slot's start and is called then,
// ahead of the walk-ins (queue.Before).
func (q Queue) CheckIn(ctx context.Context, code string) (queue.Ticket, error) {
	a, err := q.Appointment(ctx, code)
	if err != nil {
		return queue.Ticket{}, err
	}
	g, err := q.Group(ctx, a.UnitCode, a.Group)
	if err != nil {
		return queue.Ticket{}, err
	}
	now := q.DB.Now()
	day, err := q.openDay(ctx, a.UnitCode, now)
	if err != nil {
		return queue.Ticket{}, err
	}
	switch {
	case a.Status != queue.Booked:
		return queue.Ticket{}, errAppointmentUsed
	case queue.DayOf(a.SlotAt, calendar.Zone) != day:
		return queue.Ticket{}, apperr.Conflict("Lịch hẹn không phải hôm nay", "the appointment is not for today")
	case !queue.Holds(a.Status, a.SlotAt, time.Duration(g.GraceMin)*time.Minute, now):
		return queue.Ticket{}, apperr.Conflict("Đã quá giờ hẹn; mời lấy số thứ tự thường", "the appointment's time has passed; please take an ordinary ticket")
	}
	t := queue.Ticket{UnitCode: a.UnitCode, Day: day, Group: a.Group, Appointment: a.Code, DueAt: a.SlotAt, RankAt: a.SlotAt, Status: queue.Waiting,
		Person: a.Person, CreatedAt: now, WaitingSince: now}
	err = q.inQueue(ctx, a.UnitCode, func(tx *qtx) error {
		res, err := tx.exec(ctx, `UPDATE queue_appointments SET status = ? WHERE id = ? AND status = ?`, queue.CheckedIn, a.ID, queue.Booked)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errAppointmentUsed
		}
		if err := issue(ctx, tx, &t); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE queue_appointments SET ticket_id = ? WHERE id = ?`, t.ID, a.ID)
		return err
	})
	return t, err
}

// CancelAppointment cancels a booking not yet checked in, freeing its
// place; the phone given at booking is the proof. A wrong phone is "not
// found", as a wrong code is.
func (q Queue) CancelAppointment(ctx context.Context, code, phone string) (queue.Appointment, error) {
	a, err := q.Appointment(ctx, code)
	if err != nil {
		return a, err
	}
	if p, perr := vntext.NormalizePhone(phone); perr != nil || p != a.Person.Phone {
		return queue.Appointment{}, errAppointmentNotFound
	}
	if a.Status != queue.Booked {
		return a, errAppointmentUsed
	}
	err = q.inQueue(ctx, a.UnitCode, func(tx *qtx) error {
		res, err := tx.exec(ctx, `UPDATE queue_appointments SET status = ? WHERE id = ? AND status = ?`, queue.Cancelled, a.ID, queue.Booked)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errAppointmentUsed
		}
		return nil
	})
	a.Status = queue.Cancelled
	return a, err
}
