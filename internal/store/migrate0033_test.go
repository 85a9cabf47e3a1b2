package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0033 takes a database with dossiers back to before the
// wallet and runs the migration again: no dossier re-used a paper then, so
// every roll-up and sum counts none (equal to a recount), 4.3 reads zero
// over the dossiers received, and a re-use after the migration is recorded
// and counted.
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
		db := migrateAgain(t, engine, f, `DROP TABLE dossier_reuses`, `ALTER TABLE rollups DROP COLUMN received_reused`,
			`ALTER TABLE rollup_sums DROP COLUMN received_reused`, `DELETE FROM schema_migrations WHERE version = 33`)
		if err := storetest.RollupsMatchRecount(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := storetest.SumsMatchRebuild(ctx, db); err != nil {
			t.Fatal(err)
		}
		day := stats.Day(f.Clock.Now())
		res, err := db.Index(ctx, []string{demo.Ward}, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if s := score(t, res[demo.Ward], "4.3"); s.Numerator != 0 || s.Denominator != 2 || s.NoData {
			t.Fatalf("4.3 after the migration: %+v", s)
		}
		svc := *f.Svc
		svc.Store = store.Dossiers{DB: db}
		second, err := svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
			Components: demo.Required(walletProc), Reuse: []dossier.ReuseRequest{{Component: demo.Required(walletProc)[0], DocumentID: paper}},
			Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, f.Actors["canbo"], second.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
			t.Fatal(err)
		}
		if rs, err := db.DossierReuses(ctx, second.ID); err != nil || len(rs) != 1 || rs[0].SourceDossierID != first.ID {
			t.Fatalf("re-use after the migration: %+v %v", rs, err)
		}
		if err := storetest.RollupsMatchRecount(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := storetest.SumsMatchRebuild(ctx, db); err != nil {
			t.Fatal(err)
		}
	})
}
