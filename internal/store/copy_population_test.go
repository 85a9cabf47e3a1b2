package store_test

import (
	"context"

	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/store"
)

// populationExtras gives the copy's dataset two lines of the population
// look-up log, one of a look-up the registry did not answer.
func (g *dataset) populationExtras(ctx context.Context) error {
	st := store.Population{DB: g.f.DB}
	for _, e := range []population.Entry{
		{At: g.f.Clock.Now(), Username: "canbo", ActorName: "Nguyễn Thị Hoà", ActorRole: "counter", UnitCode: "00004",
			IDNumber: "001087004321", Reason: "Tiếp nhận hồ sơ", Outcome: population.Mismatch, Detail: "full_name"},
		{At: g.f.Clock.Now(), Username: "lanhdao", ActorRole: "leader", UnitCode: "00004", IDNumber: "012345678",
			Reason: "Kiểm tra", Outcome: population.Unavailable},
	} {
		if err := st.AddLookup(ctx, &e); err != nil {
			return err
		}
	}
	return nil
}
