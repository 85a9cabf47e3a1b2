package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// Calendars builds each unit's working-time calendar from the shipped
// schedules, the administrator's changes and the unit's office hours. A
// built calendar is kept until the change log moves, which every server
// checks, so a change made on one server is seen by all.
type Calendars struct {
	DB *DB

	mu      sync.Mutex
	version int64
	byHours map[string]*calendar.WorkCalendar
}

// For satisfies dossier.Calendars.
func (c *Calendars) For(ctx context.Context, unitCode string) (dossier.Calendar, error) {
	var hours string
	if unitCode != "" {
		err := c.DB.queryRow(ctx, `SELECT office_hours FROM units WHERE code = ?`, unitCode).Scan(&hours)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, apperr.NotFound("Không tìm thấy đơn vị "+unitCode, "unit "+unitCode+" not found")
		}
		if err != nil {
			return nil, normalize(err) // a busy or broken database is not a missing unit
		}
	}
	return c.forHours(ctx, hours)
}

func (c *Calendars) forHours(ctx context.Context, hours string) (*calendar.WorkCalendar, error) {
	v, err := c.changeVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version || c.byHours == nil {
		c.version, c.byHours = v, map[string]*calendar.WorkCalendar{}
	}
	if cal, ok := c.byHours[hours]; ok {
		return cal, nil
	}
	cal, err := c.build(ctx, hours, nil)
	if err != nil {
		return nil, err
	}
	c.byHours[hours] = cal
	return cal, nil
}

func (c *Calendars) changeVersion(ctx context.Context) (int64, error) {
	var v int64
	err := c.DB.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM calendar_changes`).Scan(&v)
	return v, err
}

// build makes a calendar; extra, when given, replaces the stored changes
// (to compute the calendar as it will be after a change).
func (c *Calendars) build(ctx context.Context, hours string, extra map[string]calendar.Day) (*calendar.WorkCalendar, error) {
	h, err := officeHoursOf(hours)
	if err != nil {
		return nil, err
	}
	changes := extra
	if changes == nil {
		var err error
		if changes, err = c.DB.calendarOverrides(ctx); err != nil {
			return nil, err
		}
	}
	return calendar.New(h, c.days(changes))
}

// calendarYears is the span of years a calendar covers: deadlines are at most
// a year long, and old dossiers are judged by the years they ran in.
func (c *Calendars) calendarYears() (int, int) {
	y := c.DB.Now().In(calendar.Zone).Year()
	return y - 6, y + 3
}

func (c *Calendars) days(overrides map[string]calendar.Day) []calendar.Day {
	from, to := c.calendarYears()
	var base []calendar.Day
	for y := from; y <= to; y++ {
		base = append(base, calendar.Year(y)...)
	}
	return applyOverrides(base, overrides)
}

// applyOverrides lays the administrator's days over the shipped ones; an
// override of kind "removed" takes a shipped day away.
func applyOverrides(base []calendar.Day, overrides map[string]calendar.Day) []calendar.Day {
	var set []calendar.Day
	var removed []string
	for date, d := range overrides {
		if d.Kind == dayRemoved {
			removed = append(removed, date)
		} else {
			set = append(set, d)
		}
	}
	return calendar.Merge(base, set, removed)
}

const dayRemoved = "removed"

func (db *DB) calendarOverrides(ctx context.Context) (map[string]calendar.Day, error) {
	rows, err := db.query(ctx, `SELECT date, kind, name FROM calendar_days`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]calendar.Day{}
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		d.Source = "quản trị"
		out[d.Date] = d
	}
	return out, rows.Err()
}

// Year lists the non-working days (and worked weekend days) of a year as the
// calendar applies them now.
func (c *Calendars) Year(ctx context.Context, year int) ([]calendar.Day, error) {
	if year < 1900 || year > 2100 {
		return nil, apperr.Invalid("year", "Năm phải từ 1900 đến 2100", "year must be between 1900 and 2100")
	}
	over, err := c.DB.calendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	all := applyOverrides(calendar.Year(year), over)
	out := []calendar.Day{}
	for _, d := range all {
		if strings.HasPrefix(d.Date, itoa4(year)+"-") {
			out = append(out, d)
		}
	}
	return out, nil
}

func itoa4(y int) string { return fmt.Sprintf("%04d", y) }

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

// RecomputeResult says what a calendar change did to open dossiers.
type RecomputeResult struct {
	Checked, Moved int
}

// ChangeDay records an administrator's change and moves the due time of
// every open dossier it affects, each with an event saying why.
func (c *Calendars) ChangeDay(ctx context.Context, ch DayChange) (RecomputeResult, error) {
	if err := ch.Validate(); err != nil {
		return RecomputeResult{}, err
	}
	before, err := c.DB.calendarOverrides(ctx)
	if err != nil {
		return RecomputeResult{}, err
	}
	after := map[string]calendar.Day{}
	for k, v := range before {
		after[k] = v
	}
	op := "set"
	if ch.Unset {
		op = "unset"
		if _, ok := after[ch.Date]; ok {
			delete(after, ch.Date)
		} else {
			after[ch.Date] = calendar.Day{Date: ch.Date, Kind: dayRemoved}
		}
	} else {
		after[ch.Date] = calendar.Day{Date: ch.Date, Kind: ch.Kind, Name: ch.Name}
	}
	err = c.DB.inTx(ctx, func(tx *Tx) error {
		now := c.DB.Now().UnixMicro()
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE date = ?`, ch.Date); err != nil {
			return err
		}
		if d, ok := after[ch.Date]; ok {
			if _, err := tx.exec(ctx, `INSERT INTO calendar_days (date, kind, name, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)`, d.Date, d.Kind, d.Name, ch.By.Username, now); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO calendar_changes (date, op, kind, name, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ch.Date, op, ch.Kind, ch.Name, ch.Reason, ch.By.Username, now)
		return err
	})
	if err != nil {
		return RecomputeResult{}, err
	}
	why := "thay đổi lịch ngày " + ch.Date + " (" + ch.Reason + ")"
	return c.recompute(ctx, before, after, why)
}

// recompute walks the open dossiers in batches, one transaction per batch,
// and moves the due times the change affects.
func (c *Calendars) recompute(ctx context.Context, before, after map[string]calendar.Day, why string) (RecomputeResult, error) {
	var res RecomputeResult
	cals := map[string]calPair{}
	calsFor := func(hours string) (calPair, error) {
		if p, ok := cals[hours]; ok {
			return p, nil
		}
		o, err := c.build(ctx, hours, before)
		if err != nil {
			return calPair{}, err
		}
		n, err := c.build(ctx, hours, after)
		if err != nil {
			return calPair{}, err
		}
		cals[hours] = calPair{o, n}
		return cals[hours], nil
	}
	var lastID int64
	for {
		n, moved, next, err := c.recomputeBatch(ctx, lastID, calsFor, why)
		if err != nil {
			return res, err
		}
		res.Checked += n
		res.Moved += moved
		if n == 0 {
			return res, nil
		}
		lastID = next
	}
}

const recomputeBatchSize = 2000

// calPair is a unit's calendar before and after a change.
type calPair struct{ old, new *calendar.WorkCalendar }

func (c *Calendars) recomputeBatch(ctx context.Context, after int64, calsFor func(string) (calPair, error), why string) (n, moved int, lastID int64, err error) {
	err = c.DB.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+prefixCols("d.", dossierCols)+`, u.office_hours FROM dossiers d JOIN units u ON u.code = d.unit_code
			WHERE d.id > ? AND d.status IN (2, 4, 5, 6) AND d.due_at > 0 ORDER BY d.id LIMIT `+strconv.Itoa(recomputeBatchSize), after)
		if err != nil {
			return err
		}
		type item struct {
			d     *dossier.Dossier
			chain chainState
			hours string
		}
		var items []item
		for rows.Next() {
			var it item
			var hours string
			d, chain, err := scanDossier(scanWithExtra{rows, &hours})
			if err != nil {
				rows.Close()
				return err
			}
			it.d, it.chain, it.hours = d, chain, hours
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
			p, err := calsFor(it.hours)
			if err != nil {
				return err
			}
			version := it.d.Version
			ch, ok := dossier.Recompute(it.d, p.old, p.new, now, why)
			if !ok {
				continue
			}
			if err := (Dossiers{c.DB}).write(ctx, tx, it.d, version, it.chain, ch); err != nil {
				return err
			}
			moved++
		}
		return nil
	})
	return n, moved, lastID, err
}

// scanWithExtra scans a dossier row followed by more columns.
type scanWithExtra struct {
	sc    interface{ Scan(...any) error }
	extra *string
}

func (s scanWithExtra) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra)...) }

// CalendarChanges lists the calendar change log, newest first.
func (db *DB) CalendarChanges(ctx context.Context) ([]map[string]any, error) {
	rows, err := db.query(ctx, `SELECT date, op, kind, name, reason, changed_by, changed_at FROM calendar_changes ORDER BY id DESC`)
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

// SetOfficeHours sets a unit's office hours. Dossiers received from now on
// are counted on them; open dossiers keep the due times they were given.
func (db *DB) SetOfficeHours(ctx context.Context, unitCode string, h calendar.OfficeHours) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if _, err := db.Unit(ctx, unitCode); err != nil {
		return err
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE units SET office_hours = ? WHERE code = ?`, string(b), unitCode)
		return err
	})
}

// OfficeHours returns a unit's office hours.
func (db *DB) OfficeHours(ctx context.Context, unitCode string) (calendar.OfficeHours, error) {
	var s string
	if err := db.queryRow(ctx, `SELECT office_hours FROM units WHERE code = ?`, unitCode).Scan(&s); err != nil {
		_, err = db.Unit(ctx, unitCode)
		return calendar.OfficeHours{}, err
	}
	return officeHoursOf(s)
}

// officeHoursOf reads a unit's office_hours column: empty is the default
// hours.
func officeHoursOf(s string) (calendar.OfficeHours, error) {
	h := calendar.DefaultOfficeHours()
	if s == "" {
		return h, nil
	}
	err := json.Unmarshal([]byte(s), &h)
	return h, err
}
