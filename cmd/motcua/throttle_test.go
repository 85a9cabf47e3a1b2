package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestServeLimits: the limits' flags reach the server, two servers on one
// database share the counts, the refusals show on /metrics, and a bad limit
// stops the server before it starts.
func TestServeLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers")
	}
	bin := buildMotcua(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := []string{"--data", t.TempDir()}
	if os.Getenv("MOTCUA_TEST_POSTGRES") != "" {
		db = []string{"--db", storetest.DSN(t, store.Postgres)}
	}
	first := startMotcua(t, bin, append([]string{"--demo", "--limit-public", "2/1h"}, db...)...)
	second := startMotcua(t, bin, append([]string{"--limit-public", "2/1h"}, db...)...)
	lookup := "/api/v1/lookup?code=XA-260302-0001&id=001190012345"
	for i, s := range []*msServer{first, second, second} {
		want := http.StatusNotFound
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if m, status := s.do(ctx, "", "GET", lookup, ""); status != want {
			t.Fatalf("look-up %d: %d %v, want %d", i+1, status, m, want)
		}
	}
	res, err := http.Get(second.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `motcua_throttle_refusals_total{limit="public"} 1`) {
		t.Fatalf("/metrics of the second server:\n%s", body)
	}

	for _, c := range []struct {
		args []string
		env  string
	}{{[]string{"--limit-public", "0/1m"}, ""}, {nil, "MOTCUA_LIMIT_SIGNIN_PAIR=many"}, {[]string{"--trusted-proxy", "proxy.local"}, ""}} {
		cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, c.args...)...)
		cmd.Env = append(os.Environ(), c.env)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Lỗi") {
			t.Errorf("serve %v %s: %v, want a refusal with a Vietnamese message\n%s", c.args, c.env, err, out)
		}
	}
}
