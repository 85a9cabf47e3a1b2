package store

import (
	"context"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/vntext"
)

// maxRatingReason bounds the reason given with a counter rating.
const maxRatingReason = 500

// RateTicket records the citizen's rating of the service at the desk that
// served the ticket, once: tied to the ticket, its dossier if one was
// linked, and the officer who served it, whose periodic evaluation counts
// it (Evaluations.OfficerMeasures). Levels are the dossiers' (1 not
// satisfied, 2 satisfied, 3 very satisfied).
func (q Queue) RateTicket(ctx context.Context, id int64, rating int, reason string) (queue.Ticket, error) {
	if _, ok := dossier.RatingName[rating]; !ok {
		return queue.Ticket{}, apperr.Invalid("rating", "Mức đánh giá phải là 1 (không hài lòng), 2 (hài lòng) hoặc 3 (rất hài lòng)",
			"rating must be 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)")
	}
	reason = vntext.Clean(reason)
	if len([]rune(reason)) > maxRatingReason {
		return queue.Ticket{}, apperr.Invalid("reason", "Lý do dài tối đa 500 ký tự", "the reason is 500 characters at most")
	}
	return q.onTicket(ctx, id, func(tx *qtx, t *queue.Ticket) error {
		switch {
		case t.Status != queue.Served:
			return apperr.Conflict("Chỉ đánh giá được sau khi đã được phục vụ", "a ticket is rated once it was served")
		case t.Rating != 0:
			return apperr.Conflict("Số này đã được đánh giá", "the ticket was already rated")
		}
		if _, err := tx.exec(ctx, `INSERT INTO queue_ratings (ticket_id, unit_code, officer, desk_id, dossier_code, rating, reason, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.UnitCode, t.Officer, t.DeskID, t.DossierCode, rating, reason, micros(tx.now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE queue_tickets SET rating = ? WHERE id = ?`, rating, t.ID); err != nil {
			return err
		}
		t.Rating = rating
		var deskNumber int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) FROM queue_desks WHERE id = ?`, t.DeskID).Scan(&deskNumber); err != nil {
			return err
		}
		return tx.event(ctx, QueueEvent{TicketID: t.ID, Number: t.Number, Group: t.Group, DeskID: t.DeskID, DeskNumber: deskNumber, Officer: t.Officer,
			Action: EvRate, Rating: rating})
	})
}
