package evaluation

import (
	"math"
	"time"
)

// Measure is what was counted for a criterion: Num good cases out of Den.
// Den 0 means no data: the criterion is left out rather than counted as zero
// or full.
type Measure struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Measures are the counts of the measured criteria, by criterion id.
type Measures map[string]Measure

// Add adds another's counts, criterion by criterion: a unit's steps are the
// sum of its officers'.
func (m Measures) Add(o Measures) {
	for id, x := range o {
		y := m[id]
		m[id] = Measure{y.Num + x.Num, y.Den + x.Den}
	}
}

// Sources of a criterion's points.
const (
	SourceComputed = "computed" // measured from the dossiers
	SourceRatings  = "ratings"  // from citizens' ratings
	SourceEntry    = "entry"    // entered by the leader
	SourceNone     = "none"     // no data: left out of the total
)

// Score is one criterion's result, with what it was computed from.
type Score struct {
	Criterion string   `json:"criterion"`
	Measure   *Measure `json:"measure,omitempty"`
	Rate      *float64 `json:"rate,omitempty"`
	Points    *float64 `json:"points"` // nil: no data
	Source    string   `json:"source"`
	Entry     *Entry   `json:"entry,omitempty"` // the leader's entry that set the points
}

// Evaluation is a unit's (Officer "") or an officer's result for a period.
type Evaluation struct {
	UnitCode   string    `json:"unit"`
	Officer    string    `json:"officer"` // username; "" for the unit itself
	FullName   string    `json:"full_name,omitempty"`
	Period     string    `json:"period"`
	Criteria   []Score   `json:"criteria"`
	Scored     int       `json:"scored"`          // criteria with data
	Total      float64   `json:"total"`           // out of 18, scaled when criteria have no data
	Grade      string    `json:"grade,omitempty"` // Vietnamese; "" when nothing could be scored
	GradeEN    string    `json:"grade_en,omitempty"`
	ComputedAt time.Time `json:"computed_at"`
}

// Points scores a rate against the criterion's target: full points at or
// above the target, its share below it, as the service index scores rates.
func Points(rate, target float64) float64 {
	if target <= 0 {
		return 0
	}
	return round2(MaxPoints * math.Min(1, math.Max(0, rate)/target))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Evaluate scores the criteria from the measures and the leader's entries
// (an entry wins over a measure: it is the leader's judgement, with its
// reason on record) and grades the total. Criteria without data are left
// out and the total is scaled to 18, so that a unit is not graded on what
// nobody could know; with nothing scored there is no grade.
func Evaluate(m Measures, entries map[string]Entry, g Grades) Evaluation {
	var ev Evaluation
	var sum float64
	for _, c := range Criteria {
		sc := score(c, m, entries)
		if sc.Points != nil {
			sum += *sc.Points
			ev.Scored++
		}
		ev.Criteria = append(ev.Criteria, sc)
	}
	if ev.Scored > 0 {
		ev.Total = round2(sum * float64(len(Criteria)) / float64(ev.Scored))
		b := g.Of(ev.Total)
		ev.Grade, ev.GradeEN = b.Name, b.NameEN
	}
	return ev
}

func score(c Criterion, m Measures, entries map[string]Entry) Score {
	sc := Score{Criterion: c.ID, Source: SourceNone}
	if x, ok := m[c.ID]; ok && c.Measured {
		sc.Measure = &x
		if x.Den > 0 {
			r := float64(x.Num) / float64(x.Den)
			p := Points(r, c.Target)
			sc.Rate, sc.Points, sc.Source = &r, &p, SourceComputed
			if c.ID == Attitude {
				sc.Source = SourceRatings
			}
		}
	}
	if e, ok := entries[c.ID]; ok {
		p := e.Points
		sc.Points, sc.Source, sc.Entry = &p, SourceEntry, &e
	}
	return sc
}
