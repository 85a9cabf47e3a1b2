package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestWebhookMessagesComeWithTheChange checks that a dossier's change
// stores one message per subscriber of its unit that asked for the event,
// in the change's transaction: a refused change stores none, and another
// unit's subscriber gets nothing.
func TestWebhookMessagesComeWithTheChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		admin := f.Actors["quantri"]
		all, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: "http://127.0.0.1:9/all", Events: "*"}, admin)
		if err != nil {
			t.Fatal(err)
		}
		fwd, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: "https://example.vn/h", Events: " dossier.forward "}, admin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00008", URL: "https://other.vn/h", Events: "*"}, admin); err != nil {
			t.Fatal(err)
		}
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Lê Văn Hùng"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
			t.Fatal(err)
		}
		// A refused change: a stale version.
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActForward, Version: 1}); err == nil {
			t.Fatal("a stale version was accepted")
		}
		msgs, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range slices.Backward(msgs) {
			got = append(got, fmt.Sprintf("%s %s %s", m.Recipient, m.Topic, m.Status))
			if m.UnitCode != "00004" || m.OrderKey != "webhook:"+m.Recipient+":"+d.Code || m.Channel != store.ChannelWebhook {
				t.Errorf("message %+v: wrong unit, order key or channel", m)
			}
			var body struct {
				Type string
				Data map[string]any
			}
			if err := json.Unmarshal(m.Payload, &body); err != nil || body.Type != m.Topic || body.Data["code"] != d.Code {
				t.Errorf("payload %s (%v)", m.Payload, err)
			}
			if _, ok := body.Data["applicant"]; ok {
				t.Errorf("payload carries the applicant: %s", m.Payload)
			}
		}
		a, b := fmt.Sprint(all.ID), fmt.Sprint(fwd.ID)
		want := []string{a + " dossier.submit pending", a + " dossier.forward pending", b + " dossier.forward pending"}
		if !slices.Equal(got, want) {
			t.Fatalf("messages:\n%q\nwant\n%q", got, want)
		}
	})
}

// TestWebhookSubscriptionRefusesBadInput checks the address and topics.
func TestWebhookSubscriptionRefusesBadInput(t *testing.T) {
	f := storetest.NewFixture(t, "sqlite")
	ctx := context.Background()
	for _, w := range []store.NewWebhook{
		{UnitCode: "00004", URL: "ftp://x.vn/h", Events: "*"},
		{UnitCode: "00004", URL: "/relative", Events: "*"},
		{UnitCode: "00004", URL: "https://x.vn/h", Events: "dossier.nothing"},
		{UnitCode: "00004", URL: "https://x.vn/h", Events: " , "},
		{UnitCode: "99999", URL: "https://x.vn/h", Events: "*"},
	} {
		if _, err := f.DB.AddWebhook(ctx, w, f.Actors["quantri"]); err == nil {
			t.Errorf("%+v accepted", w)
		} else if e := apperr.As(err); e == nil || e.Message == "" {
			t.Errorf("%+v: %v, want a message in Vietnamese", w, err)
		}
	}
	if n, _ := f.DB.Webhooks(ctx, ""); len(n) != 0 {
		t.Errorf("%d subscriptions stored", len(n))
	}
}

func enqueue(t *testing.T, db *store.DB, keys ...string) {
	t.Helper()
	var msgs []outbox.Message
	for i, k := range keys {
		msgs = append(msgs, outbox.Message{Channel: "test", Topic: "t", OrderKey: k, Recipient: fmt.Sprint(i), Payload: []byte(`{}`)})
	}
	if err := db.Enqueue(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
}

func recipients(ms []outbox.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.OrderKey+"/"+m.Recipient)
	}
	slices.Sort(out)
	return out
}

// TestOutboxOrderRetryAndDeadLetters walks the queue's rules: one message
// per order key at a time and in order, a lease keeps others off, a failed
// message waits for its time, a dead one stops blocking its key and comes
// back when retried, and purge drops only delivered ones.
func TestOutboxOrderRetryAndDeadLetters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		dbs, clock := openClocked(t, engine, 2)
		ctx := context.Background()
		a, b := store.Outbox{DB: dbs[0]}, store.Outbox{DB: dbs[1]}
		enqueue(t, dbs[0], "A", "A", "B", "B", "")
		claim := func(q store.Outbox, holder string) []outbox.Message {
			t.Helper()
			ms, err := q.Claim(ctx, []string{"test"}, holder, 10, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ms
		}
		first := claim(a, "s1")
		if got := recipients(first); !slices.Equal(got, []string{"/4", "A/0", "B/2"}) {
			t.Fatalf("first claim %v, want the first of each key and the unordered one", got)
		}
		if got := claim(b, "s2"); len(got) != 0 {
			t.Fatalf("second server claimed %v while leased or behind", recipients(got))
		}
		byKey := map[string]outbox.Message{}
		for _, m := range first {
			byKey[m.OrderKey] = m
		}
		now := dbs[0].Now()
		must(t, a.Delivered(ctx, byKey["A"].ID, "s1"))
		must(t, a.Failed(ctx, byKey["B"].ID, "s1", "503", now.Add(10*time.Second), false))
		must(t, a.Delivered(ctx, byKey[""].ID, "s1"))
		if got := recipients(claim(b, "s2")); !slices.Equal(got, []string{"A/1"}) {
			t.Fatalf("after A/0 delivered and B/2 failed: %v, want A/1 only (B waits)", got)
		}
		// The failure's wait passes; B/2 comes back before B/3.
		clock.Advance(11 * time.Second)
		again := claim(a, "s1")
		if got := recipients(again); !slices.Equal(got, []string{"B/2"}) || again[0].Attempts != 1 || again[0].LastError != "503" {
			t.Fatalf("after the wait: %v %+v", recipients(again), again)
		}
		must(t, a.Failed(ctx, again[0].ID, "s1", "410 gone", now, true))
		if got := recipients(claim(a, "s1")); !slices.Equal(got, []string{"B/3"}) {
			t.Fatalf("a dead message still blocks its key: %v", got)
		}
		dead, err := a.List(ctx, store.OutboxFilter{Status: outbox.Dead})
		if err != nil || len(dead) != 1 || dead[0].Recipient != "2" {
			t.Fatalf("dead letters %+v %v", dead, err)
		}
		if n, err := b.Retry(ctx, dead[0].ID, ""); n != 1 || err != nil {
			t.Fatalf("retry: %d %v", n, err)
		}
		if _, err := b.Retry(ctx, dead[0].ID, ""); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("retry of a message no longer dead: %v", err)
		}
		back, err := a.List(ctx, store.OutboxFilter{Status: outbox.Pending})
		if err != nil || len(back) != 3 { // A/1 and B/3 leased, B/2 back
			t.Fatalf("pending after retry: %v %v", recipients(back), err)
		}
		clock.Advance(time.Hour)
		n, err := a.Purge(ctx, dbs[0].Now().Add(-time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("purge: %d %v, want the 2 delivered", n, err)
		}
	})
}

// TestOutboxClaimsOnceAcrossServers races four servers' workers over one
// queue: every message is claimed by exactly one.
func TestOutboxClaimsOnceAcrossServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		dbs := openServers(t, engine, 4)
		ctx := context.Background()
		const n = 200
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprint("k", i%50) // 50 keys, 4 messages each
		}
		enqueue(t, dbs[0], keys...)
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for s, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q, holder := store.Outbox{DB: db}, fmt.Sprint("server", s)
				for idle := 0; idle < 20; {
					ms, err := q.Claim(ctx, []string{"test"}, holder, 7, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(ms) == 0 {
						idle++
						time.Sleep(5 * time.Millisecond)
						continue
					}
					idle = 0
					for _, m := range ms {
						mu.Lock()
						if other, ok := seen[m.ID]; ok {
							t.Errorf("message %d claimed by %s and %s", m.ID, other, holder)
						}
						seen[m.ID] = holder
						mu.Unlock()
						if err := q.Delivered(ctx, m.ID, holder); err != nil {
							t.Error(err)
						}
					}
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("%d of %d messages delivered", len(seen), n)
		}
	})
}

// openClocked opens n servers on one new database, on one test clock.
func openClocked(t *testing.T, engine string, n int) ([]*store.DB, *storetest.Clock) {
	t.Helper()
	dbs := openServers(t, engine, n)
	clock := storetest.NewClock(storetest.Start)
	for _, db := range dbs {
		db.Now = clock.Now
	}
	return dbs, clock
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
