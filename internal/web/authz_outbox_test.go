package web

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
)

// outboxObjects adds what the matrix's outbox and webhook routes name: a
// webhook subscription of the ward ({webhook}) and a failed message about
// each ward's dossier, sent to its applicant's phone, so that the lists can
// be searched for codes and phones.
func (m *authzEnv) outboxObjects() {
	ctx := context.Background()
	sub, err := m.f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: demo.Ward, URL: "https://example.org/hook", Events: "*"}, m.f.Actors[admin])
	if err != nil {
		m.t.Fatal(err)
	}
	m.objects["{webhook}"] = fmt.Sprint(sub.ID)
	m.deadMessage(demo.Ward, m.objects["{own}"], ownPhone)
	m.deadMessage(demo.OtherWard, m.objects["{other}"], otherPhone)
}

// deadMessage stores a message of unit about a dossier, fails it for good,
// and returns its id.
func (m *authzEnv) deadMessage(unitCode, code, phone string) string {
	m.t.Helper()
	ctx := context.Background()
	q := store.Outbox{DB: m.f.DB}
	const channel = "authz"
	if err := m.f.DB.Enqueue(ctx, outbox.Message{Channel: channel, Topic: "dossier.receive", UnitCode: unitCode,
		OrderKey: "authz:" + code, Recipient: phone}); err != nil {
		m.t.Fatal(err)
	}
	claimed, err := q.Claim(ctx, []string{channel}, "authz", 100, time.Minute)
	if err != nil {
		m.t.Fatal(err)
	}
	for _, c := range claimed {
		if err := q.Failed(ctx, c.ID, "authz", "410 Gone", m.f.DB.Now(), true); err != nil {
			m.t.Fatal(err)
		}
	}
	dead, err := q.List(ctx, store.OutboxFilter{Status: outbox.Dead, Channel: channel, UnitCode: unitCode, Limit: 1})
	if err != nil || len(dead) == 0 {
		m.t.Fatalf("no dead message: %v", err)
	}
	return fmt.Sprint(dead[0].ID)
}
