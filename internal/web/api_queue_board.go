package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// The calling board's stream: GET /api/v1/board/events?unit= (server-sent
// events). Every call and recall is a row of queue_events, written in the
// desk's transaction on whatever server took the call; each server reads
// the new rows of a unit once per BoardEvery, with one reader per unit
// whatever the number of boards, and fans them out to its subscribers. So
// a call on server A reaches a board on server B within one interval, and
// a board that reconnects with Last-Event-ID gets what it missed.

// Board stream timings.
const (
	defaultBoardEvery = 500 * time.Millisecond
	boardHeartbeat    = 15 * time.Second
	boardRetryMillis  = 3000 // the client's reconnection delay
	boardBuffer       = 256  // events a slow board may lag before it is cut off (it reconnects and resumes)
	defaultMaxBoards  = 1000 // open streams per server (Server.MaxBoards): the stream is public, its connections are not free
	defaultAddrBoards = 4    // open streams per client address (Server.MaxBoardsPerAddr): one client cannot hold them all
)

// boardHub holds the unit feeds of one server.
type boardHub struct {
	s     *Server
	mu    sync.Mutex
	feeds map[string]*unitFeed
	open  int            // streams open on this server
	addrs map[string]int // streams open per client address
	done  chan struct{}
	once  sync.Once
}

// unitFeed is one unit's reader and its subscribers.
type unitFeed struct {
	subs map[chan store.QueueEvent]struct{}
}

func newBoardHub(s *Server) *boardHub {
	return &boardHub{s: s, feeds: map[string]*unitFeed{}, addrs: map[string]int{}, done: make(chan struct{})}
}

// subscribe adds a board on unit from the client address addr; the
// feed's reader, started by the first board, reads from last, the unit's
// last event (never from a board's own Last-Event-ID, which the board's
// backlog covers). The channel is closed when the board is cut off (too
// slow) or the server stops. It answers nil when the server already holds
// Server.MaxBoards streams, or the address Server.MaxBoardsPerAddr.
func (h *boardHub) subscribe(unit string, last int64, addr string) chan store.QueueEvent {
	ch := make(chan store.QueueEvent, boardBuffer)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.open >= cmp.Or(h.s.MaxBoards, defaultMaxBoards) || h.addrs[addr] >= cmp.Or(h.s.MaxBoardsPerAddr, defaultAddrBoards) {
		return nil
	}
	h.open++
	h.addrs[addr]++
	f, ok := h.feeds[unit]
	if !ok {
		f = &unitFeed{subs: map[chan store.QueueEvent]struct{}{}}
		h.feeds[unit] = f
		go h.read(unit, f, last)
	}
	f.subs[ch] = struct{}{}
	return ch
}

func (h *boardHub) unsubscribe(unit, addr string, ch chan store.QueueEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.open--
	if h.addrs[addr]--; h.addrs[addr] <= 0 {
		delete(h.addrs, addr)
	}
	if f, ok := h.feeds[unit]; ok {
		if _, ok := f.subs[ch]; ok {
			delete(f.subs, ch)
			close(ch)
		}
	}
}

// read polls a unit's new events and hands them to its boards, until the
// last board leaves or the server stops.
func (h *boardHub) read(unit string, f *unitFeed, after int64) {
	every := h.s.BoardEvery
	if every <= 0 {
		every = defaultBoardEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	q := h.s.queueStore()
	for {
		select {
		case <-h.done:
			return
		case <-tick.C:
		}
		evs, err := q.QueueEvents(context.Background(), unit, after, 0)
		if err != nil {
			h.s.Log.Warn("board: read the queue's events", "unit", unit, "err", err)
			continue
		}
		if len(evs) > 0 {
			after = evs[len(evs)-1].Seq
		}
		if !h.fanOut(unit, f, evs) {
			return
		}
	}
}

// fanOut hands events to every board of the feed, cutting off a board too
// slow to take them; it reports false, and drops the feed, when no board
// is left.
func (h *boardHub) fanOut(unit string, f *unitFeed, evs []store.QueueEvent) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range f.subs {
		for _, e := range evs {
			select {
			case ch <- e:
				continue
			default:
				delete(f.subs, ch)
				close(ch)
			}
			break
		}
	}
	if len(f.subs) == 0 {
		delete(h.feeds, unit)
		return false
	}
	return true
}

// stop ends every stream, so that a server shutting down is not held by
// open boards.
func (h *boardHub) stop() {
	h.once.Do(func() { close(h.done) })
}

// CloseStreams ends the open board streams; call it when the HTTP server
// shuts down (http.Server.RegisterOnShutdown).
func (s *Server) CloseStreams() {
	if s.boards != nil {
		s.boards.stop()
	}
}

// lastEventID reads where a board resumes: the Last-Event-ID header its
// browser sends on reconnecting, or ?last_event_id=; -1 when none.
func lastEventID(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("last_event_id")
	}
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Invalid("last_event_id", "Mã sự kiện cuối phải là số không âm", "the last event id must be a number, 0 or more")
	}
	return n, nil
}

// boardEvents streams a unit's queue events: public (the board shows only
// numbers and desks). Without Last-Event-ID the stream starts from now;
// with ?poll=1 it answers what is there after Last-Event-ID (from the
// start without one) and ends, for a client that cannot hold a stream.
func (s *Server) boardEvents(w http.ResponseWriter, r *http.Request) {
	unit, err := unitParam(r, auth.Actor{}) // the board names its unit, whoever signed in
	if err == nil {
		_, err = s.DB.Unit(r.Context(), unit)
	}
	var after int64
	if err == nil {
		after, err = lastEventID(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	poll := r.URL.Query().Get("poll") == "1"
	if after < 0 && poll {
		after = 0
	}
	last, err := s.queueStore().LastQueueEvent(r.Context(), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A Last-Event-ID past the unit's last event (a stale or forged one)
	// resumes from now: it must neither start the unit's shared reader in
	// the future nor hide the next events from this board.
	if after < 0 || after > last {
		after = last
	}
	s.stream(w, r, unit, after, last, poll)
}

// stream writes the unit's events after `after`; a live stream subscribes
// to the unit's feed, whose reader (when this board starts it) begins at
// last, the unit's last event when the request came.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, unit string, after, last int64, poll bool) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	var live chan store.QueueEvent
	if !poll {
		addr := s.clientAddr(r)
		if live = s.boards.subscribe(unit, last, addr); live == nil {
			s.fail(w, r, s.refuse(w, limitBoards, time.Minute))
			return
		}
		defer s.boards.unsubscribe(unit, addr, live)
	}
	backlog, err := s.queueStore().QueueEvents(r.Context(), unit, after, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must not hold the events back
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: %d\n\n", boardRetryMillis)
	for _, e := range backlog {
		writeEvent(w, e)
		after = e.Seq
	}
	_ = rc.Flush()
	if poll {
		return
	}
	beat := time.NewTicker(boardHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.boards.done:
			return
		case <-beat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case e, ok := <-live:
			if !ok {
				return // cut off: the browser reconnects with Last-Event-ID
			}
			if e.Seq <= after {
				continue // already sent from the backlog
			}
			writeEvent(w, e)
			after = e.Seq
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// writeEvent writes one event: its number as the id, its action as the
// event name, the public fields as JSON.
func writeEvent(w http.ResponseWriter, e store.QueueEvent) {
	b, _ := json.Marshal(e)
	fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Action, b)
}
