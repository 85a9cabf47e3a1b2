package payment

import "github.com/prometheus/client_golang/prometheus"

// Reasons a notification is refused, the label of the refusals counter.
var refusalReasons = []string{"signature", "unknown", "replay", "amount", "not_waiting", "fee_changed", "stale_request", "expired"}

// NewRefusedCounter is the counter of refused notifications by reason, for
// /metrics. It is the only trace a notification with a bad signature
// leaves besides a sampled log line: anyone can send those, so none is
// stored.
func NewRefusedCounter() *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "motcua_payment_notifications_refused_total",
		Help: "Payment notifications (IPN) refused, by reason; those with a bad signature are counted here and never stored.",
	}, []string{"reason"})
	for _, r := range refusalReasons {
		c.WithLabelValues(r) // shown at 0 from the start
	}
	return c
}
