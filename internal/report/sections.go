// Package report builds the unit's reports from sections: the roll-up
// summary, the targets, and whatever later modules add (the service index,
// the evaluations) by appending a SectionFunc to Monthly.Sections. It
// renders through internal/doc and keeps the monthly report once per unit
// and month.
package report

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/target"
)

// SectionFunc builds a unit's sections of a report over a period of local
// days [from, to]: the extension point of the monthly report.
type SectionFunc func(ctx context.Context, unitCode string, from, to time.Time) ([]doc.Section, error)

// StatusName is the Vietnamese word of each target status.
var StatusName = map[string]string{
	target.Exceeded: "Vượt", target.Achieved: "Đạt", target.Missed: "Không đạt", target.InProgress: "Đang thực hiện",
}

// Num formats a number the Vietnamese way, with at most two decimals:
// "1.234,5".
func Num(v float64) string {
	v = math.Round(v*100) / 100
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("," + frac)
	}
	return b.String()
}

// Pct formats a rate in [0,1] as a percentage with one decimal, the
// Vietnamese way: "92,5 %".
func Pct(f float64) string {
	s := strconv.FormatFloat(math.Round(f*1000)/10, 'f', 1, 64)
	return strings.Replace(strings.TrimSuffix(s, ".0"), ".", ",", 1) + " %"
}

// Signed is Num with a sign in front of a gain: "+2,5", "-1", "0".
func Signed(v float64) string {
	if math.Round(v*100) > 0 {
		return "+" + Num(v)
	}
	return Num(v)
}

// Summary is "12/14 chỉ tiêu đạt (3 vượt)".
func Summary(s target.Summary) string {
	return fmt.Sprintf("%d/%d chỉ tiêu đạt (%d vượt, %d không đạt, %d đang thực hiện)", s.Met, s.Total, s.Exceeded, s.Missed, s.Running)
}

// TargetsSection is the table of a board: plan, actual, percentage, status.
func TargetsSection(b *target.Board) doc.Section {
	s := doc.Section{Title: fmt.Sprintf("Kết quả thực hiện chỉ tiêu năm %d", b.Year),
		Heads:  []string{"Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Đánh giá"},
		Widths: []float64{3.2, 1.1, 1, 1, 0.9, 1.1}, Note: Summary(b.Summary)}
	for _, p := range b.Targets {
		actual, pct := "", ""
		if p.Value != nil {
			actual = Num(*p.Value)
		}
		if p.Percent != nil {
			pct = Num(*p.Percent) + "%"
			if p.Kind == target.KindBudget {
				pct += " dự toán"
			}
		}
		name := p.Name
		if p.Source != "" {
			name += " (" + p.Source + ")"
		}
		s.Rows = append(s.Rows, []string{name, p.Measure, Num(p.Plan), actual, pct, StatusName[p.Status]})
	}
	return s
}

// Targets is the section of the unit's targets of the period's year, as
// they stood at the end of the period.
func Targets(st target.Store, sums target.Summaries) SectionFunc {
	return func(ctx context.Context, unitCode string, from, to time.Time) ([]doc.Section, error) {
		end := time.Date(to.Year(), to.Month(), to.Day(), 23, 59, 59, 0, stats.Zone)
		b, err := target.Load(ctx, st, sums, unitCode, to.Year(), end)
		if err != nil || len(b.Targets) == 0 {
			return nil, err
		}
		return []doc.Section{TargetsSection(b)}, nil
	}
}

// Rollups is the section of the dashboard's roll-up summary over the period:
// the counters and the three rates, as the dashboard shows them.
func Rollups(sums target.Summaries) SectionFunc {
	return func(ctx context.Context, unitCode string, from, to time.Time) ([]doc.Section, error) {
		q := stats.Query{UnitCode: unitCode, From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
		sum, err := sums.Summary(ctx, q)
		if err != nil {
			return nil, err
		}
		t := sum.Totals
		rows := [][]string{
			{"Hồ sơ tiếp nhận", Num(float64(t[stats.Received]))},
			{"Trong đó trực tuyến", Num(float64(sum.Online))},
			{"Từ chối tiếp nhận", Num(float64(t[stats.Refused]))},
			{"Giải quyết trước hạn", Num(float64(t[stats.FinishedEarly]))},
			{"Giải quyết đúng hạn", Num(float64(t[stats.FinishedOnTime]))},
			{"Giải quyết quá hạn", Num(float64(t[stats.FinishedLate]))},
			{"Đã trả kết quả", Num(float64(t[stats.Returned]))},
			{"Tỷ lệ hồ sơ trực tuyến", Num(sum.OnlineRate*100) + "%"},
			{"Tỷ lệ giải quyết đúng hạn", Num(sum.OnTimeRate*100) + "%"},
			{"Tỷ lệ hài lòng", Num(sum.Satisfaction*100) + "%"},
		}
		return []doc.Section{{Title: "Tình hình tiếp nhận, giải quyết hồ sơ", Heads: []string{"Nội dung", "Số liệu"},
			Widths: []float64{3, 1}, Rows: rows}}, nil
	}
}
