package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// BenchmarkBoardFanout measures one call reaching 100 calling boards:
// each operation is a call at a desk (through the store, as another server
// would make it) and the wait until every board has read its event from
// its SSE stream. The server reads the unit's new events once per interval
// for all its boards, so the latency is about half the interval plus the
// fan-out, and the database sees one read per interval, not one per board.
//
//	go test -run '^$' -bench BenchmarkBoardFanout -benchtime 20x ./internal/web/
func BenchmarkBoardFanout(b *testing.B) {
	for _, every := range []time.Duration{5 * time.Millisecond, 50 * time.Millisecond, 500 * time.Millisecond} {
		b.Run(every.String(), func(b *testing.B) {
			f := storetest.NewFixture(b, store.SQLite)
			s := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now, BoardEvery: every}
			srv := httptest.NewServer(s.Handler())
			defer srv.Close()
			defer s.CloseStreams()
			const boards = 100
			var all []*board
			for range boards {
				all = append(all, openBoard(b, srv.URL, ""))
			}
			q := store.Queue{DB: f.DB, Cals: f.Cals}
			ctx := context.Background()
			desks, err := q.Desks(ctx, demo.Ward)
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				if _, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: "A"}); err != nil {
					b.Fatal(err)
				}
			}
			// Let the boards read the issues before timing the calls.
			for _, br := range all {
				for range b.N {
					br.next(b)
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, ok, err := q.Call(ctx, desks[0].ID, "canbo"); err != nil || !ok {
					b.Fatalf("call: %v %v", ok, err)
				}
				for _, br := range all {
					for !strings.Contains(br.next(b), " call ") { // the desk's previous ticket is served first
					}
				}
			}
			b.ReportMetric(boards, "boards")
		})
	}
}
