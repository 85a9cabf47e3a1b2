package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/report"
)

// Dates are shown as dd/mm/yyyy and times as HH:mm in Asia/Ho_Chi_Minh in
// both languages: they are the forms printed on official papers.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(calendar.Zone).Format("02/01/2006")
}

func fmtDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(calendar.Zone).Format("15:04 02/01/2006")
}

// isoDate is the value of a date input.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("2006-01-02")
}

// group writes n with a thousands separator.
func group(n int64, sep string) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// num formats an integer with the language's separators: 1.234 in
// Vietnamese, 1,234 in English.
func (c *catalog) num(n int64) string {
	if c.lang == langEN {
		return group(n, ",")
	}
	return group(n, ".")
}

// money formats an amount in đồng: "150.000 đ", or "150,000 VND".
func (c *catalog) money(n int64) string {
	if n == 0 {
		return c.T("fee.free")
	}
	if c.lang == langEN {
		return group(n, ",") + " VND"
	}
	return group(n, ".") + " đ"
}

// pct formats a rate in [0,1] with one decimal: "92,5 %" (as the printed
// reports write it) or "92.5%".
func (c *catalog) pct(f float64) string {
	if c.lang == langEN {
		return strings.TrimSuffix(strconv.FormatFloat(math.Round(f*1000)/10, 'f', 1, 64), ".0") + "%"
	}
	return report.Pct(f)
}

// points formats a score with at most two decimals: "72,5" (as the printed
// reports write it) or "72.5".
func (c *catalog) points(f float64) string {
	if c.lang == langEN {
		return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	}
	return report.Num(f)
}

// signed is points with the sign of a change: "+2,5", "-1".
func (c *catalog) signed(f float64) string {
	if c.lang != langEN {
		return report.Signed(f)
	}
	if math.Round(f*100) > 0 {
		return "+" + c.points(f)
	}
	return c.points(f)
}

// days formats a number of working days: "0,5" or "0.5".
func (c *catalog) days(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if c.lang == langVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// limit says a procedure's time limit in words.
func (c *catalog) limit(l procedure.TimeLimit) string {
	if l.Kind == procedure.LimitSameDay {
		h := l.CutoffHour
		if h == 0 {
			h = 15
		}
		return c.T("limit.same_day", h)
	}
	return c.T("limit.days", c.days(l.Days))
}

// size formats a file's size: "850 KB", "1,2 MB" (one decimal, in the
// language's separator).
func (c *catalog) size(n int64) string {
	if n < 1<<20 {
		return c.num(max(1, (n+1023)>>10)) + " KB"
	}
	s := strconv.FormatFloat(math.Round(float64(n)/(1<<20)*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if c.lang == langVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " MB"
}
