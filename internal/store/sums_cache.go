package store

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

// The sums of days before yesterday do not change as dossiers move: an
// event counts on the day it happens (dossier.go), so only today's rows,
// and yesterday's for a transaction that straddled midnight, take writes.
// The index reads the same past months and days for every request of a
// period (the ranking reads a year and the year before for every unit
// below a province), so a server keeps what it read of them, by segment
// and units, and reads the rows only of the days since.
//
// The online days (indicator 3.2) follow the same rule: a bit is set on
// the day a dossier is received online; the procedures each unit used
// online before yesterday are kept the same way (index_online.go).
//
// What else writes the sums moves sums_epoch (migration 0038) in the same
// transaction, and a read checks it first: a sum written for a day other
// than the writer's today (addSums), the bulk loader, a rebuild (units
// moved), a migration. A server that read the epoch before such a write
// committed may keep rows read before it under the old epoch; the next
// read sees the new epoch and reads them again.

// sumsCacheMax bounds the entries kept: each is a segment's sums of one
// set of units (a province's communes: 126 × 18 numbers); the periods
// leaders ask for are few, and a full cache starts again empty.
const sumsCacheMax = 512

// unitSums is a unit's sums over a segment: the metrics in the order of
// stats.Metrics, and the dossiers received online.
type unitSums struct {
	online int64
	vals   []int64
}

// sumsCache holds, by key, what was read of past days: a segment's sums
// (map[string]unitSums, by unit) or the procedures used online
// ([][2]string, unit and procedure: index_online.go).
type sumsCache struct {
	mu    sync.Mutex
	epoch int64
	m     map[string]any
}

// get returns what is cached under key at epoch.
func (c *sumsCache) get(epoch int64, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != epoch {
		return nil, false
	}
	v, ok := c.m[key]
	return v, ok
}

// put keeps what was read under epoch; an older epoch's entries are
// dropped.
func (c *sumsCache) put(epoch int64, key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch < c.epoch {
		return // read before a newer epoch was seen: may be stale
	}
	if c.epoch != epoch || c.m == nil || len(c.m) >= sumsCacheMax {
		c.epoch, c.m = epoch, map[string]any{}
	}
	c.m[key] = v
}

// sumsEpoch reads the generation of the sums' past days.
func (db *DB) sumsEpoch(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT n FROM sums_epoch WHERE id = 1`).Scan(&n)
	return n, err
}

// sumsEpochVersion is the migration that made sums_epoch.
const sumsEpochVersion = 38

// bumpSumsEpoch moves the generation, in the writer's transaction.
const bumpSumsEpoch = `UPDATE sums_epoch SET n = n + 1 WHERE id = 1`

// periodCut is a period cut where the live days begin (yesterday: see
// above): the days before, which may come from memory, and the days since,
// read every time. A part is empty when its first day is "".
type periodCut struct {
	epoch            int64 // of sums_epoch, read before any row
	pastFrom, pastTo string
	liveFrom, liveTo string
}

// cutPeriod reads the epoch and cuts from..to (YYYY-MM-DD, inclusive).
func (db *DB) cutPeriod(ctx context.Context, from, to string) (periodCut, error) {
	var c periodCut
	var err error
	if c.epoch, err = db.sumsEpoch(ctx); err != nil {
		return c, err
	}
	yesterday := db.Now().AddDate(0, 0, -1)
	live := stats.Day(yesterday)
	if from < live {
		c.pastFrom, c.pastTo = from, min(to, stats.Day(yesterday.AddDate(0, 0, -1)))
	}
	if to >= live {
		c.liveFrom, c.liveTo = max(from, live), to
	}
	return c, nil
}

// segmentSums reads the sums of units over one segment (the rows of one
// grain and range, signed), from the cache when the segment ends before
// the live days.
func (db *DB) segmentSums(ctx context.Context, units []string, sg segment, epoch int64, cached bool) (map[string]unitSums, error) {
	grain := grainAllDay
	if sg.month {
		grain = grainAllMonth
	}
	key := grain + "|" + sg.lo + "|" + sg.hi + "|" + strings.Join(units, ",")
	if cached {
		if v, ok := db.sums.get(epoch, key); ok {
			return v.(map[string]unitSums), nil
		}
	}
	out := make(map[string]unitSums, len(units))
	f := newFolder(stats.Query{})
	err := db.foldQuery(ctx, `SELECT unit_code, SUM(received_online), `+sumCols+` FROM rollup_sums WHERE grain = ? AND unit_code IN (`+
		placeholders(len(units))+`) AND period BETWEEN ? AND ? GROUP BY unit_code`,
		append(append([]any{grain}, codesArgs(units)...), sg.lo, sg.hi), func(s scanner) error {
			var unit string
			var u unitSums
			if err := f.scan(s, &unit, &u.online); err != nil {
				return err
			}
			u.vals = append([]int64(nil), f.vals...)
			out[unit] = u
			return nil
		})
	if err == nil && cached {
		db.sums.put(epoch, key, out)
	}
	return out, err
}

// pastSegments is segments over from..end (end before the live days), with
// no month that runs past end: a month's row also holds its later days,
// which may still take writes, so the month of end, unless end closes it,
// is read as its days.
func pastSegments(from, end string) ([]segment, error) {
	e, err := time.Parse("2006-01-02", end)
	if err != nil {
		return nil, err
	}
	if e.AddDate(0, 0, 1).Day() == 1 { // end closes its month
		return segments(from, end)
	}
	first := e.AddDate(0, 0, 1-e.Day()).Format("2006-01-02")
	if from >= first {
		return []segment{{false, from, end, 1}}, nil
	}
	segs, err := segments(from, e.AddDate(0, 0, -e.Day()).Format("2006-01-02"))
	return append(segs, segment{false, first, end, 1}), err
}
