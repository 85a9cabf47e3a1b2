package evaluation

import (
	"math"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Entry is a leader's score of one criterion for a unit (Officer "") or an
// officer and a period, with the reason. Entries are kept, never changed:
// the latest for a criterion counts, the earlier ones are its history.
type Entry struct {
	ID        int64     `json:"id,omitempty"`
	UnitCode  string    `json:"unit"`
	Officer   string    `json:"officer"`
	Period    string    `json:"period"`
	Criterion string    `json:"criterion"`
	Points    float64   `json:"points"`
	Reason    string    `json:"reason"`
	EnteredBy string    `json:"entered_by,omitempty"`
	EnteredAt time.Time `json:"entered_at,omitzero"`
}

// Validate checks and cleans an entry before it is stored.
func (e *Entry) Validate() error {
	if _, err := ParsePeriod(e.Period); err != nil {
		return err
	}
	if _, ok := ByID(e.Criterion); !ok {
		return apperr.Invalid("criterion", "Tiêu chí không hợp lệ; dùng một trong: "+ids(),
			"unknown criterion; use one of: "+ids())
	}
	if math.IsNaN(e.Points) || e.Points < 0 || e.Points > MaxPoints || math.Round(e.Points*100) != e.Points*100 {
		return apperr.Invalid("points", "Điểm phải từ 0 đến 2, tối đa hai chữ số thập phân",
			"points must be between 0 and 2, with at most two decimals")
	}
	e.Reason = vntext.Clean(e.Reason)
	if e.Reason == "" {
		return apperr.Invalid("reason", "Cần ghi rõ lý do chấm điểm", "say why these points are given")
	}
	if len(e.Reason) > 2000 {
		return apperr.Invalid("reason", "Lý do quá dài (tối đa 2000 ký tự)", "the reason is too long (2000 characters at most)")
	}
	e.UnitCode = strings.TrimSpace(e.UnitCode)
	e.Officer = strings.ToLower(strings.TrimSpace(e.Officer))
	return nil
}

func ids() string {
	var s []string
	for _, c := range Criteria {
		s = append(s, c.ID)
	}
	return strings.Join(s, ", ")
}

// Latest keeps each criterion's latest entry (entries come oldest first).
func Latest(entries []Entry) map[string]Entry {
	out := map[string]Entry{}
	for _, e := range entries {
		out[e.Criterion] = e
	}
	return out
}
