package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
)

// RateWindow is how long after service a desk's rating tablet still asks
// for the rating: the citizen rates as he leaves, not an hour later.
const RateWindow = 15 * time.Minute

// ToRate reads the ticket a desk's rating tablet asks about: the last one
// served at the desk today, within RateWindow, if nobody has rated it yet.
// ok is false when there is none (the tablet waits).
func (q Queue) ToRate(ctx context.Context, d queue.Desk) (queue.Ticket, bool, error) {
	now := q.DB.Now()
	t, err := scanTicket(q.DB.queryRow(ctx, `SELECT `+ticketCols+` FROM queue_tickets WHERE unit_code = ? AND day = ? AND status = 'served' AND desk_id = ?
		ORDER BY finished_at DESC, id DESC LIMIT 1`, d.UnitCode, queue.DayOf(now, calendar.Zone), d.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, normalize(err)
	}
	return t, t.Rating == 0 && now.Sub(t.FinishedAt) < RateWindow, nil
}
