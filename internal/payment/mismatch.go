package payment

import (
	"sync"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// mismatch is why a signed, successful payment of its own amount may not
// confirm the dossier: the refusal's reason and the payment's note.
type mismatch struct{ reason, note string }

const noteNotWaiting = "hồ sơ không còn chờ nộp phí / the dossier no longer waits for payment"

// mismatchOf tells whether the payment fits the fee request the dossier
// waits for now, as read in the settlement's transaction. A payment is for
// one request: started after it, of its amount, paid before the order
// expired. Otherwise (the counter took the fee in cash, then asked for
// another; the citizen paid a forgotten page late) it must not confirm
// the request that stands now.
func mismatchOf(p *Payment, d *dossier.Dossier, n Notice) mismatch {
	asked, ok := lastRequest(d)
	switch {
	case d.Status != dossier.StatusPayment:
		return mismatch{"not_waiting", noteNotWaiting}
	case d.FeeAmount != p.Amount:
		return mismatch{"fee_changed", "khoản phí hồ sơ đang chờ khác số tiền đã thanh toán / the fee the dossier waits for differs from the amount paid"}
	case !ok || p.CreatedAt.Before(asked):
		return mismatch{"stale_request", "phí được yêu cầu lại sau khi bắt đầu thanh toán / the fee was asked again after this payment began"}
	case !n.PayDate.IsZero() && n.PayDate.After(p.ExpiresAt):
		return mismatch{"expired", "thanh toán sau khi giao dịch hết hạn / paid after the order expired"}
	}
	return mismatch{}
}

// lastRequest is when the fee the dossier waits for was asked: its last
// request_payment event. A dossier waiting for payment without one (never
// in practice) fits no payment.
func lastRequest(d *dossier.Dossier) (time.Time, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == dossier.ActRequestPayment {
			return d.History[i].At, true
		}
	}
	return time.Time{}, false
}

// sampler lets one log line through per interval and counts those it held
// back, so that a flood leaves a trace without filling the log.
type sampler struct {
	mu   sync.Mutex
	next time.Time
	held int
}

// allow tells whether a line may be written at now, and how many were
// held back since the last one.
func (l *sampler) allow(now time.Time, every time.Duration) (heldBack int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.next) {
		l.held++
		return 0, false
	}
	heldBack, l.held, l.next = l.held, 0, now.Add(every)
	return heldBack, true
}
