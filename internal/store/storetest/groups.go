package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
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

// GroupMessages lists the outbox's messages of a topic, to an address when
// to is not empty, oldest first, with their payloads.
func GroupMessages(t testing.TB, db *store.DB, topic, to string) ([]outbox.Message, []notify.Payload) {
	t.Helper()
	all, err := store.Outbox{DB: db}.List(context.Background(), store.OutboxFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []outbox.Message
	var pays []notify.Payload
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Topic != topic || (to != "" && all[i].Recipient != to) {
			continue
		}
		var p notify.Payload
		if err := json.Unmarshal(all[i].Payload, &p); err != nil {
			t.Fatal(err)
		}
		msgs, pays = append(msgs, all[i]), append(pays, p)
	}
	return msgs, pays
}

// SentCode is the code of the last confirmation sent to an address.
func SentCode(t testing.TB, db *store.DB, addr string) string {
	t.Helper()
	_, pays := GroupMessages(t, db, "group.confirm", addr)
	if len(pays) == 0 {
		t.Fatalf("no confirmation sent to %s", addr)
	}
	return pays[len(pays)-1].Fields.Status
}

// Subscribed subscribes a phone to a group by SMS and confirms it with the
// code sent, as a resident would.
func (f *Fixture) Subscribed(t testing.TB, group, phone string) *announce.Subscription {
	t.Helper()
	ctx := context.Background()
	svc := f.Announce()
	sub, err := svc.Subscribe(ctx, group, announce.SubscribeRequest{Channel: announce.ChannelSMS, Address: phone})
	if err != nil {
		t.Fatal(err)
	}
	if sub, err = svc.ConfirmCode(ctx, group, announce.ChannelSMS, phone, SentCode(t, f.DB, sub.Address)); err != nil {
		t.Fatal(err)
	}
	return sub
}
