package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0023 takes the database back to before the running dues
// and the online days and runs the migration again: it counts the open
// dossiers there were (running, paused on time, paused late; not the
// finished or withdrawn ones), and the writes after it keep the count; and
// it derives from the roll-ups the online days the writes had kept.
func TestMigration0023(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			f := storetest.NewFixture(t, engine)
			canbo := f.Actors["canbo"]
			var codes []string
			for _, name := range []string{"Lê Thị Hoa", "Trần Văn Nam", "Phan Thị Yến", "Hồ Văn Lực"} {
				d, err := f.Svc.Submit(ctx, canbo, counterSubmit("1.001612", name))
				if err != nil {
					t.Fatal(err)
				}
				codes = append(codes, d.Code)
			}
			act := func(code, action string) {
				t.Helper()
				if _, err := f.Svc.Act(ctx, canbo, code, dossier.ActionRequest{Action: action, Reason: "Lý do", Missing: []string{"Tờ khai"}}); err != nil {
					t.Fatalf("%s %s: %v", action, code, err)
				}
			}
			act(codes[1], dossier.ActRequestSupplement) // paused on time
			act(codes[2], dossier.ActWithdraw)          // closed
			f.Clock.Advance(10 * 24 * time.Hour)
			act(codes[3], dossier.ActRequestSupplement) // paused late
			online, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: "1.001612", UnitCode: demo.Ward,
				Channel: dossier.ChannelOnline, Components: demo.Required("1.001612"), Applicant: dossier.Applicant{Name: "Mai Văn Đức", IDNumber: "001190054321"}})
			if err != nil {
				t.Fatal(err)
			}
			act(online.Code, dossier.ActReceive)
			kept, err := f.DB.OnlineDayRows(ctx)
			if err != nil || len(kept) != 2 { // the ward's and the province's
				t.Fatalf("online days kept by the writes: %v %v", kept, err)
			}
			db := migrateAgain(t, engine, f, `DROP TABLE running_dues`, `DROP TABLE online_days`, `DELETE FROM schema_migrations WHERE version = 23`)
			rows, err := db.RunningRows(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 {
				t.Errorf("running dues after the migration: %v, want two running (due at other hours), one paused on time, one paused late", rows)
			}
			if err := storetest.RunningMatchesRecount(ctx, db); err != nil {
				t.Error(err)
			}
			if got, err := db.OnlineDayRows(ctx); err != nil || !reflect.DeepEqual(got, kept) {
				t.Errorf("online days after the migration: %v %v, want %v", got, err, kept)
			}
			act(codes[1], dossier.ActSupplement) // resumes: back to a due hour
			if err := storetest.RunningMatchesRecount(ctx, db); err != nil {
				t.Error(err)
			}
		})
	}
}
