package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
)

// The running dues (table running_dues, migration 0023) count the dossiers
// received and still open by unit and by the hour their deadline falls in,
// so that indicator 2.1 of a period ending today reads a few rows per unit
// and the dossiers due in the current hour, not every open dossier. They
// are kept in the transaction of every write of a dossier (Create and
// write, which the calendar's recompute and the payments use too) and by
// the bulk loader, and rows that fall to zero are deleted: the hours go by,
// and the table holds only hours with open dossiers.

// hourMicros is an hour in the unit of due_at.
const hourMicros = 3_600_000_000

// Paused states of a running due.
const (
	dueRuns       = 0 // the clock runs: late once due_at passes
	duePausedOn   = 1 // waiting for the applicant, paused before its due time
	duePausedLate = 2 // waiting for the applicant, paused already late
)

// runningKey is the row of running_dues a dossier counts in; ok is false
// for a dossier that counts in none (closed, or without a deadline).
type runningKey struct {
	unit   string
	paused int
	hour   int64
	ok     bool
}

// runningKeyOf says where a dossier counts, as the index's recount does: an
// open dossier with a due time, paused or not.
func runningKeyOf(unit string, status dossier.Status, dueAt, pausedAt int64) runningKey {
	if !status.Open() || dueAt <= 0 {
		return runningKey{}
	}
	if !status.Paused() {
		return runningKey{unit, dueRuns, dueAt / hourMicros, true}
	}
	if dueAt < pausedAt {
		return runningKey{unit: unit, paused: duePausedLate, ok: true}
	}
	return runningKey{unit: unit, paused: duePausedOn, ok: true}
}

func runningKeyOfDossier(d *dossier.Dossier) runningKey {
	return runningKeyOf(d.UnitCode, d.Status, micros(d.DueAt), micros(d.PausedAt))
}

// moveRunning moves a dossier's count from the row it was in to the row it
// is in now, if they differ.
func moveRunning(ctx context.Context, tx *Tx, was, now runningKey) error {
	if was == now {
		return nil
	}
	if now.ok {
		if _, err := tx.exec(ctx, `INSERT INTO running_dues (unit_code, paused, due_hour, dossiers) VALUES (?, ?, ?, 1)
			ON CONFLICT (unit_code, paused, due_hour) DO UPDATE SET dossiers = running_dues.dossiers + 1`, now.unit, now.paused, now.hour); err != nil {
			return err
		}
	}
	if !was.ok {
		return nil
	}
	// One statement unless the row empties: on PostgreSQL each is a round trip.
	var left int64
	err := tx.queryRow(ctx, `UPDATE running_dues SET dossiers = dossiers - 1 WHERE unit_code = ? AND paused = ? AND due_hour = ? RETURNING dossiers`,
		was.unit, was.paused, was.hour).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // nothing to take the dossier from: never block its write over a count
	}
	if err != nil || left > 0 {
		return err
	}
	_, err = tx.exec(ctx, `DELETE FROM running_dues WHERE unit_code = ? AND paused = ? AND due_hour = ? AND dossiers = 0`,
		was.unit, was.paused, was.hour)
	return err
}

// indexRunning counts the dossiers of each unit's subtree received and
// still open now, and of them those not overdue (indicator 2.1 of a period
// that ends today or later): the running dues of the subtrees' units, all
// of whose hours before the current one are overdue, and the dossiers due
// in the current hour, read through the dossiers' (unit, status, due)
// index, for the exact time.
func (db *DB) indexRunning(ctx context.Context, units []string, out map[string]index.Facts) error {
	owners, err := db.subtreeOwners(ctx, units)
	if err != nil || len(owners) == 0 {
		return err
	}
	inner := make([]string, 0, len(owners))
	for x := range owners {
		inner = append(inner, x)
	}
	now := db.Now().UnixMicro()
	hour := now / hourMicros
	add := func(x string, running, late int64) {
		for _, u := range owners[x] {
			fa := out[u]
			fa.Running, fa.RunningOnTime = fa.Running+running, fa.RunningOnTime+running-late
			out[u] = fa
		}
	}
	err = db.foldQuery(ctx, `SELECT unit_code, SUM(dossiers), SUM(CASE WHEN paused = ? OR paused = ? AND due_hour < ? THEN dossiers ELSE 0 END)
		FROM running_dues WHERE unit_code IN (`+placeholders(len(inner))+`) GROUP BY unit_code`,
		append([]any{duePausedLate, dueRuns, hour}, codesArgs(inner)...), func(s scanner) error {
			var x string
			var n, late int64
			if err := s.Scan(&x, &n, &late); err != nil {
				return err
			}
			add(x, n, late)
			return nil
		})
	if err != nil {
		return err
	}
	return db.foldQuery(ctx, `SELECT unit_code, COUNT(*) FROM dossiers WHERE unit_code IN (`+placeholders(len(inner))+`)
		AND status IN (1, 2, 4) AND due_at >= ? AND due_at < ? GROUP BY unit_code`,
		append(codesArgs(inner), hour*hourMicros, now), func(s scanner) error {
			var x string
			var late int64
			if err := s.Scan(&x, &late); err != nil {
				return err
			}
			add(x, 0, late)
			return nil
		})
}

// subtreeOf joins to each unit u the units x of its subtree, as subtree
// selects one: the range on the path lets the index of paths find them,
// where an OR of the code and the path tested every pair of units.
const subtreeOf = `x.path >= u.path AND x.path < u.path || '0' AND (x.path = u.path OR x.path LIKE u.path || '/%')`

// subtreeOwners maps each unit of the subtrees of units to the units asked
// whose subtree holds it.
func (db *DB) subtreeOwners(ctx context.Context, units []string) (map[string][]string, error) {
	owners := map[string][]string{}
	err := db.foldQuery(ctx, `SELECT u.code, x.code FROM units u
		JOIN units x ON `+subtreeOf+` WHERE u.code IN (`+placeholders(len(units))+`)`, codesArgs(units), func(s scanner) error {
		var u, x string
		if err := s.Scan(&u, &x); err != nil {
			return err
		}
		owners[x] = append(owners[x], u)
		return nil
	})
	return owners, err
}

// RunningRows returns the running dues, keyed "unit|paused|hour", for
// checks against a recount of the dossiers.
func (db *DB) RunningRows(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.foldQuery(ctx, `SELECT unit_code, paused, due_hour, dossiers FROM running_dues`, nil, func(s scanner) error {
		var unit string
		var paused int
		var hour, n int64
		if err := s.Scan(&unit, &paused, &hour, &n); err != nil {
			return err
		}
		out[RunningRowKey(unit, paused, hour)] = n
		return nil
	})
	return out, err
}

// RunningRowKey names a row of RunningRows.
func RunningRowKey(unit string, paused int, hour int64) string {
	return fmt.Sprintf("%s|%d|%d", unit, paused, hour)
}
