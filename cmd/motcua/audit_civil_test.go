package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
)

// TestAuditVerifyCivil: `motcua user add --civil` makes a civil registrar;
// `motcua audit verify` walks the civil-status records' chains and fails
// on a record whose row was edited behind its history (the chain itself
// intact, the content no longer the one sealed).
func TestAuditVerifyCivil(t *testing.T) {
	path := demoInstallation(t)
	data := filepath.Dir(path)
	t.Setenv("MOTCUA_PASSWORD", "mat-khau-dai-du")
	out, _, err := runCLI(t, "user", "add", "--data", data, "--username", "hotich.b", "--name", "Bùi Thị Ngân", "--role", "specialist",
		"--unit", "00004", "--civil")
	if err != nil || !strings.Contains(out, "civil registrar") {
		t.Fatalf("user add --civil: %v\n%s", err, out)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.UserByName(ctx, "hotich.b")
	if err != nil || !u.CivilRegistrar {
		t.Fatalf("registrar %+v %v", u, err)
	}
	svc := &civil.Service{Store: store.Civil{DB: db}, Units: db, Now: time.Now}
	book := &civil.Book{Kind: civil.KindDeath, Year: 2001, Number: "01"}
	if err := svc.CreateBook(ctx, u.Actor(), book); err != nil {
		t.Fatal(err)
	}
	r := &civil.Record{BookID: book.ID, Entry: "9", Source: civil.SourceDigitised, Fields: map[string]string{"death_date": "02/02/2001"},
		People: []civil.Person{{Role: civil.RoleDeceased, FullName: "Hà Văn Sơn", BirthDate: "1930"}}}
	if err := svc.Enter(ctx, u.Actor(), r); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err = runCLI(t, "audit", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "civil-status records") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE civil_records SET entry = '10' WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, _, err = runCLI(t, "audit", "verify", "--data", data)
	if err == nil || !strings.Contains(out, "BROKEN: "+civil.ChainName(r.ID)) {
		t.Fatalf("an edited record: %v\n%s", err, out)
	}
}
