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
	var out []int
	err := db.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = countsOf(rows, now, cs)
		return err
	})
	if err != nil {
		return nil, normalize(err)
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
	where, args := counterWhere(now, cs)
	rows, err := db.query(ctx, `SELECT kind, key, window_start, count FROM throttle WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, err := countsOf(rows, now, cs)
	return out, normalize(err)
}

// counterWhere matches the rows of the counters in their windows holding now.
func counterWhere(now time.Time, cs []Counter) (string, []any) {
	conds := make([]string, len(cs))
	args := make([]any, 0, 3*len(cs))
	for i, c := range cs {
		conds[i] = "(kind = ? AND key = ? AND window_start = ?)"
		args = append(args, c.Kind, c.Key, c.windowStart(now))
	}
	return strings.Join(conds, " OR "), args
}

// countsOf reads rows of (kind, key, window_start, count) and returns each
// counter's count in its window holding now, in order; 0 for a missing row.
func countsOf(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, now time.Time, cs []Counter) ([]int, error) {
	counts := map[counterID]int{}
	for rows.Next() {
		var id counterID
		var n int
		if err := rows.Scan(&id.kind, &id.key, &id.start, &n); err != nil {
			return nil, err
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
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
	where, args := counterWhere(now, cs)
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE throttle SET count = count - 1 WHERE count > 0 AND (`+where+`)`, args...)
		return err
	})
}
