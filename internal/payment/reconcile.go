package payment

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

// Report is a day's reconciliation: what the gateway should have paid out
// (paid), what never came back (pending past expiry), and what needs a
// person (mismatch, failed, refused notifications).
type Report struct {
	Day      string    `json:"day"` // YYYY-MM-DD, Việt Nam time
	Paid     []Payment `json:"paid"`
	Pending  []Payment `json:"pending"` // created that day, expired without a notification
	Mismatch []Payment `json:"mismatch"`
	Failed   []Payment `json:"failed"`
	Refused  []Refusal `json:"refused"`
	PaidSum  int64     `json:"paid_sum"`
	PendSum  int64     `json:"pending_sum"`
	MisSum   int64     `json:"mismatch_sum"`
}

// Reconcile builds the report of day (its date in Việt Nam time).
func (s *Service) Reconcile(ctx context.Context, day time.Time) (*Report, error) {
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, calendar.Zone)
	to := from.AddDate(0, 0, 1)
	ps, err := s.Store.PaymentsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	r := &Report{Day: from.Format("2006-01-02")}
	now := s.Now()
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	for _, p := range ps {
		switch {
		case p.Status == StatusPaid && in(p.PaidAt):
			r.Paid, r.PaidSum = append(r.Paid, p), r.PaidSum+p.Amount
		case p.Status == StatusPending && in(p.CreatedAt) && p.ExpiresAt.Before(now):
			r.Pending, r.PendSum = append(r.Pending, p), r.PendSum+p.Amount
		case p.Status == StatusMismatch:
			r.Mismatch, r.MisSum = append(r.Mismatch, p), r.MisSum+p.Amount
		case p.Status == StatusFailed:
			r.Failed = append(r.Failed, p)
		}
	}
	r.Refused, err = s.Store.RefusalsBetween(ctx, from, to)
	return r, err
}
