package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestProcedureSearchLiteral: the catalogue's search takes the user's % and
// _ as themselves, as the dossier search does: a lone "%" finds nothing
// instead of the whole catalogue, and words still find their procedure.
func TestProcedureSearchLiteral(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := storetest.NewFixture(t, engine)
			ps := store.Procedures{DB: f.DB}
			for q, want := range map[string]bool{"%": false, "_": false, "khai_sinh": false, "khai sinh": true, "KHAI SINH": true} {
				got, err := ps.List(context.Background(), store.ProcedureFilter{Query: q})
				if err != nil {
					t.Fatal(err)
				}
				if (len(got) > 0) != want {
					t.Errorf("%q found %d procedures", q, len(got))
				}
			}
		})
	}
}
