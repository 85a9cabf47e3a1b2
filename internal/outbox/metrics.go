package outbox

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts deliveries for /metrics. A nil *Metrics counts nothing.
type Metrics struct {
	sent     *prometheus.CounterVec
	failures *prometheus.CounterVec
	dead     *prometheus.CounterVec
	delay    *prometheus.HistogramVec
	waiting  *prometheus.Desc
	counts   func(ctx context.Context) (map[[2]string]int, error)
}

// NewMetrics makes the outbox's metrics. counts, when given, reports the
// messages not yet delivered by channel and status, read at each scrape.
func NewMetrics(counts func(ctx context.Context) (map[[2]string]int, error)) *Metrics {
	return &Metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_outbox_sent_total", Help: "Messages acknowledged by their receiver, by channel.",
		}, []string{"channel"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_outbox_failures_total", Help: "Failed delivery attempts, by channel.",
		}, []string{"channel"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "motcua_outbox_dead_total", Help: "Messages given up (dead letters), by channel.",
		}, []string{"channel"}),
		delay: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "motcua_outbox_delivery_delay_seconds",
			Help:    "Time from a message's creation to its receiver's acknowledgement, by channel.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600},
		}, []string{"channel"}),
		waiting: prometheus.NewDesc("motcua_outbox_messages", "Messages not yet delivered, by channel and status (pending, dead).",
			[]string{"channel", "status"}, nil),
		counts: counts,
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.sent.Describe(ch)
	m.failures.Describe(ch)
	m.dead.Describe(ch)
	m.delay.Describe(ch)
	ch <- m.waiting
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.sent.Collect(ch)
	m.failures.Collect(ch)
	m.dead.Collect(ch)
	m.delay.Collect(ch)
	if m.counts == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := m.counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.waiting, err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(m.waiting, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}

// show makes the channels' counters appear at 0 before their first
// message, so that a dashboard sees the channel and its rate from the start.
func (m *Metrics) show(channels []string) {
	if m == nil {
		return
	}
	for _, c := range channels {
		m.sent.WithLabelValues(c)
		m.failures.WithLabelValues(c)
		m.dead.WithLabelValues(c)
	}
}

func (m *Metrics) delivered(msg Message, at time.Time) {
	if m == nil {
		return
	}
	m.sent.WithLabelValues(msg.Channel).Inc()
	m.delay.WithLabelValues(msg.Channel).Observe(at.Sub(msg.CreatedAt).Seconds())
}

func (m *Metrics) failed(msg Message, dead bool) {
	if m == nil {
		return
	}
	m.failures.WithLabelValues(msg.Channel).Inc()
	if dead {
		m.dead.WithLabelValues(msg.Channel).Inc()
	}
}
