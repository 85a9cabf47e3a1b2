package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestQueueToRate: a desk's rating tablet asks about the ticket last served
// at that desk, not about one served elsewhere, one still being served, one
// already rated, or one served longer ago than store.RateWindow.
func TestQueueToRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		d1, d3 := deskID(t, q, demo.Ward, 1), deskID(t, q, demo.Ward, 3)
		desk1, err := q.Desk(ctx, d1)
		if err != nil {
			t.Fatal(err)
		}
		asks := func(want int64) {
			t.Helper()
			got, ok, err := q.ToRate(ctx, desk1)
			if err != nil || ok != (want != 0) || (ok && got.ID != want) {
				t.Fatalf("desk 1's tablet asks about %d (%v, %v), want %d", got.ID, ok, err, want)
			}
		}
		asks(0)
		a, b := take(t, q, "A", ""), take(t, q, "A", "")
		call(t, q, d1)
		asks(0) // being served
		call(t, q, d3)
		if _, err := q.Act(ctx, b.ID, store.TicketAction{Action: store.ActServe}, "canbo"); err != nil {
			t.Fatal(err)
		}
		asks(0) // served at desk 3
		f.Clock.Advance(3 * time.Minute)
		if _, err := q.Act(ctx, a.ID, store.TicketAction{Action: store.ActServe}, "canbo"); err != nil {
			t.Fatal(err)
		}
		asks(a.ID)
		f.Clock.Advance(store.RateWindow)
		asks(0) // too long ago
		c := take(t, q, "A", "")
		call(t, q, d1)
		if _, err := q.Act(ctx, c.ID, store.TicketAction{Action: store.ActServe}, "canbo"); err != nil {
			t.Fatal(err)
		}
		asks(c.ID)
		if _, err := q.RateTicket(ctx, c.ID, 3, ""); err != nil {
			t.Fatal(err)
		}
		asks(0) // rated
	})
}
