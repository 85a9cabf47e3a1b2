package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// KindMonthly names the monthly report among the kept reports.
const KindMonthly = "monthly"

// Store keeps the reports (the store's DB).
type Store interface {
	ActiveUnits(ctx context.Context, from, to string) ([]string, error)
	HasReport(ctx context.Context, unitCode, month, kind string) (bool, error)
	SaveReport(ctx context.Context, unitCode, month, kind string, pdf []byte) (bool, error)
}

// Calendars gives a unit's working-time calendar.
type Calendars interface {
	For(ctx context.Context, unitCode string) (dossier.Calendar, error)
}

// Monthly writes, on the first working day of a month on each unit's
// calendar (or on the first run after it), the report of the month before
// for every unit with dossiers in it, once.
type Monthly struct {
	Store     Store
	Calendars Calendars
	Office    func(ctx context.Context, unitCode string) doc.Office
	Sections  []SectionFunc // in print order; later modules append theirs
	Now       func() time.Time
}

// FirstWorkingDay is the local date of the first working day of a month on
// cal: the day the office first opens from the 1st at midnight.
func FirstWorkingDay(cal dossier.Calendar, year int, month time.Month) time.Time {
	t := cal.NextOpening(time.Date(year, month, 1, 0, 0, 0, 0, stats.Zone)).In(stats.Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, stats.Zone)
}

// Run writes the reports due now and returns how many it wrote. A unit
// whose report fails does not stop the others; the errors come back joined.
func (m *Monthly) Run(ctx context.Context) (int, error) {
	now := m.Now().In(stats.Zone)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, stats.Zone)
	from, to := first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)
	month := from.Format("2006-01")
	units, err := m.Store.ActiveUnits(ctx, from.Format("2006-01-02"), to.Format("2006-01-02"))
	if err != nil {
		return 0, err
	}
	written := 0
	var errs []error
	for _, u := range units {
		ok, err := m.due(ctx, u, month, now)
		if err == nil && ok {
			ok, err = m.write(ctx, u, month, from, to, now)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("report %s %s: %w", u, month, err))
		} else if ok {
			written++
		}
	}
	return written, errors.Join(errs...)
}

// due tells whether a unit's report of month is still to write today.
func (m *Monthly) due(ctx context.Context, unitCode, month string, now time.Time) (bool, error) {
	has, err := m.Store.HasReport(ctx, unitCode, month, KindMonthly)
	if err != nil || has {
		return false, err
	}
	cal, err := m.Calendars.For(ctx, unitCode)
	if err != nil {
		return false, err
	}
	return !now.Before(FirstWorkingDay(cal, now.Year(), now.Month())), nil
}

func (m *Monthly) write(ctx context.Context, unitCode, month string, from, to, now time.Time) (bool, error) {
	r := doc.Report{Office: m.Office(ctx, unitCode), Title: "Báo cáo tháng " + from.Format("01/2006"),
		Subtitle: fmt.Sprintf("Từ ngày %s đến ngày %s", from.Format("02/01/2006"), to.Format("02/01/2006")), Now: now}
	for _, f := range m.Sections {
		ss, err := f(ctx, unitCode, from, to)
		if err != nil {
			return false, err
		}
		r.Sections = append(r.Sections, ss...)
	}
	var buf bytes.Buffer
	if err := doc.ReportPDF(&buf, r); err != nil {
		return false, err
	}
	return m.Store.SaveReport(ctx, unitCode, month, KindMonthly, buf.Bytes())
}
