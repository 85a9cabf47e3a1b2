package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua/internal/store"
)

// periodic runs fn every period on one of the servers (the job_locks row
// name, held for lease), until ctx ends; a failure is logged and tried again
// at the next period.
func (m *Main) periodic(ctx context.Context, name string, every, lease time.Duration, log *slog.Logger, fn func(ctx context.Context) error) {
	holder := store.Holder()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		_, err := m.DB.RunOnce(ctx, name, holder, lease, fn)
		if err != nil && ctx.Err() == nil {
			log.Error(name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
