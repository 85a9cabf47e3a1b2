package web

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// rankTrend is the ranking page's chart: each unit's total over the twelve
// months ending with the month of the period's end.
type rankTrend struct {
	Labels []string    `json:"labels"`
	Units  []trendUnit `json:"units"`
}

type trendUnit struct {
	Name   string    `json:"name"`
	Totals []float64 `json:"totals"`
}

// trendMonths is how many months the ranking's chart covers.
const trendMonths = 12

// rankingTrend scores the ranked units month by month; rows give the
// units and their order (the chart's legend follows the ranking).
func (s *Server) rankingTrend(ctx context.Context, to string, rows []rankRow) (rankTrend, error) {
	tr := rankTrend{Labels: []string{}, Units: make([]trendUnit, len(rows))}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.UnitCode
		tr.Units[i] = trendUnit{Name: r.Name, Totals: []float64{}}
	}
	end, err := time.ParseInLocation("2006-01-02", to, stats.Zone)
	if err != nil {
		return tr, err
	}
	last := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, stats.Zone)
	first := last.AddDate(0, 1-trendMonths, 0)
	byMonth, err := s.DB.IndexMonths(ctx, codes, first.Format("2006-01"), last.Format("2006-01"))
	if err != nil {
		return tr, err
	}
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		tr.Labels = append(tr.Labels, m.Format("01/2006"))
		res := byMonth[m.Format("2006-01")]
		for i, c := range codes {
			tr.Units[i].Totals = append(tr.Units[i].Totals, res[c].Total)
		}
	}
	return tr, nil
}
