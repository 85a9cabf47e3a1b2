package dossier_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMyWorkReadsPastOtherSteps: the store's rows are the unit's open
// dossiers, the most urgent step first, and the step's role is checked
// after the read. A specialist whose dossiers come after a page of the
// counter's still sees them all (here with pages of two rows: before the
// rows were read page after page, one read of two rows showed nothing).
func TestMyWorkReadsPastOtherSteps(t *testing.T) {
	defer dossier.SetWorkPage(2)()
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := storetest.NewFixture(t, engine)
			ctx := context.Background()
			submit := func() string {
				t.Helper()
				d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter,
					Components: demo.Required("1.004873"), Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
				if err != nil {
					t.Fatal(err)
				}
				return d.Code
			}
			for range 3 { // at the counter's step, due first
				submit()
			}
			f.Clock.Advance(2 * time.Hour)
			want := map[string]bool{}
			for range 2 { // forwarded later: at the specialist's step, due after the counter's
				code := submit()
				if _, err := f.Svc.Act(ctx, f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
					t.Fatal(err)
				}
				want[code] = true
			}
			items, err := f.Svc.MyWork(ctx, f.Actors["chuyenvien"])
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(want) {
				t.Fatalf("the specialist's work: %d items, want %d", len(items), len(want))
			}
			for _, it := range items {
				if !want[it.Code] {
					t.Errorf("%s is not at the specialist's step", it.Code)
				}
			}
		})
	}
}
