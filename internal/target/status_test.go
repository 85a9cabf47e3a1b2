package target

import (
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/stats"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, stats.Zone) }

// TestEvaluate holds the status rule: better than the plan is exceeded,
// equal achieved, worse missed once the year closed and in progress before.
func TestEvaluate(t *testing.T) {
	higher := Target{Plan: 100, Direction: Higher, Aggregate: AggLast}
	lowerSum := Target{Plan: 10, Direction: Lower, Aggregate: AggSum}
	lowerLast := Target{Plan: 10, Direction: Lower, Aggregate: AggLast}
	cases := []struct {
		name   string
		t      Target
		value  float64
		has    bool
		closed bool
		want   string
	}{
		{"higher above plan, year running", higher, 115, true, false, Exceeded},
		{"higher equal plan, year running", higher, 100, true, false, Achieved},
		{"higher below plan, year running", higher, 99.9, true, false, InProgress},
		{"higher below plan, year closed", higher, 99.9, true, true, Missed},
		{"higher equal plan after float sums", higher, 0.1 * 1000, true, true, Achieved},
		{"no data, year running", higher, 0, false, false, InProgress},
		{"no data, year closed", higher, 0, false, true, Missed},
		{"lower below plan, closed", lowerSum, 8, true, true, Exceeded},
		{"lower above plan, closed", lowerSum, 12, true, true, Missed},
		{"lower sum below plan, running: the year may add more", lowerSum, 8, true, false, InProgress},
		{"lower latest below plan, running", lowerLast, 8, true, false, Exceeded},
		{"lower latest equal plan, closed", lowerLast, 10, true, true, Achieved},
	}
	for _, c := range cases {
		if got := Evaluate(c.t, c.value, c.has, c.closed); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestValueSumAndLatest(t *testing.T) {
	acts := []Actual{{Period: "2026-11", Value: 5}, {Period: "2026-02", Value: 7}, {Period: "2026-03", Value: 1}}
	if v, ok := Value(Target{Aggregate: AggSum}, acts); !ok || v != 13 {
		t.Errorf("sum = %v %v, want 13", v, ok)
	}
	if v, ok := Value(Target{Aggregate: AggLast}, acts); !ok || v != 5 {
		t.Errorf("latest = %v %v, want 5 (November's)", v, ok)
	}
	if _, ok := Value(Target{Aggregate: AggSum}, nil); ok {
		t.Error("no actuals gave a value")
	}
}

// TestBudgetPercent: budget revenue read as a percentage of the estimate,
// "115% of the estimate".
func TestBudgetPercent(t *testing.T) {
	b := Target{Year: 2026, Name: "Thu ngân sách", Kind: KindBudget, Plan: 2000, Direction: Lower, Aggregate: AggLast}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Aggregate != AggSum || b.Direction != Higher || b.Measure != "triệu đồng" {
		t.Fatalf("budget rules not applied: %+v", b)
	}
	p := Measure(b, []Actual{{Period: "2026-01", Value: 1300}, {Period: "2026-06", Value: 1000}}, nil, day(2027, 1, 5))
	if p.Percent == nil || *p.Percent != 115 || p.Status != Exceeded {
		t.Fatalf("budget: %v%% %s, want 115%% exceeded", deref(p.Percent), p.Status)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestComputedFromSummary: the computed kinds are the summary's rates as
// percentages, and no data (an empty denominator) is nil, not zero.
func TestComputedFromSummary(t *testing.T) {
	s := &stats.Summary{Online: 3, Totals: map[string]int64{stats.Received: 4, stats.FinishedEarly: 1, stats.FinishedOnTime: 2,
		stats.FinishedLate: 1, stats.RatedVery: 1, stats.RatedOK: 0, stats.RatedBad: 1}}
	s.Finish()
	for kind, want := range map[string]float64{KindOnlineRate: s.OnlineRate * 100, KindOnTimeRate: s.OnTimeRate * 100, KindSatisfaction: s.Satisfaction * 100} {
		if got := FromSummary(kind, s); got == nil || *got != want {
			t.Errorf("%s = %v, want %v", kind, deref(got), want)
		}
	}
	empty := &stats.Summary{Totals: map[string]int64{}}
	if got := FromSummary(KindSatisfaction, empty); got != nil {
		t.Errorf("no ratings gave %v, want no data", *got)
	}
	tg := Target{Year: 2026, Kind: KindSatisfaction, Plan: 90, Direction: Higher}
	if p := Measure(tg, nil, nil, day(2026, 6, 1)); p.Value != nil || p.Status != InProgress {
		t.Errorf("computed without data: %v %s", deref(p.Value), p.Status)
	}
}

func TestSummarize(t *testing.T) {
	ps := []Progress{{Status: Exceeded}, {Status: Achieved}, {Status: Missed}, {Status: InProgress}, {Status: Exceeded}}
	s := Summarize(ps)
	if s != (Summary{Met: 3, Total: 5, Exceeded: 2, Missed: 1, Running: 1}) {
		t.Errorf("summary %+v", s)
	}
}

// TestValidate: each wrong input is named, in Vietnamese first.
func TestValidate(t *testing.T) {
	ok := Target{Year: 2026, Name: "Tỷ lệ hộ nghèo", Measure: "%", Kind: KindManual, Plan: 2, Direction: Lower}
	cases := []struct {
		field string
		edit  func(*Target)
	}{
		{"name", func(t *Target) { t.Name = " " }},
		{"year", func(t *Target) { t.Year = 1999 }},
		{"kind", func(t *Target) { t.Kind = "other" }},
		{"direction", func(t *Target) { t.Direction = "up" }},
		{"plan", func(t *Target) { t.Plan = -1 }},
		{"plan", func(t *Target) { t.Kind, t.Plan = KindOnlineRate, 120 }},
		{"plan", func(t *Target) { t.Kind, t.Plan = KindBudget, 0 }},
		{"period", func(t *Target) { t.Period = "week" }},
		{"aggregate", func(t *Target) { t.Aggregate = "avg" }},
		{"measure", func(t *Target) { t.Measure = "" }},
	}
	for _, c := range cases {
		x := ok
		c.edit(&x)
		e := apperr.As(x.Validate())
		if e == nil || e.Code != apperr.EINVALID || e.Field != c.field || e.Message == "" || e.MessageEn == "" {
			t.Errorf("%s: %v", c.field, e)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid target refused: %v", err)
	}
}

func TestValidPeriod(t *testing.T) {
	m := Target{Year: 2026, Period: ByMonth}
	q := Target{Year: 2026, Period: ByQuarter}
	for _, p := range []string{"2026-01", "2026-12"} {
		if err := m.ValidPeriod(p); err != nil {
			t.Errorf("%s refused: %v", p, err)
		}
	}
	for _, p := range []string{"2026-13", "2026-00", "2025-03", "2026-3", "2026-Q1", ""} {
		if m.ValidPeriod(p) == nil {
			t.Errorf("month %q accepted", p)
		}
	}
	if err := q.ValidPeriod("2026-Q4"); err != nil {
		t.Errorf("Q4 refused: %v", err)
	}
	for _, p := range []string{"2026-Q5", "2026-03", "2027-Q1"} {
		if q.ValidPeriod(p) == nil {
			t.Errorf("quarter %q accepted", p)
		}
	}
}
