package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

// Target is where a backup is restored: a SQLite database in DataDir, or
// the PostgreSQL database at PostgresURL; the files into FilesDir.
type Target struct {
	DataDir     string
	PostgresURL string
	FilesDir    string
}

// Report is what a restore found: the manifest, the restored database's
// rows per table, its history chains and the dossiers its roll-ups count.
type Report struct {
	Manifest  *Manifest
	Counts    map[string]int64
	Files     int
	Audit     store.AuditResult
	Audited   bool  // the chains were checked
	Submitted int64 // dossiers the roll-ups count as submitted
}

// Restore restores the backup at path into an empty target. Every file is
// checked against the manifest as it is unpacked; then the database's row
// counts must equal the backup's, every file its attachments name must be
// there, and every history chain must verify. A SQLite restore that fails
// removes what it wrote: the target was empty. The database is opened last,
// which applies the migrations of a newer program.
func Restore(ctx context.Context, path string, to Target) (*Report, error) {
	m, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	if err := to.check(ctx, m); err != nil {
		return nil, err
	}
	rep, err := restore(ctx, path, m, to)
	if err != nil && to.PostgresURL == "" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			_ = os.Remove(filepath.Join(to.DataDir, sqliteName+suffix))
		}
		_ = os.RemoveAll(to.FilesDir)
	}
	return rep, err
}

func restore(ctx context.Context, path string, m *Manifest, to Target) (*Report, error) {
	dump := filepath.Join(to.DataDir, sqliteName)
	if to.PostgresURL == "" {
		if err := os.MkdirAll(to.DataDir, 0o700); err != nil {
			return nil, err
		}
	} else {
		f, err := os.CreateTemp("", "motcua-restore-*.pgdump") // 0600
		if err != nil {
			return nil, err
		}
		f.Close()
		dump = f.Name()
		defer os.Remove(dump)
	}
	files := blob.NewDir(to.FilesDir)
	err := each(ctx, path, m, func(mb member) error {
		if mb.Name == m.Database.Name {
			return writeNew(dump, mb.r)
		}
		info, err := files.Put(ctx, mb.r, mb.Size)
		if err == nil && info.SHA256 != strings.TrimPrefix(mb.Name, filesPrefix) {
			err = fmt.Errorf("the content hashes to %s", info.SHA256)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	dsn := dump
	if to.PostgresURL != "" {
		dsn = to.PostgresURL
		if err := store.PgTool(ctx, "pg_restore", dsn, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", dump); err != nil {
			return nil, err
		}
	}
	return check(ctx, dsn, m, files)
}

// writeNew writes r to a new file readable by its owner only, synced.
func writeNew(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		return err
	}
	return f.Sync()
}

// check compares the restored database with the manifest, then opens it
// and verifies its history chains and roll-ups.
func check(ctx context.Context, dsn string, m *Manifest, files *blob.Dir) (*Report, error) {
	facts, err := store.ReadFacts(ctx, dsn)
	if err != nil {
		return nil, err
	}
	rep := &Report{Manifest: m, Counts: facts.Counts, Files: len(m.Files)}
	if err := sameCounts(m.Counts, facts.Counts); err != nil {
		return rep, err
	}
	if err := filesThere(ctx, facts.Files, m, files); err != nil {
		return rep, err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	if rep.Audit, err = db.VerifyAudit(ctx); err != nil {
		return rep, err
	}
	rep.Audited = true
	if a := rep.Audit; a.Broken > 0 {
		return rep, apperr.New(apperr.EINTERNAL,
			fmt.Sprintf("Chuỗi lịch sử của %d hồ sơ bị hỏng, đầu tiên là %s tại sự kiện %d", a.Broken, a.FirstBroken, a.BrokenAt),
			fmt.Sprintf("%d history chains are broken, the first in %s at event %d", a.Broken, a.FirstBroken, a.BrokenAt))
	}
	return rep, checkRollups(ctx, db, rep)
}

// sameCounts wants every table of the backup with as many rows restored.
func sameCounts(want, got map[string]int64) error {
	var bad []string
	for t, n := range want {
		if got[t] != n {
			bad = append(bad, fmt.Sprintf("%s %d/%d", t, got[t], n))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return apperr.New(apperr.EINTERNAL, "Số dòng sau khi khôi phục không khớp bản sao lưu: "+strings.Join(bad, ", "),
		"row counts differ from the backup's: "+strings.Join(bad, ", "))
}

// filesThere wants every file the attachments name, archived ones too, in
// the files folder, but those of unsent uploads the server had purged
// (Manifest.Purged).
func filesThere(ctx context.Context, refs []store.FileRef, m *Manifest, files *blob.Dir) error {
	purged := map[string]bool{}
	for _, s := range m.Purged {
		purged[s] = true
	}
	for _, r := range refs {
		if purged[r.SHA256] && !r.Bound {
			continue
		}
		if _, err := files.Stat(ctx, r.SHA256); err != nil {
			return apperr.New(apperr.EINTERNAL, "Thiếu tệp đính kèm "+r.SHA256+" sau khi khôi phục",
				"the attached file "+r.SHA256+" is missing after the restore")
		}
	}
	return nil
}

// checkRollups wants the roll-ups to count every dossier as submitted once.
func checkRollups(ctx context.Context, db *store.DB, rep *Report) error {
	s, err := db.SummaryFromDays(ctx, stats.Query{From: "0001-01-01", To: "9999-12-31"})
	if err != nil {
		return err
	}
	rep.Submitted = s.Totals[stats.Submitted]
	if rep.Submitted != int64(rep.Audit.Checked) {
		return apperr.New(apperr.EINTERNAL,
			fmt.Sprintf("Số liệu tổng hợp đếm %d hồ sơ đã nộp, cơ sở dữ liệu có %d hồ sơ", rep.Submitted, rep.Audit.Checked),
			fmt.Sprintf("the roll-ups count %d dossiers submitted, the database holds %d", rep.Submitted, rep.Audit.Checked))
	}
	return nil
}

// check refuses a target that is not empty, or of the other engine.
func (to Target) check(ctx context.Context, m *Manifest) error {
	if (m.Engine == store.Postgres) != (to.PostgresURL != "") {
		return apperr.Invalid("db", "Bản sao lưu của "+m.Engine+" chỉ khôi phục được vào "+m.Engine+"; để đổi sang hệ khác hãy khôi phục rồi dùng motcua migrate-data",
			"a backup of "+m.Engine+" restores into "+m.Engine+" only; to change engines, restore it, then use motcua migrate-data")
	}
	if err := emptyDir(to.FilesDir); err != nil {
		return err
	}
	if to.PostgresURL == "" {
		return emptyDir(to.DataDir)
	}
	empty, err := store.IsEmptyPostgres(ctx, to.PostgresURL)
	if err != nil {
		return err
	}
	if !empty {
		return apperr.New(apperr.ECONFLICT, "Cơ sở dữ liệu đích đã có bảng; chỉ khôi phục vào một cơ sở dữ liệu mới, trống (createdb)",
			"the target database has tables; restore into a new, empty database only (createdb)")
	}
	return nil
}

// emptyDir accepts a folder that does not exist or holds nothing.
func emptyDir(dir string) error {
	names, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(names) == 0 {
		return nil
	}
	if err != nil {
		return err
	}
	return apperr.New(apperr.ECONFLICT, "Thư mục "+dir+" không trống; chỉ khôi phục vào thư mục trống, không bao giờ ghi đè",
		dir+" is not empty; a restore goes into an empty folder only and never overwrites")
}
