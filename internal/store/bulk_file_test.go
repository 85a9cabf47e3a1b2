package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// bareDossier is a submitted dossier with its one change, enough for the
// loader, which writes what it is given.
func bareDossier(at time.Time, units ...string) (*dossier.Dossier, []dossier.Change) {
	d := &dossier.Dossier{UnitCode: "00004", ProcedureCode: "1.004873", ProcedureName: "Đăng ký khai sinh",
		Channel: dossier.ChannelCounter, Status: dossier.StatusReceived, SubmittedAt: at, ReceivedAt: at, Version: 1, Units: units,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001087004321"}}
	ev := dossier.Event{Action: dossier.ActSubmit, Actor: "motcua.00004", At: at, ToStatus: dossier.StatusReceived}
	return d, []dossier.Change{{Event: ev, Counts: map[string]int64{stats.Submitted: 1, stats.Received: 1}}}
}

func count(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkFile checks that the file is whole, back in WAL mode, with every
// index of the dossiers.
func checkFile(t *testing.T, db *DB, indexes int) {
	t.Helper()
	var check, mode string
	if err := db.read.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity check: %q %v", check, err)
	}
	if err := db.write.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode after the load: %q %v, want wal", mode, err)
	}
	if n := dossierIndexes(t, db); n != indexes {
		t.Errorf("%d indexes on dossiers after the load, want %d", n, indexes)
	}
}

func dossierIndexes(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.read.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBulkFreshFileFailedBatch loads into an empty database, which the
// loader writes without the WAL, and makes the second batch fail: the error
// must say to load again, and the file (as this SQLite leaves it: the
// documentation calls a rollback without journal undefined) must be whole
// and hold the first batch and nothing of the second, with the indexes
// built again and the WAL back on.
func TestBulkFreshFileFailedBatch(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	indexes := dossierIndexes(t, db)
	b, err := db.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !b.direct {
		t.Fatal("a load into an empty database went through the WAL")
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, stats.Zone)
	var addErr error
	for i := 0; i < bulkBatchDossiers+10 && addErr == nil; i++ {
		d, hist := bareDossier(at.Add(time.Duration(i) * time.Second))
		if i == bulkBatchDossiers+5 {
			d.Units = []string{"00004", "00004"} // the same unit twice: the batch's insert fails
		}
		addErr = b.Add(ctx, d, d.UnitCode, hist)
	}
	if err := b.Close(ctx); err == nil || !strings.Contains(err.Error(), "load it again") {
		t.Fatalf("a failed batch: Close reported %v, want an error that says to load again", err)
	}
	checkFile(t, db, indexes)
	if n := count(t, db, "dossiers"); n != bulkBatchDossiers {
		t.Errorf("%d dossiers after the failed batch, want the first batch's %d", n, bulkBatchDossiers)
	}
	if n := count(t, db, "dossier_events"); n != bulkBatchDossiers {
		t.Errorf("%d events after the failed batch, want %d", n, bulkBatchDossiers)
	}
}

// TestBulkFreshFileKept loads into an empty database and opens it again:
// what the load wrote without syncs is in the file, which is back in WAL
// mode.
func TestBulkFreshFileKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	indexes := dossierIndexes(t, db)
	b, err := db.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, stats.Zone)
	for i := range 1000 {
		d, hist := bareDossier(at.Add(time.Duration(i) * time.Second))
		if err := b.Add(ctx, d, d.UnitCode, hist); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(b.Close(ctx), db.Close()); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkFile(t, db, indexes)
	if n := count(t, db, "dossiers"); n != 1000 {
		t.Errorf("%d dossiers after opening the file again, want 1000", n)
	}
}

// TestBulkFileInUse loads into an empty database that another connection
// keeps open: the loader cannot take the file and goes through the WAL.
func TestBulkFileInUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Ping(); err != nil { // opens a connection, which stays idle
		t.Fatal(err)
	}
	b, err := db.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.direct {
		t.Error("the loader took a file another connection has open")
	}
	d, hist := bareDossier(time.Date(2026, 3, 2, 8, 0, 0, 0, stats.Zone))
	if err := b.Add(ctx, d, d.UnitCode, hist); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := other.QueryRow(`SELECT COUNT(*) FROM dossiers`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the other connection sees %d dossiers (%v), want 1", n, err)
	}
}
