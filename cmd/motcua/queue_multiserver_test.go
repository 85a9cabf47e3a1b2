package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
)

// TestQueueSeveralServers runs two `motcua serve` on one PostgreSQL
// database: eight desks call at once, half through each server, and no
// ticket is called twice; a calling board streaming from the second server
// sees every call, those made on the first included; both servers stop
// cleanly with the board still connected.
func TestQueueSeveralServers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, dsn, servers := twoServers(t)
	first, second := servers[0], servers[1]
	openAllDay(ctx, t, dsn)
	counter, admin := first.login(ctx, t, "canbo"), first.login(ctx, t, "quantri")

	const tickets, desks = 40, 8
	for i := range tickets {
		m, status := servers[i%2].do(ctx, counter, "POST", "/api/v1/tickets", `{"unit":"00004","group":"A"}`)
		if status != http.StatusCreated {
			t.Fatalf("ticket %d: %d %v", i, status, m)
		}
	}
	var deskIDs []string
	for i := range desks {
		m, status := first.do(ctx, admin, "POST", "/api/v1/desks", fmt.Sprintf(`{"number":%d,"groups":["A"]}`, 40+i))
		if status != http.StatusCreated {
			t.Fatalf("desk: %d %v", status, m)
		}
		deskIDs = append(deskIDs, fmt.Sprint(m["id"]))
	}
	board := streamBoard(ctx, t, second)

	var mu sync.Mutex
	calledAt := map[string]string{}
	var wg sync.WaitGroup
	for i, id := range deskIDs {
		wg.Go(func() {
			s := servers[i%2]
			for {
				m, status := s.do(ctx, counter, "POST", "/api/v1/desks/"+id+"/call", "")
				switch {
				case status == http.StatusNoContent:
					return
				case status == http.StatusConflict: // a busy database: call again
					continue
				case status != http.StatusOK:
					t.Errorf("desk %s: %d %v", id, status, m)
					return
				}
				n := m["number"].(string)
				mu.Lock()
				if prev, dup := calledAt[n]; dup {
					t.Errorf("%s called at desk %s and desk %s", n, prev, id)
				}
				calledAt[n] = id
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(calledAt) != tickets {
		t.Fatalf("%d tickets called, want %d", len(calledAt), tickets)
	}
	seen := map[string]bool{}
	deadline := time.After(30 * time.Second)
	for len(seen) < tickets {
		select {
		case n := <-board:
			seen[n] = true
		case <-deadline:
			t.Fatalf("the board on the second server saw %d of %d calls", len(seen), tickets)
		}
	}
	for _, s := range servers {
		s.stop(t) // with the board's stream open
	}
}

// openAllDay opens the ward's counter every day, the whole day, in the
// servers' database, and makes today and tomorrow working days whatever
// the schedule says (a Sunday, a holiday): the servers read a unit's
// hours and days on every request, so the test takes tickets at any hour.
func openAllDay(ctx context.Context, t *testing.T, dsn string) {
	t.Helper()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	whole := []calendar.Span{{Start: 0, End: 24 * 60}}
	if err := db.SetOfficeHours(ctx, demo.Ward, calendar.OfficeHours{Spans: whole, Saturday: whole, SaturdayWorks: true}); err != nil {
		t.Fatal(err)
	}
	cals := &store.Calendars{DB: db}
	for _, day := range []time.Time{time.Now(), time.Now().Add(24 * time.Hour)} {
		if _, err := cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: day.In(calendar.Zone).Format(calendar.DateLayout),
			Kind: calendar.Workday, Name: "Mở quầy cả ngày", Reason: "Kiểm thử nhiều máy chủ"}); err != nil {
			t.Fatal(err)
		}
	}
}

// streamBoard follows the ward's board on a server and sends the number of
// every call it shows.
func streamBoard(ctx context.Context, t *testing.T, s *msServer) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/api/v1/board/events?unit=00004", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("board: %v %v", res, err)
	}
	out := make(chan string, 1000)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		call := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "event: call":
				call = true
			case strings.HasPrefix(line, "data: ") && call:
				_, rest, _ := strings.Cut(line, `"number":"`)
				n, _, _ := strings.Cut(rest, `"`)
				out <- n
				call = false
			case strings.HasPrefix(line, "event: "):
				call = false
			}
		}
	}()
	return out
}
