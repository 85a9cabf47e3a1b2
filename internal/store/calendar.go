package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// Calendars builds each unit's working-time calendar: the shipped schedules,
// then the days set for the whole country, then those each unit above it set
// (from the province down), then its own, each level overriding the ones
// before; and the unit's office hours. A built calendar is kept until the
// change log moves, which every server checks, so a change made on one
// server is seen by all.
type Calendars struct {
	DB *DB

	mu      sync.Mutex
	version int64
	byChain map[string]*calendar.WorkCalendar // by the unit's path and office hours
}

// calUnit is what a unit's calendar is built from; the zero value is the
// national calendar.
type calUnit struct {
	code, path, hours string
}

// chain lists the codes whose days a unit's calendar lays over the shipped
// schedules, in order: national (”), then each unit of its path from the
// root, the unit itself last.
func (u calUnit) chain() []string {
	if u.path == "" {
		return []string{""}
	}
	return append([]string{""}, strings.Split(u.path, "/")...)
}

// unitCal reads what a unit's calendar is built from; "" is national.
func (c *Calendars) unitCal(ctx context.Context, unitCode string) (calUnit, error) {
	u := calUnit{code: unitCode}
	if unitCode == "" {
		return u, nil
	}
	err := c.DB.queryRow(ctx, `SELECT path, office_hours FROM units WHERE code = ?`, unitCode).Scan(&u.path, &u.hours)
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.NotFound("Không tìm thấy đơn vị "+unitCode, "unit "+unitCode+" not found")
	}
	return u, normalize(err) // a busy or broken database is not a missing unit
}

// For satisfies dossier.Calendars: the unit's calendar ("" = national, on
// the default office hours).
func (c *Calendars) For(ctx context.Context, unitCode string) (dossier.Calendar, error) {
	u, err := c.unitCal(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	return c.forUnit(ctx, u)
}

func (c *Calendars) forUnit(ctx context.Context, u calUnit) (*calendar.WorkCalendar, error) {
	v, err := c.changeVersion(ctx)
	if err != nil {
		return nil, err
	}
	key := u.path + "\x00" + u.hours
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version || c.byChain == nil {
		c.version, c.byChain = v, map[string]*calendar.WorkCalendar{}
	}
	if cal, ok := c.byChain[key]; ok {
		return cal, nil
	}
	over, err := c.DB.calendarOverrides(ctx, u.chain())
	if err != nil {
		return nil, err
	}
	cal, err := c.build(u, over)
	if err != nil {
		return nil, err
	}
	c.byChain[key] = cal
	return cal, nil
}

func (c *Calendars) changeVersion(ctx context.Context) (int64, error) {
	var v int64
	err := c.DB.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM calendar_changes`).Scan(&v)
	return v, err
}

// build makes a unit's calendar from the days set at each level of its
// chain (over may hold other units' days too; they are not used).
func (c *Calendars) build(u calUnit, over overrides) (*calendar.WorkCalendar, error) {
	h, err := officeHoursOf(u.hours)
	if err != nil {
		return nil, err
	}
	from, to := c.calendarYears()
	var base []calendar.Day
	for y := from; y <= to; y++ {
		base = append(base, calendar.Year(y)...)
	}
	return calendar.New(h, over.layer(base, u.chain()))
}

// calendarYears is the span of years a calendar covers: deadlines are at most
// a year long, and old dossiers are judged by the years they ran in.
func (c *Calendars) calendarYears() (int, int) {
	y := c.DB.Now().In(calendar.Zone).Year()
	return y - 6, y + 3
}

// overrides are the days administrators set, by unit code (” = national)
// and date.
type overrides map[string]map[string]calendar.Day

// layer lays the days of each unit of chain over base, in the chain's order,
// so that a lower level overrides a higher one.
func (o overrides) layer(base []calendar.Day, chain []string) []calendar.Day {
	for _, code := range chain {
		if len(o[code]) > 0 {
			base = applyOverrides(base, o[code])
		}
	}
	return base
}

// applyOverrides lays one level's days over the ones below; an override of
// kind "removed" takes an inherited or shipped day away.
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

// calendarOverrides reads the days set by the units listed (” =
// national); with no units, every unit's.
func (db *DB) calendarOverrides(ctx context.Context, units []string) (overrides, error) {
	q, args := `SELECT unit_code, date, kind, name FROM calendar_days`, []any{}
	if len(units) > 0 {
		q += ` WHERE unit_code IN (?` + strings.Repeat(", ?", len(units)-1) + `)`
		for _, u := range units {
			args = append(args, u)
		}
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := overrides{}
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Unit, &d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		if out[d.Unit] == nil {
			out[d.Unit] = map[string]calendar.Day{}
		}
		out[d.Unit][d.Date] = d
	}
	return out, rows.Err()
}

// NationalSource names the operator's days, set for the whole country.
const NationalSource = "quản trị toàn quốc"

// Year lists the non-working days (and worked weekend days) of a year as a
// unit's calendar ("" = national) applies them now, each with where it comes
// from: the shipped schedule's document, or the administrator who set it.
func (c *Calendars) Year(ctx context.Context, unitCode string, year int) ([]calendar.Day, error) {
	if year < 1900 || year > 2100 {
		return nil, apperr.Invalid("year", "Năm phải từ 1900 đến 2100", "year must be between 1900 and 2100")
	}
	u, err := c.unitCal(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	over, err := c.DB.calendarOverrides(ctx, u.chain())
	if err != nil {
		return nil, err
	}
	if err := c.DB.nameSources(ctx, over); err != nil {
		return nil, err
	}
	all := over.layer(calendar.Year(year), u.chain())
	out := []calendar.Day{}
	for _, d := range all {
		if strings.HasPrefix(d.Date, itoa4(year)+"-") {
			out = append(out, d)
		}
	}
	return out, nil
}

// nameSources sets the Source of each administrator's day: "quản trị" and
// the unit's full name, or the national label.
func (db *DB) nameSources(ctx context.Context, over overrides) error {
	for code, days := range over {
		src := NationalSource
		if code != "" {
			var name string
			if err := db.queryRow(ctx, `SELECT full_name FROM units WHERE code = ?`, code).Scan(&name); err != nil {
				return normalize(err)
			}
			src = "quản trị " + name
		}
		for date, d := range days {
			d.Source = src
			days[date] = d
		}
	}
	return nil
}

// RemovedDays lists the dates of a year that a unit removed from what it
// inherits, so that its administrator can take the removal back.
func (db *DB) RemovedDays(ctx context.Context, unitCode string, year int) ([]string, error) {
	y := itoa4(year)
	rows, err := db.query(ctx, `SELECT date FROM calendar_days WHERE unit_code = ? AND kind = ? AND date >= ? AND date <= ? ORDER BY date`,
		unitCode, dayRemoved, y+"-01-01", y+"-12-31")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func itoa4(y int) string { return fmt.Sprintf("%04d", y) }

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
