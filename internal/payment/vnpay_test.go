package payment

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSignData: the signed string is the vnp_ parameters with a value,
// sorted, encoded as PHP's urlencode (space as +, ~ and non-ASCII as %XX),
// without the hash and its type.
func TestSignData(t *testing.T) {
	q := url.Values{"vnp_TxnRef": {"A1"}, "vnp_OrderInfo": {"Nộp phí ~ hồ sơ"}, "vnp_Amount": {"1000000"}, "vnp_BankCode": {""},
		"vnp_SecureHash": {"x"}, "vnp_SecureHashType": {"HmacSHA512"}, "other": {"y"}}
	want := "vnp_Amount=1000000&vnp_OrderInfo=N%E1%BB%99p+ph%C3%AD+%7E+h%E1%BB%93+s%C6%A1&vnp_TxnRef=A1"
	if got := SignData(q); got != want {
		t.Errorf("SignData = %s, want %s", got, want)
	}
}

// TestVerifyIPN: a notification signed with the secret verifies with its
// amount in đồng; one changed after signing, signed with another secret or
// for another merchant does not.
func TestVerifyIPN(t *testing.T) {
	v := &VNPay{URL: "https://pay.example/vpcpay.html", TmnCode: "TMN1", Secret: "bi-mat"}
	signed := func(secret string, edit func(url.Values)) url.Values {
		q := url.Values{"vnp_Amount": {"1000000"}, "vnp_TmnCode": {"TMN1"}, "vnp_TxnRef": {"REF1"}, "vnp_ResponseCode": {"00"},
			"vnp_TransactionStatus": {"00"}, "vnp_TransactionNo": {"14000001"}, "vnp_PayDate": {"20260302101500"}}
		edit(q)
		q.Set("vnp_SecureHash", strings.ToUpper(Sign(secret, SignData(q)))) // hex case does not matter
		return q
	}
	n, err := v.VerifyIPN(signed("bi-mat", func(url.Values) {}))
	if err != nil || n.Amount != 10000 || !n.OK || n.TxnRef != "REF1" || n.PayDate.Equal(time.Time{}) {
		t.Fatalf("good notice: %+v %v", n, err)
	}
	tampered := signed("bi-mat", func(url.Values) {})
	tampered.Set("vnp_Amount", "100")
	for name, q := range map[string]url.Values{
		"tampered":       tampered,
		"other secret":   signed("khac", func(url.Values) {}),
		"other merchant": signed("bi-mat", func(q url.Values) { q.Set("vnp_TmnCode", "TMN2") }),
		"no hash":        {"vnp_Amount": {"1000000"}, "vnp_TxnRef": {"REF1"}},
	} {
		if _, err := v.VerifyIPN(q); err != ErrSignature {
			t.Errorf("%s: %v, want ErrSignature", name, err)
		}
	}
	if n, err := v.VerifyIPN(signed("bi-mat", func(q url.Values) { q.Set("vnp_Amount", "1000050") })); err != nil || n.Amount != -1 {
		t.Errorf("a fraction of a đồng: %+v %v, want amount -1", n, err)
	}
}
