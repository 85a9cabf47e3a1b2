package target

import (
	"math"
	"slices"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// Statuses of a target.
const (
	Exceeded   = "exceeded"    // vượt: better than the plan
	Achieved   = "achieved"    // đạt: exactly the plan
	Missed     = "missed"      // không đạt: the year closed worse than the plan, or with no actual
	InProgress = "in_progress" // đang thực hiện: the year runs and the plan is not reached yet
)

// Progress is a target with its actuals and where it stands.
type Progress struct {
	Target
	Actuals []Actual `json:"actuals"`
	Value   *float64 `json:"actual"`  // the year's value so far; nil without data
	Percent *float64 `json:"percent"` // value ÷ plan × 100, when the plan is above 0
	Status  string   `json:"status"`
}

// Met tells whether the target counts in "N/M đạt".
func (p Progress) Met() bool { return p.Status == Achieved || p.Status == Exceeded }

// Value is the year's value from the entered actuals: their sum, or the
// latest period's. ok is false when nothing was entered.
func Value(t Target, actuals []Actual) (v float64, ok bool) {
	if len(actuals) == 0 {
		return 0, false
	}
	if t.Aggregate == AggSum {
		for _, a := range actuals {
			v += a.Value
		}
		return v, true
	}
	// Periods of one kind sort as text: "2026-03" < "2026-11", "2026-Q1" < "2026-Q4".
	last := slices.MaxFunc(actuals, func(a, b Actual) int { return compareText(a.Period, b.Period) })
	return last.Value, true
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// YearClosed tells whether the target's year has ended at now (Hà Nội time).
func YearClosed(year int, now time.Time) bool { return now.In(stats.Zone).Year() > year }

// Evaluate says where a target stands. The rule:
//   - compared with the plan in the target's direction, a value better than
//     the plan is exceeded, equal to it (to a billionth) achieved, worse missed;
//   - while the year runs, a target not yet achieved or exceeded is in
//     progress, never missed, and so is one without data; a lower-is-better
//     target whose actuals add up (sum) is in progress until the year closes,
//     since the rest of the year can only add to it;
//   - once the year has closed, a target without data is missed.
func Evaluate(t Target, value float64, has bool, closed bool) string {
	if !has {
		if closed {
			return Missed
		}
		return InProgress
	}
	diff := value - t.Plan
	if t.Direction == Lower {
		diff = -diff
	}
	st := Missed
	switch {
	case math.Abs(diff) <= 1e-9*math.Max(1, math.Abs(t.Plan)):
		st = Achieved
	case diff > 0:
		st = Exceeded
	}
	if closed {
		return st
	}
	if st == Missed || (t.Direction == Lower && t.Aggregate == AggSum) {
		return InProgress
	}
	return st
}

// Measure builds a target's progress from its actuals (or, for a computed
// kind, the value the roll-ups give: computed is ignored otherwise).
func Measure(t Target, actuals []Actual, computed *float64, now time.Time) Progress {
	p := Progress{Target: t, Actuals: actuals}
	if p.Actuals == nil {
		p.Actuals = []Actual{}
	}
	v, ok := Value(t, actuals)
	if Computed(t.Kind) {
		ok = computed != nil
		if ok {
			v = *computed
		}
	}
	if ok {
		p.Value = &v
		if t.Plan > 0 {
			pct := v * 100 / t.Plan
			p.Percent = &pct
		}
	}
	p.Status = Evaluate(t, v, ok, YearClosed(t.Year, now))
	return p
}

// Summary is "N/M chỉ tiêu đạt": met counts achieved and exceeded.
type Summary struct {
	Met      int `json:"met"`
	Total    int `json:"total"`
	Exceeded int `json:"exceeded"`
	Missed   int `json:"missed"`
	Running  int `json:"in_progress"`
}

// Summarize counts the targets by status.
func Summarize(ps []Progress) Summary {
	s := Summary{Total: len(ps)}
	for _, p := range ps {
		switch p.Status {
		case Exceeded:
			s.Exceeded++
			s.Met++
		case Achieved:
			s.Met++
		case Missed:
			s.Missed++
		default:
			s.Running++
		}
	}
	return s
}

// FromSummary is a computed kind's value, as a percentage, from a roll-up
// summary of the year so far; nil when its denominator is empty (no data is
// not zero).
func FromSummary(kind string, s *stats.Summary) *float64 {
	t := s.Totals
	var num, den int64
	switch kind {
	case KindOnlineRate:
		num, den = s.Online, t[stats.Received]
	case KindOnTimeRate:
		num, den = t[stats.FinishedEarly]+t[stats.FinishedOnTime], t[stats.FinishedEarly]+t[stats.FinishedOnTime]+t[stats.FinishedLate]
	case KindSatisfaction:
		num, den = t[stats.RatedVery]+t[stats.RatedOK], t[stats.RatedVery]+t[stats.RatedOK]+t[stats.RatedBad]
	default:
		return nil
	}
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den) * 100
	return &v
}

// YearSoFar is the roll-up query a unit's computed target reads: its
// subtree from the 1st of January to today, or to the 31st of December of a
// closed year.
func YearSoFar(unitCode string, year int, now time.Time) stats.Query {
	to := time.Date(year, 12, 31, 0, 0, 0, 0, stats.Zone)
	if today := now.In(stats.Zone); today.Before(to) {
		to = today
	}
	return stats.Query{UnitCode: unitCode, From: time.Date(year, 1, 1, 0, 0, 0, 0, stats.Zone).Format("2006-01-02"), To: to.Format("2006-01-02")}
}
