package announce

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/mail"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Channels a resident may follow a group on: the outbox's senders.
const (
	ChannelEmail = notify.ChannelEmail
	ChannelSMS   = notify.ChannelSMS
	ChannelZalo  = notify.ChannelZalo
)

// Channels lists them in the form's order.
var Channels = []string{ChannelSMS, ChannelZalo, ChannelEmail}

// Confirmation rules: a code or a link lasts ConfirmTTL; a subscription
// takes at most MaxAttempts wrong codes before it must be asked again.
const (
	ConfirmTTL  = 30 * time.Minute
	MaxAttempts = 5
)

// Subscription is one address following one group.
type Subscription struct {
	ID          int64
	Ref         string // random, named by the signed links
	GroupCode   string
	Channel     string
	Address     string // 0xxxxxxxxx for SMS and Zalo, the bare e-mail address
	Confirmed   bool
	CodeHash    string // the SMS or Zalo code's hash; "" for e-mail
	CodeExpires time.Time
	Attempts    int
	CreatedAt   time.Time
	ConfirmedAt time.Time
}

// NormalizeAddress checks an address for its channel and returns it in its
// stored form.
func NormalizeAddress(channel, addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	switch channel {
	case ChannelSMS, ChannelZalo:
		p, err := vntext.NormalizePhone(addr)
		if err != nil {
			return "", apperr.Invalid("address", "Số điện thoại không hợp lệ", "invalid phone number")
		}
		if !strings.HasPrefix(p, "02") {
			return p, nil
		}
		// A landline (02x) takes no SMS and has no Zalo account.
		return "", apperr.Invalid("address", "Cần số điện thoại di động để nhận tin nhắn", "messages need a mobile number")
	case ChannelEmail:
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Name != "" || !unit.ValidEmail(a.Address) {
			return "", apperr.Invalid("address", "Địa chỉ thư điện tử không hợp lệ", "invalid e-mail address")
		}
		return strings.ToLower(a.Address), nil
	}
	return "", apperr.Invalid("channel", "Kênh nhận phải là sms, zalo hoặc email", "the channel must be sms, zalo or email")
}

// NewRef is a subscription's random reference.
func NewRef() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewCode is a six-digit confirmation code.
func NewCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// HashCode is what is stored of a code: it is bound to the subscription's
// reference, so equal codes of two subscriptions do not look alike.
func HashCode(ref, code string) string {
	s := sha256.Sum256([]byte(ref + "\x00" + strings.TrimSpace(code)))
	return hex.EncodeToString(s[:])
}

// CheckCode checks a code typed for the subscription at now. Every
// refusal, and a subscription already confirmed, gives the same answer
// (ErrCodeRefused): what a code form answers must not tell whether an
// address follows a group. Only a wrong code of a live subscription is
// errWrongCode, the one the store counts as an attempt.
func (s *Subscription) CheckCode(code string, now time.Time) error {
	switch {
	case s.Confirmed, s.CodeHash == "", now.After(s.CodeExpires), s.Attempts >= MaxAttempts:
		return ErrCodeRefused
	case subtle.ConstantTimeCompare([]byte(HashCode(s.Ref, code)), []byte(s.CodeHash)) != 1:
		return errWrongCode
	}
	return nil
}

// ErrCodeRefused is the one answer of a code that confirms nothing: wrong,
// expired, spent, of no subscription or of one already confirmed. It is
// "not found", so that the public limit counts it as a failed guess.
var ErrCodeRefused = apperr.NotFound("Mã xác nhận không đúng hoặc đã hết hạn; nếu đã quá 30 phút hoặc nhập sai 5 lần, vui lòng đăng ký lại",
	"wrong or expired confirmation code; after 30 minutes or five wrong codes, please subscribe again")

// errWrongCode answers like ErrCodeRefused, but is counted as an attempt.
var errWrongCode = &apperr.Error{Code: ErrCodeRefused.Code, Message: ErrCodeRefused.Message, MessageEn: ErrCodeRefused.MessageEn}

// IsWrongCode tells whether err is a wrong code (counted as an attempt).
func IsWrongCode(err error) bool { return err == errWrongCode }
