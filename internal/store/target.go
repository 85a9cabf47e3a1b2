package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/target"
)

const targetCols = `id, unit_code, year, name, measure, kind, plan, direction, aggregate, period, source, version`

func scanTarget(sc interface{ Scan(...any) error }) (target.Target, error) {
	var t target.Target
	err := sc.Scan(&t.ID, &t.UnitCode, &t.Year, &t.Name, &t.Measure, &t.Kind, &t.Plan, &t.Direction, &t.Aggregate, &t.Period, &t.Source, &t.Version)
	return t, err
}

var errTargetNotFound = apperr.NotFound("Không tìm thấy chỉ tiêu", "target not found")

// Target reads one target.
func (db *DB) Target(ctx context.Context, id int64) (target.Target, error) {
	t, err := scanTarget(db.queryRow(ctx, `SELECT `+targetCols+` FROM targets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errTargetNotFound
	}
	return t, normalize(err)
}

// Targets satisfies target.Store: a unit's targets of a year in the order
// they were added, and their actuals by target id in period order.
func (db *DB) Targets(ctx context.Context, unitCode string, year int) ([]target.Target, map[int64][]target.Actual, error) {
	rows, err := db.query(ctx, `SELECT `+targetCols+` FROM targets WHERE unit_code = ? AND year = ? ORDER BY id`, unitCode, year)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ts []target.Target
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, nil, err
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	actuals, err := db.targetActuals(ctx, unitCode, year)
	return ts, actuals, err
}

func (db *DB) targetActuals(ctx context.Context, unitCode string, year int) (map[int64][]target.Actual, error) {
	rows, err := db.query(ctx, `SELECT a.target_id, a.period, a.value, a.entered_by, a.entered_at FROM target_actuals a
		JOIN targets t ON t.id = a.target_id WHERE t.unit_code = ? AND t.year = ? ORDER BY a.target_id, a.period`, unitCode, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]target.Actual{}
	for rows.Next() {
		var id, at int64
		var a target.Actual
		if err := rows.Scan(&id, &a.Period, &a.Value, &a.By, &at); err != nil {
			return nil, err
		}
		a.At = fromMicros(at).Format(time.RFC3339)
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// AddTarget adds a target to its unit, logging the change.
func (db *DB) AddTarget(ctx context.Context, t target.Target, by auth.Actor) (target.Target, error) {
	if err := t.Validate(); err != nil {
		return t, err
	}
	if _, err := db.Unit(ctx, t.UnitCode); err != nil {
		return t, err
	}
	now := db.Now().UnixMicro()
	t.Version = 1
	err := db.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `INSERT INTO targets (unit_code, year, name, measure, kind, plan, direction, aggregate, period, source, version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
			t.UnitCode, t.Year, t.Name, t.Measure, t.Kind, t.Plan, t.Direction, t.Aggregate, t.Period, t.Source, by.Username, now, now).Scan(&t.ID)
		if err != nil {
			return normalize(err)
		}
		return logTargetChange(ctx, tx, t, "create", t, by, now)
	})
	return t, err
}

// UpdateTarget changes a target's definition; its unit and id stay. When
// version is set the target must still be at it (two leaders editing at once).
// A period granularity cannot change once actuals were entered for it.
func (db *DB) UpdateTarget(ctx context.Context, t target.Target, by auth.Actor) (target.Target, error) {
	if err := t.Validate(); err != nil {
		return t, err
	}
	now := db.Now().UnixMicro()
	err := db.inTx(ctx, func(tx *Tx) error {
		old, err := scanTarget(tx.queryRow(ctx, `SELECT `+targetCols+` FROM targets WHERE id = ?`, t.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return errTargetNotFound
		}
		if err != nil {
			return normalize(err)
		}
		if t.Version != 0 && t.Version != old.Version {
			return apperr.Conflict("Chỉ tiêu vừa được người khác sửa; hãy tải lại", "the target was changed meanwhile; reload it")
		}
		if err := keepsActuals(ctx, tx, old, t); err != nil {
			return err
		}
		t.UnitCode, t.Version = old.UnitCode, old.Version+1
		if _, err := tx.exec(ctx, `UPDATE targets SET year = ?, name = ?, measure = ?, kind = ?, plan = ?, direction = ?, aggregate = ?, period = ?, source = ?,
			version = ?, updated_at = ? WHERE id = ?`,
			t.Year, t.Name, t.Measure, t.Kind, t.Plan, t.Direction, t.Aggregate, t.Period, t.Source, t.Version, now, t.ID); err != nil {
			return normalize(err)
		}
		return logTargetChange(ctx, tx, t, "update", map[string]any{"before": old, "after": t}, by, now)
	})
	return t, err
}

// keepsActuals refuses a change that would strand the actuals entered: a
// new year or period granularity, or a computed kind (which enters none).
func keepsActuals(ctx context.Context, tx *Tx, old, t target.Target) error {
	if old.Year == t.Year && old.Period == t.Period && !target.Computed(t.Kind) {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM target_actuals WHERE target_id = ?`, old.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return apperr.Invalid("period", "Chỉ tiêu đã có số liệu thực hiện: không đổi được năm, kỳ nhập hay sang loại tính tự động", "the target has actuals: its year, period or a computed kind cannot be set")
	}
	return nil
}

// SetActual enters (or replaces) the actual of one period of a target; the
// old value, if any, goes into the change log.
func (db *DB) SetActual(ctx context.Context, id int64, period string, value float64, by auth.Actor) (target.Actual, error) {
	a := target.Actual{Period: period, Value: value, By: by.Username}
	if err := target.ValidValue(value); err != nil {
		return a, err
	}
	now := db.Now()
	a.At = now.Format(time.RFC3339)
	err := db.inTx(ctx, func(tx *Tx) error {
		t, err := scanTarget(tx.queryRow(ctx, `SELECT `+targetCols+` FROM targets WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errTargetNotFound
		}
		if err != nil {
			return normalize(err)
		}
		if target.Computed(t.Kind) {
			return apperr.Invalid("kind", "Chỉ tiêu này được tính tự động từ số liệu hồ sơ, không nhập tay", "this target is computed from the dossiers; it takes no entered actuals")
		}
		if err := t.ValidPeriod(period); err != nil {
			return err
		}
		var before *float64
		var old float64
		switch err := tx.queryRow(ctx, `SELECT value FROM target_actuals WHERE target_id = ? AND period = ?`, id, period).Scan(&old); {
		case err == nil:
			before = &old
		case !errors.Is(err, sql.ErrNoRows):
			return normalize(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO target_actuals (target_id, period, value, entered_by, entered_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (target_id, period) DO UPDATE SET value = excluded.value, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			id, period, value, by.Username, now.UnixMicro()); err != nil {
			return normalize(err)
		}
		return logTargetChange(ctx, tx, t, "actual", map[string]any{"period": period, "before": before, "after": value}, by, now.UnixMicro())
	})
	return a, err
}

func logTargetChange(ctx context.Context, tx *Tx, t target.Target, action string, detail any, by auth.Actor, at int64) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO target_changes (target_id, unit_code, action, detail, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.UnitCode, action, string(b), by.Username, at)
	return normalize(err)
}

// TargetChange is one line of a target's change log.
type TargetChange struct {
	Action string    `json:"action"` // create, update, actual
	Detail string    `json:"detail"` // JSON: the target, or before and after
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// TargetChanges lists a target's change log, oldest first.
func (db *DB) TargetChanges(ctx context.Context, id int64) ([]TargetChange, error) {
	rows, err := db.query(ctx, `SELECT action, detail, changed_by, changed_at FROM target_changes WHERE target_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TargetChange
	for rows.Next() {
		var c TargetChange
		var at int64
		if err := rows.Scan(&c.Action, &c.Detail, &c.By, &at); err != nil {
			return nil, err
		}
		c.At = fromMicros(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
