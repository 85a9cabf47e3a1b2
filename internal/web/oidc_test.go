package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/identity/idptest"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// The provider's users: citizens new and known, officers, and answers
// that must be refused.
var oidcUsers = []idptest.User{
	{Username: "an", Password: "pw-an", Name: "Nguyễn Văn An", PersonalID: "001090012345"},
	{Username: "lan", Password: "pw-lan", Name: "Hoàng Thị Lan", PersonalID: "001190012345"}, // the demo's congdan
	{Username: "cv", Password: "pw-cv", Name: "Trần Văn Đức", PersonalID: "001085012345"},
	{Username: "noid", Password: "pw-noid", Name: "Không Số"},
	{Username: "badid", Password: "pw-badid", Name: "Sai Số", PersonalID: "999090012345"},
	{Username: "oldid", Password: "pw-oldid", Name: "Số Cũ", PersonalID: "012345678"},
}

// oidcEnv is a motcua server on loopback signing in through a motcua-idp
// process, with the provider's token answers open to rewriting on the way
// (the tampering tests) and the log kept to read why a sign-in was refused.
type oidcEnv struct {
	t       *testing.T
	f       *storetest.Fixture
	s       *Server
	srv     *httptest.Server
	idp     *idptest.IdP
	prov    *identity.Provider
	rewrite *tokenRewriter
	log     *lockedBuffer
	clock   struct {
		sync.Mutex
		skew time.Duration
	}
}

// tokenRewriter changes the provider's token answers on their way to
// motcua, when told to.
type tokenRewriter struct {
	mu sync.Mutex
	fn func(map[string]any)
}

func (tr *tokenRewriter) set(fn func(map[string]any)) { tr.mu.Lock(); tr.fn = fn; tr.mu.Unlock() }

func (tr *tokenRewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	tr.mu.Lock()
	fn := tr.fn
	tr.mu.Unlock()
	if err != nil || fn == nil || !strings.HasSuffix(req.URL.Path, "/oauth/token") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	fn(m)
	body, _ = json.Marshal(m)
	res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	res.Header.Del("Content-Length")
	return res, nil
}

func newOIDCEnv(t *testing.T, engine string, officers bool, limits ...Limits) *oidcEnv {
	f := storetest.NewFixture(t, engine)
	e := &oidcEnv{t: t, f: f, s: newTestServer(t, f), rewrite: &tokenRewriter{}, log: &lockedBuffer{}}
	e.s.Log = slog.New(slog.NewTextHandler(e.log, nil))
	for _, l := range limits {
		e.s.Limits = l
	}
	e.srv = httptest.NewServer(e.s.Handler())
	t.Cleanup(e.srv.Close)
	cb := e.srv.URL + identity.CallbackPath
	e.idp = idptest.Start(t, []idptest.Client{{ID: "motcua", Secret: "motcua-secret", Redirects: []string{cb}},
		{ID: "other", Secret: "other-secret", Redirects: []string{cb}}}, oidcUsers)
	prov, err := identity.NewProvider(identity.Config{Issuer: e.idp.Issuer, ClientID: "motcua", ClientSecret: "motcua-secret",
		RedirectURL: cb, Officers: officers})
	if err != nil {
		t.Fatal(err)
	}
	prov.Client = &http.Client{Transport: e.rewrite, Timeout: 30 * time.Second}
	prov.Now = func() time.Time {
		e.clock.Lock()
		defer e.clock.Unlock()
		return time.Now().Add(e.clock.skew)
	}
	e.prov = prov
	e.s.Identity = prov
	return e
}

// login starts a sign-in at motcua with a fresh browser, signs in at the
// provider's form, and returns the browser and the address the provider
// sends it back to.
func (e *oidcEnv) login(username, password, next string) (*http.Client, *url.URL) {
	e.t.Helper()
	b := e.idp.Browser()
	start := e.srv.URL + "/auth/oidc/login"
	if next != "" {
		start += "?next=" + url.QueryEscape(next)
	}
	loc, err := e.idp.SignIn(b, start, username, password)
	if err != nil {
		e.t.Fatal(err)
	}
	if !strings.HasPrefix(loc.String(), e.srv.URL+identity.CallbackPath+"?") {
		e.t.Fatalf("provider sent the browser to %s", loc)
	}
	return b, loc
}

// handle is the browser's cookie of the login under way.
func (e *oidcEnv) handle(b *http.Client) string {
	e.t.Helper()
	u, _ := url.Parse(e.srv.URL + identity.CallbackPath)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == oidcCookie {
			return c.Value
		}
	}
	e.t.Fatal("no login cookie")
	return ""
}

// replay is a fresh browser holding only the login cookie.
func (e *oidcEnv) replay(handle string) *http.Client {
	b := e.idp.Browser()
	u, _ := url.Parse(e.srv.URL + identity.CallbackPath)
	b.Jar.SetCookies(u, []*http.Cookie{{Name: oidcCookie, Value: handle, Path: "/auth/oidc/"}})
	return b
}

// back follows the provider's redirect into motcua.
func (e *oidcEnv) back(b *http.Client, loc *url.URL) (*http.Response, string) {
	e.t.Helper()
	res, err := b.Get(loc.String())
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

// signedIn is the account the browser's session belongs to, or nil.
func (e *oidcEnv) signedIn(b *http.Client) *auth.User {
	e.t.Helper()
	u, _ := url.Parse(e.srv.URL)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			user, err := e.f.DB.UserByToken(context.Background(), c.Value, store.TokenSession)
			if err != nil {
				e.t.Fatal(err)
			}
			return user
		}
	}
	return nil
}

func (e *oidcEnv) users() int {
	n, err := e.f.DB.CountUsers(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// refused checks a refusal: the error page with its Vietnamese message,
// no session, no account made, and the cause in the log.
func (e *oidcEnv) refused(b *http.Client, loc *url.URL, status int, message, logged string) {
	e.t.Helper()
	before := e.users()
	res, body := e.back(b, loc)
	if res.StatusCode != status || !strings.Contains(body, message) {
		e.t.Fatalf("want %d with %q, got %d:\n%s", status, message, res.StatusCode, body)
	}
	if u := e.signedIn(b); u != nil {
		e.t.Fatalf("refused, yet signed in as %s", u.Username)
	}
	if n := e.users(); n != before {
		e.t.Fatalf("refused, yet %d accounts made", n-before)
	}
	if logged != "" && !strings.Contains(e.log.String(), logged) {
		e.t.Fatalf("the log does not say %q:\n%s", logged, e.log.String())
	}
}

func TestOIDCSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newOIDCEnv(t, engine, false)
		ctx := context.Background()

		// The sign-in page offers the provider.
		res, err := http.Get(e.srv.URL + "/dang-nhap?next=/ho-so")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(page), "Đăng nhập bằng tài khoản định danh điện tử (VNeID)") || !strings.Contains(string(page), `href="/auth/oidc/login?next=%2fho-so"`) {
			t.Fatalf("no VNeID button on the sign-in page:\n%s", page)
		}

		// First sign-in makes the citizen's account.
		before := e.users()
		b, loc := e.login("an", "pw-an", "/thu-tuc")
		handle := e.handle(b)
		res, _ = e.back(b, loc)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/thu-tuc" {
			t.Fatalf("callback: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		u := e.signedIn(b)
		if u == nil || u.Username != "cd001090012345" || u.Role != auth.RoleApplicant || u.IDNumber != "001090012345" || u.FullName != "Nguyễn Văn An" {
			t.Fatalf("signed in as %+v", u)
		}
		if e.users() != before+1 {
			t.Fatalf("accounts: %d, want %d", e.users(), before+1)
		}
		if _, err := e.f.DB.Authenticate(ctx, u.Username, u.PasswordHash); err == nil {
			t.Fatal("the account made by the provider signs in with a password")
		}
		// The same callback again, with the login's cookie, is refused:
		// the login was used.
		e.refused(e.replay(handle), loc, http.StatusUnprocessableEntity, "không hợp lệ hoặc đã được dùng", "")

		// Second sign-in: the same account, no new one; home when no next.
		b, loc = e.login("an", "pw-an", "")
		res, _ = e.back(b, loc)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ho-so" {
			t.Fatalf("second callback: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if u2 := e.signedIn(b); u2 == nil || u2.ID != u.ID || e.users() != before+1 {
			t.Fatalf("second sign-in: %+v, %d accounts", u2, e.users())
		}
		res, err = b.Get(e.srv.URL + "/ho-so")
		if err != nil {
			t.Fatal(err)
		}
		page, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "Nguyễn Văn An") {
			t.Fatalf("/ho-so signed in: %d\n%s", res.StatusCode, page)
		}

		// Several servers on one database: the login started on one is
		// taken by another, which has the same public address.
		db2, err := store.Open(ctx, e.f.DSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		db2.Now = e.f.Clock.Now
		s2 := &Server{DB: db2, Log: e.s.Log, Now: e.f.Clock.Now, Identity: e.prov}
		srv2 := httptest.NewServer(s2.Handler())
		t.Cleanup(srv2.Close)
		b, loc = e.login("an", "pw-an", "/thu-tuc")
		other, _ := url.Parse(srv2.URL + loc.RequestURI())
		res, _ = e.back(b, other)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/thu-tuc" {
			t.Fatalf("callback on the second server: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if u2 := e.signedIn(b); u2 == nil || u2.ID != u.ID {
			t.Fatalf("second server signed in %+v", u2)
		}

		// A citizen with an account already: the provider signs in to it.
		b, loc = e.login("lan", "pw-lan", "")
		e.back(b, loc)
		if u := e.signedIn(b); u == nil || u.Username != "congdan" {
			t.Fatalf("known citizen signed in as %+v", u)
		}

		// A wrong state is refused, and the login is used up by it.
		b, loc = e.login("an", "pw-an", "")
		handle = e.handle(b)
		bad := *loc
		q := bad.Query()
		q.Set("state", "x"+q.Get("state"))
		bad.RawQuery = q.Encode()
		e.refused(b, &bad, http.StatusUnprocessableEntity, "không hợp lệ hoặc đã được dùng", "")
		e.refused(e.replay(handle), loc, http.StatusUnprocessableEntity, "không hợp lệ hoặc đã được dùng", "")

		// Without the browser's cookie: refused.
		_, loc = e.login("an", "pw-an", "")
		e.refused(e.idp.Browser(), loc, http.StatusUnprocessableEntity, "không hợp lệ hoặc đã được dùng", "")

		// A login older than 10 minutes is refused.
		b, loc = e.login("an", "pw-an", "")
		e.f.Clock.Advance(11 * time.Minute)
		e.refused(b, loc, http.StatusUnprocessableEntity, "đã hết hạn", "")

		// The provider's error is shown.
		b, loc = e.login("an", "pw-an", "")
		q = url.Values{"state": {loc.Query().Get("state")}, "error": {"access_denied"}}
		loc.RawQuery = q.Encode()
		e.refused(b, loc, http.StatusForbidden, "từ chối đăng nhập (access_denied)", "")

		// A tampered ID token: one byte of its signature flipped.
		e.rewrite.set(func(m map[string]any) {
			tok := m["id_token"].(string)
			i := strings.LastIndexByte(tok, '.') + 5
			c := byte('A')
			if tok[i] == 'A' {
				c = 'B'
			}
			m["id_token"] = tok[:i] + string(c) + tok[i+1:]
		})
		b, loc = e.login("an", "pw-an", "")
		e.refused(b, loc, http.StatusUnprocessableEntity, "Không xác minh được thông tin định danh", "failed to verify signature")
		e.rewrite.set(nil)

		// A token made for another client (its audience), with the same
		// nonce: refused.
		e.wrongAudience()

		// An expired token: motcua's clock past its end.
		e.clock.Lock()
		e.clock.skew = 2 * time.Hour
		e.clock.Unlock()
		b, loc = e.login("an", "pw-an", "")
		e.refused(b, loc, http.StatusUnprocessableEntity, "Không xác minh được thông tin định danh", "token is expired")
		e.clock.Lock()
		e.clock.skew = 0
		e.clock.Unlock()

		// The ID number missing, invalid, or an old 9-digit one: refused,
		// no account made.
		for _, c := range []struct{ user, msg string }{
			{"noid", "không gửi số định danh cá nhân"},
			{"badid", "Số định danh cá nhân do nhà cung cấp gửi không hợp lệ"},
			{"oldid", "số chứng minh nhân dân 9 chữ số không dùng để đăng nhập"},
		} {
			b, loc = e.login(c.user, "pw-"+c.user, "")
			e.refused(b, loc, http.StatusUnprocessableEntity, c.msg, "")
		}

	})
}

// wrongAudience signs in at the provider as the other client, with the
// nonce of motcua's login, and hands motcua that client's ID token.
func (e *oidcEnv) wrongAudience() {
	e.t.Helper()
	nr := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	jar := e.idp.Browser().Jar
	nr.Jar = jar
	res, err := nr.Get(e.srv.URL + "/auth/oidc/login")
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	authURL, err := res.Location()
	if err != nil {
		e.t.Fatal(err)
	}
	if q := authURL.Query(); q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("nonce") == "" ||
		q.Get("state") == "" || q.Get("response_type") != "code" || q.Get("client_id") != "motcua" {
		e.t.Fatalf("authorization request: %s", authURL)
	}
	b := e.idp.Browser()
	b.Jar = jar
	loc, err := e.idp.SignIn(b, authURL.String(), "an", "pw-an")
	if err != nil {
		e.t.Fatal(err)
	}
	// The other client's own login, with motcua's nonce.
	other := *authURL
	q := other.Query()
	vb := make([]byte, 32)
	_, _ = rand.Read(vb)
	verifier := base64.RawURLEncoding.EncodeToString(vb)
	q.Set("client_id", "other")
	q.Set("state", "other-state")
	q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))
	other.RawQuery = q.Encode()
	otherLoc, err := e.idp.SignIn(e.idp.Browser(), other.String(), "an", "pw-an")
	if err != nil {
		e.t.Fatal(err)
	}
	cfg := oauth2.Config{ClientID: "other", ClientSecret: "other-secret", RedirectURL: e.srv.URL + identity.CallbackPath,
		Endpoint: oauth2.Endpoint{TokenURL: e.idp.Issuer + "oauth/token", AuthStyle: oauth2.AuthStyleInHeader}}
	tok, err := cfg.Exchange(context.Background(), otherLoc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		e.t.Fatal(err)
	}
	otherID := tok.Extra("id_token").(string)
	e.rewrite.set(func(m map[string]any) { m["id_token"] = otherID })
	defer e.rewrite.set(nil)
	e.refused(b, loc, http.StatusUnprocessableEntity, "Không xác minh được thông tin định danh", "expected audience")
}

func TestOIDCOfficers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newOIDCEnv(t, engine, true)
		ctx := context.Background()
		cv := auth.User{Username: "cv.oidc", FullName: "Trần Văn Đức", Role: auth.RoleSpecialist, UnitCode: demo.Ward, Department: "TP-HT", IDNumber: "001085012345"}
		if err := e.f.DB.CreateUser(ctx, &cv, "pw-cv-oidc"); err != nil {
			t.Fatal(err)
		}
		nr := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		// An officer's password is refused, on the page and on the API.
		res, err := nr.PostForm(e.srv.URL+"/dang-nhap", url.Values{"username": {"cv.oidc"}, "password": {"pw-cv-oidc"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Cán bộ đăng nhập bằng tài khoản định danh điện tử (VNeID)") ||
			len(res.Cookies()) != 0 {
			t.Fatalf("officer's password sign-in: %d\n%s", res.StatusCode, body)
		}
		res, err = nr.Post(e.srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"username":"cv.oidc","password":"pw-cv-oidc"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer's password sign-in on the API: %d", res.StatusCode)
		}
		// A citizen's password still works.
		res, err = nr.PostForm(e.srv.URL+"/dang-nhap", url.Values{"username": {"congdan"}, "password": {demo.Password()}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("citizen's password sign-in: %d", res.StatusCode)
		}
		// The officer signs in through the provider to the officer's account.
		before := e.users()
		b, loc := e.login("cv", "pw-cv", "")
		res, _ = e.back(b, loc)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/viec-cua-toi" {
			t.Fatalf("officer's callback: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if u := e.signedIn(b); u == nil || u.ID != cv.ID || e.users() != before {
			t.Fatalf("officer signed in as %+v", u)
		}
		// A disabled officer is refused.
		if err := e.f.DB.SetUserDisabled(ctx, demo.Ward, "cv.oidc", true); err != nil {
			t.Fatal(err)
		}
		b, loc = e.login("cv", "pw-cv", "")
		e.refused(b, loc, http.StatusForbidden, "Tài khoản đã bị khóa", "")
	})
}

// TestOIDCLoginLimit: logins started from one address count against the
// sign-in limit per address; one that ends signed in is given back.
func TestOIDCLoginLimit(t *testing.T) {
	e := newOIDCEnv(t, store.SQLite, false, Limits{SigninAddr: Rate{3, time.Minute}})
	nr := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	start := func() *http.Response {
		t.Helper()
		res, err := nr.Get(e.srv.URL + "/auth/oidc/login")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	b, loc := e.login("an", "pw-an", "") // the first of three
	for range 2 {
		if res := start(); res.StatusCode != http.StatusFound {
			t.Fatalf("start: %d", res.StatusCode)
		}
	}
	// The first signs in: given back, one more may start.
	if res, _ := e.back(b, loc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d", res.StatusCode)
	}
	if res := start(); res.StatusCode != http.StatusFound {
		t.Fatalf("start after a sign-in given back: %d", res.StatusCode)
	}
	if res := start(); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("over the limit: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
