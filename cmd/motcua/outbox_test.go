package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/webhook"
)

// hookReceiver is another system's webhook endpoint on a loopback port. It
// verifies every request, can be taken down, and applies each webhook-id
// once, keeping the order in which each dossier's events were applied.
type hookReceiver struct {
	mu      sync.Mutex
	secret  string
	down    bool
	calls   int
	applied map[string]bool  // webhook-id → applied
	order   map[string][]int // dossier code → seq, in the order applied
	bad     []string         // requests that did not verify
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if h.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if err := webhook.Verify(h.secret, r.Header, body, time.Now()); err != nil {
		h.bad = append(h.bad, err.Error())
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	id := r.Header.Get("webhook-id")
	if !h.applied[id] {
		h.applied[id] = true
		var ev struct {
			Data struct {
				Code string
				Seq  int
			}
		}
		_ = json.Unmarshal(body, &ev)
		h.order[ev.Data.Code] = append(h.order[ev.Data.Code], ev.Data.Seq)
	}
	w.WriteHeader(http.StatusOK)
}

func (h *hookReceiver) setDown(down bool) {
	h.mu.Lock()
	h.down = down
	h.mu.Unlock()
}

func (h *hookReceiver) appliedCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.applied)
}

// TestOutboxSurvivesReceiverDownAndKill is the outbox's fault test: the
// receiver is down while dossiers change, the server is killed with
// SIGKILL, then killed again while it delivers; after both come back every
// message arrives, each applied once, and each dossier's in order.
func TestOutboxSurvivesReceiverDownAndKill(t *testing.T) {
	bin := buildMotcua(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			dsn := storetest.DSN(t, engine)
			rc := &hookReceiver{applied: map[string]bool{}, order: map[string][]int{}, down: true}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			flags := []string{"--db", dsn, "--webhook-private", "--outbox-first-wait", "200ms", "--outbox-lease", "3s"}
			s := startMotcua(t, bin, append(flags, "--demo")...)
			out, err := exec.CommandContext(ctx, bin, "webhook", "add", "--db", dsn, "--unit", "00004", "--url", srv.URL+"/hook", "--events", "*").CombinedOutput()
			if err != nil {
				t.Fatalf("webhook add: %v\n%s", err, out)
			}
			rc.secret = regexp.MustCompile(`whsec_\S+`).FindString(string(out))
			tok := s.login(ctx, t, "canbo")
			const dossiers = 8
			var codes []string
			for range dossiers {
				m, status := s.do(ctx, tok, "POST", "/api/v1/dossiers", crashSubmission)
				if status != http.StatusCreated {
					t.Fatalf("submit: %d %v", status, m)
				}
				code := m["code"].(string)
				codes = append(codes, code)
				if m, status := s.do(ctx, tok, "POST", "/api/v1/dossiers/"+code+"/actions/forward", ""); status != http.StatusOK {
					t.Fatalf("forward: %d %v", status, m)
				}
			}
			time.Sleep(500 * time.Millisecond) // a few failed attempts against the receiver that is down
			s.kill()

			rc.setDown(false)
			s = startMotcua(t, bin, flags...)
			// Killed again while delivering.
			for deadline := time.Now().Add(30 * time.Second); rc.appliedCount() == 0 && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
			s.kill()
			s = startMotcua(t, bin, flags...)
			want := 2 * dossiers // the submission and the forward of each
			pending := func() string {
				out, err := exec.CommandContext(ctx, bin, "outbox", "list", "--db", dsn, "--status", "pending").CombinedOutput()
				if err != nil {
					t.Fatalf("outbox list: %v\n%s", err, out)
				}
				return string(out)
			}
			// Messages sent just before the kill wait for their lease to end,
			// then go again: the receiver has them already and applies them
			// once.
			var left string
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
				if left = pending(); rc.appliedCount() == want && strings.Count(left, "\n") == 1 {
					break
				}
			}
			s.stop(t)
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.applied) != want || len(rc.bad) > 0 {
				t.Fatalf("%d of %d messages applied (%d calls, %d not verified: %v)", len(rc.applied), want, rc.calls, len(rc.bad), rc.bad)
			}
			for _, c := range codes {
				if got := rc.order[c]; !slices.Equal(got, []int{1, 2}) {
					t.Errorf("dossier %s: events applied in order %v, want [1 2]", c, got)
				}
			}
			if strings.Count(left, "\n") != 1 {
				t.Errorf("still pending after delivery:\n%s", left)
			}
			t.Logf("%d messages applied once each, in %d calls (failed attempts while down and repeats after the kill included)", want, rc.calls)
		})
	}
}
