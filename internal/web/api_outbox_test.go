package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// failMessage stores a message of unitCode and fails it for good: a dead
// letter. It returns its id.
func failMessage(t *testing.T, e *env, unitCode, channel, recipient, orderKey string) int64 {
	t.Helper()
	ctx := context.Background()
	q := store.Outbox{DB: e.f.DB}
	if err := e.f.DB.Enqueue(ctx, outbox.Message{Channel: channel, Topic: "dossier.receive", UnitCode: unitCode,
		OrderKey: orderKey, Recipient: recipient}); err != nil {
		t.Fatal(err)
	}
	claimed, err := q.Claim(ctx, []string{channel}, "test", 100, time.Minute)
	if err != nil || len(claimed) == 0 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	for _, m := range claimed {
		if err := q.Failed(ctx, m.ID, "test", "410 Gone", e.f.DB.Now(), true); err != nil {
			t.Fatal(err)
		}
	}
	return claimed[len(claimed)-1].ID
}

// otherAdmin adds the other ward's administrator with an API token.
func otherAdmin(t *testing.T, e *env) string {
	t.Helper()
	u := auth.User{Username: "quantri.ngocha", FullName: "Lý Thị Thu", Role: auth.RoleAdmin, UnitCode: demo.OtherWard}
	if err := e.f.DB.CreateUser(context.Background(), &u, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	tok, err := e.f.DB.CreateToken(context.Background(), u.ID, store.TokenAPI, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens[u.Username] = tok
	return u.Username
}

// TestOutboxAPI: an administrator lists his unit's messages only, with the
// recipients masked, pages through them, and sends a dead one again;
// another unit's administrator gets "not found" for it.
func TestOutboxAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		adminX := otherAdmin(t, e)
		code := e.prep("received")
		sms := failMessage(t, e, demo.Ward, "sms", "0912345678", "sms:"+code)
		failMessage(t, e, demo.Ward, "email", "nguyenvan@gmail.com", "email:"+code)
		theirs := failMessage(t, e, demo.OtherWard, "sms", "0987000111", "sms:x")

		st, m, raw := e.do("quantri", "GET", "/api/v1/outbox?status=dead", "")
		if st != 200 {
			t.Fatalf("list: %d %s", st, raw)
		}
		msgs := m["messages"].([]any)
		if len(msgs) != 2 || strings.Contains(raw, "0987000111") || strings.Contains(raw, fmt.Sprintf(`"id":%d,`, theirs)) {
			t.Fatalf("the ward's list holds %d messages or the other ward's: %s", len(msgs), raw)
		}
		if strings.Contains(raw, "0912345678") || strings.Contains(raw, "nguyenvan@") ||
			!strings.Contains(raw, `"recipient":"09*****678"`) || !strings.Contains(raw, `"recipient":"n***@gmail.com"`) {
			t.Errorf("recipients not masked: %s", raw)
		}
		if first := msgs[1].(map[string]any); first["dossier"] != code || first["status"] != "dead" || first["last_error"] != "410 Gone" {
			t.Errorf("the sms message: %v", first)
		}
		// Pages: one at a time, newest first, then the older one.
		_, m, _ = e.do("quantri", "GET", "/api/v1/outbox?limit=1", "")
		next := m["next_before"].(float64)
		_, m, _ = e.do("quantri", "GET", fmt.Sprintf("/api/v1/outbox?limit=1&before=%d", int64(next)), "")
		if got := m["messages"].([]any)[0].(map[string]any)["id"].(float64); int64(got) != sms {
			t.Errorf("second page starts at %v, want %d", got, sms)
		}
		if st, _, raw := e.do("quantri", "GET", "/api/v1/outbox?status=lost", ""); st != 422 || !strings.Contains(raw, "Trạng thái") {
			t.Errorf("a bad status: %d %s", st, raw)
		}
		if st, _, _ := e.do("canbo", "GET", "/api/v1/outbox", ""); st != 403 {
			t.Errorf("a counter officer lists the outbox: %d", st)
		}

		retry := fmt.Sprintf("/api/v1/outbox/%d/retry", sms)
		if st, _, raw := e.do(adminX, "POST", retry, ""); st != 404 {
			t.Errorf("another unit's administrator retries: %d %s", st, raw)
		}
		if st, _, raw := e.do("quantri", "POST", retry, ""); st != 200 {
			t.Fatalf("retry: %d %s", st, raw)
		}
		pending, _ := store.Outbox{DB: e.f.DB}.List(context.Background(), store.OutboxFilter{Status: outbox.Pending, UnitCode: demo.Ward, Channel: "sms"})
		if len(pending) != 1 || pending[0].ID != sms || pending[0].Attempts != 0 {
			t.Errorf("after retry: %+v, want the message pending with no attempts", pending)
		}
		if st, _, _ := e.do("quantri", "POST", retry, ""); st != 404 {
			t.Errorf("retry of a message no longer dead: %d", st)
		}
	})
}

// TestWebhooksAPI: a subscription's secret is in the answer that makes it
// and nowhere after; bad input is refused in Vietnamese and stores
// nothing; another unit's administrator cannot switch it.
func TestWebhooksAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		adminX := otherAdmin(t, e)
		st, m, raw := e.do("quantri", "POST", "/api/v1/webhooks", `{"url":"https://example.org/motcua","events":["dossier.receive","dossier.finish"]}`)
		secret, _ := m["secret"].(string)
		if st != 201 || !strings.HasPrefix(secret, "whsec_") || m["active"] != true {
			t.Fatalf("add: %d %s", st, raw)
		}
		id := int64(m["id"].(float64))
		for _, who := range []string{"quantri", adminX} {
			_, _, raw := e.do(who, "GET", "/api/v1/webhooks", "")
			if strings.Contains(raw, secret) || strings.Contains(raw, "whsec_") {
				t.Errorf("the list shows the secret to %s: %s", who, raw)
			}
			if strings.Contains(raw, "example.org") != (who == "quantri") {
				t.Errorf("%s's list: %s", who, raw)
			}
		}
		for body, field := range map[string]string{
			`{"url":"ftp://example.org","events":["*"]}`:               "url",
			`{"url":"https://example.org/x","events":["dossier.nap"]}`: "events",
			`{"url":"https://example.org/x","events":[]}`:              "events",
			`{"url":"https://example.org/x"}`:                          "events",
			`{"url":"https://example.org/x","events":"*"}`:             "events",
		} {
			st, m, raw := e.do("quantri", "POST", "/api/v1/webhooks", body)
			errObj, _ := m["error"].(map[string]any)
			if st != 422 || errObj["field"] != field || errObj["message"] == errObj["message_en"] {
				t.Errorf("%s: %d %s, want 422 on %s in Vietnamese", body, st, raw, field)
			}
		}
		if subs, _ := e.f.DB.Webhooks(context.Background(), ""); len(subs) != 1 {
			t.Errorf("%d subscriptions stored, want 1: refused ones were kept", len(subs))
		}

		active := fmt.Sprintf("/api/v1/webhooks/%d/active", id)
		if st, _, _ := e.do(adminX, "POST", active, `{"active":false}`); st != 404 {
			t.Errorf("another unit's administrator switches it off: %d", st)
		}
		if st, _, raw := e.do("quantri", "POST", active, `{}`); st != 422 {
			t.Errorf("without active: %d %s", st, raw)
		}
		if st, m, raw := e.do("quantri", "POST", active, `{"active":false}`); st != 200 || m["active"] != false || strings.Contains(raw, "whsec_") {
			t.Errorf("switch off: %d %s", st, raw)
		}
		if sub, _ := e.f.DB.Webhook(context.Background(), id); sub.Active {
			t.Error("still active after switching off")
		}
	})
}
