package store

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
)

// Index scores each unit over from..to (inclusive dates) with the weights
// in force on the last day.
//
// As for Summary, identical requests that arrive while one is being
// answered share its answer (a province's leaders open the same ranking at
// once): it may miss a write committed in the last few milliseconds, never
// more. The result returned is shared and must not be changed.
func (db *DB) Index(ctx context.Context, units []string, from, to string) (map[string]index.Result, error) {
	key := from + "|" + to + "|" + strings.Join(units, ",")
	ch := db.indexes.DoChan(key, func() (any, error) {
		return db.index(context.WithoutCancel(ctx), units, from, to) // one caller leaving must not fail the others
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(map[string]index.Result), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (db *DB) index(ctx context.Context, units []string, from, to string) (map[string]index.Result, error) {
	v, err := index.At(index.Versions, to)
	if err != nil {
		return nil, apperr.Invalid("to", "Không có bộ chỉ số áp dụng cho kỳ này", "no weights are in force for this period")
	}
	facts, err := db.IndexFacts(ctx, units, from, to)
	if err != nil {
		return nil, err
	}
	out := map[string]index.Result{}
	for u, f := range facts {
		out[u] = index.Compute(v, f.Counts())
	}
	return out, nil
}

// IndexCost is a dossier that cost a unit points.
type IndexCost struct {
	Code            string    `json:"code"`
	UnitCode        string    `json:"unit"`
	ProcedureName   string    `json:"procedure_name"`
	Channel         int       `json:"channel"`
	Outcome         string    `json:"outcome,omitempty"`
	SupplementCount int       `json:"supplement_count"`
	ReceivedAt      time.Time `json:"received_at,omitzero"`
	DueAt           time.Time `json:"due_at,omitzero"`
	FinishedAt      time.Time `json:"finished_at,omitzero"`
	Overdue         bool      `json:"overdue,omitempty"` // still open and past its due time
	// Units are the units it passed through: with UnitCode, who may open
	// it (dossier.CanView); the drill-down reaches leaders of the units
	// above, who may not.
	Units []string `json:"-"`
	id    int64
}

// costWhere says, per indicator that can be explained, which dossiers of
// the period cost points, and by which date they fall in the period.
var costWhere = map[string][2]string{
	// finished late, or in time after more than one supplement request
	"2.1": {"finished_at", `outcome = 'late' OR (outcome IN ('early', 'on_time') AND supplement_count > 1)`},
	// received other than online
	"3.3": {"received_at", `channel <> 2`},
	// finished without the signed result file
	"4.1": {"finished_at", `outcome <> '' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.dossier_id = d.id AND a.kind = 'result')`},
	// received online without re-using a paper of an earlier dossier (from
	// the day the wallet started: IndexCosts)
	"4.3": {"received_at", `channel = 2 AND NOT EXISTS (SELECT 1 FROM dossier_reuses r WHERE r.dossier_id = d.id)`},
	"5.4": {"finished_at", `outcome = 'late' OR (outcome IN ('early', 'on_time') AND supplement_count > 1) OR rating = 1`},
}

// Explainable tells whether IndexCosts lists the dossiers of an indicator.
func Explainable(indicator string) bool { _, ok := costWhere[indicator]; return ok }

// IndexCosts lists, a page at a time, the dossiers of the unit's subtree
// that cost it points on an indicator over from..to, newest first, with
// their number. It reads the dossiers (a drill-down, not the dashboard).
func (db *DB) IndexCosts(ctx context.Context, unitCode, indicator, from, to string, limit, offset int) ([]IndexCost, int, error) {
	w, ok := costWhere[indicator]
	if !ok {
		return nil, 0, apperr.Invalid("indicator", "Chỉ số này không có danh sách hồ sơ", "this indicator has no list of dossiers")
	}
	path, err := db.unitPathOf(ctx, unitCode)
	if err != nil {
		return nil, 0, err
	}
	f, err1 := time.ParseInLocation("2006-01-02", from, stats.Zone)
	t, err2 := time.ParseInLocation("2006-01-02", to, stats.Zone)
	if err1 != nil || err2 != nil {
		return nil, 0, apperr.Invalid("from", "Ngày phải có dạng YYYY-MM-DD", "dates must be YYYY-MM-DD")
	}
	if indicator == "4.3" { // counted from the wallet's first day
		start, err := db.walletStartAt(ctx)
		if err != nil {
			return nil, 0, err
		}
		if start.After(f) {
			f = start
		}
	}
	cost := `d.` + w[0] + ` >= ? AND d.` + w[0] + ` < ? AND (` + w[1] + `)`
	args := []any{path, path + "0", path, path + "/%", f.UnixMicro(), t.AddDate(0, 0, 1).UnixMicro()}
	if indicator == "2.1" && to >= stats.Day(db.Now()) {
		// A period that ends today or later counts the dossiers still
		// running (IndexFacts): the overdue ones cost points too.
		cost = `(` + cost + `) OR (` + runningLate + `)`
		args = append(args, db.Now().UnixMicro())
	}
	where := ` FROM dossiers d WHERE d.unit_code IN (` + subtree + `) AND (` + cost + `)`
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var out []IndexCost
	err = db.foldQuery(ctx, `SELECT d.id, d.code, d.unit_code, d.procedure_name, d.channel, d.outcome, d.supplement_count, d.received_at, d.due_at, d.finished_at,
		CASE WHEN `+runningLate+` THEN 1 ELSE 0 END`+where+` ORDER BY d.`+w[0]+` DESC, d.id DESC LIMIT ? OFFSET ?`,
		append(append([]any{db.Now().UnixMicro()}, args...), limit, offset), func(s scanner) error {
			var c IndexCost
			var rec, due, fin, late int64
			if err := s.Scan(&c.id, &c.Code, &c.UnitCode, &c.ProcedureName, &c.Channel, &c.Outcome, &c.SupplementCount, &rec, &due, &fin, &late); err != nil {
				return err
			}
			c.ReceivedAt, c.DueAt, c.FinishedAt, c.Overdue = fromMicros(rec), fromMicros(due), fromMicros(fin), late == 1
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, 0, err
	}
	return out, total, db.costUnits(ctx, out)
}

// costUnits fills the units each listed dossier passed through, in one
// query for the page.
func (db *DB) costUnits(ctx context.Context, cs []IndexCost) error {
	if len(cs) == 0 {
		return nil
	}
	at := make(map[int64]*IndexCost, len(cs))
	ids := make([]any, len(cs))
	for i := range cs {
		at[cs[i].id], ids[i] = &cs[i], cs[i].id
	}
	return db.foldQuery(ctx, `SELECT dossier_id, unit_code FROM dossier_units WHERE dossier_id IN (`+placeholders(len(ids))+`) ORDER BY dossier_id, unit_code`,
		ids, func(s scanner) error {
			var id int64
			var u string
			if err := s.Scan(&id, &u); err != nil {
				return err
			}
			at[id].Units = append(at[id].Units, u)
			return nil
		})
}
