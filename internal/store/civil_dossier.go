package store

import (
	"context"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
)

// civilFromDossier is the producer that registers a finished birth,
// marriage or death dossier: when the dossier reaches its result (đã xử lý
// xong), a draft record pre-filled from it is created in the unit's
// electronic book of the kind for the year, in the dossier's own
// transaction, so that it is kept or lost with the change. The dossier
// code is unique on records: a second pass creates nothing.
func civilFromDossier(ctx context.Context, tx *Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error) {
	if ev.ToStatus != dossier.StatusDone || ev.FromStatus == dossier.StatusDone {
		return nil, nil
	}
	at := ev.At.UTC().Truncate(time.Microsecond)
	r, ok := civil.DraftFromDossier(d, at)
	if !ok {
		return nil, nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM civil_records WHERE dossier_code = ?`, d.Code).Scan(&n); err != nil || n > 0 {
		return nil, normalize(err)
	}
	book, err := electronicBook(ctx, tx, d.UnitCode, r.Kind, at.In(calendar.Zone))
	if err != nil {
		return nil, err
	}
	r.BookID = book
	e := civil.Event{Action: "from_dossier", Actor: ev.Actor, ActorName: ev.ActorName, ActorRole: ev.ActorRole, ActorUnit: ev.ActorUnit,
		At: at, ToStatus: statusOf(r.Status), Note: "Tạo từ hồ sơ " + d.Code}
	return nil, createCivilRecord(ctx, tx, r, e)
}
