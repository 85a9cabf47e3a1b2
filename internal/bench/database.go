package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/store"
)

// target is the fresh database a run works on.
type target struct {
	engine string
	dsn    string   // what store.Open and the ceiling open
	serve  []string // the serve command's flags that select it
	where  string   // where it is, for the user
	drop   func(context.Context) error
}

// freshTarget creates an empty database: a SQLite file in dir (a new
// temporary directory when dir is empty), or a new database on the
// PostgreSQL server of serverURL.
func freshTarget(ctx context.Context, dir, serverURL string) (*target, error) {
	if serverURL != "" {
		return freshPostgres(ctx, serverURL)
	}
	return freshSQLite(dir)
}

func freshSQLite(dir string) (*target, error) {
	created := false
	if dir == "" {
		d, err := os.MkdirTemp("", "motcua-bench-")
		if err != nil {
			return nil, err
		}
		dir, created = d, true
	} else if _, err := os.Stat(filepath.Join(dir, "motcua.db")); err == nil {
		return nil, fmt.Errorf("%s already holds a database: the benchmark needs a fresh data directory", dir)
	} else if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
		created = true
	}
	file := filepath.Join(dir, "motcua.db")
	drop := func(context.Context) error {
		if created {
			return os.RemoveAll(dir)
		}
		var err error
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if e := os.Remove(file + suffix); e != nil && !errors.Is(e, os.ErrNotExist) {
				err = errors.Join(err, e)
			}
		}
		return err
	}
	return &target{engine: store.SQLite, dsn: file, serve: []string{"--data", dir}, where: dir, drop: drop}, nil
}

// freshPostgres creates motcua_bench_<random> on the server and returns
// its address; drop removes it.
func freshPostgres(ctx context.Context, serverURL string) (*target, error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "motcua_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create the benchmark database: %w", err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		admin.Close()
		return nil, err
	}
	u.Path = "/" + name
	drop := func(ctx context.Context) error {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return &target{engine: store.Postgres, dsn: u.String(), serve: []string{"--db", u.String()}, where: u.Redacted(), drop: drop}, nil
}

// existingTarget is a database a previous run kept: the SQLite file in
// dir, or the PostgreSQL database at dsn. It is never dropped.
func existingTarget(dir, dsn string) (*target, error) {
	keep := func(context.Context) error { return nil }
	if dsn != "" {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, err
		}
		if strings.Trim(u.Path, "/") == "" {
			return nil, errors.New("give the kept database's address, with its name (postgres://.../motcua_bench_...)")
		}
		return &target{engine: store.Postgres, dsn: dsn, serve: []string{"--db", dsn}, where: u.Redacted(), drop: keep}, nil
	}
	if dir == "" {
		return nil, errors.New("give the kept register's data directory (-data DIR)")
	}
	file := filepath.Join(dir, "motcua.db")
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("no kept register in %s: %w", dir, err)
	}
	return &target{engine: store.SQLite, dsn: file, serve: []string{"--data", dir}, where: dir, drop: keep}, nil
}

// count returns the rows of a table.
func (t *target) count(ctx context.Context, table string) (int, error) {
	driver, dsn := "pgx", t.dsn
	if t.engine == store.SQLite {
		driver, dsn = "sqlite", "file:"+t.dsn+"?mode=ro"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// size returns the database's size on disk.
func (t *target) size(ctx context.Context) (int64, error) {
	if t.engine == store.Postgres {
		db, err := sql.Open("pgx", t.dsn)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		var n int64
		err = db.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	}
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(t.dsn + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}
