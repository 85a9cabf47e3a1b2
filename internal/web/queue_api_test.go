package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// queueCalls drives the counter queue's API through a morning at the
// ward (the fixture's clock: Monday 09:00): a desk set up, tickets taken at
// the kiosk, called, recalled, transferred, served, linked to the dossier
// code and rated; an appointment booked and checked in; the board's
// events and the statistics read. Every answer is checked against the
// document by env.do.
func queueCalls(t *testing.T, call func(user, method, path, body string, want int) map[string]any, dossierCode string) {
	t.Helper()
	id := func(m map[string]any) string { return jsonNumber(m["id"]) }
	call("", "GET", "/api/v1/queue?unit=00004", "", 200)
	call("quantri", "POST", "/api/v1/queue/groups", `{"code":"D","name":"Đất đai","procedures":[]}`, 200)
	call("quantri", "POST", "/api/v1/queue/groups", `{"code":"DD","name":"Đất đai","procedures":[]}`, 422)
	desk := id(call("quantri", "POST", "/api/v1/desks", `{"number":9,"groups":["D","A"]}`, 201))
	call("quantri", "POST", "/api/v1/desks", `{"number":9,"groups":["A"]}`, 409)
	call("quantri", "PUT", "/api/v1/desks/"+desk, `{"number":9,"name":"Quầy 9","groups":["A"]}`, 200)
	call("canbo", "POST", "/api/v1/desks/"+desk+"/open", "", 200)
	walk := call("", "POST", "/api/v1/tickets", `{"unit":"00004","group":"A","person":{"name":"Lý Văn Phúc","phone":"0912 345 678"}}`, 201)
	if walk["number"] != "A001" || walk["ahead"] != float64(0) || !strings.HasPrefix(walk["page"].(string), web.TicketPagePath) {
		t.Fatalf("first ticket: %v", walk)
	}
	prio := call("canbo", "POST", "/api/v1/tickets", `{"unit":"00004","group":"A","priority_reason":"elderly"}`, 201)
	call("", "POST", "/api/v1/tickets", `{"unit":"00004","group":"Z"}`, 404)
	call("", "POST", "/api/v1/tickets", `{"unit":"00004","group":"A","priority_reason":"vip"}`, 422)
	if v := call("", "GET", "/api/v1/tickets/track/"+walk["token"].(string), "", 200); v["ahead"] != float64(1) || v["token"] != nil {
		t.Errorf("the walk-in's place behind a priority ticket: %v", v)
	}
	call("", "GET", "/api/v1/tickets/track/khong-co", "", 404)
	if q := call("canbo", "GET", "/api/v1/tickets?desk="+desk, "", 200); len(q["waiting"].([]any)) != 2 {
		t.Errorf("desk queue: %v", q)
	}
	if c := call("canbo", "POST", "/api/v1/desks/"+desk+"/call", "", 200); c["number"] != prio["number"] {
		t.Errorf("first call: %v, want the priority ticket %v", c["number"], prio["number"])
	}
	call("canbo", "POST", "/api/v1/tickets/"+id(prio)+"/actions/recall", "", 200)
	call("chuyenvien", "POST", "/api/v1/tickets/"+id(prio)+"/actions/recall", "", 403) // not his desk
	call("lanhdao", "POST", "/api/v1/tickets/"+id(prio)+"/actions/recall", "", 200)    // the unit's leader may
	call("canbo", "POST", "/api/v1/tickets/"+id(prio)+"/actions/transfer", `{"group":"B"}`, 200)
	call("canbo", "POST", "/api/v1/tickets/"+id(prio)+"/actions/transfer", `{"group":"B","desk_id":1}`, 422)
	if c := call("canbo", "POST", "/api/v1/desks/"+desk+"/call", "", 200); c["number"] != "A001" {
		t.Errorf("second call: %v", c["number"])
	}
	call("canbo", "POST", "/api/v1/desks/"+desk+"/call", "", 204)
	call("canbo", "POST", "/api/v1/tickets/"+id(walk)+"/actions/link", `{"dossier_code":"`+dossierCode+`"}`, 200)
	call("canbo", "POST", "/api/v1/tickets/"+id(walk)+"/actions/fly", "", 422)
	call("", "POST", "/api/v1/tickets/"+id(walk)+"/rating", `{"rating":3,"token":"`+walk["token"].(string)+`"}`, 409) // not served yet
	call("canbo", "POST", "/api/v1/tickets/"+id(walk)+"/actions/serve", "", 200)
	if q := call("canbo", "GET", "/api/v1/tickets?desk="+desk, "", 200); q["to_rate"] == nil || q["to_rate"].(map[string]any)["number"] != "A001" {
		t.Errorf("the tablet's ticket to rate: %v", q["to_rate"])
	}
	// An officer's session rates only the desk's ticket to rate, and never
	// the officer who served it.
	call("canbo", "POST", "/api/v1/tickets/"+id(walk)+"/rating", `{"rating":3}`, 403)
	call("chuyenvien", "POST", "/api/v1/tickets/"+id(prio)+"/rating", `{"rating":3}`, 409)
	call("", "POST", "/api/v1/tickets/"+id(walk)+"/rating", `{"rating":"very_satisfied","reason":"Nhanh, chu đáo","token":"`+walk["token"].(string)+`"}`, 200)
	call("canbo", "POST", "/api/v1/tickets/"+id(walk)+"/rating", `{"rating":1}`, 409)
	slots := call("", "GET", "/api/v1/appointments/slots?procedure=1.001193&date=2026-03-02&unit=00004", "", 200)
	if len(slots["slots"].([]any)) == 0 {
		t.Fatalf("no slots on a Monday: %v", slots)
	}
	call("", "GET", "/api/v1/appointments/slots?procedure=1.001193&date=02/03/2026&unit=00004", "", 422)
	appt := call("", "POST", "/api/v1/appointments", `{"unit":"00004","procedure":"1.001193","slot":"2026-03-02T03:00:00Z","person":{"name":"Hoàng Thị Lan","phone":"0912345678"}}`, 201)
	call("", "POST", "/api/v1/appointments", `{"unit":"00004","procedure":"1.001193","slot":"2026-03-02T03:05:00Z","person":{"name":"Hoàng Thị Lan","phone":"0912345678"}}`, 422)
	later := call("", "POST", "/api/v1/appointments", `{"unit":"00004","procedure":"1.001193","slot":"2026-03-02T03:00:00Z","person":{"name":"Lê Văn Tám","phone":"0987000111"}}`, 201)
	call("", "POST", "/api/v1/appointments/"+later["code"].(string)+"/cancel", `{"phone":"0912345678"}`, 404)
	if c := call("", "POST", "/api/v1/appointments/"+later["code"].(string)+"/cancel", `{"phone":"+84 987 000 111"}`, 200); c["status"] != "cancelled" {
		t.Errorf("cancelled: %v", c)
	}
	call("", "POST", "/api/v1/appointments/"+later["code"].(string)+"/check-in", "", 409)
	call("", "POST", "/api/v1/appointments/"+appt["code"].(string)+"/check-in", "", 201)
	call("", "POST", "/api/v1/appointments/"+appt["code"].(string)+"/check-in", "", 409)
	call("", "GET", "/api/v1/board/events?unit=00004&poll=1", "", 200)
	call("", "GET", "/api/v1/board/events?unit=99999&poll=1", "", 404)
	if st := call("lanhdao", "GET", "/api/v1/queue/stats?by=group", "", 200); len(st["rows"].([]any)) == 0 {
		t.Errorf("no statistics after a morning: %v", st)
	}
	call("canbo", "GET", "/api/v1/queue/stats", "", 403)
	call("canbo", "POST", "/api/v1/desks/"+desk+"/close", "", 200)
}

// TestQueueAPI runs the queue's calls alone on every engine.
func TestQueueAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		queueCalls(t, e.caller(t), e.prep("received"))
	})
}

// caller returns a function that sends a request as user and fails the
// test unless it answers want.
func (e *env) caller(t *testing.T) func(user, method, path, body string, want int) map[string]any {
	return func(user, method, path, body string, want int) map[string]any {
		t.Helper()
		status, m, raw := e.do(user, method, path, body)
		if status != want {
			t.Fatalf("%s %s as %q: %d %s, want %d", method, path, user, status, raw, want)
		}
		return m
	}
}

// board is a calling board's connection: the events it reads, by line.
type board struct {
	res    *http.Response
	events chan string // "id event data"
}

func openBoard(t testing.TB, url, lastID string) *board {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/v1/board/events?unit="+demo.Ward, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("board: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	b := &board{res: res, events: make(chan string, 100)}
	go func() {
		defer close(b.events)
		sc := bufio.NewScanner(res.Body)
		var cur []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "" && len(cur) > 0:
				b.events <- strings.Join(cur, " ")
				cur = nil
			case strings.HasPrefix(line, "id: "), strings.HasPrefix(line, "event: "), strings.HasPrefix(line, "data: "):
				cur = append(cur, line[strings.Index(line, " ")+1:])
			}
		}
	}()
	t.Cleanup(func() { res.Body.Close() })
	return b
}

// next waits for the board's next event.
func (b *board) next(t testing.TB) string {
	t.Helper()
	select {
	case ev, ok := <-b.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return ""
}

// TestBoardAcrossServers: two servers share one database; a board on the
// second sees, in order, the ticket issued and the call made on the first;
// a board that reconnects with Last-Event-ID gets what it missed, then the
// live events; a server over its number of streams refuses a new board.
func TestBoardAcrossServers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		serve := func(db *store.DB) *httptest.Server { return boardServer(t, f, db, 2) }
		db2, err := store.Open(context.Background(), f.DSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		db2.Now = f.Clock.Now
		a, b := serve(f.DB), serve(db2)
		onB := openBoard(t, b.URL, "")
		post := func(path, body string) { t.Helper(); postAs(t, f, a.URL, "canbo", path, body) }
		post("/api/v1/tickets", `{"unit":"00004","group":"A"}`)
		desk := fmt.Sprint(deskOf(t, f, 1))
		post("/api/v1/desks/"+desk+"/call", "")
		issued, called := onB.next(t), onB.next(t)
		if !strings.Contains(issued, " issue ") || !strings.Contains(called, " call ") || !strings.Contains(called, `"number":"A001"`) ||
			!strings.Contains(called, `"desk_number":1`) || strings.Contains(called, "canbo") {
			t.Fatalf("board on the other server: %q then %q", issued, called)
		}
		lastID, _, _ := strings.Cut(issued, " ")
		// A board that lost the connection after the first event resumes.
		again := openBoard(t, b.URL, lastID)
		if ev := again.next(t); ev != called {
			t.Errorf("resumed: %q, want %q", ev, called)
		}
		post("/api/v1/tickets/1/actions/recall", "")
		for _, br := range []*board{onB, again} {
			if ev := br.next(t); !strings.Contains(ev, " recall ") {
				t.Errorf("live after resuming: %q", ev)
			}
		}
		// The second server holds two streams at most: a third board waits.
		res, err := http.Get(b.URL + "/api/v1/board/events?unit=" + demo.Ward)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("a third board: %d Retry-After %q, want 429", res.StatusCode, res.Header.Get("Retry-After"))
		}
	})
}

// boardServer serves f's data from db with fast board reads and at most
// maxBoards streams.
func boardServer(t *testing.T, f *storetest.Fixture, db *store.DB, maxBoards int) *httptest.Server {
	s := &web.Server{DB: db, Dossiers: f.Svc, Procs: store.Procedures{DB: db}, Calendar: &store.Calendars{DB: db},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now, BoardEvery: 20 * time.Millisecond, MaxBoards: maxBoards}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(s.CloseStreams)
	return srv
}

// postAs sends a JSON POST as user (an API token) and fails the test on
// an error status.
func postAs(t *testing.T, f *storetest.Fixture, url, user, path, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	tok, err := f.DB.CreateToken(context.Background(), f.Users[user].ID, store.TokenAPI, 0)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %s", path, res.StatusCode, raw)
	}
}

// TestBoardForgedLastEventID: a board that comes first with a Last-Event-ID
// far past the unit's last event neither freezes the unit's feed for the
// boards after it nor misses the next events itself.
func TestBoardForgedLastEventID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		srv := boardServer(t, f, f.DB, 10)
		forged := openBoard(t, srv.URL, "999999999999")
		honest := openBoard(t, srv.URL, "")
		postAs(t, f, srv.URL, "canbo", "/api/v1/tickets", `{"unit":"00004","group":"A"}`)
		for name, b := range map[string]*board{"forged": forged, "honest": honest} {
			if ev := b.next(t); !strings.Contains(ev, " issue ") {
				t.Errorf("%s board: %q, want the ticket issued", name, ev)
			}
		}
	})
}

// TestBoardStreamsPerAddress: one address holds four board streams at
// most; a fifth waits (429), and gets one once a board has left.
func TestBoardStreamsPerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		srv := boardServer(t, f, f.DB, 100)
		var boards []*board
		for range 4 {
			boards = append(boards, openBoard(t, srv.URL, ""))
		}
		fifth := func() int {
			res, err := http.Get(srv.URL + "/api/v1/board/events?unit=" + demo.Ward)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if st := fifth(); st != http.StatusTooManyRequests {
			t.Fatalf("a fifth board from one address: %d, want 429", st)
		}
		boards[0].res.Body.Close()
		deadline := time.Now().Add(10 * time.Second)
		for fifth() != http.StatusOK {
			if time.Now().After(deadline) {
				t.Fatal("no board accepted after one left")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func deskOf(t *testing.T, f *storetest.Fixture, number int) int64 {
	t.Helper()
	ds, err := store.Queue{DB: f.DB, Cals: f.Cals}.Desks(context.Background(), demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Number == number {
			return d.ID
		}
	}
	t.Fatalf("no desk %d", number)
	return 0
}
