package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// DayChange is an administrator's change to the calendar.
type DayChange struct {
	Date   string // YYYY-MM-DD
	Kind   string // holiday or workday; empty with Unset
	Name   string
	Unset  bool // take the date back to what the shipped schedule says; or remove a shipped day
	Reason string
	By     auth.Actor
}

// Validate checks a change.
func (ch *DayChange) Validate() error {
	if _, err := time.Parse("2006-01-02", ch.Date); err != nil {
		return apperr.Invalid("date", "Ngày phải có dạng YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	if !ch.Unset && ch.Kind != calendar.Holiday && ch.Kind != calendar.Workday {
		return apperr.Invalid("kind", "Loại ngày phải là holiday (nghỉ) hoặc workday (làm việc)", "kind must be holiday or workday")
	}
	if !ch.Unset && strings.TrimSpace(ch.Name) == "" {
		return apperr.Invalid("name", "Cần ghi tên ngày (ví dụ: Nghỉ bù Quốc khánh)", "name the day (e.g. Quốc khánh substitute)")
	}
	if strings.TrimSpace(ch.Reason) == "" {
		return apperr.Invalid("reason", "Cần ghi lý do thay đổi (ví dụ: số văn bản thông báo)", "give the reason (e.g. the announcing document)")
	}
	return nil
}

// RecomputeResult says what a calendar change did to open dossiers, and
// to open petitions.
type RecomputeResult struct {
	Checked, Moved                   int
	PetitionsChecked, PetitionsMoved int
}

// ChangeDay records a change to one unit's calendar ("" = the national
// one, which only the operator changes) and moves the due time of every open
// dossier it affects, each with an event saying why: the dossiers of the
// unit and of the units below it that do not set that date themselves.
func (c *Calendars) ChangeDay(ctx context.Context, unitCode string, ch DayChange) (RecomputeResult, error) {
	if err := ch.Validate(); err != nil {
		return RecomputeResult{}, err
	}
	// The pages pass the caller's own unit; this stops any other caller too.
	if ch.By.UnitCode != "" && ch.By.UnitCode != unitCode {
		return RecomputeResult{}, apperr.Forbidden("Quản trị chỉ được thay đổi lịch của đơn vị mình",
			"an administrator changes only their own unit's calendar")
	}
	u, err := c.unitCal(ctx, unitCode)
	if err != nil {
		return RecomputeResult{}, err
	}
	// Hold the lock from reading the days to the end of the recompute, so
	// that a change on another server waits and then measures every due
	// time on the calendar this one leaves.
	holder := Holder()
	if err := c.DB.Lock(ctx, calendarLock, holder, calendarLockTTL, calendarLockWait); err != nil {
		return RecomputeResult{}, err
	}
	defer func() {
		unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = c.DB.Unlock(unlockCtx, calendarLock, holder) // if this fails, the lock runs out after its ttl
	}()
	before, err := c.DB.calendarOverrides(ctx, nil)
	if err != nil {
		return RecomputeResult{}, err
	}
	after, op := before.with(unitCode, ch)
	err = c.DB.inTx(ctx, func(tx *Tx) error {
		now := c.DB.Now().UnixMicro()
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE unit_code = ? AND date = ?`, unitCode, ch.Date); err != nil {
			return err
		}
		if d, ok := after[unitCode][ch.Date]; ok {
			if _, err := tx.exec(ctx, `INSERT INTO calendar_days (unit_code, date, kind, name, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
				unitCode, d.Date, d.Kind, d.Name, ch.By.Username, now); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO calendar_changes (unit_code, date, op, kind, name, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			unitCode, ch.Date, op, ch.Kind, ch.Name, ch.Reason, ch.By.Username, now)
		return err
	})
	if err != nil {
		return RecomputeResult{}, err
	}
	why := "thay đổi lịch ngày " + ch.Date + " (" + ch.Reason + ")"
	return c.recompute(ctx, u, ch.Date, before, after, why, holder)
}

// calendarLock serialises calendar changes across servers. Its ttl covers
// one batch of the recompute, which renews it; a server that dies holding
// it blocks calendar changes until the ttl runs out.
const (
	calendarLock     = "calendar-change"
	calendarLockTTL  = 2 * time.Minute
	calendarLockWait = time.Minute
)

// with returns the days as they are after the change to unitCode's level,
// and the change's name for the log. Unsetting a day the unit set itself
// takes it back to what it inherits; unsetting an inherited or shipped day
// removes it at the unit's level.
func (o overrides) with(unitCode string, ch DayChange) (overrides, string) {
	after := overrides{}
	for code, days := range o {
		after[code] = days
	}
	own := map[string]calendar.Day{}
	for date, d := range o[unitCode] {
		own[date] = d
	}
	after[unitCode] = own
	if !ch.Unset {
		own[ch.Date] = calendar.Day{Date: ch.Date, Kind: ch.Kind, Name: ch.Name, Unit: unitCode}
		return after, "set"
	}
	if _, ok := own[ch.Date]; ok {
		delete(own, ch.Date)
	} else {
		own[ch.Date] = calendar.Day{Date: ch.Date, Kind: dayRemoved, Unit: unitCode}
	}
	return after, "unset"
}

// setsBelow says whether a unit, or a unit between it and the changed one,
// sets date itself, so that the change does not reach its calendar.
func (o overrides) setsBelow(u calUnit, changed calUnit, date string) bool {
	chain := u.chain()
	for _, code := range chain[len(changed.chain()):] {
		if _, ok := o[code][date]; ok {
			return true
		}
	}
	return false
}

// recompute walks the open dossiers, then the open petitions, of the units
// that follow the changed unit's calendar, in batches, one transaction per
// batch, and moves the due times the change affects.
func (c *Calendars) recompute(ctx context.Context, changed calUnit, date string, before, after overrides, why, holder string) (RecomputeResult, error) {
	var res RecomputeResult
	cals := map[calUnit]calPair{}
	calsFor := func(u calUnit) (calPair, error) {
		if p, ok := cals[u]; ok {
			return p, nil
		}
		if before.setsBelow(u, changed, date) {
			cals[u] = calPair{}
			return cals[u], nil
		}
		o, err := c.build(u, before)
		if err != nil {
			return calPair{}, err
		}
		n, err := c.build(u, after)
		if err != nil {
			return calPair{}, err
		}
		cals[u] = calPair{o, n}
		return cals[u], nil
	}
	for _, b := range []struct {
		what  string
		batch recomputeBatchFunc
	}{{"dossier", c.recomputeBatch}, {"petition", c.recomputePetitionBatch}} {
		var lastID int64
		for {
			n, next, err := b.batch(ctx, changed, lastID, calsFor, why, &res)
			if err != nil {
				return res, err
			}
			if n == 0 {
				break
			}
			lastID = next
			if ok, err := c.DB.TryLock(ctx, calendarLock, holder, calendarLockTTL); err != nil || !ok {
				return res, errors.Join(err, fmt.Errorf("calendar change: the lock ran out during the recompute, after %s id %d", b.what, lastID))
			}
		}
	}
	return res, nil
}

// recomputeBatchFunc reads the next batch of open rows after the id given,
// of the changed unit and the units below it, and writes the ones whose due
// time moves; it returns how many it read and the last id.
type recomputeBatchFunc func(ctx context.Context, changed calUnit, after int64, calsFor func(calUnit) (calPair, error), why string,
	res *RecomputeResult) (n int, lastID int64, err error)

const recomputeBatchSize = 2000

// calPair is a unit's calendar before and after a change; empty for a unit
// the change does not reach.
type calPair struct{ old, new *calendar.WorkCalendar }

// recomputeBatch reads the next batch of open dossiers after the id given,
// of the changed unit and the units below it, and writes the ones whose due
// time moves. It returns how many it read and the last id.
func (c *Calendars) recomputeBatch(ctx context.Context, changed calUnit, after int64, calsFor func(calUnit) (calPair, error), why string, res *RecomputeResult) (n int, lastID int64, err error) {
	err = c.DB.inTx(ctx, func(tx *Tx) error {
		q := `SELECT ` + prefixCols("d.", dossierCols) + `, u.path, u.office_hours FROM dossiers d JOIN units u ON u.code = d.unit_code
			WHERE d.id > ? AND d.status IN (2, 4, 5, 6) AND d.due_at > 0`
		args := []any{after}
		if changed.path != "" {
			q += ` AND (u.path = ? OR u.path LIKE ?)` // paths are digits and '/': nothing to escape
			args = append(args, changed.path, changed.path+"/%")
		}
		rows, err := tx.query(ctx, q+` ORDER BY d.id LIMIT `+strconv.Itoa(recomputeBatchSize), args...)
		if err != nil {
			return err
		}
		type item struct {
			d     *dossier.Dossier
			chain chainState
			unit  calUnit
		}
		var items []item
		for rows.Next() {
			var it item
			d, chain, err := scanDossier(scanWithExtra{rows, []any{&it.unit.path, &it.unit.hours}})
			if err != nil {
				rows.Close()
				return err
			}
			it.d, it.chain, it.unit.code = d, chain, d.UnitCode
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := c.DB.Now()
		for _, it := range items {
			n++
			lastID = it.d.ID
			p, err := calsFor(calUnit{path: it.unit.path, hours: it.unit.hours})
			if err != nil {
				return err
			}
			if p.old == nil {
				continue // the unit sets the date itself
			}
			res.Checked++
			version := it.d.Version
			ch, ok := dossier.Recompute(it.d, p.old, p.new, now, why)
			if !ok {
				continue
			}
			if err := (Dossiers{c.DB}).write(ctx, tx, it.d, version, it.chain, ch); err != nil {
				return err
			}
			res.Moved++
		}
		return nil
	})
	return n, lastID, err
}

// scanWithExtra scans a dossier row followed by more columns.
type scanWithExtra struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (s scanWithExtra) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }

// CalendarChanges lists the changes to one unit's calendar ("" = national),
// newest first.
func (db *DB) CalendarChanges(ctx context.Context, unitCode string) ([]map[string]any, error) {
	rows, err := db.query(ctx, `SELECT date, op, kind, name, reason, changed_by, changed_at FROM calendar_changes WHERE unit_code = ? ORDER BY id DESC`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var date, op, kind, name, reason, by string
		var at int64
		if err := rows.Scan(&date, &op, &kind, &name, &reason, &by, &at); err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"date": date, "op": op, "kind": kind, "name": name, "reason": reason, "by": by, "at": fromMicros(at)})
	}
	return out, rows.Err()
}
