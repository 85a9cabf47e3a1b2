package report

import (
	"context"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/petition"
)

// PetitionCounts reads a unit's petition numbers over days (the store's DB).
type PetitionCounts interface {
	PetitionSummary(ctx context.Context, unitCode, from, to string) (petition.Summary, error)
}

// Petitions is the section of the unit's petitions over the period, from
// their roll-ups: received, settled, on time, late, senders not satisfied,
// complaints about dossiers.
func Petitions(pc PetitionCounts) SectionFunc {
	return func(ctx context.Context, unitCode string, from, to time.Time) ([]doc.Section, error) {
		s, err := pc.PetitionSummary(ctx, unitCode, from.Format("2006-01-02"), to.Format("2006-01-02"))
		if err != nil {
			return nil, err
		}
		n := func(v int64) string { return strconv.FormatInt(v, 10) }
		return []doc.Section{{Title: "Phản ánh, kiến nghị", Heads: []string{"Chỉ tiêu", "Số lượng"}, Widths: []float64{3, 1},
			Rows: [][]string{
				{"Tiếp nhận", n(s.Received)}, {"Đã giải quyết (trả lời, từ chối, gộp)", n(s.Settled)}, {"Đúng hạn", n(s.OnTime)},
				{"Quá hạn", n(s.Late)}, {"Người gửi không hài lòng", n(s.Dissatisfied)}, {"Phản ánh về hồ sơ", n(s.DossierComplaints)},
			}}}, nil
	}
}
