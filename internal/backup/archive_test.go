package backup_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBackupKeepsArchivedFiles archives a withdrawn dossier that holds a
// file, backs the installation up and restores it into an empty target:
// the file is in the backup's manifest and in the restored files folder
// with its SHA-256, as the file of a dossier still in the working tables.
func TestBackupKeepsArchivedFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		files := blob.NewDir(t.TempDir())
		submit := func() *dossier.Dossier {
			d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001193", Components: demo.Required("1.001193"),
				Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		old := submit()
		submit() // the newest dossier always stays in the working tables
		info, err := files.Put(ctx, strings.NewReader("%PDF-1.4 tờ khai của hồ sơ đã lưu trữ"), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		a := store.Attachment{Component: "Tờ khai", FileName: "to-khai.pdf", ContentType: "application/pdf", Size: info.Size, SHA256: info.SHA256, UploadedBy: "canbo"}
		if err := f.DB.AddPendingAttachment(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.BindAttachments(ctx, old.ID, "canbo", []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], old.Code, dossier.ActionRequest{Action: dossier.ActWithdraw, Reason: "Theo đề nghị của người nộp", Version: old.Version}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(48 * time.Hour)
		if rep, err := f.DB.ArchiveFinished(ctx, f.Clock.Now().Add(-time.Hour), 0); err != nil || rep.Dossiers != 1 || rep.Attachments != 1 {
			t.Fatalf("archive: %+v %v; want the withdrawn dossier and its file moved", rep, err)
		}

		dest := filepath.Join(t.TempDir(), "motcua.tar")
		m, err := backup.Write(ctx, backup.Source{DB: f.DB, DSN: f.DSN, Files: files}, dest)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(m.Files, func(e backup.Entry) bool { return e.SHA256 == info.SHA256 }) {
			t.Fatalf("the backup's manifest lists %v; the archived dossier's file %s is not in it", m.Files, info.SHA256)
		}
		restored := t.TempDir()
		to := backup.Target{DataDir: restored, FilesDir: filepath.Join(restored, "files")}
		if engine == store.Postgres {
			to.DataDir, to.PostgresURL = "", storetest.DSN(t, engine)
		}
		if _, err := backup.Restore(ctx, dest, to); err != nil {
			t.Fatalf("restore: %v", err)
		}
		r, err := blob.NewDir(to.FilesDir).Open(ctx, info.SHA256)
		if err != nil {
			t.Fatalf("the archived dossier's file after the restore: %v", err)
		}
		defer r.Close()
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil || hex.EncodeToString(h.Sum(nil)) != info.SHA256 {
			t.Fatalf("the restored file hashes to %x (%v), want %s", h.Sum(nil), err, info.SHA256)
		}
	})
}
