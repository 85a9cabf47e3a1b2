package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/store"
)

// Retention: dossiers that ended more than this many years ago move to the
// archive, once a day, unless the setting is 0.
const (
	defaultArchiveYears = 10
	archiveEvery        = 24 * time.Hour
	archiveBatch        = 500
)

// archiveFlag adds serve's --archive-after-years, defaulting to
// $MOTCUA_ARCHIVE_AFTER_YEARS, else to defaultArchiveYears.
func archiveFlag(fs *flag.FlagSet) *int {
	def := defaultArchiveYears
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_ARCHIVE_AFTER_YEARS")); err == nil {
		def = v
	}
	return fs.Int("archive-after-years", def,
		"move dossiers that ended more than N years ago to the archive, once a day; 0 = never ($MOTCUA_ARCHIVE_AFTER_YEARS)")
}

func checkYears(flagName string, n int, zeroOK bool) error {
	if n < 0 || n == 0 && !zeroOK || n > 100 {
		return apperr.Invalid(flagName, "Số năm phải từ 1 đến 100", "the number of years must be from 1 to 100")
	}
	return nil
}

// archiveCutoff is the end time before which a dossier is archived.
func archiveCutoff(now time.Time, years int) time.Time { return now.AddDate(-years, 0, 0) }

// archive is "motcua archive --older-than-years N": one run, now.
func (m *Main) archive(ctx context.Context, args []string) error {
	var years, batch int
	if _, err := m.withDB(ctx, "archive", args, func(fs *flag.FlagSet) {
		fs.IntVar(&years, "older-than-years", 0, "move the dossiers that ended more than N years ago (required)")
		fs.IntVar(&batch, "batch", archiveBatch, "dossiers moved per transaction")
	}); err != nil {
		return err
	}
	defer m.Close()
	if err := checkYears("older-than-years", years, false); err != nil {
		return err
	}
	if batch < 1 || batch > 10000 {
		return apperr.Invalid("batch", "Cỡ lô phải từ 1 đến 10000", "the batch size must be from 1 to 10000")
	}
	before := archiveCutoff(m.DB.Now(), years)
	rep, err := m.DB.ArchiveFinished(ctx, before, batch)
	fmt.Fprintf(m.Stdout, "archive: %d dossiers that ended before %s moved (%d events, %d files) in %d transactions\n",
		rep.Dossiers, before.Format("2006-01-02"), rep.Events, rep.Attachments, rep.Batches)
	return err
}

// archiveDaily runs the archive once a day on one of the servers, until ctx
// ends; years 0 turns it off.
func (m *Main) archiveDaily(ctx context.Context, years int, log *slog.Logger) {
	if years <= 0 {
		return
	}
	holder := store.Holder()
	tick := time.NewTicker(archiveEvery)
	defer tick.Stop()
	for {
		_, err := m.DB.RunOnce(ctx, "archive", holder, archiveEvery-time.Hour, func(ctx context.Context) error {
			rep, err := m.DB.ArchiveFinished(ctx, archiveCutoff(m.DB.Now(), years), archiveBatch)
			if rep.Dossiers > 0 {
				log.Info("dossiers archived", "dossiers", rep.Dossiers, "events", rep.Events, "files", rep.Attachments, "after_years", years)
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("archive", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
