package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
)

// NotifyKey returns the installation's key for unsubscribe links, made at
// the first call and the same for every server of the installation.
func (db *DB) NotifyKey(ctx context.Context) ([]byte, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	var secret string
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO notify_keys (name, secret) VALUES ('notify', ?) ON CONFLICT (name) DO NOTHING`, hex.EncodeToString(b)); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT secret FROM notify_keys WHERE name = 'notify'`).Scan(&secret)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(secret)
}

// NotifyTemplates returns a unit's edited templates (the defaults are not
// stored).
func (db *DB) NotifyTemplates(ctx context.Context, unitCode string) ([]notify.Template, error) {
	rows, err := db.query(ctx, notifyTemplatesQuery, unitCode)
	if err != nil {
		return nil, err
	}
	return scanTemplates(rows)
}

const notifyTemplatesQuery = `SELECT unit_code, kind, lang, channel, subject, body FROM notify_templates WHERE unit_code = ?`

func scanTemplates(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) ([]notify.Template, error) {
	defer rows.Close()
	var out []notify.Template
	for rows.Next() {
		var t notify.Template
		if err := rows.Scan(&t.UnitCode, &t.Kind, &t.Lang, &t.Channel, &t.Subject, &t.Body); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveNotifyTemplate stores a unit's text for one kind, language and
// channel after checking that it renders; an empty body goes back to the
// default.
func (db *DB) SaveNotifyTemplate(ctx context.Context, t notify.Template, by auth.Actor) error {
	if _, err := db.Unit(ctx, t.UnitCode); err != nil {
		return err
	}
	if t.Body == "" && t.Subject == "" {
		if err := (&notify.Template{Kind: t.Kind, Lang: t.Lang, Channel: t.Channel, Body: "x", Subject: "x"}).Validate(); err != nil {
			return err
		}
		return db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `DELETE FROM notify_templates WHERE unit_code = ? AND kind = ? AND lang = ? AND channel = ?`,
				t.UnitCode, t.Kind, t.Lang, t.Channel)
			return err
		})
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO notify_templates (unit_code, kind, lang, channel, subject, body, changed_by, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_code, kind, lang, channel)
			DO UPDATE SET subject = excluded.subject, body = excluded.body, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
			t.UnitCode, t.Kind, t.Lang, t.Channel, t.Subject, t.Body, by.Username, db.Now().UnixMicro())
		return err
	})
}

// ResolveTemplates picks, for each kind, language and channel, the unit's
// text among edited, or the default.
func ResolveTemplates(edited []notify.Template) notify.Templates {
	return func(kind, lang, channel string) notify.Template {
		for _, t := range edited {
			if t.Kind == kind && t.Lang == lang && t.Channel == channel {
				return t
			}
		}
		return notify.Default(kind, lang, channel)
	}
}

// NotifyProducer is the producer of the citizens' notifications: one
// message for the applicant's chosen channel on each event they wait for,
// rendered with the unit's templates read in the change's transaction.
func NotifyProducer(links notify.Links) Producer {
	return func(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error) {
		if notify.KindOf(ev) == "" || d.Notify == "" || d.Notify == dossier.NotifyNone {
			return nil, nil // most changes: no read at all
		}
		rows, err := tx.query(ctx, notifyTemplatesQuery, d.UnitCode)
		if err != nil {
			return nil, err
		}
		edited, err := scanTemplates(rows)
		if err != nil {
			return nil, err
		}
		m, ok := notify.Build(d, ev, links, ResolveTemplates(edited))
		if !ok {
			return nil, nil
		}
		return []outbox.Message{m}, nil
	}
}
