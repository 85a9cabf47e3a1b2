package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// BenchmarkCalendarChange measures what an administrator waits for when a
// holiday is added: every open dossier is checked and the ones whose due
// time moves are written back with an event. The number of open dossiers is
// $MOTCUA_BENCH_OPEN (default 20,000); each op adds or removes the holiday.
//
//	MOTCUA_BENCH_OPEN=1000000 go test -run '^$' -bench CalendarChange -benchtime 2x ./internal/store/
func BenchmarkCalendarChange(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_OPEN")); err == nil && v > 0 {
		n = v
	}
	f := storetest.NewFixture(b, store.SQLite)
	ctx := context.Background()
	loadOpenDossiers(b, f, n)
	admin := auth.Actor{Username: "quantri", Role: auth.RoleAdmin}
	// Every dossier is received on Monday 2 March 2026 with 3 to 7 working
	// days, so a holiday on Wednesday 4 March moves them all.
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ch := store.DayChange{Date: "2026-03-04", Kind: "holiday", Name: "Nghỉ đột xuất", Reason: "đo hiệu năng", By: admin}
		if i%2 == 1 {
			ch = store.DayChange{Date: "2026-03-04", Unset: true, Reason: "đo hiệu năng", By: admin}
		}
		res, err := f.Cals.ChangeDay(ctx, "", ch)
		if err != nil {
			b.Fatal(err)
		}
		if res.Moved != n {
			b.Fatalf("moved %d of %d", res.Moved, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "dossiers/s")
}

func loadOpenDossiers(b *testing.B, f *storetest.Fixture, n int) {
	ctx := context.Background()
	procs := []string{"1.001612", "1.004873", "1.004222"}
	bulk, err := f.DB.NewBulk(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		p, err := f.Svc.Procedures.ForUnit(ctx, procs[i%len(procs)], "00004")
		if err != nil {
			b.Fatal(err)
		}
		cal, _ := f.Cals.For(ctx, "00004")
		now := storetest.Start.Add(time.Duration(i%480) * time.Minute / 2)
		req := dossier.SubmitRequest{ProcedureCode: p.Code, Components: dossier.MissingRequired(p, nil), UnitCode: "00004", Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001090012345"}}
		d, ch, err := dossier.New(req, dossier.Env{Proc: p, Cal: cal, Actor: f.Actors["canbo"], Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if err := bulk.Add(ctx, d, "00004", []dossier.Change{ch}); err != nil {
			b.Fatal(err)
		}
	}
	if err := bulk.Close(ctx); err != nil {
		b.Fatal(err)
	}
}
