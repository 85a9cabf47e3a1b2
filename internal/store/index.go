package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
	"golang.org/x/sync/errgroup"
)

// The service index reads the same sums as the dashboard (rollup_sums.go),
// grouped by the units asked for, the portal's day counts, two counts of
// the catalogue and the entries: its cost grows with the units and months
// it shows, never with the dossiers.

// IndexFacts returns the facts of the index of each unit (its subtree)
// from one date to another (inclusive, YYYY-MM-DD).
func (db *DB) IndexFacts(ctx context.Context, units []string, from, to string) (map[string]index.Facts, error) {
	out := map[string]index.Facts{}
	if len(units) == 0 {
		return out, nil
	}
	var procs, online int64
	if err := db.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN online_mode <> 'none' THEN 1 ELSE 0 END), 0)
		FROM procedures WHERE active = 1`).Scan(&procs, &online); err != nil {
		return nil, err
	}
	for _, u := range units {
		out[u] = index.Facts{Totals: make(map[string]int64, len(stats.Metrics)), Procedures: procs, ProceduresOnline: online, Entries: map[string]index.Count{}}
	}
	// The running dues of a period that ends today are read beside the
	// rest, on another connection: on an idle server the second CPU halves
	// the wait of the costliest index, today's.
	running := map[string]index.Facts{}
	var g errgroup.Group
	if to >= stats.Day(db.Now()) {
		g.Go(func() error { return db.indexRunning(ctx, units, running) })
	}
	err := db.indexTotals(ctx, units, from, to, out)
	if err == nil {
		err = db.indexPortal(ctx, units, from, to, out)
	}
	if err == nil {
		err = db.indexOnlineUsed(ctx, units, from, to, out)
	}
	if err == nil {
		err = db.indexPetitions(ctx, units, from, to, out)
	}
	if err == nil {
		err = db.indexEntries(ctx, units, from, to, out)
	}
	if err == nil {
		err = db.indexReuse(ctx, units, from, to, out)
	}
	if err := errors.Join(err, g.Wait()); err != nil {
		return nil, err
	}
	for u, r := range running {
		fa := out[u]
		fa.Running, fa.RunningOnTime = r.Running, r.RunningOnTime
		out[u] = fa
	}
	return out, nil
}

func placeholders(n int) string { return "?" + strings.Repeat(", ?", n-1) }

func codesArgs(units []string) []any {
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	return args
}

// indexTotals adds up the sums of each unit: whole months as months, the
// ends as days (see segments); the days before yesterday from the sums kept
// in memory (sums_cache.go), the days since from the table.
func (db *DB) indexTotals(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	cut, err := db.cutPeriod(ctx, from, to)
	if err != nil {
		return err
	}
	var segs []segment
	if cut.pastFrom != "" {
		if segs, err = pastSegments(cut.pastFrom, cut.pastTo); err != nil {
			return err
		}
	}
	cached := len(segs) // segs[:cached] end before the live days
	if cut.liveFrom != "" {
		rest, err := segments(cut.liveFrom, cut.liveTo)
		if err != nil {
			return err
		}
		segs = append(segs, rest...)
	}
	for i, sg := range segs {
		sums, err := db.segmentSums(ctx, units, sg, cut.epoch, i < cached)
		if err != nil {
			return err
		}
		for unit, u := range sums {
			fa := out[unit]
			fa.Online += u.online * sg.sign
			for i, m := range stats.Metrics {
				fa.Totals[m] += u.vals[i] * sg.sign
			}
			out[unit] = fa
		}
	}
	return nil
}

// indexPortal counts the dossiers of each unit's subtree first
// acknowledged by the national portal (indicator 1.4).
func (db *DB) indexPortal(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	return db.foldQuery(ctx, `SELECT u.code, COALESCE(SUM(p.synced), 0) FROM units u
		JOIN units x ON `+subtreeOf+`
		JOIN portal_sync_days p ON p.unit_code = x.code
		WHERE u.code IN (`+placeholders(len(units))+`) AND p.day >= ? AND p.day <= ? GROUP BY u.code`,
		append(codesArgs(units), from, to), func(s scanner) error {
			var unit string
			var n int64
			if err := s.Scan(&unit, &n); err != nil {
				return err
			}
			fa := out[unit]
			fa.PortalSynced = n
			out[unit] = fa
			return nil
		})
}

// runningLate says which open, received dossiers are overdue now (the
// first argument): a dossier waiting for its applicant keeps the due time it
// had when it paused, moved on when it resumes, so it is late if it paused
// already late.
const runningLate = `d.status IN (1, 2, 4, 5, 6) AND d.due_at > 0 AND
	(d.status IN (5, 6) AND d.due_at < d.paused_at OR d.status NOT IN (5, 6) AND d.due_at < ?)`

// indexEntries adds up the entries of each unit itself over the months the
// range touches: an entry is made for a month, and a unit above enters its
// own (the entries of the units below are theirs).
func (db *DB) indexEntries(ctx context.Context, units []string, from, to string, out map[string]index.Facts) error {
	return db.foldQuery(ctx, `SELECT unit_code, indicator, SUM(numerator), SUM(denominator) FROM index_entries
		WHERE unit_code IN (`+placeholders(len(units))+`) AND period >= ? AND period <= ? GROUP BY unit_code, indicator`,
		append(codesArgs(units), from[:7], to[:7]), func(s scanner) error {
			var unit, ind string
			var c index.Count
			if err := s.Scan(&unit, &ind, &c.Numerator, &c.Denominator); err != nil {
				return err
			}
			out[unit].Entries[ind] = c
			return nil
		})
}

// IndexEntry is an indicator entered by hand for a unit and a month.
type IndexEntry struct {
	UnitCode    string    `json:"unit"`
	Period      string    `json:"period"` // YYYY-MM
	Indicator   string    `json:"indicator"`
	Numerator   int64     `json:"numerator"`
	Denominator int64     `json:"denominator"`
	Note        string    `json:"note"`
	EnteredBy   string    `json:"entered_by"`
	EnteredAt   time.Time `json:"entered_at"`
}

// Validate checks an entry against the weights in force in its month.
func (e *IndexEntry) Validate() error {
	t, err := time.Parse("2006-01", e.Period)
	if err != nil {
		return apperr.Invalid("period", "Kỳ phải có dạng YYYY-MM", "period must be YYYY-MM")
	}
	v, err := index.At(index.Versions, t.AddDate(0, 1, -1).Format("2006-01-02"))
	if err != nil {
		return apperr.Invalid("period", "Không có bộ chỉ số áp dụng cho kỳ này", "no weights are in force for this period")
	}
	if _, ok := v.Find(e.Indicator); !ok {
		return apperr.Invalid("indicator", "Không có chỉ số "+e.Indicator, "no indicator "+e.Indicator)
	}
	if e.Denominator <= 0 || e.Numerator < 0 || e.Numerator > e.Denominator {
		return apperr.Invalid("numerator", "Tử số phải từ 0 đến mẫu số, mẫu số phải lớn hơn 0", "the numerator must be from 0 to the denominator, which must be positive")
	}
	if len(e.Note) > 2000 {
		return apperr.Invalid("note", "Ghi chú quá dài", "the note is too long")
	}
	return nil
}

// SaveIndexEntry records an entry, replacing the unit's entry of the same
// indicator and month, and appends it to the log in the same transaction.
func (db *DB) SaveIndexEntry(ctx context.Context, e IndexEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if _, err := db.Unit(ctx, e.UnitCode); err != nil {
		return err
	}
	at := e.EnteredAt.UnixMicro()
	return db.inTx(ctx, func(tx *Tx) error {
		args := []any{e.UnitCode, e.Period, e.Indicator, e.Numerator, e.Denominator, e.Note, e.EnteredBy, at}
		if _, err := tx.exec(ctx, `INSERT INTO index_entries (unit_code, period, indicator, numerator, denominator, note, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_code, period, indicator) DO UPDATE SET numerator = excluded.numerator,
			denominator = excluded.denominator, note = excluded.note, entered_by = excluded.entered_by, entered_at = excluded.entered_at`, args...); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO index_entry_log (unit_code, period, indicator, numerator, denominator, note, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		return err
	})
}

// IndexEntryLog lists every entry made for a unit, newest first.
func (db *DB) IndexEntryLog(ctx context.Context, unitCode string) ([]IndexEntry, error) {
	var out []IndexEntry
	err := db.foldQuery(ctx, `SELECT unit_code, period, indicator, numerator, denominator, note, entered_by, entered_at
		FROM index_entry_log WHERE unit_code = ? ORDER BY id DESC`, []any{unitCode}, func(s scanner) error {
		var e IndexEntry
		var at int64
		if err := s.Scan(&e.UnitCode, &e.Period, &e.Indicator, &e.Numerator, &e.Denominator, &e.Note, &e.EnteredBy, &at); err != nil {
			return err
		}
		e.EnteredAt = time.UnixMicro(at).UTC()
		out = append(out, e)
		return nil
	})
	return out, err
}
