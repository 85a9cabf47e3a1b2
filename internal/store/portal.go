package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// PortalSynced records that the national portal acknowledged a dossier's
// update. The first acknowledgement of a dossier counts it once, on that
// day, for indicator 1.4; later ones only move its last status. A repeated
// acknowledgement (a message sent again after a restart) changes nothing.
func (db *DB) PortalSynced(ctx context.Context, code, unitCode string, status int, at time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO portal_sync (dossier_code, unit_code, last_status, first_at, last_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (dossier_code) DO NOTHING`, code, unitCode, status, at.UnixMicro(), at.UnixMicro())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			_, err := tx.exec(ctx, `UPDATE portal_sync SET last_status = ?, last_at = ? WHERE dossier_code = ? AND last_at <= ?`,
				status, at.UnixMicro(), code, at.UnixMicro())
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO portal_sync_days (unit_code, day, synced) VALUES (?, ?, 1)
			ON CONFLICT (unit_code, day) DO UPDATE SET synced = portal_sync_days.synced + 1`, unitCode, stats.Day(at))
		return err
	})
}

// PortalSyncedCount is the number of dossiers of the unit and the units
// below it first acknowledged by the portal from one date to another
// (inclusive, YYYY-MM-DD): the numerator of indicator 1.4.
func (db *DB) PortalSyncedCount(ctx context.Context, unitCode, from, to string) (int64, error) {
	path, err := db.unitPathOf(ctx, unitCode)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.queryRow(ctx, `SELECT COALESCE(SUM(synced), 0) FROM portal_sync_days WHERE day >= ? AND day <= ?
		AND unit_code IN (SELECT code FROM units WHERE code = ? OR path LIKE ?)`, from, to, unitCode, path+"/%").Scan(&n)
	return n, err
}
