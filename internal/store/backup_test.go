package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBackupWhileWriting backs the database up several times while dossiers
// are submitted and moved on another goroutine, and checks that every copy
// is a database in which each transaction is there whole or not at all.
func TestBackupWhileWriting(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	g := newDataset(t, f, 3)
	if err := g.run(ctx, 20, 60); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- g.run(ctx, 150, 900) }()
	dir := t.TempDir()
	var paths []string
	for i := 0; ; i++ {
		path := filepath.Join(dir, "backups", fmt.Sprintf("motcua-%03d.db", i))
		if err := f.DB.Backup(ctx, path); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		paths = append(paths, path)
		if st, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
			t.Fatalf("backup %s: mode %v, %v; want 0600", path, st.Mode(), err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if len(paths) < 2 {
				t.Fatalf("only %d backups were taken while writing", len(paths))
			}
			checkBackups(t, paths)
			return
		default:
		}
		if i > 1000 {
			t.Fatal("the writer did not finish")
		}
	}
}

// checkBackups opens each copy and checks that it holds a consistent state.
func checkBackups(t *testing.T, paths []string) {
	t.Helper()
	prev := 0
	for _, p := range paths {
		n := checkBackup(t, p)
		if n < prev {
			t.Errorf("%s: %d dossiers, fewer than the earlier backup's %d", p, n, prev)
		}
		prev = n
	}
	t.Logf("%d backups taken while writing, with %d dossiers in the last", len(paths), prev)
}

// checkBackup returns the number of dossiers in the copy at path after
// checking the copy through the store and with SQL.
func checkBackup(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open backup %s: %v", path, err)
	}
	defer db.Close()
	audit, err := db.VerifyAudit(ctx)
	if err != nil || audit.Broken != 0 || audit.Checked == 0 {
		t.Fatalf("%s: audit %+v, %v", path, audit, err)
	}
	_, total, err := store.Dossiers{DB: db}.List(ctx, dossier.Filter{Limit: 1}, dossier.Scope{All: true})
	if err != nil || total != audit.Checked {
		t.Errorf("%s: %d dossiers listed, %d audited (%v)", path, total, audit.Checked, err)
	}
	s, err := db.Summary(ctx, stats.Query{From: "2000-01-01", To: "2100-12-31"})
	if err != nil || s.Totals[stats.Submitted] != int64(audit.Checked) {
		t.Errorf("%s: roll-ups count %d submitted for %d dossiers (%v)", path, s.Totals[stats.Submitted], audit.Checked, err)
	}
	checkBackupSQL(t, path, audit)
	return audit.Checked
}

// checkBackupSQL checks what the store does not expose: SQLite's own
// integrity check, the daily counters against the dossiers, and the events
// against the dossiers' event counts.
func checkBackupSQL(t *testing.T, path string, audit store.AuditResult) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var integrity string
	var counters, events, eventCount int64
	err = raw.QueryRow(`SELECT (SELECT COALESCE(SUM(last), 0) FROM dossier_counters), (SELECT COUNT(*) FROM dossier_events),
		(SELECT COALESCE(SUM(event_count), 0) FROM dossiers)`).Scan(&counters, &events, &eventCount)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("%s: integrity %q, %v", path, integrity, err)
	}
	if counters != int64(audit.Checked) || events != eventCount || events != int64(audit.Events) {
		t.Errorf("%s: counters %d, events %d (rows) %d (counted on dossiers) %d (audited), dossiers %d",
			path, counters, events, eventCount, audit.Events, audit.Checked)
	}
}

func TestBackupRefusesExistingFile(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	path := filepath.Join(t.TempDir(), "exists.db")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(context.Background(), path)
	if apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("backup over an existing file: %v; want a conflict", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	left, _ := filepath.Glob(path + ".tmp-*")
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestBackupPostgresSaysPgDump(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v; want an error naming pg_dump", err)
	}
}
