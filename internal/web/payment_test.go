package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/payment/paytest"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// lockedBuffer is a log the server's goroutines write to while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// payEnv is the server with online payment on, against the local test
// gateway, which calls the server's IPN address over loopback.
type payEnv struct {
	*pagesEnv
	gw   *paytest.Gateway
	logs *lockedBuffer
}

const payProc = "1.000689" // fee 10 000 đ

func newPayEnv(t *testing.T, engine string) *payEnv {
	e := newPagesEnvOn(t, engine)
	gw := paytest.New("MOTCUA01", "khoa-bi-mat-chi-de-thu")
	t.Cleanup(gw.Srv.Close)
	gw.Now = e.f.Clock.Now
	gw.IPNURL = e.srv.URL + "/api/v1/payments/ipn"
	logs := &lockedBuffer{}
	e.s.Payments = &payment.Service{Gateway: &payment.VNPay{URL: gw.PayURL(), TmnCode: gw.TmnCode, Secret: gw.Secret},
		Store: store.Payments{DB: e.f.DB}, Dossiers: e.f.Svc, Log: slog.New(slog.NewTextHandler(logs, nil)), Now: e.f.Clock.Now,
		Refused: payment.NewRefusedCounter()}
	e.s.metrics.MustRegister(e.s.Payments.Refused) // as serve does through Server.Collectors
	return &payEnv{pagesEnv: e, gw: gw, logs: logs}
}

// waiting is congdan's online dossier, received and asked for its fee with
// no amount named: the procedure's fee applies.
func (e *payEnv) waiting() string {
	e.t.Helper()
	ctx := context.Background()
	d, err := e.f.Svc.Submit(ctx, e.f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: payProc, Components: demo.Required(payProc),
		UnitCode: "00004", Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678"}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, act := range []string{dossier.ActReceive, dossier.ActRequestPayment} {
		if _, err := e.f.Svc.Act(ctx, e.f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: act}); err != nil {
			e.t.Fatal(act, err)
		}
	}
	return d.Code
}

// pay presses "Pay online" as congdan and returns the gateway address the
// server sent the browser to.
func (e *payEnv) pay(code string) *url.URL {
	e.t.Helper()
	res, body := e.do("congdan", http.MethodPost, "/ho-so/"+code+"/thanh-toan", url.Values{})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, e.gw.PayURL()+"?") {
		e.t.Fatalf("pay: %d %s %s", res.StatusCode, loc, mainOf(body))
	}
	u, _ := url.Parse(loc)
	return u
}

func (e *payEnv) dossier(code string) *dossier.Dossier {
	e.t.Helper()
	d, err := store.Dossiers{DB: e.f.DB}.Get(context.Background(), code)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// TestPaymentOnline: the citizen pays through the gateway; the gateway's
// signed notification moves the dossier out of "waiting for payment" with
// an event in its chained history, by the gateway's actor; the return page
// says so; the receipt is a PDF; the same notification again is refused.
func TestPaymentOnline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPayEnv(t, engine)
		code := e.waiting()
		if _, body := e.get("congdan", "/ho-so/"+code); !strings.Contains(body, "/ho-so/"+code+"/thanh-toan") {
			t.Fatalf("the applicant's page has no pay button: %s", mainOf(body))
		}
		if _, body := e.get("canbo", "/ho-so/"+code); strings.Contains(body, "/thanh-toan") {
			t.Error("an officer is offered the citizen's pay button")
		}
		to := e.pay(code)
		if got := to.Query().Get("vnp_Amount"); got != "1000000" {
			t.Errorf("vnp_Amount = %s, want the procedure's fee 10 000 đ × 100", got)
		}
		before := e.dossier(code)

		res, err := e.client.Get(to.String()) // the browser at the gateway
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if r := e.gw.Refused(); len(r) > 0 {
			t.Fatalf("the gateway refused our redirect: %v", r)
		}
		if r := e.gw.Replies(); len(r) != 1 || r[0].RspCode != "00" || r[0].Message != "Confirm Success" {
			t.Fatalf("IPN answers = %+v", r)
		}
		d := e.dossier(code)
		last := d.History[len(d.History)-1]
		if d.Status != dossier.StatusReceived || d.PaidAt.IsZero() || last.Action != dossier.ActConfirmPayment ||
			last.ActorName != "Cổng thanh toán" || len(d.History) != len(before.History)+1 || !strings.Contains(last.Note, to.Query().Get("vnp_TxnRef")) {
			t.Fatalf("after the IPN: status %d paid %v, last event %+v", d.Status, d.PaidAt, last)
		}
		if n := dossier.VerifyChain(code, d.History); n != 0 {
			t.Fatalf("history chain broken at %d", n)
		}

		back := res.Header.Get("Location") // the browser returns to the site
		u, _ := url.Parse(back)
		if st, body := e.get("congdan", u.RequestURI()); st != 200 || !strings.Contains(body, "Đã xác nhận thanh toán") {
			t.Errorf("return page: %d %s", st, mainOf(body))
		}
		for who, want := range map[string]int{"congdan": 200, "canbo": 200, "lanhdao": 200, "canbo.ngocha": 404, "": 303} {
			res, body := e.do(who, http.MethodGet, "/ho-so/"+code+"/bien-lai", nil)
			if res.StatusCode != want || want == 200 && (!strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf") {
				t.Errorf("receipt as %q: %d %s, want %d", who, res.StatusCode, res.Header.Get("Content-Type"), want)
			}
		}

		rep, err := e.gw.Notify(u.Query()) // the same notification again
		if err != nil || rep.RspCode != "02" {
			t.Fatalf("replayed IPN: %+v %v", rep, err)
		}
		if again := e.dossier(code); len(again.History) != len(d.History) || again.Version != d.Version {
			t.Errorf("a replayed IPN changed the dossier: %d events, version %d", len(again.History), again.Version)
		}
		if !strings.Contains(e.logs.String(), "reason=replay") {
			t.Errorf("the replay is not logged: %s", e.logs)
		}
	})
}

// TestPaymentRefusals: a tampered notification, one with the wrong amount,
// one for an unknown transaction, and the browser's return alone are
// refused or ignored; none moves the dossier; each refusal is logged and in
// the day's reconciliation.
func TestPaymentRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPayEnv(t, engine)
		code := e.waiting()
		ref := e.pay(code).Query().Get("vnp_TxnRef")
		before := e.dossier(code)
		// An unknown reference longer than the 100 bytes kept, cut in the
		// middle of a two-byte letter.
		longRef := "X" + strings.Repeat("Đ", 60)
		signed := func(ref, amount string) url.Values {
			q := e.gw.Notice(ref, amount, "00", 99)
			e.gw.SignInto(q)
			return q
		}

		// The browser's return, though signed and successful, decides nothing.
		ret := signed(ref, "1000000")
		if st, body := e.get("congdan", "/thanh-toan/ket-qua?"+ret.Encode()); st != 200 || !strings.Contains(body, "Thanh toán thành công, đang chờ xác nhận") {
			t.Errorf("return page: %d %s", st, mainOf(body))
		}
		tampered := signed(ref, "100") // signed for 1 đ, then raised to the fee
		tampered.Set("vnp_Amount", "1000000")
		forged := signed(ref, "1000000")
		forged.Set("vnp_SecureHash", strings.Repeat("ab", 64))
		cases := []struct {
			name string
			q    url.Values
			code string
		}{
			{"tampered", tampered, payment.RspBadSig},
			{"forged", forged, payment.RspBadSig},
			{"unknown", signed(longRef, "1000000"), payment.RspNotFound},
			{"wrong amount", signed(ref, "100000"), payment.RspBadAmount},
			{"after the mismatch", signed(ref, "1000000"), payment.RspAlready},
		}
		for _, c := range cases {
			rep, err := e.gw.Notify(c.q)
			if err != nil || rep.RspCode != c.code {
				t.Errorf("%s: %+v %v, want %s", c.name, rep, err, c.code)
			}
			if d := e.dossier(code); d.Status != dossier.StatusPayment || d.Version != before.Version || !d.PaidAt.IsZero() {
				t.Fatalf("%s moved the dossier: status %d version %d", c.name, d.Status, d.Version)
			}
		}
		p, err := store.Payments{DB: e.f.DB}.Payment(context.Background(), ref)
		if err != nil || p.Status != payment.StatusMismatch {
			t.Errorf("payment after a wrong amount: %+v %v", p, err)
		}
		// The two with a bad signature in the same minute: only the first
		// is logged (forged ones are sampled), and neither is stored.
		if n := strings.Count(e.logs.String(), "payment notification refused"); n != len(cases)-1 {
			t.Errorf("%d refusals logged, want %d:\n%s", n, len(cases)-1, e.logs)
		}
		rep, err := e.s.Payments.Reconcile(context.Background(), e.f.Clock.Now())
		if err != nil || len(rep.Refused) != len(cases)-2 || len(rep.Mismatch) != 1 || rep.MisSum != 10000 || len(rep.Paid) != 0 {
			t.Fatalf("reconciliation: %+v %v", rep, err)
		}
		for _, r := range rep.Refused {
			if r.Reason == "signature" {
				t.Errorf("a notification with a bad signature was stored: %+v", r)
			}
			if r.Reason == "unknown" && (!utf8.ValidString(r.TxnRef) || len(r.TxnRef) > 100 || !strings.HasPrefix(longRef, r.TxnRef) || len(r.TxnRef) < 99) {
				t.Errorf("the unknown reference is kept as %q (%d bytes), want its first 100 bytes cut between letters", r.TxnRef, len(r.TxnRef))
			}
		}
	})
}

// TestPaymentReconcile: the day's report lists the paid transactions with
// their total, and a payment left pending past its expiry.
func TestPaymentReconcile(t *testing.T) {
	e := newPayEnv(t, store.SQLite)
	paid, left := e.waiting(), e.waiting()
	res, err := e.client.Get(e.pay(paid).String())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	e.pay(left)
	e.f.Clock.Advance(20 * time.Minute)
	rep, err := e.s.Payments.Reconcile(context.Background(), e.f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Paid) != 1 || rep.Paid[0].DossierCode != paid || rep.PaidSum != 10000 || len(rep.Pending) != 1 ||
		rep.Pending[0].DossierCode != left || rep.PendSum != 10000 || len(rep.Mismatch) != 0 {
		t.Errorf("report: %+v", rep)
	}
	day := e.f.Clock.Now().Truncate(24 * time.Hour)
	n, procs, err := store.Payments{DB: e.f.DB}.PaidOnline(context.Background(), "00004", day.Add(-24*time.Hour), day.Add(48*time.Hour))
	if err != nil || n != 1 || len(procs) != 1 || procs[0] != payProc {
		t.Errorf("paid online for the indicators: %d %v %v", n, procs, err)
	}
}

// TestPaymentScopes: only the dossier's applicant may start a payment, and
// only while the dossier waits for its fee.
func TestPaymentScopes(t *testing.T) {
	e := newPayEnv(t, store.SQLite)
	e.addUser(auth.User{Username: "congdan2", FullName: "Đặng Văn Bình", Role: auth.RoleApplicant, IDNumber: "001090054321"}, "mat-khau-dai-1")
	code := e.waiting()
	for who, want := range map[string]int{"congdan2": 404, "canbo": 403, "canbo.ngocha": 404, "": 303} {
		if res, _ := e.do(who, http.MethodPost, "/ho-so/"+code+"/thanh-toan", url.Values{}); res.StatusCode != want {
			t.Errorf("pay as %q: %d, want %d", who, res.StatusCode, want)
		}
	}
	other := e.submit(true) // not waiting for a fee
	if res, _ := e.do("congdan", http.MethodPost, "/ho-so/"+other+"/thanh-toan", url.Values{}); res.StatusCode != http.StatusConflict {
		t.Errorf("pay a dossier not waiting for its fee: %d, want 409", res.StatusCode)
	}
	if res, _ := e.do("congdan", http.MethodGet, "/ho-so/"+code+"/bien-lai", nil); res.StatusCode != 404 {
		t.Errorf("receipt before payment: %d, want 404", res.StatusCode)
	}
}

// TestPaymentForgedFlood: anyone can call the notification address, so a
// flood of notifications with a bad signature must cost no write: each is
// answered 97, counted on /metrics, logged at most once a minute (with the
// number left out), and never stored.
func TestPaymentForgedFlood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPayEnv(t, engine)
		code := e.waiting()
		ref := e.pay(code).Query().Get("vnp_TxnRef")
		before := e.dossier(code)
		forged := func(i int) {
			q := e.gw.Notice(ref, "1000000", "00", i)
			e.gw.SignInto(q)
			q.Set("vnp_SecureHash", strings.Repeat("ab", 64))
			if rep, err := e.gw.Notify(q); err != nil || rep.RspCode != payment.RspBadSig {
				t.Fatalf("forged notification %d: %+v %v", i, rep, err)
			}
		}
		const flood = 30
		for i := range flood {
			forged(i)
		}
		now := e.f.Clock.Now()
		stored, err := store.Payments{DB: e.f.DB}.RefusalsBetween(context.Background(), now.Add(-time.Hour), now.Add(time.Hour))
		if err != nil || len(stored) != 0 {
			t.Errorf("forged notifications stored: %d rows %v", len(stored), err)
		}
		if _, metrics := e.get("", "/metrics"); !strings.Contains(metrics, fmt.Sprintf(`motcua_payment_notifications_refused_total{reason="signature"} %d`, flood)) {
			t.Errorf("/metrics does not count the %d forged notifications:\n%s", flood, metrics)
		}
		if n := strings.Count(e.logs.String(), "reason=signature"); n != 1 {
			t.Errorf("%d log lines for %d forged notifications in one minute, want 1:\n%s", n, flood, e.logs)
		}
		e.f.Clock.Advance(time.Minute)
		forged(flood)
		if n := strings.Count(e.logs.String(), "reason=signature"); n != 2 || !strings.Contains(e.logs.String(), fmt.Sprintf("left_out=%d", flood-1)) {
			t.Errorf("a minute later: %d log lines, want 2, the second saying %d were left out:\n%s", n, flood-1, e.logs)
		}
		p, err := store.Payments{DB: e.f.DB}.Payment(context.Background(), ref)
		if d := e.dossier(code); err != nil || p.Status != payment.StatusPending || d.Version != before.Version {
			t.Errorf("the flood changed the payment (%+v %v) or the dossier (version %d, was %d)", p, err, d.Version, before.Version)
		}
	})
}

// TestPaymentStaleRequest: a payment confirms only the fee request it was
// made for. Paid at the gateway after the counter took the fee in cash and
// asked for another (of another amount, or the same), or after the order
// expired, it confirms nothing: it is answered "already confirmed" and set
// aside as a mismatch to refund by hand, and the new request still waits.
func TestPaymentStaleRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPayEnv(t, engine)
		ctx := context.Background()
		act := func(code string, req dossier.ActionRequest) {
			t.Helper()
			e.f.Clock.Advance(time.Minute)
			if _, err := e.f.Svc.Act(ctx, e.f.Actors["canbo"], code, req); err != nil {
				t.Fatal(req.Action, err)
			}
		}
		cases := []struct {
			name  string
			again int64 // the second request's amount; 0: the procedure's fee again; -1: no second request
			wait  time.Duration
			fee   int64 // the fee the dossier waits for at the end
		}{
			{"another amount asked", 25000, 0, 25000},
			{"the same amount asked again", 0, 0, 10000},
			{"paid after the order expired", -1, 16 * time.Minute, 10000},
		}
		for _, c := range cases {
			code := e.waiting()
			e.f.Clock.Advance(time.Minute)
			to := e.pay(code) // the citizen leaves the gateway's page open
			if c.again >= 0 {
				act(code, dossier.ActionRequest{Action: dossier.ActConfirmPayment, Note: "Nộp tiền mặt tại quầy"})
				act(code, dossier.ActionRequest{Action: dossier.ActRequestPayment, Amount: c.again})
			}
			e.f.Clock.Advance(c.wait)
			before := e.dossier(code)
			res, err := e.client.Get(to.String()) // and pays there, late
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			replies := e.gw.Replies()
			if last := replies[len(replies)-1]; last.RspCode != payment.RspAlready {
				t.Errorf("%s: IPN answer %+v, want %s", c.name, last, payment.RspAlready)
			}
			d := e.dossier(code)
			if d.Status != dossier.StatusPayment || d.FeeAmount != c.fee || d.Version != before.Version || len(d.History) != len(before.History) {
				t.Errorf("%s: the old payment moved the dossier: status %d fee %d version %d (was %d)", c.name, d.Status, d.FeeAmount, d.Version, before.Version)
			}
			p, err := store.Payments{DB: e.f.DB}.Payment(ctx, to.Query().Get("vnp_TxnRef"))
			if err != nil || p.Status != payment.StatusMismatch || p.Note == "" {
				t.Errorf("%s: payment %+v %v, want a mismatch with a note", c.name, p, err)
			}
		}
		rep, err := e.s.Payments.Reconcile(ctx, e.f.Clock.Now())
		if err != nil || len(rep.Mismatch) != len(cases) || rep.MisSum != 10000*int64(len(cases)) || len(rep.Paid) != 0 {
			t.Errorf("reconciliation: %+v %v", rep, err)
		}
	})
}
