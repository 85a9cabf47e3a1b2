package storetest

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

// RollupsMatchRecount compares every stored roll-up with a recount from the
// dossiers themselves, and says where the first one differs.
func RollupsMatchRecount(ctx context.Context, db *store.DB) error {
	want, err := Recount(ctx, db)
	if err != nil {
		return err
	}
	got, err := db.RollupRows(ctx)
	if err != nil {
		return err
	}
	// Both ways: a count the recount finds must be stored, and a stored
	// count the recount does not find (zero rows aside) must not be.
	for _, pair := range [][2]map[stats.Key]map[string]int64{{want, got}, {got, want}} {
		for k, counts := range pair[0] {
			for m, n := range counts {
				if n != 0 && pair[1][k][m] != n {
					return fmt.Errorf("roll-up %v %s: recount %d, stored %d", k, m, want[k][m], got[k][m])
				}
			}
		}
	}
	return nil
}

// Recount derives every roll-up from the dossiers' own fields and history.
func Recount(ctx context.Context, db *store.DB) (map[stats.Key]map[string]int64, error) {
	st := store.Dossiers{DB: db}
	ds, _, err := st.List(ctx, dossier.Filter{Limit: 1 << 30}, dossier.Scope{All: true})
	if err != nil {
		return nil, err
	}
	out := map[stats.Key]map[string]int64{}
	add := func(d *dossier.Dossier, at time.Time, m string) {
		if at.IsZero() {
			return
		}
		k := stats.Key{UnitCode: d.UnitCode, ProcedureCode: d.ProcedureCode, Day: stats.Day(at), Channel: d.Channel}
		if out[k] == nil {
			out[k] = map[string]int64{}
		}
		out[k][m]++
	}
	for i := range ds {
		d, err := st.Get(ctx, ds[i].Code)
		if err != nil {
			return nil, err
		}
		add(d, d.SubmittedAt, stats.Submitted)
		add(d, d.ReceivedAt, stats.Received)
		if len(d.Reused) > 0 {
			add(d, d.ReceivedAt, stats.ReceivedReused)
		}
		add(d, d.ReturnedAt, stats.Returned)
		add(d, d.ExtendedAt, stats.Extended)
		switch d.Status {
		case dossier.StatusRefused:
			add(d, d.FinishedAt, stats.Refused)
		case dossier.StatusWithdrawn:
			add(d, d.FinishedAt, stats.Withdrawn)
		case dossier.StatusStopped:
			add(d, d.FinishedAt, stats.Stopped)
		}
		if d.Outcome != "" {
			add(d, d.FinishedAt, map[string]string{"early": stats.FinishedEarly, "on_time": stats.FinishedOnTime, "late": stats.FinishedLate}[d.Outcome])
		}
		if (d.Outcome == "early" || d.Outcome == "on_time") && d.SupplementCount > 1 {
			add(d, d.FinishedAt, stats.FinishedResupplied)
		}
		if d.Result.Electronic() {
			add(d, d.FinishedAt, stats.ResultElectronic)
		}
		if d.Rating != 0 {
			add(d, d.RatedAt, map[int]string{dossier.RatingVery: stats.RatedVery, dossier.RatingOK: stats.RatedOK, dossier.RatingBad: stats.RatedBad}[d.Rating])
		}
		for _, e := range d.History {
			if e.Action == dossier.ActSubmit && e.ToStatus == dossier.StatusSupplement || e.Action == dossier.ActRequestSupplement {
				add(d, e.At, stats.SupplementRequests)
			}
			if e.Action == dossier.ActConfirmPayment {
				add(d, e.At, stats.Paid)
			}
		}
	}
	return out, nil
}
