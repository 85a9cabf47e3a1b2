package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestPaymentsReconcileCommand: the day's report counts the paid and the
// expired pending payments of that day, with totals, and leaves out other
// days'.
func TestPaymentsReconcileCommand(t *testing.T) {
	t.Setenv("MOTCUA_DB", "")
	path := storetest.DSN(t, store.SQLite)
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Zone)
	for i, p := range []payment.Payment{
		{Status: payment.StatusPaid, Amount: 10000, PaidAt: at.Add(time.Minute), GatewayTxnNo: "14000001"},
		{Status: payment.StatusPaid, Amount: 5000, PaidAt: at.Add(2 * time.Minute)},
		{Status: payment.StatusPending, Amount: 8000},
		{Status: payment.StatusPaid, Amount: 99000, PaidAt: at.AddDate(0, 0, 1)}, // another day
	} {
		p.TxnRef, p.DossierCode, p.UnitCode, p.ProcedureCode, p.Gateway = "REF"+string(rune('A'+i)), "00004-260302-000"+string(rune('1'+i)), "00004", "1.000689", "vnpay"
		p.CreatedAt, p.ExpiresAt = at, at.Add(15*time.Minute)
		if p.Status == payment.StatusPaid && i == 3 {
			p.CreatedAt = at.AddDate(0, 0, 1)
		}
		if err := (store.Payments{DB: db}).CreatePayment(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, _, err := runCLI(t, "payments", "reconcile", "--db", path, "--date", "2026-03-02", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r payment.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.Day != "2026-03-02" || len(r.Paid) != 2 || r.PaidSum != 15000 || len(r.Pending) != 1 || r.PendSum != 8000 {
		t.Errorf("report: %+v", r)
	}
	text, _, err := runCLI(t, "payments", "reconcile", "--db", path, "--date", "2026-03-02")
	if err != nil || !strings.Contains(text, "paid: 2, 15000 đ") || !strings.Contains(text, "14000001") {
		t.Errorf("text report: %v\n%s", err, text)
	}
	if _, _, err := runCLI(t, "payments", "reconcile", "--db", path, "--date", "02/03/2026"); err == nil {
		t.Error("a date not YYYY-MM-DD is accepted")
	}
}
