package webhook

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary headers and bodies to the receiver's check: it
// never panics and accepts only a request signed with the secret for that
// id, timestamp and body, within the tolerance.
func FuzzVerify(f *testing.F) {
	secret := "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	now := time.Unix(1_780_000_000, 0)
	sig, _ := Sign(secret, "msg_1", now, []byte(`{}`))
	f.Add("msg_1", "1780000000", sig, []byte(`{}`))
	f.Add("msg_1", "1780000000", "v1,AAAA "+sig, []byte(`{"x":1}`))
	f.Add("", "-1", "v1", []byte(nil))
	f.Fuzz(func(t *testing.T, id, ts, sigs string, body []byte) {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sigs)
		if Verify(secret, h, body, now) != nil {
			return
		}
		want, err := Sign(secret, h.Get("webhook-id"), parseUnix(t, h.Get("webhook-timestamp")), body)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range strings.Fields(h.Get("webhook-signature")) {
			found = found || s == want
		}
		if !found {
			t.Fatalf("accepted id %q ts %q sigs %q without the right signature", id, ts, sigs)
		}
	})
}

func parseUnix(t *testing.T, s string) time.Time {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("accepted timestamp %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return time.Unix(n, 0)
}
