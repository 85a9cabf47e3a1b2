package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// BenchmarkQueueCall measures calls per second: 8 desks of one unit call
// at once (b.RunParallel) from tickets issued beforehand, on every engine.
// Each call is one transaction: the unit's sequence, the pick, the
// conditional update, the event and its roll-up row.
//
//	go test -run '^$' -bench BenchmarkQueueCall -benchtime 2000x ./internal/store/
func BenchmarkQueueCall(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			f := storetest.NewFixture(b, engine)
			q := store.Queue{DB: f.DB, Cals: f.Cals}
			ctx := context.Background()
			var desks []int64
			for i := range 8 {
				d, err := q.SaveDesk(ctx, queue.Desk{UnitCode: demo.Ward, Number: 20 + i, Groups: []string{"A", "B", "C"}})
				if err != nil {
					b.Fatal(err)
				}
				desks = append(desks, d.ID)
			}
			for i := range b.N + 8 {
				if _, err := q.TakeTicket(ctx, store.TicketRequest{Unit: demo.Ward, Group: string(rune('A' + i%3))}); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			b.SetParallelism(4) // 8 desks on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				desk := desks[int(next.Add(1)-1)%len(desks)]
				for pb.Next() {
					if _, ok, err := q.Call(ctx, desk, "canbo"); err != nil || !ok {
						b.Errorf("call: %v %v", ok, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}
