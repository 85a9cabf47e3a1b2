// Package storetest opens fresh databases for tests: a SQLite file in the
// test's temporary directory always, and a PostgreSQL database of its own
// when MOTCUA_TEST_POSTGRES names a server. Each database is dropped when
// the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver

	"github.com/motcua/motcua/internal/store"
)

// Engines returns the engines the tests run on here.
func Engines() []string {
	if os.Getenv("MOTCUA_TEST_POSTGRES") != "" {
		return []string{store.SQLite, store.Postgres}
	}
	return []string{store.SQLite}
}

// DSN returns the address of a fresh, empty database on engine, dropped at
// the end of the test.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "motcua.db")
	}
	return PostgresDSN(t, "")
}

// PostgresDSN returns the address of a fresh PostgreSQL database created
// with options (CREATE DATABASE's, e.g. a collation), dropped at the end of
// the test.
func PostgresDSN(t testing.TB, options string) string {
	t.Helper()
	server := os.Getenv("MOTCUA_TEST_POSTGRES")
	if server == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set: PostgreSQL tests skipped")
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "motcua_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" "+options); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open opens a fresh database on engine, closed at the end of the test.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, engine))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs f as a subtest on every engine.
func Each(t *testing.T, f func(t *testing.T, engine string)) {
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) { f(t, e) })
	}
}
