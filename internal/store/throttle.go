package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Counter names one attempt counter of the limits: the attempts of Kind
// (e.g. "signin_pair") by Key (e.g. an account and an address) in fixed
// windows of Window. The counters live in the database, so that several
// servers on one database share them.
type Counter struct {
	Kind, Key string
	Window    time.Duration
}

// windowStart is the start of the window holding now, in Unix microseconds.
func (c Counter) windowStart(now time.Time) int64 {
	w := c.Window.Microseconds()
	t := now.UnixMicro()
	return t - t%w
}

// WindowEnd is the end of the counter's window holding now.
func (c Counter) WindowEnd(now time.Time) time.Time {
	return time.UnixMicro(c.windowStart(now) + c.Window.Microseconds())
}

type counterID struct {
	kind, key string
	start     int64
}

// checkCounters refuses a counter without kind or window, and two counters
// that are the same row (one statement may change a row only once).
func checkCounters(cs []Counter) error {
	seen := map[[2]string]bool{}
	for _, c := range cs {
		if c.Kind == "" || c.Window < time.Microsecond {
			return fmt.Errorf("throttle: counter %q needs a kind and a window of at least 1µs", c.Kind)
		}
		if seen[[2]string{c.Kind, c.Key}] {
			return fmt.Errorf("throttle: counter %q %q given twice", c.Kind, c.Key)
		}
		seen[[2]string{c.Kind, c.Key}] = true
	}
	return nil
}

// Hit adds one attempt to each counter in its window holding now, in one
// statement, and returns each counter's count after it, in order.
func (db *DB) Hit(ctx context.Context, now time.Time, cs ...Counter) ([]int, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	if err := checkCounters(cs); err != nil {
		return nil, err
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO throttle (kind, key, window_start, count, expires_at) VALUES `)
	args := make([]any, 0, 4*len(cs))
	for i, c := range cs {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, 1, ?)")
		start := c.windowStart(now)
		args = append(args, c.Kind, c.Key, start, start+c.Window.Microseconds())
	}
	q.WriteString(` ON CONFLICT (kind, key, window_start) DO UPDATE SET count = throttle.count + 1
		RETURNING kind, key, window_start, count`)
	counts := map[counterID]int{}
	err := db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, key string
			var start int64
			var n int
			if err := rows.Scan(&kind, &key, &start, &n); err != nil {
				return err
			}
			counts[counterID{kind, key, start}] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, normalize(err)
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = counts[counterID{c.Kind, c.Key, c.windowStart(now)}]
	}
	return out, nil
}

// Counts returns each counter's count in its window holding now, without
// adding to it; 0 for a counter nobody hit yet.
func (db *DB) Counts(ctx context.Context, now time.Time, cs ...Counter) ([]int, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	if err := checkCounters(cs); err != nil {
		return nil, err
	}
	var q strings.Builder
	q.WriteString(`SELECT kind, key, window_start, count FROM throttle WHERE `)
	args := make([]any, 0, 3*len(cs))
	for i, c := range cs {
		if i > 0 {
			q.WriteString(" OR ")
		}
		q.WriteString("(kind = ? AND key = ? AND window_start = ?)")
		args = append(args, c.Kind, c.Key, c.windowStart(now))
	}
	rows, err := db.query(ctx, q.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[counterID]int{}
	for rows.Next() {
		var kind, key string
		var start int64
		var n int
		if err := rows.Scan(&kind, &key, &start, &n); err != nil {
			return nil, normalize(err)
		}
		counts[counterID{kind, key, start}] = n
	}
	if err := rows.Err(); err != nil {
		return nil, normalize(err)
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = counts[counterID{c.Kind, c.Key, c.windowStart(now)}]
	}
	return out, nil
}

// PurgeCounters deletes the counters whose window ended before t, and says
// how many.
func (db *DB) PurgeCounters(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM throttle WHERE expires_at < ?`, before.UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Unhit takes back one attempt from each counter in its window holding now:
// a sign-in that succeeded, or an attempt refused for another counter, does
// not count against these.
func (db *DB) Unhit(ctx context.Context, now time.Time, cs ...Counter) error {
	if len(cs) == 0 {
		return nil
	}
	if err := checkCounters(cs); err != nil {
		return err
	}
	var q strings.Builder
	q.WriteString(`UPDATE throttle SET count = count - 1 WHERE count > 0 AND (`)
	args := make([]any, 0, 3*len(cs))
	for i, c := range cs {
		if i > 0 {
			q.WriteString(" OR ")
		}
		q.WriteString("(kind = ? AND key = ? AND window_start = ?)")
		args = append(args, c.Kind, c.Key, c.windowStart(now))
	}
	q.WriteString(")")
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, q.String(), args...)
		return err
	})
}
