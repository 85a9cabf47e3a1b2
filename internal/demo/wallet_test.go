package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCitizenPapersAtEveryStart: the demo citizen's papers are handed in at
// every start with the demo, only where a dossier has none, so a start that
// stopped before finishing them is completed by the next one and a second
// run adds nothing twice.
func TestCitizenPapersAtEveryStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		files := blob.NewDir(filepath.Join(t.TempDir(), "files"))
		citizen := f.Actors["congdan"]
		submit := func() {
			t.Helper()
			if _, err := f.Svc.Submit(ctx, citizen, dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
				Components: demo.Required("1.001193"), Applicant: dossier.Applicant{Name: citizen.FullName, IDNumber: "001190012345"}}); err != nil {
				t.Fatal(err)
			}
		}
		papers := func() int {
			t.Helper()
			ps, err := f.Svc.Wallet(ctx, citizen)
			if err != nil {
				t.Fatal(err)
			}
			return len(ps)
		}
		submit()
		if err := demo.CitizenPapers(ctx, f.DB, files); err != nil || papers() != 1 {
			t.Fatalf("first start: %d papers, %v", papers(), err)
		}
		submit() // a dossier left without its paper, as by a start that stopped
		for range 2 {
			if err := demo.CitizenPapers(ctx, f.DB, files); err != nil || papers() != 2 {
				t.Fatalf("next start: %d papers, %v; want one a dossier", papers(), err)
			}
		}
	})
}
