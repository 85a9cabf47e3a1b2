package web

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// deadLetter stores a failed-for-good message of unitCode and returns its id.
func (e *pagesEnv) deadLetter(unitCode, recipient, orderKey string) int64 {
	e.t.Helper()
	ctx := context.Background()
	q := store.Outbox{DB: e.f.DB}
	if err := e.f.DB.Enqueue(ctx, outbox.Message{Channel: "sms", Topic: "dossier.receive", UnitCode: unitCode,
		OrderKey: orderKey, Recipient: recipient}); err != nil {
		e.t.Fatal(err)
	}
	claimed, err := q.Claim(ctx, []string{"sms"}, "test", 100, time.Minute)
	if err != nil || len(claimed) == 0 {
		e.t.Fatalf("claim: %v", err)
	}
	for _, m := range claimed {
		if err := q.Failed(ctx, m.ID, "test", "410 Gone", e.f.DB.Now(), true); err != nil {
			e.t.Fatal(err)
		}
	}
	return claimed[len(claimed)-1].ID
}

// checkPage fails on a page that misses a message in either language.
func (e *pagesEnv) checkPage(user, path string) {
	e.t.Helper()
	for _, q := range []string{"", "?lang=en"} {
		status, body := e.get(user, path+q)
		if m := missingKey.FindString(body); status != 200 || m != "" {
			e.t.Errorf("GET %s%s: %d, missing %q", path, q, status, m)
		}
	}
}

// TestAdminOutboxPage: the ward's failed messages, masked and linked to
// their dossier; "send again" brings one back to pending and "send all
// again" the rest; the other ward's administrator can do neither for them.
func TestAdminOutboxPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		e.addUser(auth.User{Username: "quantri.ngocha", FullName: "Lý Thị Thu", Role: auth.RoleAdmin, UnitCode: demo.OtherWard}, "mat-khau-dai-1")
		code := e.submit(false)
		one := e.deadLetter(demo.Ward, "0912345678", "sms:"+code)
		two := e.deadLetter(demo.Ward, "0912000333", "sms:x")
		theirs := e.deadLetter(demo.OtherWard, "0987000111", "sms:y")
		e.checkPage("quantri", "/quan-tri/tin-gui-di")

		_, body := e.get("quantri", "/quan-tri/tin-gui-di")
		for _, want := range []string{"09*****678", `href="/ho-so/` + code + `"`, "410 Gone", "/quan-tri/tin-gui-di/" + strconv.FormatInt(one, 10) + "/gui-lai", "Gửi lại tất cả tin lỗi"} {
			if !strings.Contains(body, want) {
				t.Errorf("the outbox page lacks %q", want)
			}
		}
		if strings.Contains(body, "0912345678") || strings.Contains(body, "0987000111") || strings.Contains(body, "09*****111") {
			t.Error("the outbox page shows a full phone, or the other ward's message")
		}
		if _, other := e.get("quantri.ngocha", "/quan-tri/tin-gui-di"); !strings.Contains(other, "09*****111") || strings.Contains(other, code) {
			t.Error("the other ward's page does not show its own message, or shows the ward's")
		}

		path := "/quan-tri/tin-gui-di/" + strconv.FormatInt(one, 10) + "/gui-lai"
		if res, _ := e.do("quantri.ngocha", "POST", path, url.Values{}); res.StatusCode != 404 {
			t.Errorf("the other ward's administrator sends the ward's message again: %d", res.StatusCode)
		}
		e.run([]formCase{
			{"send one again", "quantri", path, url.Values{}, 303, "Đã đưa tin lỗi vào hàng đợi"},
			{"send all again", "quantri.ngocha", "/quan-tri/tin-gui-di/gui-lai-tat-ca", url.Values{}, 303, "Đã đưa tin lỗi"},
		})
		status := func(id int64) string {
			msgs, _ := store.Outbox{DB: e.f.DB}.List(context.Background(), store.OutboxFilter{})
			for _, m := range msgs {
				if m.ID == id {
					return m.Status
				}
			}
			return "missing"
		}
		if status(one) != outbox.Pending || status(two) != outbox.Dead || status(theirs) != outbox.Pending {
			t.Errorf("after the retries: %s %s %s, want pending, dead (the other ward's retry-all left it), pending",
				status(one), status(two), status(theirs))
		}
		if _, body := e.get("quantri", "/quan-tri/tin-gui-di?status=done"); strings.Contains(body, "410 Gone") {
			t.Error("the delivered filter shows failed messages")
		}
	})
}

// TestAdminWebhooksPage: a subscription added from the page shows its
// secret once; a wrong address or no event is shown beside its field in
// Vietnamese and stores nothing; the other ward cannot switch it off.
func TestAdminWebhooksPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		e.addUser(auth.User{Username: "quantri.ngocha", FullName: "Lý Thị Thu", Role: auth.RoleAdmin, UnitCode: demo.OtherWard}, "mat-khau-dai-1")
		e.checkPage("quantri", "/quan-tri/webhook")
		e.run([]formCase{
			{"a bad address", "quantri", "/quan-tri/webhook", url.Values{"url": {"example.org"}, "events": {"*"}}, 422, `id="url-error"`},
			{"no event", "quantri", "/quan-tri/webhook", url.Values{"url": {"https://example.org/h"}}, 422, "Cần chọn ít nhất một sự kiện"},
		})
		if _, body := e.do("quantri", "POST", "/quan-tri/webhook", url.Values{"url": {"https://example.org/h"}, "events": {"dossier.nap", "dossier.receive"}}); !strings.Contains(body, `value="https://example.org/h"`) || !strings.Contains(body, `value="dossier.receive" checked`) {
			t.Error("a refused form does not keep what was typed and ticked")
		}
		if subs, _ := e.f.DB.Webhooks(context.Background(), ""); len(subs) != 0 {
			t.Fatalf("refused forms stored %d subscriptions", len(subs))
		}

		res, body := e.do("quantri", "POST", "/quan-tri/webhook", url.Values{"url": {"https://example.org/h"}, "events": {"dossier.receive", "dossier.finish"}})
		subs, _ := e.f.DB.Webhooks(context.Background(), demo.Ward)
		if res.StatusCode != 200 || len(subs) != 1 || subs[0].Events != "dossier.receive,dossier.finish" {
			t.Fatalf("add: %d %+v", res.StatusCode, subs)
		}
		// The secret is base64: "+" and "/" come escaped in the attribute.
		if !strings.Contains(html.UnescapeString(body), subs[0].Secret) || !strings.Contains(body, "chỉ hiện một lần") {
			t.Error("the answer to the form does not show the secret with its note")
		}
		if _, again := e.get("quantri", "/quan-tri/webhook"); strings.Contains(html.UnescapeString(again), subs[0].Secret) || strings.Contains(again, "whsec_") || !strings.Contains(again, "https://example.org/h") {
			t.Error("the list shows the secret again, or not the subscription")
		}

		path := "/quan-tri/webhook/" + strconv.FormatInt(subs[0].ID, 10)
		if res, _ := e.do("quantri.ngocha", "POST", path, url.Values{"active": {"0"}}); res.StatusCode != 404 {
			t.Errorf("the other ward's administrator switches it off: %d", res.StatusCode)
		}
		e.run([]formCase{{"switch off", "quantri", path, url.Values{"active": {"0"}}, 303, "Đã tắt đăng ký webhook"}})
		if sub, _ := e.f.DB.Webhook(context.Background(), subs[0].ID); sub.Active {
			t.Error("still on after switching off")
		}
	})
}

func TestMaskRecipient(t *testing.T) {
	for _, c := range [][3]string{
		{"sms", "0912345678", "09*****678"}, {"email", "nguyenvan@gmail.com", "n***@gmail.com"},
		{"email", "ánh@mail.vn", "á***@mail.vn"}, {"zalo", "12345", "*****"},
		{"webhook", "12", "12"}, {"portal", "H26.1-260302-0001", "H26.1-260302-0001"},
	} {
		if got := maskRecipient(c[0], c[1]); got != c[2] {
			t.Errorf("maskRecipient(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
}
