package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/store"
)

// TestSessionsPage: the user menu leads to "Phiên đăng nhập", which lists
// the user's sessions and ends one with its button; the unit administrator
// ends an officer's session from the officer's page.
func TestSessionsPage(t *testing.T) {
	e := newPagesEnv(t)
	ctx := context.Background()
	spare, spareID, err := e.f.DB.NewToken(ctx, store.TokenSpec{UserID: e.f.Users["congdan"].ID, Kind: store.TokenSession, Label: "Firefox / Windows"})
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.get("congdan", "/ho-so")
	if status != 200 || !strings.Contains(body, `href="/phien-dang-nhap"`) {
		t.Fatalf("user menu has no sessions link: %d", status)
	}
	status, body = e.get("congdan", "/phien-dang-nhap")
	if status != 200 || !strings.Contains(body, "<h1>Phiên đăng nhập</h1>") || !strings.Contains(body, "Firefox / Windows") ||
		!strings.Contains(body, `action="/phien-dang-nhap/`+spareID+`"`) || !strings.Contains(body, "phiên đang dùng") {
		t.Fatalf("sessions page: %d\n%s", status, body)
	}
	res, _ := e.do("congdan", http.MethodPost, "/phien-dang-nhap/"+spareID, url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/phien-dang-nhap?ok=revoked" {
		t.Fatalf("revoke: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := e.f.DB.UserByToken(ctx, spare, store.TokenSession); apperr.Code(err) != apperr.EUNAUTHORIZED {
		t.Fatalf("revoked session still valid: %v", err)
	}
	// Another user's session id: not found, nothing ended.
	other, otherID, _ := e.f.DB.NewToken(ctx, store.TokenSpec{UserID: e.f.Users["canbo"].ID, Kind: store.TokenSession})
	if res, _ := e.do("congdan", http.MethodPost, "/phien-dang-nhap/"+otherID, url.Values{}); res.StatusCode != 404 {
		t.Fatalf("revoking another user's session: %d", res.StatusCode)
	}

	// The administrator sees and ends it; the other unit's admin path is not found.
	status, body = e.get("quantri", "/quan-tri/nguoi-dung/canbo")
	if status != 200 || !strings.Contains(body, `action="/quan-tri/nguoi-dung/canbo/phien/`+otherID+`"`) {
		t.Fatalf("admin user page lists no sessions: %d", status)
	}
	if res, _ := e.do("quantri", http.MethodPost, "/quan-tri/nguoi-dung/canbo.ngocha/phien/"+otherID, url.Values{}); res.StatusCode != 404 {
		t.Fatalf("admin revoking through another unit's officer: %d", res.StatusCode)
	}
	if _, err := e.f.DB.UserByToken(ctx, other, store.TokenSession); err != nil {
		t.Fatalf("session ended by a refused request: %v", err)
	}
	res, _ = e.do("quantri", http.MethodPost, "/quan-tri/nguoi-dung/canbo/phien/"+otherID, url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin revoke: %d", res.StatusCode)
	}
	if _, err := e.f.DB.UserByToken(ctx, other, store.TokenSession); apperr.Code(err) != apperr.EUNAUTHORIZED {
		t.Fatalf("session revoked by the admin still valid: %v", err)
	}
}
