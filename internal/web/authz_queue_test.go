package web

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// The counter queue: the kiosk's tickets, bookings, check-ins, the ticket
// pages and the board are public; the desks are the unit's officers'
// (another unit's desk or ticket is "not found"); the set-up is the unit's
// administrator's and leader's; the statistics its leaders' and
// administrators'.
func init() {
	configurers := []string{leader, admin, leaderX, adminX}
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/queue": {{"/api/v1/queue?unit=00004", "", everyone}},
		"POST /api/v1/queue/groups": {
			{"/api/v1/queue/groups", `{"code":"E","name":"Lao động","procedures":[]}`, configurers},
			{"/api/v1/queue/groups", `{"unit":"00004","code":"E","name":"Lao động","procedures":[]}`, []string{leader, admin}},
		},
		"GET /api/v1/queue/stats": {
			{"/api/v1/queue/stats", "", configurers},
			{"/api/v1/queue/stats?unit=00004", "", []string{leader, admin}},
		},
		"POST /api/v1/desks":                {{"/api/v1/desks", `{"number":50,"groups":["A"]}`, configurers}},
		"PUT /api/v1/desks/{id}":            {{"/api/v1/desks/{desk}", `{"number":1,"name":"Quầy 1","groups":["A"]}`, []string{leader, admin}}},
		"POST /api/v1/desks/{id}/open":      {{"/api/v1/desks/{desk}/open", "", unitStaff}},
		"POST /api/v1/desks/{id}/close":     {{"/api/v1/desks/{desk}/close", "", unitStaff}},
		"POST /api/v1/desks/{id}/call":      {{"/api/v1/desks/{desk}/call", "", unitStaff}},
		"POST /api/v1/tickets":              {{"/api/v1/tickets", `{"unit":"00004","group":"A"}`, everyone}},
		"GET /api/v1/tickets":               {{"/api/v1/tickets?desk={desk}", "", unitStaff}},
		"GET /api/v1/tickets/track/{token}": {{"/api/v1/tickets/track/{ticket_token}", "", everyone}},
		"POST /api/v1/tickets/{id}/actions/{action}": {
			// The desk's ticket: its officer's, or the unit's leader's or administrator's.
			{"/api/v1/tickets/{ticket}/actions/recall", "", []string{counter, leader, admin}},
		},
		"POST /api/v1/tickets/{id}/rating": {
			// From the desk's tablet: the unit's officers (not served yet: a conflict).
			{"/api/v1/tickets/{ticket}/rating", `{"rating":3}`, unitStaff},
			// With the ticket's token: whoever holds it.
			{"/api/v1/tickets/{ticket}/rating", `{"rating":3,"token":"{ticket_token}"}`, everyone},
			{"/api/v1/tickets/{ticket}/rating", `{"rating":3,"token":"sai"}`, nobody},
		},
		"GET /api/v1/board/events":                  {{"/api/v1/board/events?unit=00004&poll=1", "", everyone}},
		"GET /api/v1/appointments/slots":            {{"/api/v1/appointments/slots?procedure=1.001193&unit=00004", "", everyone}},
		"POST /api/v1/appointments":                 {{"/api/v1/appointments", `{"unit":"00004","procedure":"1.001193","slot":"2026-03-02T08:00:00Z","person":{"name":"Lan","phone":"0912345678"}}`, everyone}},
		"POST /api/v1/appointments/{code}/check-in": {{"/api/v1/appointments/{appointment}/check-in", "", everyone}},
		"POST /api/v1/appointments/{code}/cancel": {
			{"/api/v1/appointments/{appointment}/cancel", `{"phone":"0912345678"}`, everyone}, // checked in by now: a conflict
			{"/api/v1/appointments/{appointment}/cancel", `{"phone":"0987000111"}`, nobody},
		},
	} {
		authzMatrix[p] = cases
	}
	// The desk's queue names the person only to the unit's officers.
	authzSecrets["/api/v1/tickets?desk={desk} "] = []authzSecret{{"Trịnh Thị Xuân", unitStaff}}
}

// queueObjects adds a ticket of the ward with its person ({ticket},
// {ticket_token}), the ward's desk 1 ({desk}) and a booking ({appointment}).
func (m *authzEnv) queueObjects() {
	ctx := context.Background()
	q := store.Queue{DB: m.f.DB, Cals: m.f.Cals}
	t, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "A", Person: queue.Person{Name: "Trịnh Thị Xuân"}})
	if err != nil {
		m.t.Fatal(err)
	}
	desks, err := q.Desks(ctx, demo.Ward)
	if err != nil {
		m.t.Fatal(err)
	}
	a, err := q.Book(ctx, store.BookRequest{Unit: demo.Ward, Procedure: "1.001193", Slot: m.f.Clock.Now().Add(time.Hour),
		Person: queue.Person{Name: "Hoàng Thị Lan", Phone: "0912345678"}})
	if err != nil {
		m.t.Fatal(err)
	}
	m.objects["{ticket}"], m.objects["{ticket_token}"] = fmt.Sprint(t.ID), t.Token
	m.objects["{desk}"], m.objects["{appointment}"] = fmt.Sprint(desks[0].ID), a.Code
}
