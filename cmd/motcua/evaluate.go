package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/store"
)

// evaluateEvery is how often the evaluation job looks for ended periods; a
// period's snapshot is written once per round by one server.
const evaluateEvery = 6 * time.Hour

// evaluateMonthly keeps, for every unit with officers, the evaluation of the
// month (and quarter) that ended, until ctx ends. Rounds repeat the snapshot
// with the leaders' later entries, which the live pages show anyway.
func (m *Main) evaluateMonthly(ctx context.Context, log *slog.Logger) {
	holder := store.Holder()
	tick := time.NewTicker(evaluateEvery)
	defer tick.Stop()
	es := store.Evaluations{DB: m.DB}
	svc := &evaluation.Service{Store: es, Now: time.Now}
	for {
		_, err := m.DB.RunOnce(ctx, "evaluations", holder, evaluateEvery-10*time.Minute, func(ctx context.Context) error {
			units, err := es.EvaluatedUnits(ctx)
			for _, u := range units {
				for _, p := range evaluation.Ended(time.Now()) {
					err = errors.Join(err, svc.Snapshot(ctx, u, p))
				}
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("evaluations", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
