package evaluation

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/stats"
)

// Period is a month (2026-03) or a quarter (2026-Q1), in local days.
type Period struct {
	Key      string
	From, To time.Time // local midnights; To is the first instant after the period
}

var periodRE = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2]|Q[1-4])$`)

// ParsePeriod reads "2026-03" or "2026-Q1".
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, apperr.Invalid("period", "Kỳ đánh giá phải có dạng YYYY-MM (tháng) hoặc YYYY-Qn (quý), ví dụ 2026-03 hoặc 2026-Q1",
			"the period must be YYYY-MM (a month) or YYYY-Qn (a quarter), e.g. 2026-03 or 2026-Q1")
	}
	year, _ := strconv.Atoi(m[1])
	if m[2][0] == 'Q' {
		q := int(m[2][1] - '0')
		from := time.Date(year, time.Month(3*q-2), 1, 0, 0, 0, 0, stats.Zone)
		return Period{Key: s, From: from, To: from.AddDate(0, 3, 0)}, nil
	}
	month, _ := strconv.Atoi(m[2])
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, stats.Zone)
	return Period{Key: s, From: from, To: from.AddDate(0, 1, 0)}, nil
}

// Month is the month holding t.
func Month(t time.Time) Period {
	p, _ := ParsePeriod(t.In(stats.Zone).Format("2006-01"))
	return p
}

// Quarter is the quarter holding t.
func Quarter(t time.Time) Period {
	l := t.In(stats.Zone)
	p, _ := ParsePeriod(fmt.Sprintf("%d-Q%d", l.Year(), (int(l.Month())+2)/3))
	return p
}

// FirstDay and LastDay are the period's first and last local dates, as the
// roll-ups name days.
func (p Period) FirstDay() string { return stats.Day(p.From) }

// LastDay is the period's last local date.
func (p Period) LastDay() string { return stats.Day(p.To.Add(-time.Microsecond)) }

// Closed tells whether the period has ended by now.
func (p Period) Closed(now time.Time) bool { return !now.Before(p.To) }
