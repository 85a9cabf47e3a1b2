package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// queueOf is the counter queue over a fixture (the demo's groups A, B, C
// and desks 1–3 in the ward).
func queueOf(f *storetest.Fixture) store.Queue { return store.Queue{DB: f.DB, Cals: f.Cals} }

// deskID finds a demo desk of the ward by number.
func deskID(t *testing.T, q store.Queue, unit string, number int) int64 {
	t.Helper()
	ds, err := q.Desks(context.Background(), unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Number == number {
			return d.ID
		}
	}
	t.Fatalf("no desk %d in %s", number, unit)
	return 0
}

func take(t *testing.T, q store.Queue, group, reason string) queue.Ticket {
	t.Helper()
	tk, err := q.TakeTicket(context.Background(), store.TicketRequest{Unit: demo.Ward, Group: group, PriorityReason: reason})
	if err != nil {
		t.Fatalf("take %s: %v", group, err)
	}
	return tk
}

func call(t *testing.T, q store.Queue, desk int64) queue.Ticket {
	t.Helper()
	tk, ok, err := q.Call(context.Background(), desk, "canbo")
	if err != nil || !ok {
		t.Fatalf("call at desk %d: %v %v", desk, ok, err)
	}
	return tk
}

// TestQueueNumbering: numbers run A001, A002 per group and restart each
// working day of the unit's calendar; no ticket on a Sunday or a holiday,
// nor after the counter closed.
func TestQueueNumbering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		var got []string
		for _, g := range []string{"A", "A", "B", "A"} {
			got = append(got, take(t, q, g, "").Number)
		}
		if want := []string{"A001", "A002", "B001", "A003"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("Monday: %v, want %v", got, want)
		}
		f.Clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, calendar.Zone)) // Tuesday
		if n := take(t, q, "A", "").Number; n != "A001" {
			t.Errorf("Tuesday's first: %s, want A001", n)
		}
		f.Clock.Set(time.Date(2026, 3, 3, 17, 0, 0, 0, calendar.Zone)) // Tuesday, closing time
		if _, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "A"}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("after closing: %v, want a conflict", err)
		}
		f.Clock.Set(time.Date(2026, 3, 8, 9, 0, 0, 0, calendar.Zone)) // Sunday
		if _, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "A"}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("Sunday: %v, want a conflict", err)
		}
		// A holiday set by the ward closes the counter; the next working day starts again at 1.
		if _, err := f.Cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: "2026-03-09", Kind: calendar.Holiday, Name: "Nghỉ bù", Reason: "TB 1", By: f.Actors["quantri"]}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, calendar.Zone))
		if _, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "A"}); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("holiday: %v, want a conflict", err)
		}
		f.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, calendar.Zone))
		if n := take(t, q, "A", "").Number; n != "A001" {
			t.Errorf("after the holiday: %s, want A001", n)
		}
		for _, bad := range []store.TicketRequest{{Unit: demo.Ward, Group: "Z"}, {Unit: demo.Ward, Group: "A", PriorityReason: "vip"},
			{Unit: demo.Ward, Group: "A", Person: queue.Person{Phone: "12"}}} {
			if _, err := q.TakeTicket(ctx, bad); err == nil {
				t.Errorf("%+v: accepted", bad)
			}
		}
	})
}

// TestQueueCallOrder: priority tickets first, then the walk-ins in order;
// a desk calls only its groups; recall, skip, serve and transfer move the
// ticket as they say, and a ticket sent to a desk waits for that desk.
func TestQueueCallOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		a1 := take(t, q, "A", "")
		f.Clock.Advance(time.Minute)
		b1 := take(t, q, "B", "")
		f.Clock.Advance(time.Minute)
		a2 := take(t, q, "A", queue.Elderly)
		f.Clock.Advance(time.Minute)
		p, err := q.Place(ctx, a1)
		if err != nil || p.Ahead != 1 {
			t.Fatalf("place of A001 behind a priority ticket: %+v %v", p, err)
		}
		desk1, desk2 := deskID(t, q, demo.Ward, 1), deskID(t, q, demo.Ward, 2)
		if c := call(t, q, desk1); c.ID != a2.ID || !c.Priority {
			t.Fatalf("first call: %s, want the priority %s", c.Number, a2.Number)
		}
		if c := call(t, q, desk1); c.ID != a1.ID {
			t.Fatalf("second call: %s, want %s", c.Number, a1.Number)
		}
		if got, _ := q.Ticket(ctx, a2.ID); got.Status != queue.Served {
			t.Errorf("calling next served the previous ticket: %s", got.Status)
		}
		if _, ok, err := q.Call(ctx, desk1, "canbo"); ok || err != nil {
			t.Errorf("desk 1 serves A only, B waits: ok=%v %v", ok, err)
		}
		if _, _, err := q.Call(ctx, desk1, "chuyenvien"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("another officer at a held desk: %v", err)
		}
		// Recall, transfer A001 from desk 1 to desk 2, which calls it before B001? No: B001 is older; desk 2 calls by rank.
		if r, err := q.Act(ctx, a1.ID, store.TicketAction{Action: store.ActRecall}, "canbo"); err != nil || r.Calls != 2 {
			t.Fatalf("recall: %+v %v", r, err)
		}
		if _, err := q.Act(ctx, a1.ID, store.TicketAction{Action: store.ActTransfer, DeskID: desk2}, "canbo"); err != nil {
			t.Fatal(err)
		}
		if c := call(t, q, desk2); c.ID != a1.ID {
			t.Errorf("desk 2 after the transfer: %s, want %s (it ranks from its issue)", c.Number, a1.Number)
		}
		if c := call(t, q, desk2); c.ID != b1.ID {
			t.Errorf("desk 2 next: %s, want %s", c.Number, b1.Number)
		}
		if _, err := q.Act(ctx, b1.ID, store.TicketAction{Action: store.ActSkip}, "canbo"); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Act(ctx, b1.ID, store.TicketAction{Action: store.ActServe}, "canbo"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("serve a skipped ticket: %v", err)
		}
		if got, _ := q.Ticket(ctx, b1.ID); got.Status != queue.Skipped {
			t.Errorf("skip: %s", got.Status)
		}
		dq, err := q.ForDesk(ctx, desk2)
		if err != nil || dq.Current != nil || len(dq.Waiting) != 0 {
			t.Errorf("desk 2 after the skip: %+v %v", dq, err)
		}
		// The holder of the skipped ticket comes back: sent back to desk 2, which calls him.
		if _, err := q.Act(ctx, b1.ID, store.TicketAction{Action: store.ActTransfer, DeskID: desk2}, "canbo"); err != nil {
			t.Fatal(err)
		}
		if c := call(t, q, desk2); c.ID != b1.ID || c.Calls != 2 {
			t.Errorf("the late holder: %+v", c)
		}
		if _, err := q.Act(ctx, b1.ID, store.TicketAction{Action: store.ActServe}, "canbo"); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Act(ctx, b1.ID, store.TicketAction{Action: store.ActTransfer, Group: "A"}, "canbo"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("transfer a served ticket: %v", err)
		}
		// The desk's tablet asks about the ticket just served, until it is rated.
		if dq, err := q.ForDesk(ctx, desk2); err != nil || dq.ToRate == nil || dq.ToRate.ID != b1.ID {
			t.Errorf("to rate at desk 2: %+v %v", dq.ToRate, err)
		}
		if _, err := q.RateTicket(ctx, b1.ID, dossier.RatingOK, ""); err != nil {
			t.Fatal(err)
		}
		if dq, err := q.ForDesk(ctx, desk2); err != nil || dq.ToRate != nil {
			t.Errorf("to rate after the rating: %+v %v", dq.ToRate, err)
		}
	})
}

// TestQueueAppointments: slots come from the ward's office hours and skip
// holidays and days off; a booked citizen who checks in early is called at
// the slot's start ahead of the walk-ins; a full slot refuses; a no-show
// frees the place after the grace time, a cancellation at once.
func TestQueueAppointments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		monday := storetest.Start // 09:00
		_, slots, err := q.Slots(ctx, store.SlotsRequest{Unit: demo.Ward, Procedure: "1.001193", Date: monday})
		if err != nil {
			t.Fatal(err)
		}
		// 09:00–12:00 and 13:00–17:00 in 30-minute slots; 08:00–09:00 is over.
		if len(slots) != 14 || slots[0].Capacity != 2*2 || !slots[0].Start.Equal(monday) {
			t.Fatalf("Monday's slots: %d, first %+v", len(slots), slots[0])
		}
		for _, day := range []time.Time{time.Date(2026, 3, 8, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 4, 30, 0, 0, 0, 0, calendar.Zone)} {
			if _, s, err := q.Slots(ctx, store.SlotsRequest{Unit: demo.Ward, Procedure: "1.001193", Date: day}); err != nil || len(s) != 0 {
				t.Errorf("%s (a Sunday, a holiday): %d slots %v", day.Format("02/01"), len(s), err)
			}
		}
		ten := monday.Add(time.Hour)
		person := queue.Person{Name: "Hoàng Thị Lan", Phone: "0912345678"}
		var booked []queue.Appointment
		someone := func(i int) queue.Person {
			return queue.Person{Name: "Người hẹn", Phone: fmt.Sprintf("09123456%02d", 50+i)}
		}
		for i := range 4 {
			a, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: ten, Person: someone(i)})
			if err != nil {
				t.Fatal(err)
			}
			booked = append(booked, a)
		}
		if _, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: ten, Person: someone(4)}); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("fifth booking of a 4-place slot: %v", err)
		}
		// One phone holds two bookings a day at most.
		for i, want := range []string{"", "", apperr.ECONFLICT} {
			_, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: ten.Add(time.Duration(3+i) * time.Hour), Person: someone(9)})
			if apperr.Code(err) != want {
				t.Errorf("booking %d of one phone: %v, want %q", i+1, err, want)
			}
		}
		if _, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: ten.Add(7 * time.Minute), Person: person}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("a time that starts no slot: %v", err)
		}
		// 09:40 the first checks in; two walk-ins come after him.
		f.Clock.Set(monday.Add(40 * time.Minute))
		appt, err := q.CheckIn(ctx, booked[0].Code)
		if err != nil || appt.Group != "A" || !appt.DueAt.Equal(ten) {
			t.Fatalf("check-in: %+v %v", appt, err)
		}
		if _, err := q.CheckIn(ctx, booked[0].Code); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second check-in: %v", err)
		}
		walk1 := take(t, q, "A", "")
		f.Clock.Advance(5 * time.Minute)
		walk2 := take(t, q, "A", "")
		desk1 := deskID(t, q, demo.Ward, 1)
		if c := call(t, q, desk1); c.ID != walk1.ID {
			t.Errorf("09:45, before the slot: %s called, want the walk-in %s", c.Number, walk1.Number)
		}
		f.Clock.Set(ten)
		if c := call(t, q, desk1); c.ID != appt.ID {
			t.Errorf("10:00: %s called, want the appointment %s ahead of %s", c.Number, appt.Number, walk2.Number)
		}
		// 10:14 the other three have not come: the places still hold; 10:15
		// they are no-shows, and the slot, past its grace time, is no
		// longer offered.
		f.Clock.Set(ten.Add(14 * time.Minute))
		if s := slotAt(t, q, ten); s.Free() != 0 {
			t.Errorf("10:14: %d free, want 0", s.Free())
		}
		f.Clock.Set(ten.Add(15 * time.Minute))
		if _, s, err := q.Slots(ctx, store.SlotsRequest{Unit: demo.Ward, Procedure: "1.001193", Date: ten}); err != nil || len(s) == 0 || !s[0].Start.Equal(ten.Add(30*time.Minute)) {
			t.Errorf("10:15: slots %v %v, want the first at 10:30", s, err)
		}
		if _, err := q.CheckIn(ctx, booked[1].Code); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("check-in after the grace time: %v", err)
		}
		half := ten.Add(30 * time.Minute)
		again, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: half, Person: person})
		if err != nil {
			t.Fatalf("booking the next slot: %v", err)
		}
		// Cancelled with the booking's phone, the place is free again; a wrong phone is "not found".
		if _, err := q.CancelAppointment(ctx, again.Code, "0987000111"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("cancel with another phone: %v", err)
		}
		if _, err := q.CancelAppointment(ctx, again.Code, "+84912345678"); err != nil {
			t.Fatal(err)
		}
		if s := slotAt(t, q, half); s.Booked != 0 {
			t.Errorf("after the cancellation: %+v", s)
		}
		if _, err := q.CancelAppointment(ctx, booked[0].Code, booked[0].Person.Phone); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("cancel a checked-in booking: %v", err)
		}
	})
}

func slotAt(t *testing.T, q store.Queue, at time.Time) queue.Slot {
	t.Helper()
	_, slots, err := q.Slots(context.Background(), store.SlotsRequest{Unit: demo.Ward, Procedure: "1.001193", Date: at})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if s.Start.Equal(at) {
			return s
		}
	}
	t.Fatalf("no slot at %s", at)
	return queue.Slot{}
}

// twoServers is the fixture's queue seen from two servers: two connection
// pools on one database, on the fixture's clock.
func twoServers(t *testing.T, f *storetest.Fixture) []store.Queue {
	t.Helper()
	second, err := store.Open(context.Background(), f.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	second.Now = f.Clock.Now
	return []store.Queue{queueOf(f), {DB: second, Cals: &store.Calendars{DB: second}}}
}

// TestQueueCallRace: many desks on two servers (two connections pools on
// one database) call at once; no ticket is called twice and every ticket
// is called once.
func TestQueueCallRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		servers := twoServers(t, f)
		q := servers[0]
		ctx := context.Background()
		const desks, tickets = 8, 60
		var ids []int64
		for i := range desks {
			d, err := q.SaveDesk(ctx, queue.Desk{UnitCode: demo.Ward, Number: 10 + i, Groups: []string{"A"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		for range tickets {
			take(t, q, "A", "")
		}
		var mu sync.Mutex
		calledBy := map[int64]int64{}
		var wg sync.WaitGroup
		errs := make(chan error, desks)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv := servers[i%2]
				for {
					tk, ok, err := srv.Call(ctx, id, fmt.Sprintf("canbo%d", i))
					if apperr.Code(err) == apperr.ECONFLICT {
						continue // busy database: the desk calls again
					}
					if err != nil {
						errs <- err
						return
					}
					if !ok {
						return
					}
					mu.Lock()
					if prev, dup := calledBy[tk.ID]; dup {
						errs <- fmt.Errorf("%s called by desk %d and desk %d", tk.Number, prev, id)
					}
					calledBy[tk.ID] = id
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(calledBy) != tickets {
			t.Errorf("%d tickets called, want %d", len(calledBy), tickets)
		}
	})
}

// TestQueueRollupRecount: after a day of tickets, calls, transfers,
// services, no-shows and ratings, the roll-up kept in each write equals a
// recount of the event log; the leaders' read sums it; the counter's
// ratings count in the officer's evaluation.
func TestQueueRollupRecount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		desk1, desk3 := deskID(t, q, demo.Ward, 1), deskID(t, q, demo.Ward, 3)
		for i := range 12 {
			take(t, q, string(rune('A'+i%3)), map[bool]string{true: queue.Pregnant}[i%5 == 0])
			f.Clock.Advance(time.Duration(1+i%4) * time.Minute)
		}
		var served []queue.Ticket
		for i := 0; ; i++ {
			d := []int64{desk1, desk3}[i%2]
			tk, ok, err := q.Call(ctx, d, "canbo")
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			f.Clock.Advance(time.Duration(2+i%3) * time.Minute)
			switch i % 4 {
			case 1:
				_, err = q.Act(ctx, tk.ID, store.TicketAction{Action: store.ActSkip}, "canbo")
			case 2:
				_, err = q.Act(ctx, tk.ID, store.TicketAction{Action: store.ActTransfer, Group: "B"}, "canbo")
			default:
				tk, err = q.Act(ctx, tk.ID, store.TicketAction{Action: store.ActServe}, "canbo")
				served = append(served, tk)
			}
			if err != nil {
				t.Fatal(err)
			}
			if i == 40 {
				t.Fatal("the queue never empties")
			}
		}
		for i, tk := range served {
			if _, err := q.RateTicket(ctx, tk.ID, []int{dossier.RatingVery, dossier.RatingBad}[i%2], "Nhanh"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := q.RateTicket(ctx, served[0].ID, dossier.RatingOK, ""); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("second rating: %v", err)
		}
		got, err := q.QueueStatRows(ctx, demo.Ward)
		if err != nil {
			t.Fatal(err)
		}
		want, err := q.RecountQueueStats(ctx, demo.Ward)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("roll-up differs from the recount:\n got %v\nwant %v", got, want)
		}
		day := queue.DayOf(storetest.Start, calendar.Zone)
		byGroup, err := q.QueueStats(ctx, demo.Ward, day, day, "group")
		if err != nil {
			t.Fatal(err)
		}
		var issued, rated int64
		for _, s := range byGroup {
			issued += s.Issued
			rated += s.Rated
		}
		if issued != 12 || rated != int64(len(served)) {
			t.Errorf("by group: issued %d rated %d, want 12 and %d", issued, rated, len(served))
		}
		total, err := q.QueueStats(ctx, demo.Ward, day, day, "unit")
		if err != nil || len(total) != 1 || total[0].Issued != 12 || total[0].Served != int64(len(served)) || total[0].AvgServeSec <= 0 {
			t.Errorf("the unit's totals: %+v %v", total, err)
		}
		m, err := store.Evaluations{DB: f.DB}.OfficerMeasures(ctx, "canbo", evaluation.Month(f.Clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		good := int64((len(served) + 1) / 2)
		if a := m[evaluation.Attitude]; a.Den != int64(len(served)) || a.Num != good {
			t.Errorf("the officer's attitude: %+v, want %d of %d", a, good, len(served))
		}
		// The ward's attitude, and the province's above it, count them too (no dossier was rated).
		for _, unit := range []string{demo.Ward, demo.Province} {
			um, err := store.Evaluations{DB: f.DB}.UnitMeasures(ctx, unit, evaluation.Month(f.Clock.Now()))
			if err != nil {
				t.Fatal(err)
			}
			if a := um[evaluation.Attitude]; a.Den != int64(len(served)) || a.Num != good {
				t.Errorf("%s's attitude: %+v, want %d of %d", unit, a, good, len(served))
			}
		}
	})
}

// TestQueueDeskSignIn: an officer signed in at a desk holds it for the
// day; the next morning the desk is free and no longer counts as open in
// the expected wait.
func TestQueueDeskSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		desk1 := deskID(t, q, demo.Ward, 1)
		if _, err := q.OpenDesk(ctx, desk1, "canbo"); err != nil {
			t.Fatal(err)
		}
		if _, err := q.OpenDesk(ctx, desk1, "chuyenvien"); apperr.Code(err) != apperr.ECONFLICT {
			t.Errorf("a desk held today: %v", err)
		}
		tk := take(t, q, "A", "")
		if p, err := q.Place(ctx, tk); err != nil || p.OpenDesks != 1 {
			t.Errorf("Monday: %+v %v, want 1 open desk", p, err)
		}
		f.Clock.Set(time.Date(2026, 3, 3, 8, 0, 0, 0, calendar.Zone)) // Tuesday, canbo never left
		tk = take(t, q, "A", "")
		if p, err := q.Place(ctx, tk); err != nil || p.OpenDesks != 0 {
			t.Errorf("Tuesday: %+v %v, want no open desk", p, err)
		}
		if c, ok, err := q.Call(ctx, desk1, "chuyenvien"); err != nil || !ok || c.Officer != "chuyenvien" {
			t.Errorf("Tuesday, another officer at the desk: %+v %v %v", c, ok, err)
		}
	})
}

// TestQueueDeskOwner: only the officer who holds the desk, or a manager of
// the unit, recalls, skips or serves its ticket.
func TestQueueDeskOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		desk1 := deskID(t, q, demo.Ward, 1)
		take(t, q, "A", "")
		take(t, q, "A", "")
		tk := call(t, q, desk1)
		for _, action := range []string{store.ActRecall, store.ActSkip, store.ActServe} {
			if _, err := q.Act(ctx, tk.ID, store.TicketAction{Action: action}, "chuyenvien"); apperr.Code(err) != apperr.EFORBIDDEN {
				t.Errorf("%s by another officer: %v, want forbidden", action, err)
			}
		}
		if _, err := q.Act(ctx, tk.ID, store.TicketAction{Action: store.ActRecall}, "canbo"); err != nil {
			t.Errorf("recall by the desk's officer: %v", err)
		}
		if got, err := q.Act(ctx, tk.ID, store.TicketAction{Action: store.ActServe, Manager: true}, "lanhdao"); err != nil || got.Status != queue.Served {
			t.Errorf("served by the unit's leader: %+v %v", got, err)
		}
	})
}

// TestQueueOpenDeskRace: officers on two servers opening one desk at once:
// exactly one holds it, the others are told it is held.
func TestQueueOpenDeskRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		servers := twoServers(t, f)
		ctx := context.Background()
		const rounds, officers = 15, 4
		for round := range rounds {
			d, err := servers[0].SaveDesk(ctx, queue.Desk{UnitCode: demo.Ward, Number: 20 + round, Groups: []string{"A"}})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			var holders []string
			for i := range officers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					who := fmt.Sprintf("canbo%d", i)
					for {
						_, err := servers[i%2].OpenDesk(ctx, d.ID, who)
						if err == nil {
							mu.Lock()
							holders = append(holders, who)
							mu.Unlock()
							return
						}
						if e := apperr.As(err); e == nil || e.Code != apperr.ECONFLICT || strings.Contains(e.Message, "phụ trách") {
							return // held by another (or a failure the count shows)
						}
						// a busy database: try again
					}
				}()
			}
			wg.Wait()
			if len(holders) != 1 {
				t.Fatalf("round %d: desk opened by %v, want exactly one officer", round, holders)
			}
		}
	})
}

// TestQueueSlotGrace: a slot whose grace time has passed is neither offered
// nor booked, though it has not ended.
func TestQueueSlotGrace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		q := queueOf(f)
		ctx := context.Background()
		nine := storetest.Start // a Monday, 09:00; 30-minute slots, 15 minutes' grace
		f.Clock.Set(nine.Add(20 * time.Minute))
		_, slots, err := q.Slots(ctx, store.SlotsRequest{Unit: demo.Ward, Procedure: "1.001193", Date: nine})
		if err != nil || len(slots) == 0 {
			t.Fatalf("slots: %d %v", len(slots), err)
		}
		if want := nine.Add(30 * time.Minute); !slots[0].Start.Equal(want) {
			t.Errorf("first slot offered at 09:20: %s, want 09:30", slots[0].Start.In(calendar.Zone).Format("15:04"))
		}
		person := queue.Person{Name: "Hoàng Thị Lan", Phone: "0912345678"}
		if _, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: nine, Person: person}); err == nil {
			t.Error("booked the 09:00 slot at 09:20, past its grace time")
		}
		if _, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: nine.Add(30 * time.Minute), Person: person}); err != nil {
			t.Errorf("the 09:30 slot: %v", err)
		}
	})
}
