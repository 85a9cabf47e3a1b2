package store

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
)

// QueueStat is one line of the counter's statistics: tickets issued,
// waits (issue or transfer → call) and services (call → served), with
// their means and maxima, no-shows and ratings, for one key of the
// dimension asked.
type QueueStat struct {
	Key       string        `json:"key"` // the hour "09", the group "A", the desk id, the officer, or the day
	Issued    int64         `json:"issued"`
	Waited    int64         `json:"waited"`
	WaitSum   time.Duration `json:"-"`
	WaitMax   time.Duration `json:"-"`
	Served    int64         `json:"served"`
	ServeSum  time.Duration `json:"-"`
	ServeMax  time.Duration `json:"-"`
	Skipped   int64         `json:"skipped"`
	Rated     int64         `json:"rated"`
	RatedGood int64         `json:"rated_good"`

	AvgWaitSec  int64 `json:"avg_wait_seconds"`
	MaxWaitSec  int64 `json:"max_wait_seconds"`
	AvgServeSec int64 `json:"avg_service_seconds"`
	MaxServeSec int64 `json:"max_service_seconds"`
}

// Dimensions of the counter's statistics.
var queueStatColumns = map[string]string{
	"hour": "hour", "group": "group_code", "desk": "desk_id", "officer": "officer", "day": "day", "unit": "unit_code",
}

// QueueStats reads the roll-up of a unit's counter over the local days
// [from, to] (YYYY-MM-DD), summed by one dimension: hour, group, desk,
// officer or day, or by unit for the one line of totals the dashboard
// shows first. Rows whose key is empty (tickets issued count under no
// desk and no officer) are kept, so the issued totals add up.
func (q Queue) QueueStats(ctx context.Context, unitCode, from, to, by string) ([]QueueStat, error) {
	col, ok := queueStatColumns[by]
	if !ok {
		return nil, apperr.Invalid("by", "Thống kê theo hour (giờ), group (nhóm), desk (quầy), officer (cán bộ), day (ngày) hoặc unit (tổng của đơn vị)",
			"by must be hour, group, desk, officer, day or unit")
	}
	rows, err := q.DB.query(ctx, `SELECT CAST(`+col+` AS TEXT), SUM(issued), SUM(waited_n), SUM(waited_sum), MAX(waited_max), SUM(served_n), SUM(served_sum), MAX(served_max),
		SUM(skipped), SUM(rated_n), SUM(rated_good) FROM queue_stats WHERE unit_code = ? AND day >= ? AND day <= ? GROUP BY `+col+` ORDER BY `+col,
		unitCode, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []QueueStat{}
	for rows.Next() {
		var s QueueStat
		var ws, wm, ss, sm int64
		if err := rows.Scan(&s.Key, &s.Issued, &s.Waited, &ws, &wm, &s.Served, &ss, &sm, &s.Skipped, &s.Rated, &s.RatedGood); err != nil {
			return nil, err
		}
		if by == "hour" && len(s.Key) == 1 {
			s.Key = "0" + s.Key
		}
		s.WaitSum, s.WaitMax, s.ServeSum, s.ServeMax = us(ws), us(wm), us(ss), us(sm)
		s.fill()
		out = append(out, s)
	}
	return out, rows.Err()
}

func us(v int64) time.Duration { return time.Duration(v) * time.Microsecond }

// fill computes the means and the seconds shown.
func (s *QueueStat) fill() {
	if s.Waited > 0 {
		s.AvgWaitSec = int64(s.WaitSum.Seconds()) / s.Waited
	}
	if s.Served > 0 {
		s.AvgServeSec = int64(s.ServeSum.Seconds()) / s.Served
	}
	s.MaxWaitSec, s.MaxServeSec = int64(s.WaitMax.Seconds()), int64(s.ServeMax.Seconds())
}

// QueueStatRow is one row of the roll-up with its full key.
type QueueStatRow struct {
	Day, Group, Officer                                                                              string
	Hour                                                                                             int
	Desk                                                                                             int64
	Issued, WaitedN, WaitedSum, WaitedMax, ServedN, ServedSum, ServedMax, Skipped, RatedN, RatedGood int64
}

// QueueStatRows reads the whole roll-up of a unit, for the test that holds
// it equal to a recount of the events.
func (q Queue) QueueStatRows(ctx context.Context, unitCode string) (map[string]QueueStatRow, error) {
	rows, err := q.DB.query(ctx, `SELECT day, hour, group_code, desk_id, officer, issued, waited_n, waited_sum, waited_max, served_n, served_sum, served_max,
		skipped, rated_n, rated_good FROM queue_stats WHERE unit_code = ?`, unitCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]QueueStatRow{}
	for rows.Next() {
		var r QueueStatRow
		if err := rows.Scan(&r.Day, &r.Hour, &r.Group, &r.Desk, &r.Officer, &r.Issued, &r.WaitedN, &r.WaitedSum, &r.WaitedMax, &r.ServedN, &r.ServedSum,
			&r.ServedMax, &r.Skipped, &r.RatedN, &r.RatedGood); err != nil {
			return nil, err
		}
		out[r.key()] = r
	}
	return out, rows.Err()
}

func (r QueueStatRow) key() string {
	return fmt.Sprintf("%s|%02d|%s|%d|%s", r.Day, r.Hour, r.Group, r.Desk, r.Officer)
}

// RecountQueueStats rebuilds the roll-up of a unit from its event log, in
// Go, the way statOf reads each event: what the roll-up must equal.
func (q Queue) RecountQueueStats(ctx context.Context, unitCode string) (map[string]QueueStatRow, error) {
	out := map[string]QueueStatRow{}
	var after int64
	for {
		evs, err := q.QueueEvents(ctx, unitCode, after, maxBoardEvents)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			s := statOf(e)
			if s.empty() {
				continue
			}
			local := e.At.In(calendar.Zone)
			r := QueueStatRow{Day: local.Format("2006-01-02"), Hour: local.Hour(), Group: e.Group, Desk: e.DeskID, Officer: e.Officer}
			r = out[r.key()].add(r, s)
			out[r.key()] = r
		}
		if len(evs) < maxBoardEvents {
			return out, nil
		}
		after = evs[len(evs)-1].Seq
	}
}

func (r QueueStatRow) add(key QueueStatRow, s queueStat) QueueStatRow {
	key.Issued, key.WaitedN, key.WaitedSum = r.Issued+s.issued, r.WaitedN+s.waitedN, r.WaitedSum+s.waited
	key.WaitedMax, key.ServedN, key.ServedSum = max(r.WaitedMax, s.waited), r.ServedN+s.servedN, r.ServedSum+s.served
	key.ServedMax, key.Skipped, key.RatedN, key.RatedGood = max(r.ServedMax, s.served), r.Skipped+s.skipped, r.RatedN+s.ratedN, r.RatedGood+s.ratedGood
	return key
}
