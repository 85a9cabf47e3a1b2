package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

func TestTmpGenerate(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("N"))
	if n == 0 {
		t.Skip()
	}
	db := storetest.Open(t, "sqlite")
	prov, communes, err := ProvinceUnits("../../../shared/data/units/vn_units_2025.json", "01")
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := demo.Procedures()
	ds, err := Generate(context.Background(), db, DatasetConfig{Province: prov, Communes: communes, Procedures: ps, Dossiers: n,
		End: time.Now(), PoolUnits: 64, Pool: 1000, Password: "benchpass", Seed: 1, Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d dossiers %d rows in %s", ds.Dossiers, ds.Rows, ds.Elapsed)
	res, err := db.VerifyAudit(context.Background())
	t.Logf("%+v %v", res, err)
}
