package index

import "math"

// Count is an indicator's numerator and denominator. A zero denominator
// means the system has nothing to count: the indicator is "no data".
type Count struct {
	Numerator   int64  `json:"numerator"`
	Denominator int64  `json:"denominator"`
	Note        string `json:"note,omitempty"`
	// Entered says an entry made the count, in whole or for some months:
	// the score's source is then "entered", whatever the catalogue says.
	Entered bool `json:"-"`
}

// Score is one indicator of a result.
type Score struct {
	Indicator
	Count
	Rate   float64 `json:"rate"`
	Points float64 `json:"points"`
	Lost   float64 `json:"lost"` // max − points; 0 without data
	NoData bool    `json:"no_data"`
}

// Group is a group's score.
type Group struct {
	ID          string  `json:"id"`
	NameVI      string  `json:"name_vi"`
	NameEN      string  `json:"name_en"`
	Points      float64 `json:"points"`
	Max         float64 `json:"max"`           // the decision's weight of the group
	MaxWithData float64 `json:"max_with_data"` // of its indicators with data
}

// Result is a unit's index over a period.
type Result struct {
	Version     string  `json:"weights_version"`
	Indicators  []Score `json:"indicators"`
	Groups      []Group `json:"groups"`
	Points      float64 `json:"points"`        // sum of the points earned
	MaxWithData float64 `json:"max_with_data"` // sum of the maxima of indicators with data
	// Total is the points scaled to 100 over the indicators with data:
	// points ÷ max_with_data × 100. Indicators without data are left out
	// rather than counted as zero or as full.
	Total float64 `json:"total"`
}

// Points scores one indicator: max × min(1, rate ÷ T) with a threshold,
// max × rate without, the rate capped at 1.
func Points(in Indicator, c Count) (rate, points float64, noData bool) {
	if c.Denominator <= 0 {
		return 0, 0, true
	}
	rate = math.Max(0, math.Min(1, float64(c.Numerator)/float64(c.Denominator)))
	if in.Threshold > 0 {
		return rate, round2(in.Max * math.Min(1, rate/in.Threshold)), false
	}
	return rate, round2(in.Max * rate), false
}

// Compute scores every indicator of v from counts (by indicator id; a
// missing one is no data) and adds up the groups and the total.
func Compute(v Version, counts map[string]Count) Result {
	// Sized once: a ranking computes this for every unit of a province,
	// twice, and the slices' growth was most of what it allocated.
	res := Result{Version: v.ID, Indicators: make([]Score, 0, len(v.Indicators)), Groups: make([]Group, 0, len(GroupNames))}
	groups := make(map[string]*Group, len(GroupNames))
	order := make([]string, 0, len(GroupNames))
	for _, in := range v.Indicators {
		g := groups[in.Group]
		if g == nil {
			n := GroupNames[in.Group]
			g = &Group{ID: in.Group, NameVI: n[0], NameEN: n[1]}
			groups[in.Group] = g
			order = append(order, in.Group)
		}
		g.Max += in.Max
		s := Score{Indicator: in, Count: counts[in.ID]}
		if s.Count.Entered {
			s.Source = Entered
		}
		s.Rate, s.Points, s.NoData = Points(in, s.Count)
		if !s.NoData {
			s.Lost = round2(in.Max - s.Points)
			g.Points += s.Points
			g.MaxWithData += in.Max
		}
		res.Indicators = append(res.Indicators, s)
	}
	for _, id := range order {
		g := groups[id]
		g.Points = round2(g.Points)
		res.Groups = append(res.Groups, *g)
		res.Points += g.Points
		res.MaxWithData += g.MaxWithData
	}
	res.Points = round2(res.Points)
	if res.MaxWithData > 0 {
		res.Total = round2(res.Points / res.MaxWithData * 100)
	}
	return res
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
