package web_test

import (
	"net/http"
	"testing"

	"github.com/motcua/motcua/internal/store"
)

// TestThrottleContract: the refusal of the sign-in limit is the documented
// 429 with the too_many_requests error.
func TestThrottleContract(t *testing.T) {
	e := newEnv(t, store.SQLite)
	for i := range 5 {
		if status, _, raw := e.do("", "POST", "/api/v1/login", `{"username":"canbo","password":"sai"}`); status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, status, raw)
		}
	}
	status, body, raw := e.do("", "POST", "/api/v1/login", `{"username":"canbo","password":"sai"}`)
	if status != http.StatusTooManyRequests {
		t.Fatalf("6th failure: %d %s, want 429", status, raw)
	}
	if code := body["error"].(map[string]any)["code"]; code != "too_many_requests" {
		t.Fatalf("code %v", code)
	}
}
