package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/vntext"
)

// Queue is where the worker takes messages from: the store.
type Queue interface {
	// Claim leases up to n pending messages of the given channels whose time
	// has come, at most one per order key and none behind an earlier
	// undelivered message of its key, to holder until lease from now.
	Claim(ctx context.Context, channels []string, holder string, n int, lease time.Duration) ([]Message, error)
	// Delivered records the receiver's acknowledgement.
	Delivered(ctx context.Context, id int64, holder string) error
	// Failed records a failed attempt: the message waits until next, or is
	// dead.
	Failed(ctx context.Context, id int64, holder, reason string, next time.Time, dead bool) error
}

// Worker delivers the queue's messages through the channels' senders. Start
// one per server: the leases keep them from sending a message twice at once.
type Worker struct {
	Queue   Queue
	Senders map[string]Sender
	Holder  string
	Log     *slog.Logger
	Metrics *Metrics // may be nil
	Now     func() time.Time

	Batch       int           // messages claimed at a time (default 20)
	Parallel    int           // messages sent at once (default 4)
	Lease       time.Duration // how long a claim holds: a killed server's messages wait this long (default 2 minutes)
	SendTimeout time.Duration // one attempt's limit (default 30 s or half the lease); keep it well under Lease
	Poll        time.Duration // wait when the queue is empty (default 1 s)
	MaxAttempts int           // attempts before a message is dead (default 12)
	BaseWait    time.Duration // wait after the first failure (default 10 s)
	MaxWait     time.Duration // longest wait between attempts (default 1 h)
}

func (w *Worker) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if w.Batch <= 0 {
		w.Batch = 20
	}
	if w.Parallel <= 0 {
		w.Parallel = 4
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 12
	}
	def(&w.Lease, 2*time.Minute)
	def(&w.SendTimeout, min(30*time.Second, w.Lease/2))
	def(&w.Poll, time.Second)
	def(&w.BaseWait, 10*time.Second)
	def(&w.MaxWait, time.Hour)
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	channels := make([]string, 0, len(w.Senders))
	for c := range w.Senders {
		channels = append(channels, c)
	}
	w.Metrics.show(channels)
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("outbox: claim", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(w.Poll):
			}
		}
	}
}

// RunOnce claims one batch and sends it, and tells how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	channels := make([]string, 0, len(w.Senders))
	for c := range w.Senders {
		channels = append(channels, c)
	}
	msgs, err := w.Queue.Claim(ctx, channels, w.Holder, w.Batch, w.Lease)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	sem := make(chan struct{}, w.Parallel)
	var wg sync.WaitGroup
	for _, m := range msgs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.deliver(ctx, m)
		}()
	}
	wg.Wait()
	return len(msgs), nil
}

// deliver makes one attempt and records its outcome. Recording uses a
// context that outlives a shutdown, so that a message sent just before is
// not sent again after the restart.
func (w *Worker) deliver(ctx context.Context, m Message) {
	sctx, cancel := context.WithTimeout(ctx, w.SendTimeout)
	err := w.Senders[m.Channel].Send(sctx, m)
	cancel()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := w.Now()
	if err == nil {
		if rerr := w.Queue.Delivered(rctx, m.ID, w.Holder); rerr != nil {
			w.Log.Warn("outbox: record delivery", "id", m.ID, "err", rerr)
		}
		w.Metrics.delivered(m, now)
		return
	}
	attempts := m.Attempts + 1
	dead := IsPermanent(err) || attempts >= w.MaxAttempts
	next := now.Add(Backoff(attempts, w.BaseWait, w.MaxWait))
	if rerr := w.Queue.Failed(rctx, m.ID, w.Holder, vntext.Truncate(err.Error(), 500), next, dead); rerr != nil {
		w.Log.Warn("outbox: record failure", "id", m.ID, "err", rerr)
	}
	w.Metrics.failed(m, dead)
	w.Log.Info("outbox: attempt failed", "id", m.ID, "channel", m.Channel, "attempt", attempts, "dead", dead, "err", err)
}
