package storetest

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

// PublicURL is the site's address in the fixture's messages.
const PublicURL = "https://dichvucong.badinh.example"

// Announce is the residential groups' service on the fixture's clock.
func (f *Fixture) Announce() *announce.Service {
	return &announce.Service{Store: store.Announce{DB: f.DB}, Key: f.DB.NotifyKey,
		PublicURL: func(context.Context) string { return PublicURL }, Now: f.Clock.Now}
}

// Group codes of SeedGroups: two groups of the demo ward and one of the
// other ward.
const (
	Group1     = demo.Ward + "-01"
	Group2     = demo.Ward + "-02"
	OtherGroup = demo.OtherWard + "-01"
)

// SeedGroups adds the groups above and the first one's leader ("totruong1"),
// who is also added to the fixture's actors.
func (f *Fixture) SeedGroups(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	for _, g := range []struct{ commune, num, typ, name string }{
		{demo.Ward, "01", "to", "1"}, {demo.Ward, "02", "to", "2"}, {demo.OtherWard, "01", "to", "1"},
	} {
		u, err := unit.NewGroup(g.commune, g.num, g.typ, g.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SaveGroup(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	u := auth.User{Username: "totruong1", FullName: "Đỗ Thị Mai", Role: auth.RoleLeader, UnitCode: Group1}
	if err := f.DB.CreateUser(ctx, &u, demo.Password()); err != nil {
		t.Fatal(err)
	}
	f.Actors[u.Username], f.Users[u.Username] = u.Actor(), u
}
