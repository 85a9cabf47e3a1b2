package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/portal"

	"github.com/motcua/motcua/internal/stats"
)

// PortalSynced records that the national portal acknowledged version seq
// of a dossier's update. The first acknowledgement of a dossier counts it
// once, on that day, for indicator 1.4; later ones move its last status
// only when newer, so that an old update sent again (a dead message retried
// after newer ones went) does not take it back. A repeated acknowledgement
// changes nothing.
func (db *DB) PortalSynced(ctx context.Context, code, unitCode string, status, seq int, at time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO portal_sync (dossier_code, unit_code, last_status, last_seq, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (dossier_code) DO NOTHING`, code, unitCode, status, seq, at.UnixMicro(), at.UnixMicro())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			_, err := tx.exec(ctx, `UPDATE portal_sync SET last_status = ?, last_seq = ?, last_at = ? WHERE dossier_code = ? AND last_seq < ?`,
				status, seq, at.UnixMicro(), code, seq)
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

// PortalStatus is the last status the portal took for a dossier, and its
// version; 0, 0 when it took none.
func (db *DB) PortalStatus(ctx context.Context, code string) (status, seq int, err error) {
	err = db.queryRow(ctx, `SELECT last_status, last_seq FROM portal_sync WHERE dossier_code = ?`, code).Scan(&status, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return status, seq, err
}

// portalMessages is the producer of the national portal's updates: only
// while the installation has the portal's channel turned on.
func portalMessages(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error) {
	m, ok := portal.Message(d, ev)
	if !ok {
		return nil, nil
	}
	on, err := channelOn(ctx, tx, portal.Channel)
	if err != nil || !on {
		return nil, err
	}
	return []outbox.Message{m}, nil
}
