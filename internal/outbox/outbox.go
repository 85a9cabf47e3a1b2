// Package outbox delivers the messages that must leave the system: the
// citizen's notifications, the national portal's status updates, other
// systems' webhooks. A message is stored in the transaction of the change
// that causes it (the store's part), so that no change is ever without its
// message and no message without its change; a Worker then hands it to the
// Sender of its channel, retrying with growing waits until the receiver
// acknowledges it or it is given up ("dead") for an administrator to look at.
//
// Delivery is at least once: a server killed between sending and recording
// sends again after restart. Every message carries an idempotency key that
// stays the same on every attempt, so that receivers apply it once.
package outbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Statuses of a message.
const (
	Pending = "pending" // waiting to be sent, or sent and failed, waiting for next_at
	Done    = "done"    // acknowledged by the receiver
	Dead    = "dead"    // given up after MaxAttempts or a permanent refusal
)

// Message is one message to deliver.
type Message struct {
	ID        int64
	Channel   string // which Sender delivers it: email, sms, zalo, portal, webhook
	Topic     string // what happened, e.g. dossier.received
	UnitCode  string // the unit it belongs to, for the administrator's list
	OrderKey  string // messages with one key are delivered in order (a dossier's code)
	Recipient string // the address in the channel's terms (an e-mail, a phone, a subscriber id)
	Payload   []byte // the channel's content, JSON
	IdemKey   string // the same on every attempt; receivers deduplicate on it

	Status    string
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	DoneAt    time.Time
}

// Sender delivers the messages of one channel. A nil error means the
// receiver acknowledged the message. An error wrapped with Permanent is not
// retried (the receiver refused the message itself, e.g. a bad address);
// any other error is retried later.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SenderFunc adapts a function to a Sender.
type SenderFunc func(ctx context.Context, m Message) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as a refusal that no retry will change.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent tells whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Backoff is how long to wait before attempt n+1 after n failed attempts:
// doubling from base up to max, with up to a quarter more at random so that
// messages failed together do not all come back together.
func Backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d + time.Duration(rand.Int64N(int64(d/4)+1))
}
