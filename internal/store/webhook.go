package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/webhook"
)

// ChannelWebhook is the outbox channel of webhooks.
const ChannelWebhook = "webhook"

// NewWebhook is a subscription to add.
type NewWebhook struct {
	UnitCode string
	URL      string
	Events   string // comma-separated topics, or *
}

// validate checks the address and the topics.
func (w *NewWebhook) validate() error {
	u, err := url.Parse(strings.TrimSpace(w.URL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(w.URL) > 1000 {
		return apperr.Invalid("url", "Địa chỉ nhận phải là một URL http(s) đầy đủ", "url must be a full http(s) address")
	}
	w.URL = u.String()
	var topics []string
	for _, t := range strings.Split(w.Events, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if t != "*" && !webhook.ValidTopic(t) {
			return apperr.Invalid("events", "Sự kiện không có: "+t+" (dùng dossier.<thao tác> hoặc *)", "unknown event "+t+" (use dossier.<action> or *)")
		}
		topics = append(topics, t)
	}
	if len(topics) == 0 {
		return apperr.Invalid("events", "Cần chọn ít nhất một sự kiện (hoặc *)", "choose at least one event (or *)")
	}
	w.Events = strings.Join(topics, ",")
	return nil
}

// AddWebhook subscribes an address to a unit's events and returns the
// subscription with its new secret, shown once.
func (db *DB) AddWebhook(ctx context.Context, w NewWebhook, by auth.Actor) (webhook.Subscriber, error) {
	if err := w.validate(); err != nil {
		return webhook.Subscriber{}, err
	}
	if _, err := db.Unit(ctx, w.UnitCode); err != nil {
		return webhook.Subscriber{}, err
	}
	s := webhook.Subscriber{UnitCode: w.UnitCode, URL: w.URL, Secret: webhook.NewSecret(), Events: w.Events, Active: true}
	err := db.inTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO webhooks (unit_code, url, secret, events, active, created_by, created_at) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			s.UnitCode, s.URL, s.Secret, s.Events, by.Username, db.Now().UnixMicro()).Scan(&s.ID)
	})
	return s, err
}

const webhookCols = `id, unit_code, url, secret, events, active`

func scanWebhook(sc interface{ Scan(...any) error }) (webhook.Subscriber, error) {
	var s webhook.Subscriber
	var active int
	err := sc.Scan(&s.ID, &s.UnitCode, &s.URL, &s.Secret, &s.Events, &active)
	s.Active = active == 1
	return s, err
}

// Webhook implements webhook.Subscribers.
func (db *DB) Webhook(ctx context.Context, id int64) (webhook.Subscriber, error) {
	s, err := scanWebhook(db.queryRow(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, outbox.Permanent(apperr.NotFound("Không có đăng ký webhook số "+strconv.FormatInt(id, 10), "no webhook subscription "+strconv.FormatInt(id, 10)))
	}
	return s, err
}

// Webhooks lists a unit's subscriptions (every unit's when unitCode is
// empty), secrets included: the caller decides what to show.
func (db *DB) Webhooks(ctx context.Context, unitCode string) ([]webhook.Subscriber, error) {
	q, args := `SELECT `+webhookCols+` FROM webhooks`, []any{}
	if unitCode != "" {
		q, args = q+` WHERE unit_code = ?`, append(args, unitCode)
	}
	rows, err := db.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []webhook.Subscriber
	for rows.Next() {
		s, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetWebhookActive switches a subscription on or off, within unitCode when
// it is not empty.
func (db *DB) SetWebhookActive(ctx context.Context, id int64, unitCode string, active bool) error {
	q, args := `UPDATE webhooks SET active = ? WHERE id = ?`, []any{boolInt(active), id}
	if unitCode != "" {
		q, args = q+` AND unit_code = ?`, append(args, unitCode)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFound("Không có đăng ký webhook này", "no such webhook subscription")
		}
		return nil
	})
}

// webhookMessages is the producer of webhooks: one message per active
// subscriber of the dossier's unit that asked for the event. The
// subscribers are read in the change's transaction, so a subscription
// added after a change never receives it, and one added before always does.
func webhookMessages(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error) {
	rows, err := tx.query(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE unit_code = ? AND active = 1`, d.UnitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outbox.Message
	topic := webhook.Topic(ev.Action)
	var payload []byte
	for rows.Next() {
		s, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		if !s.Wants(topic) {
			continue
		}
		if payload == nil {
			payload = webhook.Payload(d, ev)
		}
		id := strconv.FormatInt(s.ID, 10)
		out = append(out, outbox.Message{Channel: ChannelWebhook, Topic: topic, UnitCode: d.UnitCode,
			OrderKey: "webhook:" + id + ":" + d.Code, Recipient: id, Payload: payload,
			IdemKey: "msg_" + d.Code + "_" + strconv.Itoa(ev.Seq) + "_" + id})
	}
	return out, rows.Err()
}
