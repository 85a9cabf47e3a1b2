package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/store"
)

// backup writes one tar file with a consistent copy of the database and the
// files it names, while the server keeps running.
func (m *Main) backup(ctx context.Context, args []string) error {
	var filesDir string
	pos, err := m.withDB(ctx, "backup", args, func(fs *flag.FlagSet) { filesFlag(fs, &filesDir) })
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua backup [--data DIR | --db URL] [--files DIR] FILE.tar")
	}
	man, err := backup.Write(ctx, backup.Source{DB: m.DB, DSN: m.DBURL, Files: blob.NewDir(m.filesDir(filesDir))}, pos[0])
	if err != nil {
		return err
	}
	st, err := os.Stat(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backup: %s (%d bytes): %s database at schema version %d, %d dossiers, %d files; checked (đã sao lưu và kiểm tra)\n",
		pos[0], st.Size(), man.Engine, man.Schema, man.Counts["dossiers"], len(man.Files))
	if len(man.Purged) > 0 {
		fmt.Fprintf(m.Stdout, "backup: %d files of unsent day-old uploads were purged while the backup ran; not needed\n", len(man.Purged))
	}
	return nil
}

// restore unpacks a backup into an empty installation and checks it.
func (m *Main) restore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	m.commonFlags(fs)
	var filesDir string
	filesFlag(fs, &filesDir)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua restore BACKUP.tar [--data DIR | --db URL] [--files DIR]")
	}
	to := backup.Target{DataDir: m.DataDir, PostgresURL: m.DBURL, FilesDir: m.filesDir(filesDir)}
	rep, err := backup.Restore(ctx, pos[0], to)
	if rep != nil {
		m.printRestore(rep)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "restore: done, every file and count matches the backup (khôi phục xong, dữ liệu khớp)")
	return nil
}

// printRestore prints the rows per table in the backup and restored.
func (m *Main) printRestore(rep *backup.Report) {
	man := rep.Manifest
	fmt.Fprintf(m.Stdout, "backup of %s, %s, schema version %d, by motcua %s\n", man.Created.Format(time.RFC3339), man.Engine, man.Schema, man.Product)
	fmt.Fprintf(m.Stdout, "%-18s %14s %14s\n", "bảng (table)", "sao lưu (backup)", "khôi phục (restored)")
	for _, t := range store.CopyTables() {
		mark := "ok"
		if man.Counts[t] != rep.Counts[t] {
			mark = "KHÁC / DIFFERENT"
		}
		fmt.Fprintf(m.Stdout, "%-18s %14d %14d  %s\n", t, man.Counts[t], rep.Counts[t], mark)
	}
	fmt.Fprintf(m.Stdout, "files: %d restored and checked against their SHA-256\n", rep.Files)
	if a := rep.Audit; rep.Audited {
		fmt.Fprintf(m.Stdout, "audit: %d chains checked, %d events, %d broken; roll-ups count %d submitted\n", a.Checked, a.Events, a.Broken, rep.Submitted)
	}
}

// filesFlag adds --files, the folder of uploaded files, as serve has it.
func filesFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "files", os.Getenv("MOTCUA_FILES"), "folder of the files handed in with dossiers (default: DIR/files in the data directory)")
}

// filesDir is the files folder: the flag's, else the data directory's.
func (m *Main) filesDir(flagged string) string {
	if flagged != "" {
		return flagged
	}
	return filepath.Join(m.DataDir, "files")
}

// migrateData copies a whole installation into a new, empty database and
// checks the copy.
func (m *Main) migrateData(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("migrate-data", flag.ContinueOnError)
	flags.SetOutput(m.Stderr)
	from := flags.String("from", "", "source database: sqlite:PATH or postgres://...")
	to := flags.String("to", "", "target database, migrated and empty: postgres://... or sqlite:PATH")
	filesFrom := flags.String("files-from", "", "the source's folder of uploaded files (copied and checked when given)")
	filesTo := flags.String("files-to", "", "the target's folder of uploaded files")
	pos, err := parse(flags, args)
	if err != nil {
		return err
	}
	if *from == "" || *to == "" || len(pos) != 0 {
		return fmt.Errorf("usage: motcua migrate-data --from sqlite:PATH --to postgres://USER@HOST/DB")
	}
	if (*filesFrom == "") != (*filesTo == "") {
		return apperr.Invalid("files-to", "Cần cả --files-from và --files-to để chép tệp đính kèm", "give both --files-from and --files-to to copy the uploaded files")
	}
	if *from == *to {
		return apperr.Invalid("to", "Nguồn và đích phải là hai cơ sở dữ liệu khác nhau", "the source and the target must be different databases")
	}
	src, err := openSource(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	defer dst.Close()
	fmt.Fprintf(m.Stderr, "migrate-data: %s → %s\n", src.Engine, dst.Engine)
	rep, err := store.Copy(ctx, src, dst, m.Stderr)
	if len(rep.Tables) > 0 {
		m.printReport(rep)
	}
	if err != nil || *filesFrom == "" {
		return err
	}
	n, err := store.CopyFiles(ctx, src, blob.NewDir(*filesFrom), blob.NewDir(*filesTo), m.Stderr)
	fmt.Fprintf(m.Stdout, "files: %d copied and checked against their SHA-256\n", n)
	return err
}

// openSource opens the source, refusing a SQLite file that does not exist:
// opening it would create an empty database and copy nothing.
func openSource(ctx context.Context, dsn string) (*store.DB, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, apperr.NotFound("Không có tệp cơ sở dữ liệu nguồn "+path, "no source database file "+path)
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	return db, nil
}

// printReport prints the rows per table on both sides and the audit.
func (m *Main) printReport(rep store.CopyReport) {
	fmt.Fprintf(m.Stdout, "%-18s %14s %14s\n", "bảng (table)", "nguồn (source)", "đích (target)")
	for _, t := range rep.Tables {
		mark := "ok"
		if t.Source != t.Target {
			mark = "KHÁC / DIFFERENT"
		}
		fmt.Fprintf(m.Stdout, "%-18s %14d %14d  %s\n", t.Table, t.Source, t.Target, mark)
	}
	a := rep.Audit
	if a.Broken > 0 {
		fmt.Fprintf(m.Stdout, "audit: %d chains checked; BROKEN: %d, the first in dossier %s at event %d\n", a.Checked, a.Broken, a.FirstBroken, a.BrokenAt)
		return
	}
	fmt.Fprintf(m.Stdout, "audit: %d chains checked, %d events, all intact\n", a.Checked, a.Events)
	if rep.OK() {
		fmt.Fprintln(m.Stdout, "migrate-data: done, the copy matches (hoàn tất, dữ liệu khớp)")
	}
}
