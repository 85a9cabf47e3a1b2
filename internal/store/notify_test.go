package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// notifyFixture is a fixture whose changes produce the citizens'
// notifications, and a reader of its notification messages, oldest first.
func notifyFixture(t *testing.T, engine string) (*storetest.Fixture, []byte, func() []outbox.Message) {
	f := storetest.NewFixture(t, engine)
	key, err := f.DB.NotifyKey(context.Background())
	if err != nil || len(key) != 32 {
		t.Fatalf("key %x: %v", key, err)
	}
	f.DB.AddProducer(store.NotifyProducer(notify.Links{PublicURL: "https://motcua.example", Key: key}))
	return f, key, func() []outbox.Message {
		msgs, err := store.Outbox{DB: f.DB}.List(context.Background(), store.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []outbox.Message
		for _, m := range slices.Backward(msgs) {
			if m.Channel != store.ChannelWebhook {
				out = append(out, m)
			}
		}
		return out
	}
}

func topics(msgs []outbox.Message) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.Channel+":"+m.Topic+":"+m.Recipient)
	}
	return strings.Join(s, " ")
}

// TestNotifyMessagesFollowTheCitizensEvents checks which events make a
// message (received, payment asked; not an internal hand-off), that it goes
// to the chosen channel's address with no personal data, and that opting
// out, recorded in the history, stops the next ones.
func TestNotifyMessagesFollowTheCitizensEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f, key, messages := notifyFixture(t, engine)
		ctx := context.Background()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Lê Văn Hùng"))
		if err != nil {
			t.Fatal(err)
		}
		if d.Notify != dossier.NotifySMS {
			t.Errorf("choice %q; want sms by default with a phone", d.Notify)
		}
		act := func(who string, req dossier.ActionRequest) {
			t.Helper()
			if _, err := f.Svc.Act(ctx, f.Actors[who], d.Code, req); err != nil {
				t.Fatalf("%s: %v", req.Action, err)
			}
		}
		act("canbo", dossier.ActionRequest{Action: dossier.ActForward})
		act("chuyenvien", dossier.ActionRequest{Action: dossier.ActRequestPayment, Amount: 150000})
		if got, want := topics(messages()), "sms:notify.received:0912345678 sms:notify.payment:0912345678"; got != want {
			t.Fatalf("messages %s; want %s", got, want)
		}
		for _, m := range messages() {
			for _, personal := range []string{"001090012345", "Lê Văn Hùng", "Le Van Hung"} {
				if strings.Contains(string(m.Payload), personal) {
					t.Errorf("%s carries %q: %s", m.Topic, personal, m.Payload)
				}
			}
			var p notify.Payload
			_ = json.Unmarshal(m.Payload, &p)
			if code, ok := notify.CheckToken(key, strings.TrimPrefix(p.Fields.Unsubscribe, "https://motcua.example/thong-bao/tat?t=")); !ok || code != d.Code {
				t.Errorf("unsubscribe link %q does not carry a valid token", p.Fields.Unsubscribe)
			}
			if m.OrderKey != "notify:"+d.Code || m.UnitCode != d.UnitCode {
				t.Errorf("order key %q, unit %q", m.OrderKey, m.UnitCode)
			}
		}
		var p notify.Payload
		_ = json.Unmarshal(messages()[1].Payload, &p)
		if p.Fields.Fee != "150.000" {
			t.Errorf("fee %q", p.Fields.Fee)
		}

		if _, err := f.Svc.StopNotifyProven(ctx, d.Code); err != nil {
			t.Fatal(err)
		}
		act("lanhdao", dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh", NewDueAt: d.DueAt.AddDate(0, 0, 7)})
		if n := len(messages()); n != 2 {
			t.Errorf("%d messages after opting out; want still 2: %s", n, topics(messages()))
		}
		got, err := f.Svc.Get(ctx, f.Actors["canbo"], d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Notify != dossier.NotifyNone || !slices.ContainsFunc(got.History, func(e dossier.Event) bool { return e.Action == dossier.ActNotify }) {
			t.Errorf("choice %q, history without the opt-out", got.Notify)
		}
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 {
			t.Errorf("audit %+v %v", res, err)
		}
	})
}

// TestNotifyByEmailWithTheUnitsTemplate checks the e-mail channel and a
// unit's edited text; a template that does not render is refused and
// changes nothing; an applicant who chose none gets nothing.
func TestNotifyByEmailWithTheUnitsTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f, _, messages := notifyFixture(t, engine)
		ctx := context.Background()
		admin := f.Actors["quantri"]
		tpl := notify.Template{UnitCode: admin.UnitCode, Kind: notify.KindReceived, Lang: "vi", Channel: notify.ChannelEmail,
			Subject: "Đã nhận hồ sơ {{.Code}}", Body: "Xã đã nhận hồ sơ {{.Code}}, hẹn {{.Due}}."}
		if err := f.DB.SaveNotifyTemplate(ctx, tpl, admin); err != nil {
			t.Fatal(err)
		}
		bad := tpl
		bad.Body = "Số CCCD: {{.IDNumber}}"
		if err := f.DB.SaveNotifyTemplate(ctx, bad, admin); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("a template with an unknown field: %v", err)
		}
		req := counterSubmit("1.001612", "Trần Thị Mai")
		req.Applicant.Email, req.Notify = "mai@example.vn", "email"
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], req)
		if err != nil {
			t.Fatal(err)
		}
		req.Notify = "none"
		if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], req); err != nil {
			t.Fatal(err)
		}
		msgs := messages()
		if got := topics(msgs); got != "email:notify.received:mai@example.vn" {
			t.Fatalf("messages %s", got)
		}
		var p notify.Payload
		_ = json.Unmarshal(msgs[0].Payload, &p)
		if p.Subject != "Đã nhận hồ sơ "+d.Code || !strings.HasPrefix(p.Text, "Xã đã nhận hồ sơ "+d.Code+", hẹn ") ||
			!strings.Contains(p.Text, "has been received") {
			t.Errorf("subject %q, text %q: want the unit's Vietnamese text then the default English one", p.Subject, p.Text)
		}
		edited, _ := f.DB.NotifyTemplates(ctx, admin.UnitCode)
		if len(edited) != 1 || edited[0].Body != tpl.Body {
			t.Errorf("stored %+v", edited)
		}
	})
}

// TestNotifyChoiceNeedsItsAddress checks the submission's validation.
func TestNotifyChoiceNeedsItsAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		for _, c := range []struct{ choice, email string }{{"email", ""}, {"fax", "a@b.vn"}} {
			req := counterSubmit("1.001612", "Trần Thị Mai")
			req.Notify, req.Applicant.Email = c.choice, c.email
			if _, err := f.Svc.Submit(context.Background(), f.Actors["canbo"], req); apperr.Code(err) != apperr.EINVALID {
				t.Errorf("notify %q with e-mail %q: %v", c.choice, c.email, err)
			}
		}
	})
}
