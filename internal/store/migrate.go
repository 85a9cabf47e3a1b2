package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/stats"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies the migrations of the engine's folder that the database
// has not seen, each in its own transaction. Both folders carry the same
// version numbers.
func (db *DB) Migrate(ctx context.Context) error {
	if db.Engine == Postgres {
		// Servers started together on an empty database would race to create
		// the same tables: the first to take this lock migrates, the others
		// wait and then find nothing to do.
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7207001)`); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7207001)`)
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, err := fs.Glob(migrations, "migrations/"+db.Engine+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		name := f[strings.LastIndexByte(f, '/')+1:]
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", name)
		}
		if err := db.applyMigration(ctx, v, name, f); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, v int, name, file string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		body, err := migrations.ReadFile(file)
		if err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if after := afterMigration[v]; after != nil {
			if err := after(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
		}
		if _, err = tx.exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, v, name); err != nil || v < sumsEpochVersion {
			return err
		}
		// A migration may rewrite past days' sums: servers read them again.
		_, err = tx.exec(ctx, bumpSumsEpoch)
		return err
	})
}

// afterMigration is Go work that a migration needs once its SQL ran, in
// the same transaction: filling a derived table from existing rows.
var afterMigration = map[int]func(ctx context.Context, tx *Tx) error{
	// the sums of roll-ups written before they existed, of the metrics
	// that had columns then (0007 added result_electronic)
	4: func(ctx context.Context, tx *Tx) error {
		return rebuildSumsOf(ctx, tx, stats.Metrics[:slices.Index(stats.Metrics, stats.ResultElectronic)])
	},
	// the days with a dossier received online, from the roll-ups
	23: rebuildOnlineDays,
}

// Version returns the newest migration applied.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
