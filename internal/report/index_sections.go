package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/index"
)

// Indexes scores units' service index over a period (the store's DB).
type Indexes interface {
	Index(ctx context.Context, units []string, from, to string) (map[string]index.Result, error)
}

// Index is the section of the unit's service index over the period: each
// group's points, and the total scaled to 100 under the table.
func Index(ix Indexes) SectionFunc {
	return func(ctx context.Context, unitCode string, from, to time.Time) ([]doc.Section, error) {
		res, err := ix.Index(ctx, []string{unitCode}, from.Format("2006-01-02"), to.Format("2006-01-02"))
		if err != nil {
			return nil, err
		}
		return []doc.Section{IndexGroups(res[unitCode])}, nil
	}
}

// IndexGroups is the table of an index's groups: each group's points and
// the maximum of its indicators with data, the total scaled to 100 under it.
func IndexGroups(r index.Result) doc.Section {
	s := doc.Section{Title: "Chỉ số phục vụ người dân, doanh nghiệp", Heads: []string{"Nhóm chỉ số", "Điểm", "Điểm tối đa có dữ liệu"},
		Widths: []float64{3, 1, 1.4}, Note: "Tổng điểm: " + Num(r.Total) + "/100"}
	for _, g := range r.Groups {
		s.Rows = append(s.Rows, []string{g.ID + ". " + g.NameVI, Num(g.Points), Num(g.MaxWithData)})
	}
	return s
}

// IndexSections are a unit's index as its page shows it: the groups, then
// every indicator with its counts, rate, threshold, points and points lost.
// An indicator without data says so and is left out of the total.
func IndexSections(r index.Result) []doc.Section {
	groups := IndexGroups(r)
	groups.Note += fmt.Sprintf(" (đạt %s trên %s điểm tối đa của các chỉ tiêu có số liệu; bộ chỉ số %s)", Num(r.Points), Num(r.MaxWithData), r.Version)
	ind := doc.Section{Title: "Các chỉ tiêu", Heads: []string{"Chỉ tiêu", "Tử số/Mẫu số", "Tỷ lệ", "Ngưỡng", "Điểm", "Điểm bị mất"},
		Widths: []float64{3.4, 1.1, 0.9, 0.8, 0.9, 0.8}}
	for _, sc := range r.Indicators {
		name := sc.ID + ". " + sc.NameVI
		if sc.Source == index.Entered {
			name += " (nhập tay)"
		}
		if sc.NoData {
			ind.Rows = append(ind.Rows, []string{name, "Chưa có số liệu", "", "", "–/" + Num(sc.Max), ""})
			continue
		}
		threshold := "–"
		if sc.Threshold > 0 {
			threshold = Pct(sc.Threshold)
		}
		ind.Rows = append(ind.Rows, []string{name, Num(float64(sc.Numerator)) + "/" + Num(float64(sc.Denominator)), Pct(sc.Rate), threshold,
			Num(sc.Points) + "/" + Num(sc.Max), Num(sc.Lost)})
	}
	return []doc.Section{groups, ind}
}

// RankingSection is the ranking of the units under one: rank, total, the
// previous period's total and the change, and each group's points.
func RankingSection(rows []doc.RankRow) doc.Section {
	s := doc.Section{Title: "Xếp hạng các đơn vị", Heads: []string{"Hạng", "Đơn vị", "Tổng điểm", "Kỳ trước", "Thay đổi"},
		Widths: []float64{0.6, 2.2, 1, 1, 1}, Align: "RL"}
	if len(rows) > 0 {
		for _, g := range rows[0].Groups {
			s.Heads = append(s.Heads, g.NameVI)
			s.Widths = append(s.Widths, 1.2)
		}
	}
	for _, x := range rows {
		row := []string{strconv.Itoa(x.Rank), x.Name, Num(x.Total), Num(x.PreviousTotal), Signed(x.Change)}
		for _, g := range x.Groups {
			row = append(row, Num(g.Points)+"/"+Num(g.MaxWithData))
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

// Evaluator evaluates a unit for a period (the evaluation service).
type Evaluator interface {
	Unit(ctx context.Context, unitCode string, p evaluation.Period) (*evaluation.Report, error)
}

// Evaluation is the section of the unit's evaluation of the period's month:
// its total out of 18 and its grade.
func Evaluation(ev Evaluator) SectionFunc {
	return func(ctx context.Context, unitCode string, from, _ time.Time) ([]doc.Section, error) {
		rep, err := ev.Unit(ctx, unitCode, evaluation.Month(from))
		if err != nil {
			return nil, err
		}
		grade := rep.Unit.Grade
		if grade == "" {
			grade = "Chưa đủ dữ liệu để xếp loại"
		}
		return []doc.Section{{Title: "Đánh giá đơn vị", Heads: []string{"Nội dung", "Kết quả"}, Widths: []float64{3, 1.4},
			Rows: [][]string{{"Tổng điểm (thang 18)", Num(rep.Unit.Total)}, {"Xếp loại", grade}}}}, nil
	}
}
