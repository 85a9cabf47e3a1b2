package storetest

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

// Petitions is the petition service over the fixture's database, on its
// clock and calendars.
func (f *Fixture) Petitions() *petition.Service {
	return &petition.Service{Store: store.Petitions{DB: f.DB}, Calendars: f.Cals, Units: f.DB, Officers: f.DB, Now: f.Clock.Now}
}

// PetitionRollupsMatchRecount recounts the petition roll-ups from the
// petitions and their histories and compares them with the kept rows.
func PetitionRollupsMatchRecount(ctx context.Context, db *store.DB) error {
	kept, err := db.PetitionRollupRows(ctx)
	if err != nil {
		return err
	}
	want := map[[2]string]petition.Counts{}
	add := func(unit string, at time.Time, fn func(c *petition.Counts)) {
		k := [2]string{unit, stats.Day(at)}
		c := want[k]
		fn(&c)
		want[k] = c
	}
	err = db.EachPetitionForRecount(ctx, func(p petition.Petition) {
		add(p.UnitCode, p.ReceivedAt, func(c *petition.Counts) {
			c.Received++
			if p.DossierCode != "" {
				c.DossierComplaints++
			}
		})
		if !p.SettledAt.IsZero() {
			add(p.UnitCode, p.SettledAt, func(c *petition.Counts) {
				c.Answered++
				if p.Outcome == "late" {
					c.Late++
				} else {
					c.AnsweredOnTime++
				}
			})
		}
		if p.Satisfaction == petition.NotSatisfied {
			add(p.UnitCode, p.RatedAt, func(c *petition.Counts) { c.Dissatisfied++ })
		}
	})
	if err != nil {
		return err
	}
	for k, c := range want {
		if kept[k] != c {
			return fmt.Errorf("petition roll-up %v: kept %+v, recounted %+v", k, kept[k], c)
		}
	}
	for k, c := range kept {
		if _, ok := want[k]; !ok && c != (petition.Counts{}) {
			return fmt.Errorf("petition roll-up %v: kept %+v, recounted none", k, c)
		}
	}
	return nil
}
