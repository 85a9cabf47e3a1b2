package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// login signs in through the API with a browser's User-Agent and returns
// the session's secret.
func (e *env) login(user string) string {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/login", strings.NewReader(`{"username":"`+user+`","password":"demo"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		e.t.Fatalf("login %s: %d %s", user, res.StatusCode, raw)
	}
	tok := strings.SplitN(strings.SplitN(string(raw), `"token":"`, 2)[1], `"`, 2)[0]
	e.tokens[user+"#"+tok] = tok
	return user + "#" + tok
}

// sessions lists the caller's sessions through the API.
func (e *env) sessions(who, path string) []map[string]any {
	e.t.Helper()
	status, body, raw := e.do(who, "GET", path, "")
	if status != 200 {
		e.t.Fatalf("GET %s as %s: %d %s", path, who, status, raw)
	}
	var out []map[string]any
	for _, s := range body["sessions"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

func TestSessions(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			a, b := e.login("canbo"), e.login("canbo")

			list := e.sessions(a, "/api/v1/sessions")
			if len(list) != 3 { // two sign-ins and the test's API token
				t.Fatalf("want 3 sessions, got %v", list)
			}
			var mine, other map[string]any
			for _, s := range list {
				if s["current"] == true {
					mine = s
				} else if s["kind"] == "session" {
					other = s
				}
			}
			if mine == nil || other == nil || mine["label"] != "Chrome / Android" {
				t.Fatalf("current session and label: %v", list)
			}
			id := mine["id"].(string)
			if strings.Contains(e.tokens[a], id) || strings.Contains(id, auth.TokenDigest(e.tokens[a])[:8]) {
				t.Fatalf("public id %s reveals the secret", id)
			}

			// Another user cannot end it, nor see it.
			if status, _, raw := e.do("chuyenvien", "DELETE", "/api/v1/sessions/"+id, ""); status != 404 {
				t.Fatalf("other user's revoke: %d %s", status, raw)
			}
			// Revoking b from a: b is refused at once, a goes on.
			if status, _, raw := e.do(a, "DELETE", "/api/v1/sessions/"+other["id"].(string), ""); status != 204 {
				t.Fatalf("revoke: %d %s", status, raw)
			}
			if status, _, _ := e.do(b, "GET", "/api/v1/me", ""); status != 401 {
				t.Fatalf("revoked session still accepted: %d", status)
			}
			if status, _, _ := e.do(a, "GET", "/api/v1/me", ""); status != 200 {
				t.Fatalf("remaining session refused: %d", status)
			}

			// Logout with a bearer token revokes that token, an API token too.
			for _, who := range []string{a, "lanhdao"} {
				if status, _, raw := e.do(who, "POST", "/api/v1/logout", ""); status != 200 {
					t.Fatalf("logout %s: %d %s", who, status, raw)
				}
				if status, _, _ := e.do(who, "GET", "/api/v1/me", ""); status != 401 {
					t.Fatalf("%s: token still accepted after logout: %d", who, status)
				}
			}
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, storetest.Engines()[len(storetest.Engines())-1])
	ctx := context.Background()
	idle, busy := e.login("canbo"), e.login("canbo")

	// Last use is written again only when more than a minute old.
	first := e.sessions(busy, "/api/v1/sessions")
	e.f.Clock.Advance(30 * time.Second)
	if again := e.sessions(busy, "/api/v1/sessions"); again[0]["last_used_at"] != first[0]["last_used_at"] {
		t.Fatalf("last use rewritten within a minute: %v then %v", first[0], again[0])
	}

	// busy is used every 11 hours, idle never: after 12 hours idle is
	// refused, busy is not; after 7 days busy is refused too.
	for i := 0; i < 15; i++ {
		e.f.Clock.Advance(11 * time.Hour)
		status, _, _ := e.do(busy, "GET", "/api/v1/me", "")
		if status != 200 {
			t.Fatalf("session used every 11 h refused after %d h", (i+1)*11)
		}
		if i == 1 {
			if status, _, _ := e.do(idle, "GET", "/api/v1/me", ""); status != 401 {
				t.Fatalf("idle session accepted after 22 h: %d", status)
			}
		}
	}
	e.f.Clock.Advance(11 * time.Hour) // 176 h > 7 days
	if status, _, _ := e.do(busy, "GET", "/api/v1/me", ""); status != 401 {
		t.Fatalf("session accepted after 7 days: %d", status)
	}

	// The idle limit is 12 hours to the minute: used after 11 h 59 it works,
	// and 12 h 1 min after that use it is refused.
	edge := e.login("canbo")
	e.f.Clock.Advance(11*time.Hour + 59*time.Minute)
	if status, _, _ := e.do(edge, "GET", "/api/v1/me", ""); status != 200 {
		t.Fatalf("session refused after 11 h 59 idle: %d", status)
	}
	e.f.Clock.Advance(12*time.Hour + time.Minute)
	if status, _, _ := e.do(edge, "GET", "/api/v1/me", ""); status != 401 {
		t.Fatalf("session accepted after 12 h 1 min idle: %d", status)
	}

	// An API token lasts the days it was made for.
	u := e.f.Users["chuyenvien"]
	tok, _, err := e.f.DB.NewToken(ctx, storeSpec(u.ID, 2))
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["api2"] = tok
	e.f.Clock.Advance(47 * time.Hour)
	if status, _, _ := e.do("api2", "GET", "/api/v1/me", ""); status != 200 {
		t.Fatalf("2-day token refused after 47 h: %d", status)
	}
	e.f.Clock.Advance(2 * time.Hour)
	if status, _, _ := e.do("api2", "GET", "/api/v1/me", ""); status != 401 {
		t.Fatalf("2-day token accepted after 49 h: %d", status)
	}
}

func TestAdminSessions(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			s := e.login("canbo")
			list := e.sessions("quantri", "/api/v1/users/canbo/sessions")
			var id string
			for _, x := range list {
				if x["kind"] == "session" {
					id = x["id"].(string)
				}
			}
			if id == "" {
				t.Fatalf("admin does not see the officer's session: %v", list)
			}
			// Not an admin: forbidden; an officer of another unit: not found.
			if status, _, _ := e.do("lanhdao", "GET", "/api/v1/users/canbo/sessions", ""); status != 403 {
				t.Fatalf("leader lists sessions: %d", status)
			}
			if status, _, _ := e.do("quantri", "GET", "/api/v1/users/canbo.ngocha/sessions", ""); status != 404 {
				t.Fatalf("admin lists another unit's officer: %d", status)
			}
			if status, _, _ := e.do("quantri", "DELETE", "/api/v1/users/canbo.ngocha/sessions/"+id, ""); status != 404 {
				t.Fatalf("admin revokes through another unit's officer: %d", status)
			}
			if status, _, _ := e.do("quantri", "DELETE", "/api/v1/users/canbo/sessions/"+id, ""); status != 204 {
				t.Fatalf("admin revoke: %d", status)
			}
			if status, _, _ := e.do(s, "GET", "/api/v1/me", ""); status != 401 {
				t.Fatalf("session revoked by the admin still accepted: %d", status)
			}
		})
	}
}

func storeSpec(userID int64, days int) store.TokenSpec {
	return store.TokenSpec{UserID: userID, Kind: store.TokenAPI, Label: "test", TTL: time.Duration(days) * 24 * time.Hour}
}
