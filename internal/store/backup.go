package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/internal/apperr"
)

// Backup writes a consistent copy of the SQLite database to path while the
// database stays in use: VACUUM INTO reads one snapshot, so writers go on
// and the copy holds whole transactions only. The copy is written under a
// temporary name, checked and synced, then renamed, so that path never
// holds a half-written file. PostgreSQL is backed up with its own tools.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Engine != SQLite {
		return apperr.New(apperr.EINVALID,
			"Lệnh backup chỉ dùng cho SQLite; với PostgreSQL hãy sao lưu bằng pg_dump (khôi phục bằng pg_restore)",
			"backup is for SQLite only; back up PostgreSQL with pg_dump (restore with pg_restore)")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return apperr.New(apperr.ECONFLICT, "Tệp "+path+" đã tồn tại; hãy chọn tên khác",
			path+" already exists; choose another name")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := tempName(path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if err := db.vacuumInto(ctx, tmp); err != nil {
		return err
	}
	if err := checkCopy(ctx, tmp); err != nil {
		return err
	}
	// The copy holds personal data and password hashes: readable by the
	// owner only, whatever the umask.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// Best effort: the rename survives a power cut once the folder is
	// synced, which not every system allows.
	_ = syncFile(filepath.Dir(path))
	return nil
}

func tempName(path string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return path + ".tmp-" + hex.EncodeToString(b), nil
}

// vacuumInto runs VACUUM INTO on a connection of its own: the read pool is
// query-only, which SQLite counts VACUUM INTO against, and the single writer
// must stay free for the server's writes during a long copy.
func (db *DB) vacuumInto(ctx context.Context, dest string) error {
	var seq int
	var name, file string
	if err := db.read.QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		return fmt.Errorf("backup: find the database file: %w", err)
	}
	if file == "" {
		return errors.New("backup: the database has no file (in memory)")
	}
	conn, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("backup: %w", normalize(err))
	}
	return nil
}

// checkCopy opens the copy read-only and runs SQLite's quick check, so that
// a backup that could not be restored is reported now rather than on the
// day it is needed.
func checkCopy(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return fmt.Errorf("backup: check the copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("backup: the copy failed its check: %s", res)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
