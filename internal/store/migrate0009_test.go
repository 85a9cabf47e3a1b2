package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0009 takes a database back to what it was before migration
// 0009 (ratings with 1 = Rất hài lòng, tokens without public ids) and runs
// the migration again: every rating turns around, the roll-ups (counted by
// name) and the history chains stay as they were, and every token gets a
// public id of its own and an end.
func TestMigration0009(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			f := storetest.NewFixture(t, engine)
			a := f.Actors
			want := map[string]int{}
			for _, rating := range []int{dossier.RatingVery, dossier.RatingBad, dossier.RatingOK, 0} {
				d, err := f.Svc.Submit(ctx, a["congdan"], dossier.SubmitRequest{ProcedureCode: "1.001612", UnitCode: "00004", Channel: dossier.ChannelOnline, Components: demo.Required("1.001612"),
					Applicant: dossier.Applicant{Name: "Nguyễn Thị Hồng", IDNumber: "001190012345"}})
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range []struct{ who, action string }{{"canbo", "receive"}, {"canbo", "forward"}, {"chuyenvien", "forward"},
					{"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}} {
					if _, err := f.Svc.Act(ctx, a[s.who], d.Code, dossier.ActionRequest{Action: s.action}); err != nil {
						t.Fatal(err)
					}
				}
				if rating != 0 {
					if _, err := f.Svc.Act(ctx, a["congdan"], d.Code, dossier.ActionRequest{Action: dossier.ActRate, Rating: rating}); err != nil {
						t.Fatal(err)
					}
				}
				want[d.Code] = rating
			}
			for _, kind := range []string{store.TokenAPI, store.TokenSession} {
				if _, err := f.DB.CreateToken(ctx, f.Users["canbo"].ID, kind, 0); err != nil {
					t.Fatal(err)
				}
			}
			sum := func(db *store.DB) map[string]int64 {
				s, err := db.Summary(ctx, stats.Query{From: "2000-01-01", To: "2100-12-31"})
				if err != nil {
					t.Fatal(err)
				}
				return s.Totals
			}
			before := sum(f.DB)
			if before[stats.RatedVery] != 1 || before[stats.RatedBad] != 1 || before[stats.RatedOK] != 1 {
				t.Fatalf("roll-ups before: %v", before)
			}

			// Back to the old scale and the old tokens table.
			db := migrateAgain(t, engine, f,
				`UPDATE dossiers SET rating = 4 - rating WHERE rating > 0`,
				`DROP INDEX tokens_id`,
				`ALTER TABLE tokens DROP COLUMN id`, `ALTER TABLE tokens DROP COLUMN label`,
				`ALTER TABLE tokens DROP COLUMN last_used_at`, `ALTER TABLE tokens DROP COLUMN idle_ttl`,
				`DELETE FROM schema_migrations WHERE version = 9`)
			for code, rating := range want {
				d, err := store.Dossiers{DB: db}.Get(ctx, code)
				if err != nil {
					t.Fatal(err)
				}
				if d.Rating != rating {
					t.Errorf("%s: rating %d after the migration, want %d", code, d.Rating, rating)
				}
			}
			if after := sum(db); !reflect.DeepEqual(before, after) {
				t.Errorf("roll-ups changed: %v → %v", before, after)
			}
			audit, err := db.VerifyAudit(ctx)
			if err != nil || audit.Broken != 0 || audit.Checked != len(want) {
				t.Errorf("audit after the migration: %+v %v", audit, err)
			}
			list, err := db.Sessions(ctx, f.Users["canbo"].ID, "")
			if err != nil || len(list) != 2 || list[0].ID == "" || list[0].ID == list[1].ID {
				t.Fatalf("tokens after the migration: %+v %v", list, err)
			}
			for _, s := range list {
				if s.Kind == store.TokenAPI && s.ExpiresAt.IsZero() {
					t.Errorf("API token without an end after the migration: %+v", s)
				}
			}
		})
	}
}
