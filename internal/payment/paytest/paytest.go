// Package paytest is a local payment gateway for tests: a real HTTP server
// on loopback that behaves like VNPAY's sandbox. It checks the signature of
// the redirect it receives exactly (with its own encoder, written apart
// from the one under test), then calls the merchant's IPN address with a
// correctly signed notification, and sends the browser back to the return
// address.
package paytest

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// Gateway is the test gateway.
type Gateway struct {
	Srv     *httptest.Server
	TmnCode string
	Secret  string
	// IPNURL is where notifications go; set it once the merchant's server
	// listens.
	IPNURL string
	// Fail makes the next payments report a failure (card declined).
	Fail atomic.Bool
	// Now is the gateway's clock, for vnp_PayDate (default time.Now).
	Now func() time.Time

	mu      sync.Mutex
	replies []Reply
	refused []string
	txnNo   int
}

// Reply is an IPN answer the gateway received.
type Reply struct {
	RspCode string `json:"RspCode"`
	Message string `json:"Message"`
}

// New starts the gateway; the caller closes Srv.
func New(tmn, secret string) *Gateway {
	g := &Gateway{TmnCode: tmn, Secret: secret, txnNo: 14000000, Now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /paymentv2/vpcpay.html", g.pay)
	g.Srv = httptest.NewServer(mux)
	return g
}

// PayURL is the gateway's payment page.
func (g *Gateway) PayURL() string { return g.Srv.URL + "/paymentv2/vpcpay.html" }

// Replies are the IPN answers received, in order.
func (g *Gateway) Replies() []Reply {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Reply(nil), g.replies...)
}

// Refused are the reasons of the redirects the gateway refused.
func (g *Gateway) Refused() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.refused...)
}

var required = []string{"vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef", "vnp_OrderInfo",
	"vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_ExpireDate"}

// pay is the payment page: it checks the request as VNPAY does (code 70
// is VNPAY's "wrong signature"), pays, notifies and returns.
func (g *Gateway) pay(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if reason := g.check(q); reason != "" {
		g.mu.Lock()
		g.refused = append(g.refused, reason)
		g.mu.Unlock()
		http.Error(w, "code=70 "+reason, http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.txnNo++
	no := g.txnNo
	g.mu.Unlock()
	status := "00"
	if g.Fail.Load() {
		status = "24" // the customer cancelled
	}
	n := g.Notice(q.Get("vnp_TxnRef"), q.Get("vnp_Amount"), status, no)
	n.Set("vnp_OrderInfo", q.Get("vnp_OrderInfo"))
	g.SignInto(n)
	if _, err := g.Notify(n); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	http.Redirect(w, r, q.Get("vnp_ReturnUrl")+"?"+n.Encode(), http.StatusFound)
}

func (g *Gateway) check(q url.Values) string {
	for _, k := range required {
		if q.Get(k) == "" {
			return "missing " + k
		}
	}
	switch {
	case q.Get("vnp_Version") != "2.1.0" || q.Get("vnp_Command") != "pay" || q.Get("vnp_CurrCode") != "VND":
		return "unsupported version, command or currency"
	case q.Get("vnp_TmnCode") != g.TmnCode:
		return "unknown merchant"
	case !hmac.Equal([]byte(q.Get("vnp_SecureHash")), []byte(g.sign(q))):
		return "invalid signature"
	}
	return ""
}

// Notice is an unsigned notification of a payment: amount in đồng × 100,
// status 00 for success, no the gateway's transaction number.
func (g *Gateway) Notice(txnRef, amount, status string, no int) url.Values {
	return url.Values{
		"vnp_Amount": {amount}, "vnp_BankCode": {"NCB"}, "vnp_BankTranNo": {fmt.Sprintf("VNP%d", no)},
		"vnp_CardType": {"ATM"}, "vnp_OrderInfo": {"Nop phi"}, "vnp_PayDate": {g.Now().In(calendar.Zone).Format("20060102150405")},
		"vnp_ResponseCode": {status}, "vnp_TmnCode": {g.TmnCode}, "vnp_TransactionNo": {fmt.Sprint(no)},
		"vnp_TransactionStatus": {status}, "vnp_TxnRef": {txnRef},
	}
}

// SignInto signs q in place.
func (g *Gateway) SignInto(q url.Values) { q.Set("vnp_SecureHash", g.sign(q)) }

// sign is VNPAY's scheme: vnp_ parameters with a value, but the hash and
// its type, sorted, each name and value encoded as PHP's urlencode, joined
// with &, HMAC-SHA512 with the secret, hex.
func (g *Gateway) sign(q url.Values) string {
	var keys []string
	for k := range q {
		if strings.HasPrefix(k, "vnp_") && k != "vnp_SecureHash" && k != "vnp_SecureHashType" && q.Get(k) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(phpURLEncode(k) + "=" + phpURLEncode(q.Get(k)))
	}
	m := hmac.New(sha512.New, []byte(g.Secret))
	m.Write([]byte(b.String()))
	return hex.EncodeToString(m.Sum(nil))
}

// phpURLEncode keeps letters, digits and -_. , writes a space as +, and
// every other byte as %XX.
func phpURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Notify sends q to the IPN address as the gateway does (GET, no cookie)
// and returns the merchant's answer.
func (g *Gateway) Notify(q url.Values) (Reply, error) {
	resp, err := http.Get(g.IPNURL + "?" + q.Encode())
	if err != nil {
		return Reply{}, err
	}
	defer resp.Body.Close()
	var rep Reply
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return Reply{}, fmt.Errorf("IPN answer %d is not JSON: %w", resp.StatusCode, err)
	}
	g.mu.Lock()
	g.replies = append(g.replies, rep)
	g.mu.Unlock()
	return rep, nil
}
