package payment

import (
	"net/url"
	"testing"
)

// FuzzVerifyIPN feeds arbitrary query strings to the notification check: it
// never panics, and accepts only what carries the merchant's code and the
// signature of its own parameters under the secret.
func FuzzVerifyIPN(f *testing.F) {
	v := &VNPay{TmnCode: "MOTCUA01", Secret: "bi-mat-thu-nghiem"}
	good := url.Values{"vnp_TmnCode": {"MOTCUA01"}, "vnp_TxnRef": {"REF1"}, "vnp_Amount": {"1000000"},
		"vnp_ResponseCode": {"00"}, "vnp_TransactionStatus": {"00"}, "vnp_PayDate": {"20260302093000"}}
	good.Set("vnp_SecureHash", Sign(v.Secret, SignData(good)))
	for _, s := range []string{good.Encode(), "vnp_SecureHash=zz&vnp_TmnCode=MOTCUA01", "", "%", "vnp_Amount=-100&vnp_SecureHash=00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		n, err := v.VerifyIPN(q)
		if err != nil {
			return
		}
		if q.Get("vnp_TmnCode") != v.TmnCode {
			t.Fatalf("accepted another merchant's notice: %q", raw)
		}
		if want := Sign(v.Secret, SignData(q)); !equalFold(q.Get("vnp_SecureHash"), want) {
			t.Fatalf("accepted a notice whose hash is not its signature: %q", raw)
		}
		if n.Amount == 0 || (n.Amount > 0 && n.Amount*100 > 1<<62) {
			t.Fatalf("amount %d from %q", n.Amount, raw)
		}
	})
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}
