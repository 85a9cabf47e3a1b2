package payment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// Store keeps payments.
type Store interface {
	CreatePayment(ctx context.Context, p *Payment) error
	Payment(ctx context.Context, txnRef string) (*Payment, error)
	// PaidPayment is the dossier's paid payment (the last one).
	PaidPayment(ctx context.Context, dossierCode string) (*Payment, error)
	// SettlePayment reads the pending payment txnRef and its dossier in one
	// transaction, lets settle change both, and writes the payment as paid
	// with the dossier's change through the dossier write path. A payment
	// no longer pending fails with ErrSettled.
	SettlePayment(ctx context.Context, txnRef string, settle func(p *Payment, d *dossier.Dossier) (dossier.Change, error)) error
	// ClosePayment marks a pending payment failed or mismatch.
	ClosePayment(ctx context.Context, txnRef, status string, n Notice, note string) error
	LogRefusal(ctx context.Context, r Refusal) error
	// PaymentsBetween are the payments created or settled in [from, to),
	// and RefusalsBetween the notifications refused then.
	PaymentsBetween(ctx context.Context, from, to time.Time) ([]Payment, error)
	RefusalsBetween(ctx context.Context, from, to time.Time) ([]Refusal, error)
}

// ErrSettled is a payment that is no longer pending.
var ErrSettled = errors.New("payment: already settled")

// Refusal is a notification the server refused.
type Refusal struct {
	At     time.Time `json:"at"`
	TxnRef string    `json:"txn_ref"`
	Reason string    `json:"reason"` // signature, unknown, replay, amount, not_waiting
	Digest string    `json:"digest"`
	Remote string    `json:"remote,omitempty"`
}

// Service takes payments for dossiers.
type Service struct {
	Gateway  Gateway
	Store    Store
	Dossiers *dossier.Service
	Log      *slog.Logger
	Now      func() time.Time
	// Expiry is how long the gateway keeps a payment open (default 15
	// minutes, VNPAY's usual).
	Expiry time.Duration
}

func (s *Service) expiry() time.Duration {
	if s.Expiry <= 0 {
		return 15 * time.Minute
	}
	return s.Expiry
}

var errNotPayable = apperr.Conflict("Hồ sơ không ở trạng thái chờ nộp phí, không thể thanh toán trực tuyến",
	"the dossier is not waiting for payment; it cannot be paid online")

// Start records a pending payment of the dossier's fee for its applicant
// and returns the gateway's address to send the browser to.
func (s *Service) Start(ctx context.Context, actor auth.Actor, code, returnURL, clientIP string) (string, error) {
	d, err := s.Dossiers.Get(ctx, actor, code)
	if err != nil {
		return "", err
	}
	if actor.Role != auth.RoleApplicant || actor.UserID != d.ApplicantUserID {
		return "", apperr.Forbidden("Chỉ người nộp hồ sơ được thanh toán trực tuyến", "only the applicant may pay online")
	}
	if d.Status != dossier.StatusPayment || d.FeeAmount <= 0 {
		return "", errNotPayable
	}
	now := s.Now().UTC().Truncate(time.Microsecond)
	p := &Payment{TxnRef: newTxnRef(), DossierCode: d.Code, UnitCode: d.UnitCode, ProcedureCode: d.ProcedureCode,
		Amount: d.FeeAmount, Status: StatusPending, Gateway: s.Gateway.Name(), CreatedAt: now, ExpiresAt: now.Add(s.expiry())}
	u, err := s.Gateway.PaymentURL(Order{TxnRef: p.TxnRef, Amount: p.Amount, Info: "Nop phi ho so " + d.Code,
		ReturnURL: returnURL, ClientIP: clientIP, Created: p.CreatedAt, Expires: p.ExpiresAt})
	if err != nil {
		return "", err
	}
	if err := s.Store.CreatePayment(ctx, p); err != nil {
		return "", err
	}
	return u, nil
}

// newTxnRef is a fresh transaction reference: 20 hex digits, letters and
// digits only, as gateways accept.
func newTxnRef() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// Notify handles the gateway's server-to-server notification and returns
// the answer the gateway expects. Only a notification that verifies, names
// a pending payment and carries its exact amount moves the dossier; every
// other one is refused, logged and recorded.
func (s *Service) Notify(ctx context.Context, q url.Values, remote string) Reply {
	n, err := s.Gateway.VerifyIPN(q)
	if err != nil {
		return s.refuse(ctx, Refusal{TxnRef: q.Get("vnp_TxnRef"), Reason: "signature", Digest: Digest(q), Remote: remote}, RspBadSig)
	}
	ref := Refusal{TxnRef: n.TxnRef, Digest: n.Digest, Remote: remote}
	p, err := s.Store.Payment(ctx, n.TxnRef)
	if apperr.Code(err) == apperr.ENOTFOUND {
		ref.Reason = "unknown"
		return s.refuse(ctx, ref, RspNotFound)
	}
	if err != nil {
		s.Log.Error("payment notification", "txn_ref", n.TxnRef, "err", err)
		return ReplyOf(RspOtherError)
	}
	if p.Status != StatusPending {
		ref.Reason = "replay"
		return s.refuse(ctx, ref, RspAlready)
	}
	if n.Amount != p.Amount {
		// Signed by the gateway yet not what was asked: money to return by
		// hand, never a confirmation.
		ref.Reason = "amount"
		s.close(ctx, p.TxnRef, StatusMismatch, n, "số tiền không khớp / amount differs")
		return s.refuse(ctx, ref, RspBadAmount)
	}
	if !n.OK {
		s.close(ctx, p.TxnRef, StatusFailed, n, "")
		return ReplyOf(RspSuccess) // the gateway's answer is recorded; the dossier still waits
	}
	return s.settle(ctx, p, n, ref)
}

// settle confirms the payment on the dossier, in one transaction with the
// payment row.
func (s *Service) settle(ctx context.Context, p *Payment, n Notice, ref Refusal) Reply {
	apply, err := s.Dossiers.Applier(ctx, p.DossierCode)
	if err != nil {
		s.Log.Error("payment notification", "txn_ref", p.TxnRef, "err", err)
		return ReplyOf(RspOtherError)
	}
	var moveErr error
	err = s.Store.SettlePayment(ctx, p.TxnRef, func(p *Payment, d *dossier.Dossier) (dossier.Change, error) {
		if p.Amount != n.Amount { // read again inside the transaction
			return dossier.Change{}, ErrSettled
		}
		note := "Nộp phí trực tuyến qua " + p.Gateway + ", mã giao dịch " + p.TxnRef
		if n.GatewayTxnNo != "" {
			note += " / " + n.GatewayTxnNo
		}
		ch, err := apply(d, auth.PaymentGateway, dossier.ActionRequest{Action: dossier.ActConfirmPayment, Note: note})
		moveErr = err
		p.Status, p.GatewayTxnNo, p.BankCode, p.Digest = StatusPaid, n.GatewayTxnNo, n.BankCode, n.Digest
		p.PaidAt = n.PayDate
		if p.PaidAt.IsZero() {
			p.PaidAt = s.Now()
		}
		return ch, err
	})
	switch {
	case err == nil:
		s.Log.Info("payment confirmed", "txn_ref", p.TxnRef, "dossier", p.DossierCode, "amount", p.Amount)
		return ReplyOf(RspSuccess)
	case errors.Is(err, ErrSettled):
		ref.Reason = "replay"
		return s.refuse(ctx, ref, RspAlready)
	case moveErr != nil:
		// Paid at the gateway while the dossier no longer waits (confirmed
		// at the counter, withdrawn, paid twice): to refund.
		ref.Reason = "not_waiting"
		s.close(ctx, p.TxnRef, StatusMismatch, n, "hồ sơ không còn chờ nộp phí / the dossier no longer waits for payment")
		return s.refuse(ctx, ref, RspAlready)
	}
	s.Log.Error("payment notification", "txn_ref", p.TxnRef, "err", err)
	return ReplyOf(RspOtherError)
}

func (s *Service) close(ctx context.Context, txnRef, status string, n Notice, note string) {
	if err := s.Store.ClosePayment(ctx, txnRef, status, n, note); err != nil && !errors.Is(err, ErrSettled) {
		s.Log.Error("payment close", "txn_ref", txnRef, "status", status, "err", err)
	}
}

// refuse logs and records a refused notification and answers code.
func (s *Service) refuse(ctx context.Context, r Refusal, code string) Reply {
	r.At = s.Now().UTC().Truncate(time.Microsecond)
	if len(r.TxnRef) > 100 {
		r.TxnRef = r.TxnRef[:100]
	}
	s.Log.Warn("payment notification refused", "reason", r.Reason, "txn_ref", r.TxnRef, "remote", r.Remote, "answer", code)
	if err := s.Store.LogRefusal(ctx, r); err != nil {
		s.Log.Error("payment refusal log", "err", err)
	}
	return ReplyOf(code)
}

// Return reads the browser's return from the gateway: what the gateway
// told the citizen, and the payment as the server knows it. It decides
// nothing; the notification does.
func (s *Service) Return(ctx context.Context, q url.Values) (Notice, *Payment, error) {
	n, err := s.Gateway.VerifyReturn(q)
	if err != nil {
		return Notice{}, nil, apperr.Invalid("vnp_SecureHash", "Kết quả thanh toán không hợp lệ (sai chữ ký)", "the payment result is not valid (bad signature)")
	}
	p, err := s.Store.Payment(ctx, n.TxnRef)
	return n, p, err
}

// Receipt is the dossier's paid payment, for those who may see the dossier.
func (s *Service) Receipt(ctx context.Context, actor auth.Actor, code string) (*dossier.Dossier, *Payment, error) {
	d, err := s.Dossiers.Get(ctx, actor, code)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Store.PaidPayment(ctx, d.Code)
	return d, p, err
}
