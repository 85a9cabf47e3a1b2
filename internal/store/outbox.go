package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
)

// Producer turns a dossier's change into the messages it causes. It runs
// inside the change's transaction, so that the change and its messages are
// kept or lost together; tx lets it read what it needs (subscribers, the
// citizen's choices) in the same snapshot.
type Producer func(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error)

// AddProducer adds a producer to every later dossier change. Call it at
// start, before the server takes requests.
func (db *DB) AddProducer(p Producer) { db.producers = append(db.producers, p) }

// produce runs the producers for a change and stores their messages.
func (db *DB) produce(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) error {
	for _, p := range db.producers {
		msgs, err := p(ctx, tx, d, ev)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
	}
	return nil
}

// Enqueue stores messages in the transaction. A message without an
// idempotency key gets a random one; a key already stored is kept once.
func (t *Tx) Enqueue(ctx context.Context, msgs ...outbox.Message) error {
	now := t.db.Now().UnixMicro()
	for _, m := range msgs {
		if m.IdemKey == "" {
			m.IdemKey = newIdemKey()
		}
		if len(m.Payload) == 0 {
			m.Payload = []byte("{}")
		}
		_, err := t.exec(ctx, `INSERT INTO outbox (channel, topic, unit_code, order_key, recipient, payload, idem_key, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (idem_key) DO NOTHING`,
			m.Channel, m.Topic, m.UnitCode, m.OrderKey, m.Recipient, string(m.Payload), m.IdemKey, now, now)
		if err != nil {
			return err
		}
	}
	return nil
}

// Enqueue stores messages in a transaction of their own, for a cause that
// is not a dossier's change.
func (db *DB) Enqueue(ctx context.Context, msgs ...outbox.Message) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, msgs...) })
}

func newIdemKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}

// Outbox is the store's side of the outbox; it satisfies outbox.Queue.
type Outbox struct{ DB *DB }

const outboxCols = `id, channel, topic, unit_code, order_key, recipient, payload, idem_key, status, attempts, next_at, last_error, created_at, done_at`

func scanMessage(sc interface{ Scan(...any) error }) (outbox.Message, error) {
	var m outbox.Message
	var payload string
	var next, created, done int64
	err := sc.Scan(&m.ID, &m.Channel, &m.Topic, &m.UnitCode, &m.OrderKey, &m.Recipient, &payload, &m.IdemKey, &m.Status,
		&m.Attempts, &next, &m.LastError, &created, &done)
	m.Payload, m.NextAt, m.CreatedAt, m.DoneAt = []byte(payload), fromMicros(next), fromMicros(created), fromMicros(done)
	return m, err
}

// Claim implements outbox.Queue. One statement picks and leases: on
// PostgreSQL the update re-checks the lease on each row it locks, so two
// servers claiming at once never both get a message.
func (o Outbox) Claim(ctx context.Context, channels []string, holder string, n int, lease time.Duration) ([]outbox.Message, error) {
	if len(channels) == 0 {
		return nil, nil
	}
	now := o.DB.Now()
	args := []any{holder, now.Add(lease).UnixMicro(), now.UnixMicro(), now.UnixMicro()}
	for _, c := range channels {
		args = append(args, c)
	}
	args = append(args, n, now.UnixMicro())
	q := `UPDATE outbox SET lease_holder = ?, lease_until = ? WHERE id IN (
			SELECT o.id FROM outbox o WHERE o.status = 'pending' AND o.next_at <= ? AND o.lease_until < ?
			AND o.channel IN (?` + strings.Repeat(", ?", len(channels)-1) + `)
			AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.order_key = o.order_key AND o.order_key <> ''
				AND p.status = 'pending' AND p.id < o.id)
			ORDER BY o.id LIMIT ?)
		AND status = 'pending' AND lease_until < ? RETURNING ` + outboxCols
	var out []outbox.Message
	err := o.DB.inTx(ctx, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// Delivered implements outbox.Queue.
func (o Outbox) Delivered(ctx context.Context, id int64, holder string) error {
	now := o.DB.Now().UnixMicro()
	return o.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE outbox SET status = 'done', done_at = ?, attempts = attempts + 1, last_error = '',
			lease_holder = '', lease_until = 0 WHERE id = ? AND status = 'pending'`, now, id)
		return err
	})
}

// Failed implements outbox.Queue. A failure reported by a holder whose lease
// another server has since taken is dropped: the newer attempt decides.
func (o Outbox) Failed(ctx context.Context, id int64, holder, reason string, next time.Time, dead bool) error {
	status := outbox.Pending
	if dead {
		status = outbox.Dead
	}
	return o.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_at = ?,
			lease_holder = '', lease_until = 0 WHERE id = ? AND status = 'pending' AND lease_holder = ?`,
			status, reason, next.UnixMicro(), id, holder)
		return err
	})
}

// OutboxFilter selects messages for the list.
type OutboxFilter struct {
	Status   string // pending, done, dead, or OutboxOpen; empty for all
	Channel  string
	UnitCode string // empty for every unit (the operator's command line)
	Before   int64  // id to list below, for the next page; 0 for the newest
	Limit    int
}

// OutboxOpen selects the messages not delivered: pending and dead, what an
// administrator has to look at.
const OutboxOpen = "open"

// List returns messages, newest first.
func (o Outbox) List(ctx context.Context, f OutboxFilter) ([]outbox.Message, error) {
	q := `SELECT ` + outboxCols + ` FROM outbox WHERE 1 = 1`
	var args []any
	add := func(cond string, v any) {
		q += ` AND ` + cond
		args = append(args, v)
	}
	switch f.Status {
	case "":
	case OutboxOpen:
		add(`status <> ?`, outbox.Done)
	default:
		add(`status = ?`, f.Status)
	}
	if f.Channel != "" {
		add(`channel = ?`, f.Channel)
	}
	if f.UnitCode != "" {
		add(`unit_code = ?`, f.UnitCode)
	}
	if f.Before > 0 {
		add(`id < ?`, f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := o.DB.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outbox.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Retry sends dead messages again from now with a fresh count of attempts:
// the one named by id (0 for every dead message), within unitCode when it
// is not empty. It tells how many it took back.
func (o Outbox) Retry(ctx context.Context, id int64, unitCode string) (int, error) {
	q := `UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?, lease_until = 0 WHERE status = 'dead'`
	args := []any{o.DB.Now().UnixMicro()}
	if id != 0 {
		q += ` AND id = ?`
		args = append(args, id)
	}
	if unitCode != "" {
		q += ` AND unit_code = ?`
		args = append(args, unitCode)
	}
	var n int64
	err := o.DB.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && id != 0 && n == 0 {
		return 0, apperr.NotFound("Không có tin nhắn lỗi số này", "no dead message with this id")
	}
	return int(n), err
}

// Purge deletes delivered messages acknowledged before the given time, and
// tells how many.
func (o Outbox) Purge(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := o.DB.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM outbox WHERE status = 'done' AND done_at < ?`, before.UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Waiting counts the messages not delivered, by channel and status, for
// /metrics.
func (o Outbox) Waiting(ctx context.Context) (map[[2]string]int, error) {
	out := map[[2]string]int{}
	for _, st := range []string{outbox.Pending, outbox.Dead} {
		rows, err := o.DB.query(ctx, `SELECT channel, COUNT(*) FROM outbox WHERE status = ? GROUP BY channel`, st)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			var n int
			if err := rows.Scan(&c, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[[2]string{c, st}] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EnableChannel turns a channel on for the installation: its producers
// write messages from now on, on every server.
func (db *DB) EnableChannel(ctx context.Context, channel, by string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO outbox_channels (channel, enabled_by, enabled_at) VALUES (?, ?, ?) ON CONFLICT (channel) DO NOTHING`,
			channel, by, db.Now().UnixMicro())
		return err
	})
}

// DisableChannel turns a channel off: no new messages; those waiting stay.
func (db *DB) DisableChannel(ctx context.Context, channel string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM outbox_channels WHERE channel = ?`, channel)
		return err
	})
}

// channelOn tells, in the change's transaction, whether a channel is on.
func channelOn(ctx context.Context, tx *Tx, channel string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM outbox_channels WHERE channel = ?`, channel).Scan(&n)
	return n > 0, err
}
