package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// qtx is a queue write: a transaction holding its unit's event sequence.
type qtx struct {
	*Tx
	unit string
	seq  int64 // the number of the next event this write appends
	used bool  // seq was taken by an event
	now  time.Time
}

// inQueue runs fn in a write transaction that first bumps the unit's event
// sequence. On PostgreSQL the bumped row stays locked until the commit, so
// the unit's queue writes run one after the other whatever server they
// come from: two desks never call the same ticket, and events become
// visible in the order of their numbers, which lets a board read "every
// event after N" without missing one committed late.
func (q Queue) inQueue(ctx context.Context, unit string, fn func(t *qtx) error) error {
	return q.DB.inTx(ctx, func(tx *Tx) error {
		t := &qtx{Tx: tx, unit: unit, now: q.DB.Now()}
		if err := t.bump(ctx); err != nil {
			return err
		}
		return fn(t)
	})
}

func (t *qtx) bump(ctx context.Context) error {
	return t.queryRow(ctx, `INSERT INTO queue_event_seq (unit_code, last) VALUES (?, 1)
		ON CONFLICT (unit_code) DO UPDATE SET last = queue_event_seq.last + 1 RETURNING last`, t.unit).Scan(&t.seq)
}

// Board event actions. The calling board shows call and recall; the others
// let a board or a desk view keep its numbers right.
const (
	EvIssue    = "issue"
	EvCall     = "call"
	EvRecall   = "recall"
	EvSkip     = "skip"
	EvServe    = "serve"
	EvTransfer = "transfer"
	EvLink     = "link"
	EvRate     = "rate"
)

// QueueEvent is one line of the queue's event log: what happened to a
// ticket, where, and the times it adds to the roll-up.
type QueueEvent struct {
	Seq        int64     `json:"seq"`
	UnitCode   string    `json:"unit"`
	TicketID   int64     `json:"ticket_id"`
	Number     string    `json:"number"`
	Group      string    `json:"group"`
	DeskID     int64     `json:"desk_id,omitempty"`
	DeskNumber int       `json:"desk_number,omitempty"`
	Officer    string    `json:"-"` // not on the public board
	Action     string    `json:"action"`
	Detail     string    `json:"-"` // a priority reason, a dossier code: not on the public board
	Wait       int64     `json:"-"` // microseconds waited before this call
	Service    int64     `json:"-"` // microseconds of service ended here
	Rating     int       `json:"-"`
	At         time.Time `json:"at"`
}

// event appends an event and adds it to the roll-up, in the write's
// transaction.
func (t *qtx) event(ctx context.Context, e QueueEvent) error {
	if t.used {
		if err := t.bump(ctx); err != nil {
			return err
		}
	}
	t.used = true
	e.Seq, e.UnitCode, e.At = t.seq, t.unit, t.now
	if _, err := t.exec(ctx, `INSERT INTO queue_events (unit_code, seq, ticket_id, number, group_code, desk_id, desk_number, officer, action, detail, wait_us, service_us, rating, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.UnitCode, e.Seq, e.TicketID, e.Number, e.Group, e.DeskID, e.DeskNumber, e.Officer, e.Action, e.Detail, e.Wait, e.Service, e.Rating, micros(e.At)); err != nil {
		return err
	}
	return addQueueStat(ctx, t.Tx, statOf(e))
}

// queueStat is one event's share of the roll-up.
type queueStat struct {
	unit, day, group, officer                string
	hour                                     int
	desk                                     int64
	issued, waitedN, waited, servedN, served int64
	skipped, ratedN, ratedGood               int64
}

// statOf is what an event adds to the roll-up: a ticket issued, a wait
// ended by a call, a service ended, a no-show, a rating.
func statOf(e QueueEvent) queueStat {
	local := e.At.In(calendar.Zone)
	s := queueStat{unit: e.UnitCode, day: local.Format("2006-01-02"), hour: local.Hour(), group: e.Group, desk: e.DeskID, officer: e.Officer}
	switch e.Action {
	case EvIssue:
		s.issued = 1
	case EvCall:
		s.waitedN, s.waited = 1, e.Wait
	case EvServe:
		s.servedN, s.served = 1, e.Service
	case EvSkip:
		s.skipped = 1
	case EvRate:
		s.ratedN = 1
		if e.Rating >= dossier.RatingOK {
			s.ratedGood = 1
		}
	}
	return s
}

func (s queueStat) empty() bool {
	return s.issued+s.waitedN+s.servedN+s.skipped+s.ratedN == 0
}

func addQueueStat(ctx context.Context, tx *Tx, s queueStat) error {
	if s.empty() {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO queue_stats (unit_code, day, hour, group_code, desk_id, officer, issued, waited_n, waited_sum, waited_max,
		served_n, served_sum, served_max, skipped, rated_n, rated_good) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (unit_code, day, hour, group_code, desk_id, officer) DO UPDATE SET
		issued = queue_stats.issued + excluded.issued,
		waited_n = queue_stats.waited_n + excluded.waited_n, waited_sum = queue_stats.waited_sum + excluded.waited_sum,
		waited_max = CASE WHEN excluded.waited_max > queue_stats.waited_max THEN excluded.waited_max ELSE queue_stats.waited_max END,
		served_n = queue_stats.served_n + excluded.served_n, served_sum = queue_stats.served_sum + excluded.served_sum,
		served_max = CASE WHEN excluded.served_max > queue_stats.served_max THEN excluded.served_max ELSE queue_stats.served_max END,
		skipped = queue_stats.skipped + excluded.skipped, rated_n = queue_stats.rated_n + excluded.rated_n,
		rated_good = queue_stats.rated_good + excluded.rated_good`,
		s.unit, s.day, s.hour, s.group, s.desk, s.officer, s.issued, s.waitedN, s.waited, s.waited,
		s.servedN, s.served, s.served, s.skipped, s.ratedN, s.ratedGood)
	return err
}

// maxBoardEvents bounds one read of the board's events.
const maxBoardEvents = 500

// QueueEvents reads a unit's events after seq, oldest first, at most limit
// (500 at most): what a calling board has not seen yet.
func (q Queue) QueueEvents(ctx context.Context, unitCode string, after int64, limit int) ([]QueueEvent, error) {
	if limit <= 0 || limit > maxBoardEvents {
		limit = maxBoardEvents
	}
	rows, err := q.DB.query(ctx, `SELECT seq, ticket_id, number, group_code, desk_id, desk_number, officer, action, detail, wait_us, service_us, rating, at
		FROM queue_events WHERE unit_code = ? AND seq > ? ORDER BY seq LIMIT ?`, unitCode, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []QueueEvent{}
	for rows.Next() {
		e := QueueEvent{UnitCode: unitCode}
		var at int64
		if err := rows.Scan(&e.Seq, &e.TicketID, &e.Number, &e.Group, &e.DeskID, &e.DeskNumber, &e.Officer, &e.Action, &e.Detail, &e.Wait, &e.Service, &e.Rating, &at); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastQueueEvent is the number of a unit's latest event (0 = none): a new
// board starts after it.
func (q Queue) LastQueueEvent(ctx context.Context, unitCode string) (int64, error) {
	var n int64
	err := q.DB.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM queue_events WHERE unit_code = ?`, unitCode).Scan(&n)
	return n, normalize(err)
}

// TicketEvents is a ticket's history, oldest first.
func (q Queue) TicketEvents(ctx context.Context, ticketID int64) ([]QueueEvent, error) {
	rows, err := q.DB.query(ctx, `SELECT unit_code, seq, number, group_code, desk_id, desk_number, officer, action, detail, at
		FROM queue_events WHERE ticket_id = ? ORDER BY at, seq`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []QueueEvent{}
	for rows.Next() {
		e := QueueEvent{TicketID: ticketID}
		var at int64
		if err := rows.Scan(&e.UnitCode, &e.Seq, &e.Number, &e.Group, &e.DeskID, &e.DeskNumber, &e.Officer, &e.Action, &e.Detail, &at); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
