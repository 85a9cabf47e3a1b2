package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// runCLI runs the program with args and returns what it printed.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader("")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = m.Run(ctx, args)
	return out.String(), errOut.String(), err
}

// demoInstallation returns a SQLite database file loaded with the demo.
func demoInstallation(t *testing.T) string {
	t.Helper()
	t.Setenv("MOTCUA_DB", "") // the flags below decide, not the environment
	path := storetest.DSN(t, store.SQLite)
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cals := &store.Calendars{DB: db}
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: cals,
		Units: db, Officers: db, Now: time.Now}
	if err := demo.Load(ctx, db, svc); err != nil {
		t.Fatal(err)
	}
	return path
}

// withFile adds a pending upload to the database at dsn and its file to
// the files folder, and returns the file's checksum.
func withFile(t *testing.T, dsn, filesDir string) string {
	t.Helper()
	ctx := context.Background()
	info, err := blob.NewDir(filesDir).Put(ctx, strings.NewReader("%PDF-1.4 giấy chứng sinh"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &store.Attachment{Component: "Giấy chứng sinh", FileName: "chung-sinh.pdf", ContentType: "application/pdf",
		Size: info.Size, SHA256: info.SHA256, UploadedBy: "congdan", UploadedAt: time.Now()}
	if err := db.AddPendingAttachment(ctx, a); err != nil {
		t.Fatal(err)
	}
	return info.SHA256
}

// TestBackupCommand backs a SQLite installation up into one tar file with
// its files, restores it into an empty folder, and checks the refusals:
// an existing backup name, a non-empty target, a damaged backup.
func TestBackupCommand(t *testing.T) {
	src := demoInstallation(t)
	data := filepath.Dir(src)
	sum := withFile(t, src, filepath.Join(data, "files"))
	dest := filepath.Join(t.TempDir(), "backups", "motcua-2026-03-02.tar")
	out, _, err := runCLI(t, "backup", "--data", data, dest)
	if err != nil || !strings.Contains(out, dest) || !strings.Contains(out, "1 files") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	out, _, err = runCLI(t, "restore", dest, "--data", restored)
	if err != nil || !strings.Contains(out, "every file and count matches") || strings.Contains(out, "DIFFERENT") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	man, err := backup.ReadManifest(dest)
	if err != nil {
		t.Fatal(err)
	}
	checkRestored(t, filepath.Join(restored, "motcua.db"), filepath.Join(restored, "files"), man)
	if _, err := blob.NewDir(filepath.Join(restored, "files")).Stat(context.Background(), sum); err != nil {
		t.Errorf("the uploaded file was not restored: %v", err)
	}
	if out, _, err := runCLI(t, "audit", "verify", "--data", restored); err != nil || !strings.Contains(out, "all intact") {
		t.Errorf("audit of the restored installation: %v\n%s", err, out)
	}

	if _, _, err := runCLI(t, "backup", "--data", data, dest); apperr.Code(err) != apperr.ECONFLICT {
		t.Errorf("backup over an existing file: %v, want a conflict", err)
	}
	if _, _, err := runCLI(t, "backup", "--data", data); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("backup without a file: %v, want the usage", err)
	}
	_, _, err = runCLI(t, "restore", dest, "--data", restored)
	if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), "không trống") {
		t.Errorf("restore into a non-empty folder: %v, want a refusal", err)
	}
	if out, _, err := runCLI(t, "audit", "verify", "--data", restored); err != nil || !strings.Contains(out, "all intact") {
		t.Errorf("the refused restore changed the folder: %v\n%s", err, out)
	}
}

// TestRestoreRefusesDamage changes one byte of the uploaded file inside the
// backup: the restore names the file, and leaves the target empty.
func TestRestoreRefusesDamage(t *testing.T) {
	src := demoInstallation(t)
	data := filepath.Dir(src)
	content := "%PDF-1.4 giấy chứng sinh"
	withFile(t, src, filepath.Join(data, "files"))
	dest := filepath.Join(t.TempDir(), "motcua.tar")
	if _, _, err := runCLI(t, "backup", "--data", data, dest); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(raw, []byte(content))
	if i < 0 {
		t.Fatal("the file's content is not in the backup")
	}
	raw[i+len(content)-1] ^= 1
	if err := os.WriteFile(dest, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	_, _, err = runCLI(t, "restore", dest, "--data", restored)
	if err == nil || !strings.Contains(err.Error(), "files/") {
		t.Fatalf("restore of a damaged backup: %v, want the damaged file named", err)
	}
	if names, _ := os.ReadDir(restored); len(names) != 0 {
		t.Errorf("the failed restore left %v behind", names)
	}
}

// TestBackupListsPurgedUpload: a file of an unsent upload that the
// server's purge deleted after the snapshot is listed as purged, not
// fatal, and the backup restores.
func TestBackupListsPurgedUpload(t *testing.T) {
	src := demoInstallation(t)
	data := filepath.Dir(src)
	sum := withFile(t, src, filepath.Join(data, "files"))
	if err := blob.NewDir(filepath.Join(data, "files")).Delete(context.Background(), sum); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "motcua.tar")
	if out, _, err := runCLI(t, "backup", "--data", data, dest); err != nil || !strings.Contains(out, "1 files of unsent day-old uploads were purged") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if man, err := backup.ReadManifest(dest); err != nil || len(man.Purged) != 1 || man.Purged[0] != sum || len(man.Files) != 0 {
		t.Fatalf("manifest: %+v, %v", man, err)
	}
	if out, _, err := runCLI(t, "restore", dest, "--data", filepath.Join(t.TempDir(), "r")); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
}

// TestBackupRestorePostgres: on PostgreSQL, backup runs pg_dump in one
// snapshot with the files, and restore runs pg_restore into a new, empty
// database; the restored database has every row, chain and file.
func TestBackupRestorePostgres(t *testing.T) {
	url := storetest.DSN(t, store.Postgres)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	cals := &store.Calendars{DB: db}
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: cals,
		Units: db, Officers: db, Now: time.Now}
	if err := demo.Load(ctx, db, svc); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files := t.TempDir()
	withFile(t, url, files)
	dest := filepath.Join(t.TempDir(), "motcua.tar")
	if out, _, err := runCLI(t, "backup", "--db", url, "--files", files, dest); err != nil || !strings.Contains(out, "postgres database") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	man, err := backup.ReadManifest(dest)
	if err != nil || man.Engine != store.Postgres || man.Database.Name != "motcua.pgdump" || len(man.Files) != 1 {
		t.Fatalf("manifest: %+v, %v", man, err)
	}
	to, toFiles := storetest.DSN(t, store.Postgres), filepath.Join(t.TempDir(), "files")
	out, _, err := runCLI(t, "restore", dest, "--db", to, "--files", toFiles)
	if err != nil || !strings.Contains(out, "every file and count matches") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	checkRestored(t, to, toFiles, man)
	_, _, err = runCLI(t, "restore", dest, "--db", to, "--files", t.TempDir())
	if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("restore into a database with tables: %v, want a refusal", err)
	}
	_, _, err = runCLI(t, "restore", dest, "--data", t.TempDir())
	if apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "migrate-data") {
		t.Errorf("restore of a PostgreSQL backup into SQLite: %v, want a refusal", err)
	}
}

func TestMigrateDataCommand(t *testing.T) {
	src := demoInstallation(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			to := storetest.DSN(t, engine)
			if engine == store.SQLite {
				to = "sqlite:" + to
			}
			out, _, err := runCLI(t, "migrate-data", "--from", "sqlite:"+src, "--to", to)
			if err != nil {
				t.Fatalf("migrate-data: %v\n%s", err, out)
			}
			for _, table := range store.CopyTables() {
				if !strings.Contains(out, table) {
					t.Errorf("the report does not list %s:\n%s", table, out)
				}
			}
			if strings.Contains(out, "DIFFERENT") || !strings.Contains(out, "all intact") || !strings.Contains(out, "the copy matches") {
				t.Errorf("report:\n%s", out)
			}
			// A second run finds the target full and leaves it alone.
			_, _, err = runCLI(t, "migrate-data", "--from", "sqlite:"+src, "--to", to)
			if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), "not empty") {
				t.Errorf("second migrate-data: %v, want a refusal of the non-empty target", err)
			}
		})
	}
}

func TestMigrateDataCommandErrors(t *testing.T) {
	t.Setenv("MOTCUA_DB", "")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "usage"},
		{"no target", []string{"--from", "sqlite:" + missing}, "usage"},
		{"same database", []string{"--from", "sqlite:x.db", "--to", "sqlite:x.db"}, "different"},
		{"missing source", []string{"--from", "sqlite:" + missing, "--to", "sqlite:" + filepath.Join(dir, "new.db")}, "no source database file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"migrate-data"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("migrate-data created the missing source: %v", err)
	}
}

// TestMigrateDataCopiesFiles: with --files-from and --files-to the files the
// database refers to arrive in the new folder.
func TestMigrateDataCopiesFiles(t *testing.T) {
	src := demoInstallation(t)
	ctx := context.Background()
	from, to := t.TempDir(), t.TempDir()
	info, err := blob.NewDir(from).Put(ctx, strings.NewReader("%PDF-1.4 giấy chứng sinh"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Attachment{Component: "Giấy chứng sinh", FileName: "chung-sinh.pdf", ContentType: "application/pdf",
		Size: info.Size, SHA256: info.SHA256, UploadedBy: "congdan", UploadedAt: time.Now()}
	if err := db.AddPendingAttachment(ctx, a); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, _, err := runCLI(t, "migrate-data", "--from", "sqlite:"+src, "--to", "sqlite:"+storetest.DSN(t, store.SQLite),
		"--files-from", from, "--files-to", to)
	if err != nil || !strings.Contains(out, "files: 1 copied") {
		t.Fatalf("migrate-data with files: %v\n%s", err, out)
	}
	if _, err := blob.NewDir(to).Stat(ctx, info.SHA256); err != nil {
		t.Fatalf("the file is not in the new folder: %v", err)
	}
	if _, _, err := runCLI(t, "migrate-data", "--from", "sqlite:"+src, "--to", "sqlite:x.db", "--files-from", from); err == nil {
		t.Fatal("--files-from without --files-to was accepted")
	}
}

// TestProceduresImportAllOrNothing: an exported catalogue imports back
// unchanged, and a file with one bad entry (here a code listed twice) is
// refused whole, naming the problem, with nothing of it written.
func TestProceduresImportAllOrNothing(t *testing.T) {
	data := filepath.Dir(demoInstallation(t))
	exported := filepath.Join(t.TempDir(), "procedures.json")
	if _, _, err := runCLI(t, "procedures", "export", "--data", data, exported); err != nil {
		t.Fatalf("export: %v", err)
	}
	before, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCLI(t, "procedures", "import", "--data", data, exported); err != nil || !strings.Contains(out, "0 added, 0 changed") {
		t.Fatalf("import of the export: %q, %v", out, err)
	}
	entry := `{"code":"9.999999","name":"Thủ tục thử","field":"Thử","time_limit":{"kind":"same_day"}}`
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("["+entry+","+entry+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "procedures", "import", "--data", data, bad); err == nil || !strings.Contains(err.Error(), "Thủ tục 9.999999 có hai lần trong tệp") {
		t.Fatalf("import of a duplicate: %v", err)
	}
	after := filepath.Join(t.TempDir(), "after.json")
	if _, _, err := runCLI(t, "procedures", "export", "--data", data, after); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(after); !bytes.Equal(b, before) {
		t.Fatal("a refused import changed the catalogue")
	}
}
