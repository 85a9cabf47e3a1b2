// Package payment takes fees online through a payment gateway with the
// redirect-and-signed-callback flow of Việt Nam's gateways: the citizen is
// sent to the gateway with a signed query, the gateway tells the server the
// outcome in a signed server-to-server notification (IPN), and only that
// notification, verified, moves the dossier out of "waiting for payment".
// The browser's return to the site shows the outcome but decides nothing.
package payment

import (
	"net/url"
	"time"
)

// Statuses of a payment.
const (
	StatusPending  = "pending"  // sent to the gateway, no notification yet
	StatusPaid     = "paid"     // a verified notification confirmed it; the dossier moved
	StatusFailed   = "failed"   // the gateway reported the payment failed or was cancelled
	StatusMismatch = "mismatch" // the gateway took money that does not match (amount, or the dossier no longer waits): to reconcile by hand
)

// Channel is what an online payment records for the indicators of
// Decision 766 (3.5, 3.5b, 3.6): the dossier was paid online.
const Channel = "online"

// Payment is one attempt to pay a dossier's fee online.
type Payment struct {
	TxnRef        string    `json:"txn_ref"` // ours, unique; the gateway echoes it
	DossierCode   string    `json:"dossier_code"`
	UnitCode      string    `json:"unit_code"`
	ProcedureCode string    `json:"procedure_code"`
	Amount        int64     `json:"amount"` // đồng
	Status        string    `json:"status"`
	Gateway       string    `json:"gateway"`
	GatewayTxnNo  string    `json:"gateway_txn_no,omitempty"`
	BankCode      string    `json:"bank_code,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	ExpiresAt     time.Time `json:"expires_at"`
	PaidAt        time.Time `json:"paid_at,omitzero"`
	Digest        string    `json:"-"` // SHA-256 of the notification that settled it
	Note          string    `json:"note,omitempty"`
}

// Order is what the gateway's redirect carries.
type Order struct {
	TxnRef    string
	Amount    int64 // đồng
	Info      string
	ReturnURL string
	ClientIP  string
	Created   time.Time
	Expires   time.Time
}

// Notice is a verified message from the gateway: the IPN or the browser's
// return.
type Notice struct {
	TxnRef       string
	Amount       int64 // đồng
	OK           bool  // the gateway says the money was taken
	GatewayTxnNo string
	BankCode     string
	PayDate      time.Time
	Digest       string // SHA-256 of the signed query, to tell notifications apart
}

// Gateway is a payment gateway's redirect-and-callback protocol.
type Gateway interface {
	Name() string
	// Origin is the scheme and host of the payment page, which the site's
	// pages must allow their forms to lead to.
	Origin() string
	// PaymentURL is the signed address the citizen's browser is sent to.
	PaymentURL(o Order) (string, error)
	// VerifyReturn checks the query of the browser's return.
	VerifyReturn(q url.Values) (Notice, error)
	// VerifyIPN checks the query of the server-to-server notification.
	VerifyIPN(q url.Values) (Notice, error)
}

// IPN answers, as VNPAY documents them: the gateway retries a notification
// until it gets one of these.
const (
	RspSuccess    = "00"
	RspNotFound   = "01"
	RspAlready    = "02"
	RspBadAmount  = "04"
	RspBadSig     = "97"
	RspOtherError = "99"
)

// Reply is the JSON the gateway expects back from the IPN.
type Reply struct {
	RspCode string `json:"RspCode"`
	Message string `json:"Message"`
}

var replyMessage = map[string]string{
	RspSuccess: "Confirm Success", RspNotFound: "Order not found", RspAlready: "Order already confirmed",
	RspBadAmount: "Invalid amount", RspBadSig: "Invalid signature", RspOtherError: "Unknown error",
}

// ReplyOf is the answer with code's message.
func ReplyOf(code string) Reply { return Reply{RspCode: code, Message: replyMessage[code]} }
