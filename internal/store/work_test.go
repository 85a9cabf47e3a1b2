package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkReadsTheUnitsRows checks that "my work" finds its dossiers
// through the index of the unit's dossier_units rows, not by scanning the
// dossiers.
func TestWorkReadsTheUnitsRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.query(ctx, `EXPLAIN QUERY PLAN `+workQuery, "00004", "chuyenvien", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "USING COVERING INDEX dossier_units_status") || strings.Contains(all, "SCAN d") {
		t.Fatalf("plan:\n%s", all)
	}
}
