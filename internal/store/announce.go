package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/unit"
)

const announcementCols = `id, unit_code, title, body, all_groups, publish_at, expires_at, author, author_name, created_at, sent_at`

func scanAnnouncement(sc interface{ Scan(...any) error }) (announce.Announcement, error) {
	var a announce.Announcement
	var all int
	var pub, exp, created, sent int64
	err := sc.Scan(&a.ID, &a.UnitCode, &a.Title, &a.Body, &all, &pub, &exp, &a.Author, &a.AuthorName, &created, &sent)
	a.AllGroups, a.PublishAt, a.ExpiresAt, a.CreatedAt, a.SentAt = all != 0, fromMicros(pub), fromMicros(exp), fromMicros(created), fromMicros(sent)
	return a, err
}

// CreateAnnouncement implements announce.Store. Every listed group must be
// a group of the announcement's commune.
func (s Announce) CreateAnnouncement(ctx context.Context, a *announce.Announcement) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		if len(a.Groups) > 0 {
			var n int
			args := append([]any{a.UnitCode, unit.KindGroup}, codesArgs(a.Groups)...)
			err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE parent_code = ? AND kind = ? AND code IN (`+placeholders(len(a.Groups))+`)`, args...).Scan(&n)
			if err != nil {
				return err
			}
			if n != len(a.Groups) {
				return apperr.Invalid("groups", "Có tổ dân phố, thôn không thuộc đơn vị", "a listed group is not one of the unit's")
			}
		}
		err := tx.queryRow(ctx, `INSERT INTO announcements (unit_code, title, body, all_groups, publish_at, expires_at, author, author_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.UnitCode, a.Title, a.Body, boolInt(a.AllGroups), micros(a.PublishAt),
			micros(a.ExpiresAt), a.Author, a.AuthorName, micros(a.CreatedAt)).Scan(&a.ID)
		if err != nil {
			return normalize(err)
		}
		for _, g := range a.Groups {
			if _, err := tx.exec(ctx, `INSERT INTO announcement_groups (announcement_id, group_code) VALUES (?, ?)`, a.ID, g); err != nil {
				return err
			}
		}
		return nil
	})
}

// Announcements implements announce.Store, newest first.
func (s Announce) Announcements(ctx context.Context, f announce.Filter) ([]announce.Announcement, error) {
	q := `SELECT ` + announcementCols + ` FROM announcements WHERE unit_code = ?`
	args := []any{f.Unit}
	if f.Group != "" {
		q += ` AND (all_groups = 1 OR id IN (SELECT announcement_id FROM announcement_groups WHERE group_code = ?))`
		args = append(args, f.Group)
	}
	if !f.ShownAt.IsZero() {
		q += ` AND publish_at <= ? AND (expires_at = 0 OR expires_at > ?)`
		args = append(args, micros(f.ShownAt), micros(f.ShownAt))
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 200
	}
	rows, err := s.DB.query(ctx, q+` ORDER BY publish_at DESC, id DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	var out []announce.Announcement
	byID := map[int64]int{}
	err = eachRow(rows, func() error {
		a, err := scanAnnouncement(rows)
		byID[a.ID] = len(out)
		out = append(out, a)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.targetsOf(ctx, out, byID)
}

// targetsOf reads the listed groups of the announcements.
func (s Announce) targetsOf(ctx context.Context, list []announce.Announcement, byID map[int64]int) error {
	ids := make([]any, 0, len(list))
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	rows, err := s.DB.query(ctx, `SELECT announcement_id, group_code FROM announcement_groups WHERE announcement_id IN (`+placeholders(len(ids))+`) ORDER BY group_code`, ids...)
	if err != nil {
		return err
	}
	return eachRow(rows, func() error {
		var id int64
		var g string
		if err := rows.Scan(&id, &g); err != nil {
			return err
		}
		a := &list[byID[id]]
		a.Groups = append(a.Groups, g)
		return nil
	})
}

// eachRow calls fn for each row, then closes the rows.
func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

const subscriptionCols = `id, ref, group_code, channel, address, confirmed, code_hash, code_expires_at, attempts, created_at, confirmed_at`

func scanSubscription(sc interface{ Scan(...any) error }) (announce.Subscription, error) {
	var s announce.Subscription
	var confirmed int
	var exp, created, conf int64
	err := sc.Scan(&s.ID, &s.Ref, &s.GroupCode, &s.Channel, &s.Address, &confirmed, &s.CodeHash, &exp, &s.Attempts, &created, &conf)
	s.Confirmed, s.CodeExpires, s.CreatedAt, s.ConfirmedAt = confirmed != 0, fromMicros(exp), fromMicros(created), fromMicros(conf)
	return s, err
}

// resendAfter is how long an unconfirmed subscription waits before asking
// again sends another code: a form sent twice does not send two codes.
const resendAfter = time.Minute

// Subscribe implements announce.Store.
func (s Announce) Subscribe(ctx context.Context, sub *announce.Subscription, confirm func(*announce.Subscription) (outbox.Message, error)) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		old, err := scanSubscription(tx.queryRow(ctx, `SELECT `+subscriptionCols+` FROM group_subscriptions WHERE group_code = ? AND channel = ? AND address = ?`,
			sub.GroupCode, sub.Channel, sub.Address))
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if found && (old.Confirmed || old.CodeExpires.Add(-announce.ConfirmTTL).After(sub.CreatedAt.Add(-resendAfter))) {
			*sub = old
			return nil
		}
		asked := sub.CreatedAt
		if found {
			sub.ID, sub.Ref, sub.CreatedAt = old.ID, old.Ref, old.CreatedAt
		}
		m, err := confirm(sub)
		if err != nil {
			return err
		}
		if found {
			// The wrong codes of a code still valid carry over to the new
			// one: asking again must not buy five more guesses.
			_, err = tx.exec(ctx, `UPDATE group_subscriptions SET code_hash = ?, code_expires_at = ?,
				attempts = CASE WHEN code_expires_at > ? THEN attempts ELSE 0 END WHERE id = ?`,
				sub.CodeHash, micros(sub.CodeExpires), micros(asked), sub.ID)
		} else {
			err = tx.queryRow(ctx, `INSERT INTO group_subscriptions (ref, group_code, channel, address, code_hash, code_expires_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, sub.Ref, sub.GroupCode, sub.Channel, sub.Address, sub.CodeHash,
				micros(sub.CodeExpires), micros(sub.CreatedAt)).Scan(&sub.ID)
		}
		if err != nil {
			return normalize(err)
		}
		return tx.Enqueue(ctx, m)
	})
}

// SubscriptionRef implements announce.Store.
func (s Announce) SubscriptionRef(ctx context.Context, group, channel, address string) (string, error) {
	var ref string
	err := s.DB.queryRow(ctx, `SELECT ref FROM group_subscriptions WHERE group_code = ? AND channel = ? AND address = ?`, group, channel, address).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNoSubscription
	}
	return ref, err
}

var errNoSubscription = apperr.NotFound("Không tìm thấy đăng ký", "subscription not found")

// Confirm implements announce.Store: a wrong code is counted and
// committed, then answered. A subscription already confirmed is checked
// too but not written: the code form refuses it (it must not tell who
// follows a group), the signed link accepts it again.
func (s Announce) Confirm(ctx context.Context, ref string, check func(*announce.Subscription) error) (*announce.Subscription, error) {
	var sub announce.Subscription
	var refused error
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		var err error
		sub, err = scanSubscription(tx.queryRow(ctx, `SELECT `+subscriptionCols+` FROM group_subscriptions WHERE ref = ?`, ref))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoSubscription
		}
		if err != nil {
			return err
		}
		if refused = check(&sub); refused != nil || sub.Confirmed {
			if announce.IsWrongCode(refused) && !sub.Confirmed {
				_, err = tx.exec(ctx, `UPDATE group_subscriptions SET attempts = attempts + 1 WHERE id = ?`, sub.ID)
			}
			return err
		}
		sub.Confirmed, sub.ConfirmedAt = true, s.DB.Now().UTC().Truncate(time.Microsecond)
		_, err = tx.exec(ctx, `UPDATE group_subscriptions SET confirmed = 1, confirmed_at = ?, code_hash = '' WHERE id = ?`, micros(sub.ConfirmedAt), sub.ID)
		return err
	})
	if err == nil {
		err = refused
	}
	if err != nil {
		return nil, err
	}
	return &sub, nil
}

// Unsubscribe implements announce.Store.
func (s Announce) Unsubscribe(ctx context.Context, ref string) (*announce.Subscription, error) {
	var sub announce.Subscription
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		var err error
		sub, err = scanSubscription(tx.queryRow(ctx, `SELECT `+subscriptionCols+` FROM group_subscriptions WHERE ref = ?`, ref))
		if errors.Is(err, sql.ErrNoRows) {
			return errNoSubscription
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM group_subscriptions WHERE id = ?`, sub.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &sub, nil
}

// Subscriptions lists a group's subscriptions, for the commune's officers
// and the tests.
func (s Announce) Subscriptions(ctx context.Context, group string) ([]announce.Subscription, error) {
	rows, err := s.DB.query(ctx, `SELECT `+subscriptionCols+` FROM group_subscriptions WHERE group_code = ? ORDER BY id`, group)
	if err != nil {
		return nil, err
	}
	var out []announce.Subscription
	err = eachRow(rows, func() error {
		sub, err := scanSubscription(rows)
		out = append(out, sub)
		return err
	})
	return out, err
}

// Publish implements announce.Store. Each announcement is sent in its own
// transaction, which first marks it sent with an update conditional on
// its not being sent yet: a second server (or a retry) finds nothing to
// do, and the messages' idempotency keys (announcement × subscription)
// keep one message per subscriber even so.
func (s Announce) Publish(ctx context.Context, now time.Time, build func(*announce.Announcement, announce.Group, announce.Subscription) (outbox.Message, error)) (int, error) {
	rows, err := s.DB.query(ctx, `SELECT `+announcementCols+` FROM announcements WHERE sent_at = 0 AND publish_at <= ? ORDER BY id LIMIT 100`, micros(now))
	if err != nil {
		return 0, err
	}
	var due []announce.Announcement
	if err := eachRow(rows, func() error {
		a, err := scanAnnouncement(rows)
		due = append(due, a)
		return err
	}); err != nil {
		return 0, err
	}
	sent := 0
	for i := range due {
		ok, err := s.publishOne(ctx, &due[i], now, build)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

func (s Announce) publishOne(ctx context.Context, a *announce.Announcement, now time.Time, build func(*announce.Announcement, announce.Group, announce.Subscription) (outbox.Message, error)) (bool, error) {
	sent := false
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE announcements SET sent_at = ? WHERE id = ? AND sent_at = 0`, micros(now), a.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		sent = true
		if !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt) {
			return nil // expired before its time came: nothing to tell
		}
		msgs, err := s.recipients(ctx, tx, a, now, build)
		if err != nil {
			return err
		}
		return tx.Enqueue(ctx, msgs...)
	})
	return sent, err
}

// recipients builds the messages of an announcement for the confirmed
// subscribers of the groups it targets that are still in force.
func (s Announce) recipients(ctx context.Context, tx *Tx, a *announce.Announcement, now time.Time, build func(*announce.Announcement, announce.Group, announce.Subscription) (outbox.Message, error)) ([]outbox.Message, error) {
	q := `SELECT ` + prefixCols("s.", subscriptionCols) + `, ` + prefixCols("units.", unitCols) + `, ` + groupLeader + `
		FROM group_subscriptions s JOIN units ON units.code = s.group_code
		WHERE s.confirmed = 1 AND units.kind = ? AND units.parent_code = ? AND (units.valid_to = '' OR units.valid_to > ?)`
	args := []any{unit.KindGroup, a.UnitCode, now.In(calendar.Zone).Format(unit.DateLayout)}
	if !a.AllGroups {
		q += ` AND s.group_code IN (SELECT group_code FROM announcement_groups WHERE announcement_id = ?)`
		args = append(args, a.ID)
	}
	rows, err := tx.query(ctx, q+` ORDER BY s.id`, args...)
	if err != nil {
		return nil, err
	}
	var msgs []outbox.Message
	err = eachRow(rows, func() error {
		var sub announce.Subscription
		var g announce.Group
		var confirmed int
		var exp, created, conf int64
		u := &g.Unit
		if err := rows.Scan(&sub.ID, &sub.Ref, &sub.GroupCode, &sub.Channel, &sub.Address, &confirmed, &sub.CodeHash, &exp, &sub.Attempts, &created, &conf,
			&u.Code, &u.Name, &u.FullName, &u.NameEn, &u.Kind, &u.ParentCode, &u.AgencyCode, &u.ValidFrom, &u.ValidTo, &g.Leader); err != nil {
			return err
		}
		m, err := build(a, g, sub)
		msgs = append(msgs, m)
		return err
	})
	return msgs, err
}
