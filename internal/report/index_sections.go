package report

import (
	"context"
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
		r := res[unitCode]
		s := doc.Section{Title: "Chỉ số phục vụ người dân, doanh nghiệp", Heads: []string{"Nhóm chỉ số", "Điểm", "Điểm tối đa có dữ liệu"},
			Widths: []float64{3, 1, 1.4}, Note: "Tổng điểm: " + Num(r.Total) + "/100"}
		for _, g := range r.Groups {
			s.Rows = append(s.Rows, []string{g.ID + ". " + g.NameVI, Num(g.Points), Num(g.MaxWithData)})
		}
		return []doc.Section{s}, nil
	}
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
