package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/store"
)

// Rate is a limit: at most N attempts in each fixed window of Per. The zero
// Rate takes the default; a negative N turns the limit off.
type Rate struct {
	N   int
	Per time.Duration
}

// ParseRate reads "N/DURATION" (e.g. "20/15m") or "off".
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Rate{N: -1, Per: time.Minute}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	c, err := strconv.Atoi(n)
	d, derr := time.ParseDuration(per)
	if !ok || err != nil || derr != nil || c < 1 || d < time.Second {
		return Rate{}, apperr.Invalid("rate", fmt.Sprintf("Giới hạn %q không hợp lệ: cần dạng SỐ/THỜI_GIAN, ví dụ 20/15m (tối thiểu 1 lần trong 1s), hoặc off", s),
			fmt.Sprintf("limit %q is not valid: want COUNT/DURATION, e.g. 20/15m (at least 1 per 1s), or off", s))
	}
	return Rate{N: c, Per: d}, nil
}

// Set reads a rate from a command-line flag.
func (r *Rate) Set(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func (r Rate) String() string {
	if r.N < 0 {
		return "off"
	}
	d := r.Per.String() // 15m0s → 15m, 1h0m0s → 1h
	if strings.HasSuffix(d, "m0s") {
		d = strings.TrimSuffix(d, "0s")
	}
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return fmt.Sprintf("%d/%s", r.N, d)
}

// Limits bound sign-in and the public forms per address and per account.
// Sign-in counts failures: one account from one address is slowed
// (SigninSlow) then locked (SigninPair), one address on any accounts is
// locked (SigninAddr), and one account from anywhere only at a much higher
// count and briefly (SigninAccount), so that nobody can lock a user out for
// long. The public look-up and the anonymous forms count per address the
// attempts that found nothing (Public, see publicTry). A zero field takes
// its default (DefaultLimits).
type Limits struct {
	SigninSlow, SigninPair, SigninAddr, SigninAccount, Public Rate

	// Petition bounds the petitions sent from one address (or one
	// account): every one counts, found or not.
	Petition Rate
	// Queue bounds what one address may ask of the counter queue without
	// an account: tickets from a kiosk, appointments booked, check-ins
	// (queueTry). A kiosk signed in with an officer's account is not
	// counted.
	Queue Rate
	// Booking bounds the appointments one address books without an
	// account, on top of Queue: a booking holds a place for days, so a
	// few invented phones must not fill a unit's calendar.
	Booking Rate
	// Subscribe bounds the subscriptions to residential groups asked from
	// one address: each sends a code or a link to a phone or a mailbox,
	// so every one counts.
	Subscribe Rate
	// SubscribeTo bounds the codes and links sent to one phone or
	// mailbox (channel and normalised address), whatever the group and
	// whoever asks: many addresses must not flood one recipient.
	SubscribeTo Rate

	// TrustedProxies are the addresses of the reverse proxies whose
	// X-Forwarded-For header names the client; without them the client
	// is the connection's address.
	TrustedProxies []netip.Prefix
}

// DefaultLimits are the limits of a server that sets none.
var DefaultLimits = Limits{
	SigninSlow:    Rate{5, time.Minute},
	SigninPair:    Rate{20, 15 * time.Minute},
	SigninAddr:    Rate{50, 15 * time.Minute},
	SigninAccount: Rate{200, 5 * time.Minute},
	Public:        Rate{60, 10 * time.Minute},
	Petition:      Rate{10, time.Hour},
	Queue:         Rate{300, 10 * time.Minute},
	Booking:       Rate{5, time.Hour},
	Subscribe:     Rate{10, time.Hour},
	SubscribeTo:   Rate{3, 24 * time.Hour},
}

func (l Limits) orDefault() Limits {
	for _, p := range []struct{ r, def *Rate }{{&l.SigninSlow, &DefaultLimits.SigninSlow}, {&l.SigninPair, &DefaultLimits.SigninPair},
		{&l.SigninAddr, &DefaultLimits.SigninAddr}, {&l.SigninAccount, &DefaultLimits.SigninAccount}, {&l.Public, &DefaultLimits.Public},
		{&l.Petition, &DefaultLimits.Petition}, {&l.Queue, &DefaultLimits.Queue},
		{&l.Booking, &DefaultLimits.Booking}, {&l.Subscribe, &DefaultLimits.Subscribe},
		{&l.SubscribeTo, &DefaultLimits.SubscribeTo}} {
		if p.r.N == 0 || (p.r.N > 0 && p.r.Per <= 0) {
			*p.r = *p.def
		}
	}
	return l
}

// Counter kinds, also the label of the refusals metric.
const (
	limitSigninSlow    = "signin_slow"
	limitSigninPair    = "signin_pair"
	limitSigninAddr    = "signin_addr"
	limitSigninAccount = "signin_account"
	limitPublic        = "public"
	limitPetition      = "petition"
	limitQueue         = "queue"
	limitBooking       = "booking"
	limitSubscribe     = "subscribe"
	limitSubscribeTo   = "subscribe_to"
	limitBoards        = "board_streams" // open calling-board streams of one server (api_queue_board.go)
)

type limitRule struct {
	store.Counter
	max int
}

func counters(rules []limitRule) []store.Counter {
	cs := make([]store.Counter, len(rules))
	for i, rl := range rules {
		cs[i] = rl.Counter
	}
	return cs
}

// attempt is one counted attempt: its counters, so that a success can give
// it back.
type attempt struct {
	rules []limitRule
	now   time.Time
}

// signinAttempt counts a sign-in attempt on username from the client's
// address, before the password is checked, and refuses it with ETOOMANY
// when a limit is over: the password of a locked account is not even
// tried. One upsert per attempt; a success gives the attempt back
// (signinOK), so only failures add up.
func (s *Server) signinAttempt(w http.ResponseWriter, r *http.Request, username string) (*attempt, error) {
	l, addr := s.limits, s.clientAddr(r)
	account := accountKey(username)
	var rules []limitRule
	for _, c := range []struct {
		kind, key string
		rate      Rate
	}{
		{limitSigninSlow, account + "|" + addr, l.SigninSlow},
		{limitSigninPair, account + "|" + addr, l.SigninPair},
		{limitSigninAddr, addr, l.SigninAddr},
		{limitSigninAccount, account, l.SigninAccount},
	} {
		if c.rate.N > 0 {
			rules = append(rules, limitRule{store.Counter{Kind: c.kind, Key: c.key, Window: c.rate.Per}, c.rate.N})
		}
	}
	return s.count(w, r, rules)
}

// signinOK gives back a successful attempt, so that a user who signs in
// often is never slowed.
func (s *Server) signinOK(r *http.Request, a *attempt) {
	if a == nil || len(a.rules) == 0 {
		return
	}
	if err := s.DB.Unhit(r.Context(), a.now, counters(a.rules)...); err != nil {
		s.Log.Warn("throttle: give back a successful sign-in", "err", err)
	}
}

// publicTry runs a public look-up or an anonymous form (try) for the
// client's address unless the address's failed attempts are over the limit,
// and counts the attempt only when it failed to find the dossier: the limit
// is against guessing codes and ID numbers, and a citizen who finds his
// dossier costs a read, not a write (a write per look-up cut the look-up's
// throughput by five on SQLite's single writer; docs/benchmarks.md).
func (s *Server) publicTry(w http.ResponseWriter, r *http.Request, try func() error) error {
	rate := s.limits.Public
	if rate.N <= 0 {
		return try()
	}
	now := s.Now()
	c := store.Counter{Kind: limitPublic, Key: s.clientAddr(r), Window: rate.Per}
	counts, err := s.DB.Counts(r.Context(), now, c)
	if err != nil {
		return err
	}
	if counts[0] >= rate.N {
		return s.refuse(w, limitPublic, c.WindowEnd(now).Sub(now))
	}
	err = try()
	if apperr.Code(err) == apperr.ENOTFOUND {
		if _, herr := s.DB.Hit(r.Context(), now, c); herr != nil {
			s.Log.Warn("throttle: count a failed look-up", "err", herr)
		}
	}
	return err
}

// queueTry counts an anonymous request to the counter queue (a ticket, a
// booking, a check-in) against the address's limit, every attempt alike:
// the limit is against flooding the queue. Officers are not counted, so
// a kiosk signed in with a counter account is never refused.
func (s *Server) queueTry(w http.ResponseWriter, r *http.Request) error {
	return s.anonymousTry(w, r, limitQueue)
}

// bookingTry counts an anonymous booking against both the queue's limit
// and the much lower Booking one.
func (s *Server) bookingTry(w http.ResponseWriter, r *http.Request) error {
	return s.anonymousTry(w, r, limitQueue, limitBooking)
}

// anonymousTry counts a request without an officer's account against the
// address's limits of the given kinds.
func (s *Server) anonymousTry(w http.ResponseWriter, r *http.Request, kinds ...string) error {
	if actor(r).IsOfficer() {
		return nil
	}
	rates := map[string]Rate{limitQueue: s.limits.Queue, limitBooking: s.limits.Booking}
	var rules []limitRule
	for _, k := range kinds {
		if rate := rates[k]; rate.N > 0 {
			rules = append(rules, limitRule{store.Counter{Kind: k, Key: s.clientAddr(r), Window: rate.Per}, rate.N})
		}
	}
	_, err := s.count(w, r, rules)
	return err
}

// count hits the rules' counters and refuses the attempt when one is over
// its maximum, with a Retry-After header at the end of the latest window
// among the exceeded ones.
func (s *Server) count(w http.ResponseWriter, r *http.Request, rules []limitRule) (*attempt, error) {
	now := s.Now()
	a := &attempt{rules: rules, now: now}
	if len(rules) == 0 {
		return a, nil
	}
	counts, err := s.DB.Hit(r.Context(), now, counters(rules)...)
	if err != nil {
		return nil, err
	}
	var until time.Time
	var kind string
	var others []store.Counter
	for i, rl := range rules {
		if counts[i] <= rl.max {
			others = append(others, rl.Counter)
			continue
		}
		if end := rl.WindowEnd(now); end.After(until) {
			until, kind = end, rl.Kind
		}
	}
	if kind == "" {
		return a, nil
	}
	// A refused attempt counts only against the limits it is over: a
	// locked (account, address) pair hammering on never adds to the
	// account's own count, so that it cannot lock the user out elsewhere.
	if len(others) > 0 {
		if err := s.DB.Unhit(r.Context(), now, others...); err != nil {
			return nil, err
		}
	}
	return nil, s.refuse(w, kind, until.Sub(now))
}

// refuse counts a refusal by the limit kind and answers it with
// Retry-After.
func (s *Server) refuse(w http.ResponseWriter, kind string, wait time.Duration) error {
	s.refusals.WithLabelValues(kind).Inc()
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return tooMany(secs)
}

// tooMany is the refusal, saying how long to wait.
func tooMany(secs int) error {
	vi, en := fmt.Sprintf("%d giây", secs), fmt.Sprintf("%d seconds", secs)
	if secs > 60 {
		m := (secs + 59) / 60
		vi, en = fmt.Sprintf("%d phút", m), fmt.Sprintf("%d minutes", m)
	}
	return apperr.New(apperr.ETOOMANY, "Quá nhiều lần thử; vui lòng thử lại sau "+vi,
		"too many attempts; please try again in "+en)
}

// accountKey is the counters' key of an account name: the name as typed,
// in lower case, or its digest when long, so that a huge name never makes
// a huge row.
func accountKey(username string) string {
	u := strings.ToLower(strings.TrimSpace(username))
	if len(u) <= 64 {
		return u
	}
	sum := sha256.Sum256([]byte(u))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// clientAddr is the address the limits count a request under: the
// connection's address, or when it is a trusted proxy the last address of
// X-Forwarded-For that is not one. An IPv6 client counts as its /64, the
// block a single host is usually given.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if s.trusted(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			addr = hop.Unmap()
			if !s.trusted(addr) {
				break
			}
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.limits.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseProxies reads a comma-separated list of addresses and CIDR blocks.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, apperr.Invalid("trusted-proxy", fmt.Sprintf("Địa chỉ proxy %q không hợp lệ: cần địa chỉ IP hoặc khối CIDR, ví dụ 10.0.0.1 hoặc 10.0.0.0/8", f),
					fmt.Sprintf("proxy address %q is not valid: want an IP address or a CIDR block, e.g. 10.0.0.1 or 10.0.0.0/8", f))
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// newMetrics registers the server's counters on a registry of its own, so
// that several servers in one process (tests) never collide.
func (s *Server) newMetrics() {
	s.metrics = prometheus.NewRegistry()
	s.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "motcua_throttle_refusals_total",
		Help: "Requests refused with 429 by the limits on sign-in and the public forms, by limit.",
	}, []string{"limit"})
	for _, k := range []string{limitSigninSlow, limitSigninPair, limitSigninAddr, limitSigninAccount, limitPublic, limitQueue, limitBooking, limitBoards} {
		s.refusals.WithLabelValues(k) // shown at 0 from the start
	}
	s.metrics.MustRegister(s.refusals)
	s.metrics.MustRegister(s.Collectors...)
}

// metricsHandler serves the counters in Prometheus' text format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics, promhttp.HandlerOpts{})
}
