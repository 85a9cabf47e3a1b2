package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// throttleEnv is a real HTTP server on loopback with the given limits,
// behind a "proxy" at 127.0.0.1 when trustLoopback, so that a test can
// speak from several client addresses with X-Forwarded-For.
type throttleEnv struct {
	t   *testing.T
	f   *storetest.Fixture
	srv *httptest.Server
}

func newThrottleEnv(t *testing.T, engine string, l Limits, trustLoopback bool) *throttleEnv {
	f := storetest.NewFixture(t, engine)
	if trustLoopback {
		l.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}
	s := newTestServer(t, f)
	s.Limits = l
	e := &throttleEnv{t: t, f: f, srv: httptest.NewServer(s.Handler())}
	t.Cleanup(e.srv.Close)
	return e
}

// send makes a request from the client address from ("" = no
// X-Forwarded-For) and returns the status, the Retry-After header and the
// body.
func (e *throttleEnv) send(from, method, path, contentType, body string) (int, string, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), string(b)
}

func (e *throttleEnv) login(from, user, password string) (int, string, string) {
	e.t.Helper()
	b, _ := json.Marshal(loginRequest{Username: user, Password: password})
	return e.send(from, "POST", "/api/v1/login", "application/json", string(b))
}

// errCode is the error code of a JSON error body.
func errCode(t *testing.T, body string) string {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatalf("not a JSON error: %v: %s", err, body)
	}
	return b.Error.Code
}

// TestSigninLockout: 50 wrong passwords in 12 s used to be answered 401
// and the 51st, right, signed in. Now the (account, address) pair is slowed
// after 5 failures in a minute: the rest and the right 51st are refused
// with 429, Retry-After and a Vietnamese-first message, on the API and on
// the page, while the real user signs in from another address; after the
// window the right password works again from the first address too.
func TestSigninLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newThrottleEnv(t, engine, Limits{}, true)
		const attacker, user = "203.0.113.7", "198.51.100.20"
		for i := 1; i <= 50; i++ {
			status, retry, body := e.login(attacker, "canbo", "sai-mat-khau-"+strconv.Itoa(i))
			want := http.StatusUnauthorized
			if i > DefaultLimits.SigninSlow.N {
				want = http.StatusTooManyRequests
			}
			if status != want {
				t.Fatalf("wrong password %d: status %d, want %d: %s", i, status, want, body)
			}
			if want == http.StatusTooManyRequests {
				if code := errCode(t, body); code != "too_many_requests" {
					t.Fatalf("wrong password %d: code %q", i, code)
				}
				if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
					t.Fatalf("wrong password %d: Retry-After %q, want 1..60 seconds", i, retry)
				}
			}
			e.f.Clock.Advance(240 * time.Millisecond) // 50 attempts in 12 s
		}
		status, _, body := e.login(attacker, "canbo", demo.Password())
		if status != http.StatusTooManyRequests || !strings.Contains(body, "Quá nhiều lần thử") {
			t.Fatalf("the right 51st password from the attacker's address: %d %s, want 429 with the Vietnamese message", status, body)
		}
		// The page says so in the page.
		form := url.Values{"username": {"canbo"}, "password": {demo.Password()}}.Encode()
		status, retry, page := e.send(attacker, "POST", "/dang-nhap", "application/x-www-form-urlencoded", form)
		if status != http.StatusTooManyRequests || retry == "" || !strings.Contains(page, "Quá nhiều lần thử") || !strings.Contains(page, "<form") {
			t.Fatalf("sign-in page from the attacker's address: %d (Retry-After %q), want 429 with the message in the form", status, retry)
		}
		// The real user, elsewhere, is not locked out.
		if status, _, body := e.login(user, "canbo", demo.Password()); status != http.StatusOK {
			t.Fatalf("the real user from another address: %d %s", status, body)
		}
		if status, _, _ := e.send(user, "POST", "/dang-nhap", "application/x-www-form-urlencoded", form); status != http.StatusSeeOther {
			t.Fatalf("the real user's sign-in page from another address: %d, want 303", status)
		}
		// The lock ends with its window: no sleeping, the server's clock moves.
		e.f.Clock.Advance(time.Minute)
		if status, _, body := e.login(attacker, "canbo", demo.Password()); status != http.StatusOK {
			t.Fatalf("after the window: %d %s, want 200", status, body)
		}
		_, _, metrics := e.send("", "GET", "/metrics", "", "")
		if !strings.Contains(metrics, `motcua_throttle_refusals_total{limit="signin_slow"} 47`) {
			t.Fatalf("/metrics does not count the 47 refusals (45 wrong, the right one on the API and on the page):\n%s", metrics)
		}
	})
}

// TestSigninAccountLockIsBrief: failures from several addresses lock the
// account itself only at its own, higher count and only until its window
// ends; a locked pair hammering on adds nothing to the account's count; one
// address trying many accounts is locked too.
func TestSigninAccountLockIsBrief(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		l := Limits{SigninSlow: Rate{N: -1}, SigninPair: Rate{3, 15 * time.Minute}, SigninAddr: Rate{10, 15 * time.Minute},
			SigninAccount: Rate{6, 5 * time.Minute}}
		e := newThrottleEnv(t, engine, l, true)
		for _, from := range []string{"203.0.113.1", "203.0.113.2"} {
			for i := range 3 {
				if status, _, body := e.login(from, "canbo", "sai"); status != http.StatusUnauthorized {
					t.Fatalf("failure %d from %s: %d %s", i+1, from, status, body)
				}
			}
			if status, _, _ := e.login(from, "canbo", "sai"); status != http.StatusTooManyRequests {
				t.Fatalf("4th failure from %s: %d, want 429 (pair)", from, status)
			}
		}
		status, retry, body := e.login("198.51.100.20", "canbo", demo.Password())
		if status != http.StatusTooManyRequests || errCode(t, body) != "too_many_requests" {
			t.Fatalf("after 6 failures on the account: %d %s, want 429 (account)", status, body)
		}
		if n, _ := strconv.Atoi(retry); n < 1 || n > 300 {
			t.Fatalf("account lock Retry-After %q, want at most 5 minutes", retry)
		}
		e.f.Clock.Advance(5 * time.Minute)
		// The locked pair hammers on: refused, and not counted on the account.
		for range 20 {
			if status, _, _ := e.login("203.0.113.1", "canbo", "sai"); status != http.StatusTooManyRequests {
				t.Fatalf("locked pair: %d, want 429", status)
			}
		}
		if status, _, body := e.login("198.51.100.20", "canbo", demo.Password()); status != http.StatusOK {
			t.Fatalf("after the account's window: %d %s, want 200", status, body)
		}
		// One address, many accounts.
		for i := range 10 {
			if status, _, _ := e.login("192.0.2.9", "khong-co-"+strconv.Itoa(i), "sai"); status != http.StatusUnauthorized {
				t.Fatalf("account %d from one address: %d, want 401", i, status)
			}
		}
		if status, _, _ := e.login("192.0.2.9", "chuyenvien", demo.Password()); status != http.StatusTooManyRequests {
			t.Fatalf("11th account from one address: %d, want 429 (address)", status)
		}
	})
}

// TestPublicLimit: the look-up (API and page) and the anonymous rating are
// limited per address; another address is not; the limit ends with its
// window; X-Forwarded-For is believed only from a trusted proxy.
func TestPublicLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newThrottleEnv(t, engine, Limits{Public: Rate{3, 10 * time.Minute}}, true)
		const from = "203.0.113.5"
		lookup := "/api/v1/lookup?code=XA-260302-0001&id=001190012345"
		form := url.Values{"code": {"XA-260302-0001"}, "proof": {"001190012345"}}.Encode()
		for i := range 3 {
			if status, _, body := e.send(from, "GET", lookup, "", ""); status != http.StatusNotFound {
				t.Fatalf("look-up %d: %d %s, want 404", i+1, status, body)
			}
		}
		status, retry, body := e.send(from, "GET", lookup, "", "")
		if status != http.StatusTooManyRequests || errCode(t, body) != "too_many_requests" || retry == "" {
			t.Fatalf("4th look-up: %d (Retry-After %q) %s, want 429", status, retry, body)
		}
		for _, path := range []string{"/tra-cuu", "/tra-cuu/danh-gia"} {
			status, _, page := e.send(from, "POST", path, "application/x-www-form-urlencoded", form+"&rating=3")
			if status != http.StatusTooManyRequests || !strings.Contains(page, "Quá nhiều lần thử") {
				t.Fatalf("POST %s over the limit: %d, want 429 with the message in the page", path, status)
			}
		}
		status, _, body = e.send(from, "POST", "/api/v1/dossiers/XA-260302-0001/rating", "application/json", `{"proof":"001190012345","rating":3}`)
		if status != http.StatusTooManyRequests {
			t.Fatalf("anonymous API rating over the limit: %d %s, want 429", status, body)
		}
		if status, _, _ := e.send("203.0.113.6", "GET", lookup, "", ""); status != http.StatusNotFound {
			t.Fatalf("another address: %d, want 404", status)
		}
		e.f.Clock.Advance(10 * time.Minute)
		if status, _, _ := e.send(from, "GET", lookup, "", ""); status != http.StatusNotFound {
			t.Fatalf("after the window: %d, want 404", status)
		}
		_, _, metrics := e.send("", "GET", "/metrics", "", "")
		if !strings.Contains(metrics, `motcua_throttle_refusals_total{limit="public"} 4`) {
			t.Fatalf("/metrics does not count the 4 refusals:\n%s", metrics)
		}

		// Without a trusted proxy, a forged X-Forwarded-For changes nothing.
		plain := newThrottleEnv(t, engine, Limits{Public: Rate{3, 10 * time.Minute}}, false)
		for i := range 4 {
			status, _, _ := plain.send("10.9.9."+strconv.Itoa(i), "GET", lookup, "", "")
			if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusNotFound}[i == 3]; status != want {
				t.Fatalf("forged X-Forwarded-For %d: %d, want %d", i, status, want)
			}
		}
	})
}

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{limits: Limits{TrustedProxies: proxies}}
	for _, c := range []struct{ remote, xff, want string }{
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},             // not a proxy: the header is ignored
		{"192.0.2.1:5000", "1.2.3.4", "1.2.3.4"},                   // a trusted proxy
		{"10.1.2.3:5000", "6.6.6.6, 1.2.3.4, 10.0.0.7", "1.2.3.4"}, // the last hop that is not a proxy
		{"10.1.2.3:5000", "garbage", "10.1.2.3"},                   // nothing usable: the proxy itself
		{"[2001:db8:1:2:3:4:5:6]:443", "", "2001:db8:1:2::/64"},    // IPv6 counts per /64
		{"[::ffff:198.51.100.1]:80", "", "198.51.100.1"},           // IPv4 mapped
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientAddr(r); got != c.want {
			t.Errorf("clientAddr(%s, %q) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if _, err := ParseProxies("10.0.0.0/8,proxy.local"); err == nil {
		t.Error("a host name was taken as a proxy address")
	}
	for in, want := range map[string]string{"20/15m": "20/15m", "3/1h": "3/1h", "5/90s": "5/1m30s", "off": "off"} {
		r, err := ParseRate(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	l := Limits{Public: Rate{N: -1}, SigninPair: Rate{N: 7}}.orDefault()
	if l.Public.N != -1 || l.SigninPair != DefaultLimits.SigninPair || l.SigninSlow != DefaultLimits.SigninSlow {
		t.Errorf("defaults: %+v; want the public limit off, the others filled in", l)
	}
	for _, bad := range []string{"", "20", "0/1m", "5/10ms", "x/1m"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}

// TestPublicLimitCountsFailuresOnly: the look-up limit is against guessing,
// so a citizen who finds his dossier again and again is never refused, and
// costs no write; failures from the same address still are.
func TestPublicLimitCountsFailuresOnly(t *testing.T) {
	e := newThrottleEnv(t, store.SQLite, Limits{Public: Rate{3, 10 * time.Minute}}, true)
	d, err := e.f.Svc.Submit(context.Background(), e.f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001612",
		Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
	if err != nil {
		t.Fatal(err)
	}
	const from = "203.0.113.7"
	found := "/api/v1/lookup?code=" + d.Code + "&id=001090012345"
	for i := range 10 {
		if status, _, body := e.send(from, "GET", found, "", ""); status != http.StatusOK {
			t.Fatalf("look-up %d of one's own dossier: %d %s", i+1, status, body)
		}
	}
	if n, err := e.f.DB.Counts(context.Background(), e.f.Clock.Now(), store.Counter{Kind: limitPublic, Key: from, Window: 10 * time.Minute}); err != nil || n[0] != 0 {
		t.Fatalf("successful look-ups were counted: %v %v", n, err)
	}
	for i := range 3 {
		if status, _, _ := e.send(from, "GET", "/api/v1/lookup?code="+d.Code+"&id=001090099999", "", ""); status != http.StatusNotFound {
			t.Fatalf("wrong ID %d: %d", i+1, status)
		}
	}
	if status, _, _ := e.send(from, "GET", found, "", ""); status != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures, even the right ID waits: %d", status)
	}
}

// TestBookingLimit: one address books five appointments an hour without an
// account (invented phones, each a real place held for days); the sixth
// is refused with 429 and Retry-After, while another address still books.
func TestBookingLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newThrottleEnv(t, engine, Limits{}, true)
		book := func(from string, i int) (int, string, string) {
			slot := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC).Add(time.Duration(i) * 30 * time.Minute) // 13:00 local onwards
			body := fmt.Sprintf(`{"unit":"00004","procedure":"1.001193","slot":%q,"person":{"name":"Người hẹn","phone":"09123456%02d"}}`,
				slot.Format(time.RFC3339), i)
			return e.send(from, "POST", "/api/v1/appointments", "application/json", body)
		}
		const flooder = "203.0.113.9"
		for i := range 5 {
			if st, _, body := book(flooder, i); st != http.StatusCreated {
				t.Fatalf("booking %d: %d %s", i+1, st, body)
			}
		}
		st, retry, body := book(flooder, 5)
		if st != http.StatusTooManyRequests || retry == "" || errCode(t, body) != "too_many_requests" {
			t.Errorf("a sixth booking within the hour: %d Retry-After %q %s", st, retry, body)
		}
		if st, _, body := book("198.51.100.20", 6); st != http.StatusCreated {
			t.Errorf("another address: %d %s", st, body)
		}
	})
}
