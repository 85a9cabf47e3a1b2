package target

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// Store reads a unit's targets of a year with their actuals, by target id.
type Store interface {
	Targets(ctx context.Context, unitCode string, year int) ([]Target, map[int64][]Actual, error)
}

// Summaries adds up the roll-ups (the store's Summary).
type Summaries interface {
	Summary(ctx context.Context, q stats.Query) (*stats.Summary, error)
}

// Board is a unit's targets of a year, where each stands, and "N/M đạt".
type Board struct {
	UnitCode string     `json:"unit"`
	Year     int        `json:"year"`
	Targets  []Progress `json:"targets"`
	Summary  Summary    `json:"summary"`
}

// Load builds the board. The computed kinds read one roll-up summary of the
// unit's subtree for the year so far, never the dossiers; it is read only
// when a computed target exists and the year has begun.
func Load(ctx context.Context, st Store, sums Summaries, unitCode string, year int, now time.Time) (*Board, error) {
	ts, actuals, err := st.Targets(ctx, unitCode, year)
	if err != nil {
		return nil, err
	}
	var sum *stats.Summary
	b := &Board{UnitCode: unitCode, Year: year, Targets: []Progress{}}
	for _, t := range ts {
		var computed *float64
		if Computed(t.Kind) && now.In(stats.Zone).Year() >= year {
			if sum == nil {
				if sum, err = sums.Summary(ctx, YearSoFar(unitCode, year, now)); err != nil {
					return nil, err
				}
			}
			computed = FromSummary(t.Kind, sum)
		}
		b.Targets = append(b.Targets, Measure(t, actuals[t.ID], computed, now))
	}
	b.Summary = Summarize(b.Targets)
	return b, nil
}
