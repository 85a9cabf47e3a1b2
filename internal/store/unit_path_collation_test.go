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

// TestSubtreeUnderALanguageCollation reads a province's numbers on a
// PostgreSQL database whose default collation ignores punctuation (as
// language collations of many servers do): the range on the units' paths
// must still find the ward under the province, so the sums read for the
// province list the same units as the day rows added up unit by unit.
func TestSubtreeUnderALanguageCollation(t *testing.T) {
	dsn := storetest.PostgresDSN(t, "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted' LOCALE 'C.UTF-8'")
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db},
		Calendars: &store.Calendars{DB: db}, Units: db, Officers: db, Now: time.Now}
	if err := demo.Load(ctx, db, svc); err != nil {
		t.Fatal(err)
	}
	q := stats.Query{UnitCode: demo.Province, From: "2000-01-01", To: "2999-12-31"}
	sums, err := db.Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	days, err := db.SummaryFromDays(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	byUnit := func(s *stats.Summary) map[string]int64 {
		out := map[string]int64{}
		for _, r := range s.ByUnit {
			out[r.Key] = r.Counts[stats.Received]
		}
		return out
	}
	want := byUnit(days)
	if want[demo.Ward] == 0 {
		t.Fatalf("the demo ward's dossiers are not counted at all: %v", want)
	}
	if got := byUnit(sums); got[demo.Ward] != want[demo.Ward] {
		t.Errorf("the province's units read from the sums: %v, from the days: %v: the subtree missed the ward", got, want)
	}
}
