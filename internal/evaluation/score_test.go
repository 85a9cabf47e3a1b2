package evaluation

import (
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

func TestPointsScaleUpToTheTarget(t *testing.T) {
	for _, c := range []struct{ rate, target, want float64 }{
		{1, 1, 2}, {0.75, 1, 1.5}, {0, 1, 0}, {0.25, 0.5, 1}, {0.8, 0.5, 2}, {1.3, 1, 2}, {0.333, 1, 0.67},
	} {
		if got := Points(c.rate, c.target); got != c.want {
			t.Errorf("Points(%v, %v) = %v, want %v", c.rate, c.target, got, c.want)
		}
	}
}

func TestGradesFollowTheBands(t *testing.T) {
	for total, want := range map[float64]string{18: "Xuất sắc", 15: "Xuất sắc", 14.99: "Tốt", 12: "Tốt", 11.5: "Khá", 9: "Khá",
		8.99: "Trung bình", 6: "Trung bình", 5.99: "Yếu", 0: "Yếu"} {
		if got := DefaultGrades.Of(total).Name; got != want {
			t.Errorf("grade of %v = %s, want %s", total, got, want)
		}
	}
}

// TestEvaluateScalesOverScoredCriteria: five measured criteria and one
// entry are scored; the three without data are left out and the total is
// scaled to 18.
func TestEvaluateScalesOverScoredCriteria(t *testing.T) {
	m := Measures{
		TotalTime:  {3, 4}, // 0.75 → 1.5
		AgencyTime: {4, 4}, // 1 → 2
		Contacts:   {2, 4}, // 0.5 → 1
		OneStop:    {0, 0}, // no data
		Attitude:   {1, 2}, // 0.5 → 1
		Online:     {1, 4}, // 0.25 of 0.5 → 1
		Publicity:  {9, 9}, // not measured: ignored
	}
	entries := Latest([]Entry{{Criterion: Publicity, Points: 0.5}, {Criterion: Publicity, Points: 1.5, Reason: "niêm yết đủ"}})
	ev := Evaluate(m, entries, DefaultGrades)
	// 1.5 + 2 + 1 + 1 + 1 + 1.5 = 8 over 6 criteria → 8 × 9 / 6 = 12
	if ev.Scored != 6 || ev.Total != 12 || ev.Grade != "Tốt" {
		t.Fatalf("scored %d, total %v, grade %q; want 6, 12, Tốt", ev.Scored, ev.Total, ev.Grade)
	}
	for _, sc := range ev.Criteria {
		switch sc.Criterion {
		case OneStop, Agencies, Feedback:
			if sc.Points != nil || sc.Source != SourceNone {
				t.Errorf("%s: %v from %s, want no data", sc.Criterion, *sc.Points, sc.Source)
			}
		case Publicity:
			if *sc.Points != 1.5 || sc.Source != SourceEntry || sc.Entry.Reason != "niêm yết đủ" {
				t.Errorf("publicity: %+v, want the latest entry", sc)
			}
		case Attitude:
			if sc.Source != SourceRatings {
				t.Errorf("attitude from %s, want ratings", sc.Source)
			}
		}
	}
}

func TestEvaluateWithNothingHasNoGrade(t *testing.T) {
	ev := Evaluate(Measures{TotalTime: {0, 0}}, nil, DefaultGrades)
	if ev.Scored != 0 || ev.Total != 0 || ev.Grade != "" {
		t.Fatalf("%+v, want nothing scored and no grade", ev)
	}
}

func TestParsePeriod(t *testing.T) {
	p, err := ParsePeriod("2026-Q1")
	if err != nil || p.FirstDay() != "2026-01-01" || p.LastDay() != "2026-03-31" {
		t.Fatalf("Q1: %v %s–%s", err, p.FirstDay(), p.LastDay())
	}
	p, err = ParsePeriod("2026-12")
	if err != nil || p.FirstDay() != "2026-12-01" || p.LastDay() != "2026-12-31" {
		t.Fatalf("December: %v %s–%s", err, p.FirstDay(), p.LastDay())
	}
	for _, bad := range []string{"", "2026-13", "2026-Q5", "2026-3", "26-03", "2026-03-01"} {
		if _, err := ParsePeriod(bad); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

func TestEndedPeriods(t *testing.T) {
	keys := func(ps []Period) (s []string) {
		for _, p := range ps {
			s = append(s, p.Key)
		}
		return s
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	if got := keys(Ended(at("2026-04-01T00:30:00+07:00"))); len(got) != 2 || got[0] != "2026-03" || got[1] != "2026-Q1" {
		t.Errorf("on 1 April: %v, want March and Q1", got)
	}
	if got := keys(Ended(at("2026-05-20T10:00:00+07:00"))); len(got) != 1 || got[0] != "2026-04" {
		t.Errorf("in May: %v, want April", got)
	}
	if got := keys(Ended(at("2026-01-01T08:00:00+07:00"))); len(got) != 2 || got[0] != "2025-12" || got[1] != "2025-Q4" {
		t.Errorf("on 1 January: %v, want December and Q4 of the year before", got)
	}
}

func TestEntryValidate(t *testing.T) {
	ok := Entry{UnitCode: "00004", Period: "2026-03", Criterion: Publicity, Points: 1.5, Reason: " Niêm yết đủ "}
	if err := ok.Validate(); err != nil || ok.Reason != "Niêm yết đủ" {
		t.Fatalf("%v %q", err, ok.Reason)
	}
	for field, e := range map[string]Entry{
		"period":    {Period: "2026", Criterion: Publicity, Points: 1, Reason: "x"},
		"criterion": {Period: "2026-03", Criterion: "beauty", Points: 1, Reason: "x"},
		"points":    {Period: "2026-03", Criterion: Publicity, Points: 2.5, Reason: "x"},
		"reason":    {Period: "2026-03", Criterion: Publicity, Points: 1, Reason: "  "},
	} {
		err := e.Validate()
		if x := apperr.As(err); x == nil || x.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	neg := Entry{Period: "2026-03", Criterion: Publicity, Points: -1, Reason: "x"}
	if x := apperr.As(neg.Validate()); x == nil || x.Field != "points" {
		t.Errorf("negative points accepted")
	}
	fine := Entry{Period: "2026-03", Criterion: Publicity, Points: 1.234, Reason: "x"}
	if x := apperr.As(fine.Validate()); x == nil || x.Field != "points" {
		t.Errorf("three decimals accepted")
	}
}
