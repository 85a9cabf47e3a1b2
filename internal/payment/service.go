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

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// Store keeps payments.
type Store interface {
	CreatePayment(ctx context.Context, p *Payment) error
	Payment(ctx context.Context, txnRef string) (*Payment, error)
	// PaidPayment is the dossier's paid payment (the last one).
	PaidPayment(ctx context.Context, dossierCode string) (*Payment, error)
	// SettlePayment reads the pending payment txnRef and its dossier (with
	// its history) in one transaction, lets settle change both, and writes
	// the payment as paid with the dossier's change through the dossier
	// write path. A payment no longer pending fails with ErrSettled; an
	// error from settle rolls everything back and is returned.
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
	Reason string    `json:"reason"` // unknown, replay, amount, not_waiting, fee_changed, stale_request, expired (signature is never stored)
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
	// Refused counts the refused notifications by reason on /metrics
	// (NewRefusedCounter); nil counts nothing.
	Refused *prometheus.CounterVec

	forgedLog sampler // the log lines of forged notifications
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
// a pending payment, carries its exact amount and still matches the fee
// the dossier waits for moves the dossier; every other one is refused and
// logged, and those the gateway signed are recorded.
func (s *Service) Notify(ctx context.Context, q url.Values, remote string) Reply {
	n, err := s.Gateway.VerifyIPN(q)
	if err != nil {
		return s.forged(q, remote)
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

// errMismatch stops a settlement whose payment no longer fits the dossier.
var errMismatch = errors.New("payment: does not fit the dossier's fee request")

// settle confirms the payment on the dossier, in one transaction with the
// payment row, if it still fits the dossier as read in that transaction
// (mismatchOf).
func (s *Service) settle(ctx context.Context, p *Payment, n Notice, ref Refusal) Reply {
	apply, err := s.Dossiers.Applier(ctx, p.DossierCode)
	if err != nil {
		s.Log.Error("payment notification", "txn_ref", p.TxnRef, "err", err)
		return ReplyOf(RspOtherError)
	}
	var why mismatch
	err = s.Store.SettlePayment(ctx, p.TxnRef, func(p *Payment, d *dossier.Dossier) (dossier.Change, error) {
		if p.Amount != n.Amount { // read again inside the transaction
			return dossier.Change{}, ErrSettled
		}
		if why = mismatchOf(p, d, n); why.reason != "" {
			return dossier.Change{}, errMismatch
		}
		note := "Nộp phí trực tuyến qua " + p.Gateway + ", mã giao dịch " + p.TxnRef
		if n.GatewayTxnNo != "" {
			note += " / " + n.GatewayTxnNo
		}
		ch, err := apply(d, auth.PaymentGateway, dossier.ActionRequest{Action: dossier.ActConfirmPayment, Note: note})
		if err != nil {
			why = mismatch{"not_waiting", noteNotWaiting}
			s.Log.Warn("payment confirmation refused by the dossier", "txn_ref", p.TxnRef, "err", err)
			return ch, errMismatch
		}
		p.Status, p.GatewayTxnNo, p.BankCode, p.Digest = StatusPaid, n.GatewayTxnNo, n.BankCode, n.Digest
		p.PaidAt = n.PayDate
		if p.PaidAt.IsZero() {
			p.PaidAt = s.Now()
		}
		return ch, nil
	})
	switch {
	case err == nil:
		s.Log.Info("payment confirmed", "txn_ref", p.TxnRef, "dossier", p.DossierCode, "amount", p.Amount)
		return ReplyOf(RspSuccess)
	case errors.Is(err, ErrSettled):
		ref.Reason = "replay"
		return s.refuse(ctx, ref, RspAlready)
	case errors.Is(err, errMismatch):
		// Paid at the gateway for a request that no longer stands: to
		// refund by hand. The order is closed on our side, so the gateway
		// is told it is already confirmed, which ends its retries.
		ref.Reason = why.reason
		s.close(ctx, p.TxnRef, StatusMismatch, n, why.note)
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

// maxRefusedRef bounds the transaction reference kept of a refusal.
const maxRefusedRef = 100

// refuse logs, counts and records a refused notification the gateway
// signed, and answers code.
func (s *Service) refuse(ctx context.Context, r Refusal, code string) Reply {
	r.At = s.Now().UTC().Truncate(time.Microsecond)
	r.TxnRef = vntext.Truncate(r.TxnRef, maxRefusedRef)
	s.count(r.Reason)
	s.Log.Warn("payment notification refused", "reason", r.Reason, "txn_ref", r.TxnRef, "remote", r.Remote, "answer", code)
	if err := s.Store.LogRefusal(ctx, r); err != nil {
		s.Log.Error("payment refusal log", "err", err)
	}
	return ReplyOf(code)
}

// forged refuses a notification whose signature does not verify. Anyone
// can send one, so it is never stored: a flood would fill the disk and
// hold SQLite's single writer. It is counted on /metrics and logged at
// most once a minute, with the number left out since the last line.
func (s *Service) forged(q url.Values, remote string) Reply {
	s.count("signature")
	if leftOut, ok := s.forgedLog.allow(s.Now(), time.Minute); ok {
		s.Log.Warn("payment notification refused", "reason", "signature", "txn_ref", vntext.Truncate(q.Get("vnp_TxnRef"), maxRefusedRef),
			"remote", remote, "answer", RspBadSig, "left_out", leftOut)
	}
	return ReplyOf(RspBadSig)
}

func (s *Service) count(reason string) {
	if s.Refused != nil {
		s.Refused.WithLabelValues(reason).Inc()
	}
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
