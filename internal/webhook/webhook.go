// Package webhook calls other systems when a unit's dossiers move, signed
// the Standard Webhooks way (standardwebhooks.com, v1): each request carries
// webhook-id (the message's idempotency key, the same on every retry),
// webhook-timestamp (Unix seconds) and webhook-signature ("v1,"+ base64 of
// HMAC-SHA256 over "id.timestamp.body" with the subscriber's secret), so
// that the receiver can check who sent it, refuse a replay, and apply it once.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/outbox"
)

// SecretPrefix starts every secret, as the specification shows them.
const SecretPrefix = "whsec_"

// NewSecret makes a random 32-byte secret.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// key decodes a secret to the HMAC key.
func key(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(k) < 16 {
		return nil, errors.New("webhook: the secret is not whsec_ followed by base64 of at least 16 bytes")
	}
	return k, nil
}

// Sign returns the webhook-signature value for a message.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, k)
	fmt.Fprintf(mac, "%s.%d.", id, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Tolerance is how far a request's timestamp may be from the receiver's
// clock before Verify calls it a replay.
const Tolerance = 5 * time.Minute

// Verify checks a received request's headers against the body, as a
// receiver of motcua's webhooks does (a Go receiver may call it).
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	id, tsText, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || tsText == "" || sigs == "" {
		return errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	}
	sec, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return errors.New("webhook: bad timestamp")
	}
	ts := time.Unix(sec, 0)
	if now.Sub(ts) > Tolerance || ts.Sub(now) > Tolerance {
		return errors.New("webhook: timestamp outside the tolerance (a replay?)")
	}
	want, err := Sign(secret, id, ts, body)
	if err != nil {
		return err
	}
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("webhook: no signature matches")
}

// Subscriber is where and how a subscriber is called.
type Subscriber struct {
	ID       int64
	UnitCode string
	URL      string
	Secret   string
	Events   string // comma-separated topics, or *
	Active   bool
}

// Wants tells whether the subscriber asked for topic.
func (s Subscriber) Wants(topic string) bool {
	for _, e := range strings.Split(s.Events, ",") {
		if e = strings.TrimSpace(e); e == "*" || e == topic {
			return true
		}
	}
	return false
}

// Subscribers finds a subscriber by id at delivery time, so that a changed
// address or secret applies to the messages still waiting.
type Subscribers interface {
	Webhook(ctx context.Context, id int64) (Subscriber, error)
}

// Sender delivers the outbox's webhook messages; Recipient is the
// subscriber's id.
type Sender struct {
	Subscribers Subscribers
	Client      *http.Client // default: NewClient(false)
	Now         func() time.Time
}

// Send implements outbox.Sender: a 2xx answer is an acknowledgement; 4xx
// but 408 and 429 are refusals no retry will change; anything else is
// tried again.
func (s *Sender) Send(ctx context.Context, m outbox.Message) error {
	id, err := strconv.ParseInt(m.Recipient, 10, 64)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("webhook: bad subscriber %q", m.Recipient))
	}
	sub, err := s.Subscribers.Webhook(ctx, id)
	if err != nil {
		return err
	}
	if !sub.Active {
		return outbox.Permanent(errors.New("webhook: the subscription is switched off"))
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := now()
	sig, err := Sign(sub.Secret, m.IdemKey, ts, m.Payload)
	if err != nil {
		return outbox.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(m.Payload))
	if err != nil {
		return outbox.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", m.IdemKey)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	client := s.Client
	if client == nil {
		client = NewClient(false)
	}
	resp, err := client.Do(req)
	if errors.Is(err, ErrPrivateAddress) {
		return outbox.Permanent(err)
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests:
		return outbox.Permanent(fmt.Errorf("webhook: %s answered %s", sub.URL, resp.Status))
	default:
		return fmt.Errorf("webhook: %s answered %s", sub.URL, resp.Status)
	}
}
