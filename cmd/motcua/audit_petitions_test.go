package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
)

// TestAuditVerifyPetitions: `motcua audit verify` walks the petitions'
// chains too, and fails on a petition event edited in the database.
func TestAuditVerifyPetitions(t *testing.T) {
	path := demoInstallation(t)
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	svc := &petition.Service{Store: store.Petitions{DB: db}, Calendars: &store.Calendars{DB: db}, Units: db, Officers: db, Now: time.Now}
	p, err := svc.Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: demo.Ward, Field: "environment", Subject: "Rác thải",
		Text: "Rác để ba ngày.", Phone: "0912345678"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lead, err := db.UserByName(ctx, "lanhdao")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, lead.Actor(), p.Code, petition.ActionRequest{Action: petition.ActAnswer, Text: "Đã thu gom."}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data := filepath.Dir(path)
	out, _, err := runCLI(t, "audit", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "and 1 petitions, 2 events, all intact") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE petition_events SET note = 'Chưa xử lý' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, _, err = runCLI(t, "audit", "verify", "--data", data)
	if err == nil || !strings.Contains(out, "BROKEN: "+p.Code+" at event 2") {
		t.Fatalf("a tampered petition event: %v\n%s", err, out)
	}
}
