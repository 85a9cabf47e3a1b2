package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua/internal/report"
)

// reportEvery is how often a server checks whether a monthly report is due:
// the first working day of a month differs between units' calendars.
const reportEvery = time.Hour

// monthlyReports writes last month's reports on the first working day of
// each month, on one of the servers, until ctx ends. The reports table's
// key keeps them to one per unit and month even if two servers ran at once.
func (m *Main) monthlyReports(ctx context.Context, job *report.Monthly, log *slog.Logger) {
	m.periodic(ctx, "monthly-report", reportEvery, reportEvery-5*time.Minute, log, func(ctx context.Context) error {
		n, err := job.Run(ctx)
		if n > 0 {
			log.Info("monthly reports written", "reports", n)
		}
		return err
	})
}
