package store_test

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// queueExtras gives the copy's dataset a morning at the counter: tickets
// issued, called and served, one rated, and an appointment checked in, so
// that every queue table has rows.
func (g *dataset) queueExtras(ctx context.Context) error {
	q := store.Queue{DB: g.f.DB, Cals: g.f.Cals}
	// The next working day's morning: the clock only moves forward.
	var a queue.Appointment
	var err error
	for d := 1; d <= 14; d++ {
		y, m, dd := g.f.Clock.Now().In(calendar.Zone).AddDate(0, 0, 1).Date()
		g.f.Clock.Set(time.Date(y, m, dd, 8, 30, 0, 0, calendar.Zone))
		a, err = q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: time.Date(y, m, dd, 9, 0, 0, 0, calendar.Zone),
			Person: queue.Person{Name: "Hoàng Thị Lan", Phone: "0912345678"}})
		if err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	if _, err := q.CheckIn(ctx, a.Code); err != nil {
		return err
	}
	t, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "B", Person: queue.Person{Name: "Lê Văn Tám"}})
	if err != nil {
		return err
	}
	desks, err := q.Desks(ctx, demo.Ward)
	if err != nil {
		return err
	}
	if _, _, err := q.Call(ctx, desks[2].ID, "canbo"); err != nil {
		return err
	}
	if _, err := q.Act(ctx, t.ID, store.TicketAction{Action: store.ActServe}, "canbo"); err != nil {
		return err
	}
	_, err = q.RateTicket(ctx, t.ID, dossier.RatingVery, "Chu đáo")
	return err
}
