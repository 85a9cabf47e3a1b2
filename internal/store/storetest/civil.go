package storetest

import (
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
)

// Civil is the civil-status registry's service over the fixture's
// database, on its clock.
func (f *Fixture) Civil() *civil.Service {
	return &civil.Service{Store: store.Civil{DB: f.DB}, Units: f.DB, Now: f.Clock.Now}
}
