package web

import (
	"net/http"
	"testing"

	"github.com/motcua/motcua/internal/store"
)

// The sign-in through the identity provider: public, both of its
// addresses. The matrix's server has no provider, so they answer 404 to
// everyone there; TestOIDCRoutesPublic checks them with a provider on.
func init() {
	authzMatrix["GET /auth/oidc/login"] = []authzCase{{"/auth/oidc/login?next=/ho-so", "", nobody}}
	authzMatrix["GET /auth/oidc/callback"] = []authzCase{{"/auth/oidc/callback?state=x&code=y", "", nobody}}
}

// TestOIDCRoutesPublic: with a provider on, a visitor and every signed-in
// role start a sign-in (to the provider) and reach the callback's checks
// (a callback without its login is refused as such, never as a role's).
func TestOIDCRoutesPublic(t *testing.T) {
	e := newOIDCEnv(t, store.SQLite, false)
	nr := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	callers := map[string]string{"": ""}
	for name, u := range e.f.Users {
		callers[name] = newSession(t, e.f, u.ID)
	}
	for name, tok := range callers {
		for _, c := range []struct {
			path string
			want int
		}{{"/auth/oidc/login?next=/ho-so", http.StatusFound}, {"/auth/oidc/callback?state=x&code=y", http.StatusUnprocessableEntity}} {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+c.path, nil)
			if tok != "" {
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			}
			res, err := nr.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != c.want {
				t.Errorf("%s as %q: %d, want %d", c.path, name, res.StatusCode, c.want)
			}
		}
	}
}
