package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/store"
)

// backup writes a consistent copy of the SQLite database while the server
// keeps running.
func (m *Main) backup(ctx context.Context, args []string) error {
	pos, err := m.withDB(ctx, "backup", args, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 {
		return fmt.Errorf("usage: motcua backup FILE")
	}
	if err := m.DB.Backup(ctx, pos[0]); err != nil {
		return err
	}
	st, err := os.Stat(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backup: %s (%d bytes), checked (đã sao lưu và kiểm tra)\n", pos[0], st.Size())
	return nil
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
