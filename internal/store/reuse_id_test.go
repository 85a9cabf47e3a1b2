package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestSubjectReuseGroupedIDNumber: re-using an earlier dossier's details is
// the same applicant's when the number is typed grouped with spaces, dots
// or dashes; another person's number is still refused; on both engines.
func TestSubjectReuseGroupedIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, counter := context.Background(), f.Actors["canbo"]
		submit := func(id, reused string) (*dossier.Dossier, error) {
			return f.Svc.Submit(ctx, counter, dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter, ReusedFrom: reused,
				Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: id}, Components: demo.Required("1.004873")})
		}
		earlier, err := submit("001087004321", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"001.087.004.321", " 001 087-004 321 "} {
			if d, err := submit(id, earlier.Code); err != nil || d.ReusedFrom != earlier.Code || d.Applicant.IDNumber != "001087004321" {
				t.Errorf("re-use with %q: %+v, %v", id, d, err)
			}
		}
		if _, err := submit("001190012345", earlier.Code); err == nil {
			t.Error("another person's number re-used the details")
		}
	})
}
