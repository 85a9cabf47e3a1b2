package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0033 takes a database with dossiers back to before the
// wallet and runs the migration again: no dossier re-used a paper then, so
// every roll-up and sum counts none (equal to a recount); the wallet
// started with the migration, so 4.3 has no data before it; and a re-use
// after the migration is recorded, with its consent, and counted.
func TestMigration0033(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		for _, name := range []string{"Lê Thị Hoa", "Trần Văn Nam"} {
			if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit(walletProc, name)); err != nil {
				t.Fatal(err)
			}
		}
		first, paper := onlineWithPaper(t, f, f.Actors["congdan"], sumA)
		before := time.Now()
		db := migrateAgain(t, engine, f, `DROP TABLE dossier_reuses`, `DROP TABLE wallet_start`, `ALTER TABLE rollups DROP COLUMN received_reused`,
			`ALTER TABLE rollup_sums DROP COLUMN received_reused`, `DELETE FROM schema_migrations WHERE version = 33`)
		if err := storetest.RollupsMatchRecount(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := storetest.SumsMatchRebuild(ctx, db); err != nil {
			t.Fatal(err)
		}
		// The wallet started with the migration: the days before it have
		// no data on 4.3, not zero.
		start, err := db.WalletStart(ctx)
		if err != nil || start.Before(before.Add(-time.Second)) || start.After(time.Now().Add(time.Second)) {
			t.Fatalf("wallet start %v (%v), want the migration's time, after %v", start, err, before)
		}
		day := stats.Day(f.Clock.Now())
		res, err := db.Index(ctx, []string{demo.Ward}, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if s := score(t, res[demo.Ward], "4.3"); !s.NoData {
			t.Fatalf("4.3 before the wallet: %+v, want no data", s)
		}
		f.Clock.Set(start.Add(time.Hour)) // after the migration
		svc := *f.Svc
		svc.Store = store.Dossiers{DB: db}
		second, err := svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
			Components: demo.Required(walletProc), Reuse: []dossier.ReuseRequest{{Component: demo.Required(walletProc)[0], DocumentID: paper}}, ReuseConsent: true,
			Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, f.Actors["canbo"], second.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
			t.Fatal(err)
		}
		if rs, err := db.DossierReuses(ctx, second.ID); err != nil || len(rs) != 1 || rs[0].SourceDossierID != first.ID || rs[0].ConsentAt != second.SubmittedAt.UnixMicro() {
			t.Fatalf("re-use after the migration: %+v %v", rs, err)
		}
		day = stats.Day(f.Clock.Now())
		if res, err = db.Index(ctx, []string{demo.Ward}, day, day); err != nil {
			t.Fatal(err)
		}
		if s := score(t, res[demo.Ward], "4.3"); s.Numerator != 1 || s.Denominator != 1 || s.NoData {
			t.Fatalf("4.3 after the migration: %+v", s)
		}
		if err := storetest.IndexMatchesRecount(ctx, db, demo.Ward, day, day); err != nil {
			t.Fatal(err)
		}
		if err := storetest.RollupsMatchRecount(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := storetest.SumsMatchRebuild(ctx, db); err != nil {
			t.Fatal(err)
		}
	})
}
