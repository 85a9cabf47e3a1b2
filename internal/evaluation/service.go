package evaluation

import (
	"context"
	"time"
)

// Officer is an officer of a unit, as the evaluation lists them.
type Officer struct {
	Username string
	FullName string
}

// Store is what the evaluation reads and keeps.
type Store interface {
	// UnitMeasures counts a unit's measured criteria from the roll-ups.
	UnitMeasures(ctx context.Context, unitCode string, p Period) (Measures, error)
	// OfficerMeasures counts an officer's from the history entries the
	// officer wrote in the period and the ratings of the dossiers they
	// handled.
	OfficerMeasures(ctx context.Context, username string, p Period) (Measures, error)
	UnitOfficers(ctx context.Context, unitCode string) ([]Officer, error)
	Entries(ctx context.Context, unitCode, period string) ([]Entry, error)
	AddEntry(ctx context.Context, e Entry) (Entry, error)
	SaveEvaluations(ctx context.Context, evs []Evaluation) error
}

// Service computes evaluations.
type Service struct {
	Store  Store
	Grades Grades // DefaultGrades when nil
	Now    func() time.Time
}

// Report is a unit's evaluation for a period and those of its officers.
type Report struct {
	Unit     Evaluation   `json:"unit"`
	Officers []Evaluation `json:"officers"`
}

// Unit evaluates a unit and every officer of it for a period, now. The
// unit's time per step is the sum of its officers' steps; its other
// measures come from the roll-ups.
func (s *Service) Unit(ctx context.Context, unitCode string, p Period) (*Report, error) {
	officers, err := s.Store.UnitOfficers(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	entries, err := s.Store.Entries(ctx, unitCode, p.Key)
	if err != nil {
		return nil, err
	}
	byOfficer := map[string][]Entry{}
	for _, e := range entries {
		byOfficer[e.Officer] = append(byOfficer[e.Officer], e)
	}
	unitM, err := s.Store.UnitMeasures(ctx, unitCode, p)
	if err != nil {
		return nil, err
	}
	steps := Measures{}
	rep := &Report{}
	for _, o := range officers {
		m, err := s.Store.OfficerMeasures(ctx, o.Username, p)
		if err != nil {
			return nil, err
		}
		steps.Add(Measures{AgencyTime: m[AgencyTime]})
		ev := s.evaluate(m, byOfficer[o.Username], unitCode, o.Username, p)
		ev.FullName = o.FullName
		rep.Officers = append(rep.Officers, ev)
	}
	unitM[AgencyTime] = steps[AgencyTime]
	rep.Unit = s.evaluate(unitM, byOfficer[""], unitCode, "", p)
	return rep, nil
}

func (s *Service) evaluate(m Measures, entries []Entry, unitCode, officer string, p Period) Evaluation {
	g := s.Grades
	if g == nil {
		g = DefaultGrades
	}
	ev := Evaluate(m, Latest(entries), g)
	ev.UnitCode, ev.Officer, ev.Period, ev.ComputedAt = unitCode, officer, p.Key, s.Now().UTC()
	return ev
}

// Snapshot computes a unit's report and keeps it, as the monthly and
// quarterly job does for the period just ended.
func (s *Service) Snapshot(ctx context.Context, unitCode string, p Period) error {
	rep, err := s.Unit(ctx, unitCode, p)
	if err != nil {
		return err
	}
	return s.Store.SaveEvaluations(ctx, append([]Evaluation{rep.Unit}, rep.Officers...))
}

// Ended lists the periods that ended at the start of the month holding
// now: the previous month, and the previous quarter when a quarter begins.
func Ended(now time.Time) []Period {
	this := Month(now)
	out := []Period{Month(this.From.Add(-time.Hour))}
	if q := Quarter(now); q.From.Equal(this.From) {
		out = append(out, Quarter(q.From.Add(-time.Hour)))
	}
	return out
}

// Officer evaluates one officer of a unit for a period, now.
func (s *Service) Officer(ctx context.Context, unitCode string, o Officer, p Period) (Evaluation, error) {
	entries, err := s.Store.Entries(ctx, unitCode, p.Key)
	if err != nil {
		return Evaluation{}, err
	}
	var own []Entry
	for _, e := range entries {
		if e.Officer == o.Username {
			own = append(own, e)
		}
	}
	m, err := s.Store.OfficerMeasures(ctx, o.Username, p)
	if err != nil {
		return Evaluation{}, err
	}
	ev := s.evaluate(m, own, unitCode, o.Username, p)
	ev.FullName = o.FullName
	return ev, nil
}
