package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/webhook"
	"github.com/prometheus/client_golang/prometheus"
)

// receiver is another system's endpoint on a loopback port: it checks each
// request's signature as a receiver must, fails the first attempts it is
// told to, and applies each webhook-id once.
type receiver struct {
	secret  string
	mu      sync.Mutex
	fail    int // answer 503 to this many more requests
	calls   int
	applied []string // "code seq action", in the order applied
	ids     map[string]bool
	refused int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls++
	if err := webhook.Verify(rc.secret, r.Header, body, time.Now()); err != nil {
		rc.refused++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if rc.fail > 0 {
		rc.fail--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	id := r.Header.Get("webhook-id")
	if !rc.ids[id] {
		rc.ids[id] = true
		var ev struct {
			Data struct {
				Code   string
				Seq    int
				Action string
			}
		}
		_ = json.Unmarshal(body, &ev)
		rc.applied = append(rc.applied, ev.Data.Code+" "+ev.Data.Action)
	}
	w.WriteHeader(http.StatusNoContent)
}

// TestWebhooksDeliveredSignedInOrderAfterFailures follows a dossier's
// events to a subscriber that is down for the first attempts: the worker
// waits and retries, the receiver verifies every signature, and gets the
// events in the dossier's order, each once.
func TestWebhooksDeliveredSignedInOrderAfterFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		rc := &receiver{fail: 2, ids: map[string]bool{}}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		sub, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: srv.URL + "/motcua", Events: "*"}, f.Actors["quantri"])
		if err != nil {
			t.Fatal(err)
		}
		rc.secret = sub.Secret
		req := dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lê Văn Hùng", IDNumber: "001090012345"}}
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
			t.Fatal(err)
		}
		w := &outbox.Worker{Queue: store.Outbox{DB: f.DB}, Holder: "test", Now: f.Clock.Now, Log: slog.New(slog.DiscardHandler),
			Senders:  map[string]outbox.Sender{store.ChannelWebhook: &webhook.Sender{Subscribers: f.DB, Client: webhook.NewClient(true)}},
			BaseWait: time.Minute, MaxWait: time.Hour}
		for round := 0; round < 10; round++ {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(2 * time.Minute) // past any wait of the first attempts
		}
		want := []string{d.Code + " submit", d.Code + " forward"}
		if !slices.Equal(rc.applied, want) || rc.refused != 0 {
			t.Fatalf("applied %q (refused %d), want %q", rc.applied, rc.refused, want)
		}
		if rc.calls != 4 {
			t.Errorf("%d calls, want 2 failed + 2 delivered", rc.calls)
		}
		left, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{Status: outbox.Pending})
		if err != nil || len(left) != 0 {
			t.Fatalf("still pending: %+v %v", left, err)
		}
	})
}

// TestWebhookRefusedIsDead checks that a subscriber's 4xx answer gives the
// message up at once, and that /metrics counts the failure and the dead
// letter, and shows it among the messages waiting.
func TestWebhookRefusedIsDead(t *testing.T) {
	f := storetest.NewFixture(t, "sqlite")
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such hook", http.StatusGone)
	}))
	defer srv.Close()
	if _, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: srv.URL, Events: "dossier.submit"}, f.Actors["quantri"]); err != nil {
		t.Fatal(err)
	}
	req := dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Lê Văn Hùng", IDNumber: "001090012345"}}
	if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], req); err != nil {
		t.Fatal(err)
	}
	metrics := outbox.NewMetrics(store.Outbox{DB: f.DB}.Waiting)
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics)
	w := &outbox.Worker{Queue: store.Outbox{DB: f.DB}, Holder: "test", Log: slog.New(slog.DiscardHandler), Metrics: metrics,
		Senders: map[string]outbox.Sender{store.ChannelWebhook: &webhook.Sender{Subscribers: f.DB, Client: webhook.NewClient(true)}}}
	if n, err := w.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("run: %d %v", n, err)
	}
	dead, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{Status: outbox.Dead})
	if err != nil || len(dead) != 1 || !strings.Contains(dead[0].LastError, "410") {
		t.Fatalf("dead letters %+v %v", dead, err)
	}
	got := map[string]float64{}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, fam := range families {
		for _, m := range fam.GetMetric() {
			key := fam.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetValue()
			}
			got[key] = m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	for key, want := range map[string]float64{"motcua_outbox_failures_total webhook": 1, "motcua_outbox_dead_total webhook": 1,
		"motcua_outbox_messages webhook dead": 1} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v (all: %v)", key, got[key], want, got)
		}
	}
}

// TestVerify checks the signature against tampering, a wrong secret and a
// replay outside the tolerance.
func TestVerify(t *testing.T) {
	secret, other := webhook.NewSecret(), webhook.NewSecret()
	now := time.Unix(1_780_000_000, 0)
	body := []byte(`{"type":"dossier.forward"}`)
	sig, err := webhook.Sign(secret, "msg_1", now, body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", "msg_1")
	h.Set("webhook-timestamp", "1780000000")
	h.Set("webhook-signature", "v1,bm90IGl0 "+sig)
	if err := webhook.Verify(secret, h, body, now.Add(time.Minute)); err != nil {
		t.Fatalf("a good request: %v", err)
	}
	for name, check := range map[string]func() error{
		"tampered body": func() error { return webhook.Verify(secret, h, []byte(`{"type":"dossier.approve"}`), now) },
		"other secret":  func() error { return webhook.Verify(other, h, body, now) },
		"replayed late": func() error { return webhook.Verify(secret, h, body, now.Add(webhook.Tolerance+time.Second)) },
	} {
		if check() == nil {
			t.Errorf("%s verified", name)
		}
	}
	h.Set("webhook-id", "msg_2")
	if webhook.Verify(secret, h, body, now) == nil {
		t.Error("another id verified with the same signature")
	}
}

// TestPrivateAddressesRefused checks that, by default, a subscription
// naming an address inside the server's network is given up at once
// rather than called.
func TestPrivateAddressesRefused(t *testing.T) {
	f := storetest.NewFixture(t, "sqlite")
	ctx := context.Background()
	called := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	defer srv.Close()
	if _, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: srv.URL, Events: "*"}, f.Actors["quantri"]); err != nil {
		t.Fatal(err)
	}
	req := dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Lê Văn Hùng", IDNumber: "001090012345"}}
	if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], req); err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Queue: store.Outbox{DB: f.DB}, Holder: "test", Log: slog.New(slog.DiscardHandler),
		Senders: map[string]outbox.Sender{store.ChannelWebhook: &webhook.Sender{Subscribers: f.DB}}}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	dead, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{Status: outbox.Dead})
	if err != nil || len(dead) != 1 || !strings.Contains(dead[0].LastError, "loopback") || called {
		t.Fatalf("dead %+v %v, receiver called %v", dead, err, called)
	}
}

// TestPublic checks the addresses a webhook may call by default.
func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{
		"203.113.131.1": true, "2001:4860:4860::8888": true, "8.8.8.8": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.100.100.200": false, "0.1.2.3": false, "198.18.0.1": false, "192.0.0.8": false, "255.255.255.255": false,
		"::1": false, "fe80::1": false, "fd00::1": false, "::": false, "::ffff:127.0.0.1": false,
		"64:ff9b::a9fe:a9fe": false, "64:ff9b::808:808": true, "2002:7f00:1::1": false, "2002:cb71:8301::1": true,
	} {
		if got := webhook.Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v, want %v", addr, got, want)
		}
	}
}
