package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// VNPay is VNPAY's payment gateway, version 2.1.0.
type VNPay struct {
	URL     string // the payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html
	TmnCode string // the merchant's terminal code
	Secret  string // the hash secret (vnp_HashSecret)
}

// Name implements Gateway.
func (v *VNPay) Name() string { return "vnpay" }

// Origin implements Gateway.
func (v *VNPay) Origin() string {
	u, err := url.Parse(v.URL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// dateLayout is VNPAY's date: yyyyMMddHHmmss in GMT+7, Việt Nam's time.
const dateLayout = "20060102150405"

// ErrSignature is a query whose signature does not verify.
var ErrSignature = errors.New("payment: invalid signature")

// PaymentURL implements Gateway: the order's parameters, sorted, encoded
// and signed with HMAC-SHA512 as VNPAY's samples do.
func (v *VNPay) PaymentURL(o Order) (string, error) {
	if o.Amount <= 0 {
		return "", errors.New("payment: the amount must be positive")
	}
	q := url.Values{
		"vnp_Version": {"2.1.0"}, "vnp_Command": {"pay"}, "vnp_TmnCode": {v.TmnCode},
		"vnp_Amount": {strconv.FormatInt(o.Amount*100, 10)}, "vnp_CurrCode": {"VND"}, "vnp_TxnRef": {o.TxnRef},
		"vnp_OrderInfo": {o.Info}, "vnp_OrderType": {"billpayment"}, "vnp_Locale": {"vn"}, "vnp_ReturnUrl": {o.ReturnURL},
		"vnp_IpAddr": {o.ClientIP}, "vnp_CreateDate": {o.Created.In(calendar.Zone).Format(dateLayout)},
		"vnp_ExpireDate": {o.Expires.In(calendar.Zone).Format(dateLayout)},
	}
	data := SignData(q)
	sep := "?"
	if strings.Contains(v.URL, "?") {
		sep = "&"
	}
	return v.URL + sep + data + "&vnp_SecureHash=" + Sign(v.Secret, data), nil
}

// SignData is the string VNPAY signs: the vnp_ parameters with a value,
// but the hash itself and its type, sorted by name, each name and value
// encoded as PHP's urlencode does, joined with &.
func SignData(q url.Values) string {
	var keys []string
	for k, v := range q {
		if strings.HasPrefix(k, "vnp_") && k != "vnp_SecureHash" && k != "vnp_SecureHashType" && len(v) > 0 && v[0] != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = urlencode(k) + "=" + urlencode(q.Get(k))
	}
	return strings.Join(parts, "&")
}

// urlencode is PHP's urlencode, which VNPAY's reference code uses: Go's
// QueryEscape leaves '~' as it is, PHP encodes it.
func urlencode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "~", "%7E")
}

// Sign is the hex HMAC-SHA512 of data with the secret.
func Sign(secret, data string) string {
	m := hmac.New(sha512.New, []byte(secret))
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyReturn implements Gateway; the return carries the same signed
// parameters as the IPN.
func (v *VNPay) VerifyReturn(q url.Values) (Notice, error) { return v.VerifyIPN(q) }

// VerifyIPN implements Gateway: the signature over every other vnp_
// parameter must match, compared in constant time, and the notice must be
// for this merchant.
func (v *VNPay) VerifyIPN(q url.Values) (Notice, error) {
	got, err := hex.DecodeString(strings.ToLower(q.Get("vnp_SecureHash")))
	want, _ := hex.DecodeString(Sign(v.Secret, SignData(q)))
	if err != nil || !hmac.Equal(got, want) || q.Get("vnp_TmnCode") != v.TmnCode {
		return Notice{}, ErrSignature
	}
	n := Notice{TxnRef: q.Get("vnp_TxnRef"), GatewayTxnNo: q.Get("vnp_TransactionNo"), BankCode: q.Get("vnp_BankCode"),
		OK: q.Get("vnp_ResponseCode") == "00" && q.Get("vnp_TransactionStatus") == "00", Digest: Digest(q)}
	hundredths, err := strconv.ParseInt(q.Get("vnp_Amount"), 10, 64)
	if err != nil || hundredths <= 0 || hundredths%100 != 0 {
		n.Amount = -1 // signed but not a whole number of đồng: never equal to a pending amount
	} else {
		n.Amount = hundredths / 100
	}
	n.PayDate, _ = time.ParseInLocation(dateLayout, q.Get("vnp_PayDate"), calendar.Zone)
	return n, nil
}

// Digest is the SHA-256 of a notification's signed string and hash: two
// deliveries of the same notification have the same digest.
func Digest(q url.Values) string {
	s := sha256.Sum256([]byte(SignData(q) + "&" + strings.ToLower(q.Get("vnp_SecureHash"))))
	return hex.EncodeToString(s[:])
}
