package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// FileRef is a file the attachments (or archived attachments) name. Bound is true when a dossier
// holds it; a file named by pending uploads only may be purged at any time.
type FileRef struct {
	SHA256 string
	Bound  bool
}

// Facts are what a backup records of its database, read in the same
// snapshot as the copy: the schema version, the rows of each table and the
// files the attachments name, in the working tables and the archive.
type Facts struct {
	Version int
	Counts  map[string]int64
	Files   []FileRef
}

// querier is a connection or a transaction that reads.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readFacts reads the facts with plain SQL that both engines take.
func readFacts(ctx context.Context, q querier) (Facts, error) {
	f := Facts{Counts: map[string]int64{}}
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&f.Version); err != nil {
		return f, fmt.Errorf("schema version: %w", err)
	}
	for _, t := range copyTables {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
			return f, fmt.Errorf("count %s: %w", t.name, err)
		}
		f.Counts[t.name] = n
	}
	// Archived dossiers keep their files: their rows, moved to the archive,
	// always have a dossier, so they count as bound; so do petitions' files.
	rows, err := q.QueryContext(ctx, `SELECT sha256, MAX(bound) FROM (
		SELECT sha256, CASE WHEN dossier_id IS NULL THEN 0 ELSE 1 END AS bound FROM attachments
		UNION ALL SELECT sha256, 1 FROM attachments_archive
		UNION ALL SELECT sha256, 1 FROM petition_files
		UNION ALL SELECT scan_sha256, 1 FROM civil_records WHERE scan_sha256 <> '') AS files
		GROUP BY sha256 ORDER BY sha256`)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var r FileRef
		var bound int
		if err := rows.Scan(&r.SHA256, &bound); err != nil {
			return f, err
		}
		r.Bound = bound == 1
		f.Files = append(f.Files, r)
	}
	return f, rows.Err()
}

// ReadFacts reads the facts of the database at dsn without migrating it or
// writing to it: a SQLite file is opened read-only.
func ReadFacts(ctx context.Context, dsn string) (Facts, error) {
	driver, src := "pgx", dsn
	if !isPostgresURL(dsn) {
		driver, src = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?mode=ro"
	}
	conn, err := sql.Open(driver, src)
	if err != nil {
		return Facts{}, err
	}
	defer conn.Close()
	return readFacts(ctx, conn)
}

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// LatestVersion is the newest migration this program knows.
func LatestVersion() int {
	files, _ := fs.Glob(migrations, "migrations/"+SQLite+"/*.sql")
	v := 0
	for _, f := range files {
		name := f[strings.LastIndexByte(f, '/')+1:]
		if n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0]); err == nil && n > v {
			v = n
		}
	}
	return v
}

// DumpPostgres runs pg_dump (custom format) of the database at dsn into
// path and returns the facts read in the same snapshot: a transaction
// exports its snapshot, pg_dump reads that one, and the counts and files
// are read in it too, so that the dump names exactly the files listed.
func (db *DB) DumpPostgres(ctx context.Context, dsn, path string) (Facts, error) {
	if db.Engine != Postgres {
		return Facts{}, fmt.Errorf("dump: not a PostgreSQL database")
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return Facts{}, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Facts{}, err
	}
	defer tx.Rollback() // read-only: nothing to keep
	var snap string
	if err := tx.QueryRowContext(ctx, `SELECT pg_export_snapshot()`).Scan(&snap); err != nil {
		return Facts{}, fmt.Errorf("dump: export the snapshot: %w", err)
	}
	facts, err := readFacts(ctx, tx)
	if err != nil {
		return facts, err
	}
	return facts, PgTool(ctx, "pg_dump", dsn, "--format=custom", "--no-owner", "--no-privileges", "--snapshot="+snap, "--file="+path)
}

// PgTool runs one of PostgreSQL's programs (pg_dump, pg_restore) on the
// database at dsn. The password goes through the environment, not the
// command line, where every user of the machine could read it.
func PgTool(ctx context.Context, tool, dsn string, args ...string) error {
	if _, err := exec.LookPath(tool); err != nil {
		return fmt.Errorf("%s is not installed (PostgreSQL's client programs, e.g. Debian's postgresql-client): %w", tool, err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("%s: the database URL: %w", tool, err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, tool, append(args, "--dbname="+u.String())...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// IsEmptyPostgres tells whether the database at dsn has no tables: the only
// kind of database a dump is restored into.
func IsEmptyPostgres(ctx context.Context, dsn string) (bool, error) {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var n int
	err = conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&n)
	return n == 0, err
}
