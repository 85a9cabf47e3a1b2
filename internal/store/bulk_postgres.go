package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgTx is a batch's transaction on PostgreSQL, on the pgx connection under
// database/sql: tables without a conflict clause are loaded with COPY, the
// upserts with multi-row INSERTs.
type pgTx struct {
	db *DB
	tx pgx.Tx
}

// pgInTx runs fn in a transaction of one of the pool's connections.
func (db *DB) pgInTx(ctx context.Context, fn func(bulkTx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return normalize(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		return pgx.BeginFunc(ctx, dc.(*stdlib.Conn).Conn(), func(tx pgx.Tx) error {
			return fn(pgTx{db: db, tx: tx})
		})
	})
}

func (t pgTx) exec(ctx context.Context, q string) error {
	_, err := t.tx.Exec(ctx, q)
	return normalize(err)
}

func (t pgTx) insert(ctx context.Context, tb bulkTable, rows *rowBuf) error {
	w := width(tb.cols)
	r := &tapeReader{tape: rows.tape}
	if tb.suffix == "" {
		_, err := t.tx.CopyFrom(ctx, pgx.Identifier{tb.name}, columnNames(tb.cols), &copySource{r: r, left: rows.rows, row: make([]any, w)})
		return normalize(err)
	}
	per := max(1, 16000/w) // parameters of one INSERT: at most 65,535
	vals := make([]any, 0, min(rows.rows, per)*w)
	for left := rows.rows; left > 0; left -= per {
		n := min(left, per)
		vals = vals[:0]
		for range n * w {
			vals = append(vals, r.value())
		}
		if _, err := t.tx.Exec(ctx, t.db.q(insertSQL(tb.name, tb.cols, tb.suffix, w, n)), vals...); err != nil {
			return normalize(err)
		}
	}
	return nil
}

// copySource hands pgx's CopyFrom the tape's rows one at a time, in one
// reused slice: CopyFrom encodes each row before asking for the next.
type copySource struct {
	r    *tapeReader
	left int
	row  []any
}

func (s *copySource) Next() bool {
	if s.left == 0 {
		return false
	}
	s.left--
	for i := range s.row {
		s.row[i] = s.r.value()
	}
	return true
}

func (s *copySource) Values() ([]any, error) { return s.row, nil }
func (s *copySource) Err() error             { return nil }
