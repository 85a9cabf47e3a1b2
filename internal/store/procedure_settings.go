package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/procedure"
)

// A unit's settings and its ancestors' are those whose unit code is a
// segment of the unit's path ('01/00004' holds '01' and '00004'). Unit codes
// are digits, so they carry no LIKE wildcard.
const settingOnPath = `('/' || u.path || '/') LIKE ('%/' || s.unit_code || '/%')`

// forUnitQuery reads in one round trip what the effective procedure of a
// unit is made of: the national row and the settings on the unit's path.
const forUnitQuery = `SELECT p.id, p.data, u.path, COALESCE(s.unit_code, ''), COALESCE(s.data, '')
	FROM procedures p JOIN units u ON u.code = ?
	LEFT JOIN procedure_settings s ON s.procedure_code = p.code AND ` + settingOnPath + `
	WHERE p.code = ?`

// ForUnit returns the procedure as the unit unitCode applies it: the
// national definition with its province's and its own settings laid over
// it (procedure.Effective). An empty unitCode gives the national one. Like
// Get, the rows are read each time, so a change on another server is seen
// at once, and the merged procedure is kept until one of the texts changes.
func (s Procedures) ForUnit(ctx context.Context, code, unitCode string) (*procedure.Procedure, error) {
	if unitCode == "" {
		return s.Get(ctx, code)
	}
	return s.forUnit(ctx, s.DB.query, code, unitCode)
}

// forUnit is ForUnit read through query: a transaction's, to see its writes.
func (s Procedures) forUnit(ctx context.Context, query queryFunc, code, unitCode string) (*procedure.Procedure, error) {
	rows, err := query(ctx, forUnitQuery, unitCode, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var id int64
	var national, path string
	var units, datas []string
	for rows.Next() {
		var u, d string
		if err := rows.Scan(&id, &national, &path, &u, &d); err != nil {
			return nil, err
		}
		if u != "" {
			units, datas = append(units, u), append(datas, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if national == "" {
		return nil, s.missing(ctx, code, unitCode)
	}
	// The merged procedure depends on the settings' texts and on whether
	// the last is the unit's own, not on the unit otherwise: the communes
	// that inherit from their province share one entry, and a unit without
	// settings shares Get's, so the cache grows with the settings, not with
	// procedures × units.
	order := pathOrder(path, units)
	key, cacheKey := national, code
	for _, i := range order {
		key += "\x00" + units[i] + "\x00" + datas[i]
		cacheKey += "\x00" + units[i]
	}
	if n := len(order); n > 0 && units[order[n-1]] == unitCode {
		cacheKey += "\x00own"
	}
	if c, ok := s.DB.procs.Load(cacheKey); ok && c.(*parsedProcedure).data == key {
		p := c.(*parsedProcedure).p.Clone()
		p.ID = id
		return p, nil
	}
	var base procedure.Procedure
	if err := json.Unmarshal([]byte(national), &base); err != nil {
		return nil, err
	}
	layers := make([]procedure.Layer, 0, len(order))
	for _, i := range order {
		l := procedure.Layer{UnitCode: units[i]}
		if err := json.Unmarshal([]byte(datas[i]), &l.Setting); err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	p := procedure.Effective(&base, unitCode, layers)
	s.DB.procs.Store(cacheKey, &parsedProcedure{data: key, p: p.Clone()})
	p.ID = id
	return p, nil
}

// missing tells which of the procedure and the unit is not there.
func (s Procedures) missing(ctx context.Context, code, unitCode string) error {
	if _, err := s.Get(ctx, code); err != nil {
		return err
	}
	return apperr.NotFound("Không tìm thấy đơn vị "+unitCode, "unit "+unitCode+" not found")
}

// pathOrder returns the indexes of units that are segments of path, from
// the root down: the order in which their settings are laid.
func pathOrder(path string, units []string) []int {
	segs := strings.Split(path, "/")
	var out []int
	for i, u := range units {
		if slices.Contains(segs, u) {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int {
		return slices.Index(segs, units[a]) - slices.Index(segs, units[b])
	})
	return out
}

// Layers returns the settings that make the procedure code effective in
// unitCode, from the root down, with who changed each and when; an empty
// code returns those of every procedure, by procedure code.
func (s Procedures) Layers(ctx context.Context, code, unitCode string) (map[string][]procedure.Layer, error) {
	path, err := s.DB.unitPathOf(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.query(ctx, `SELECT s.procedure_code, s.unit_code, s.data, s.changed_by, s.changed_at
		FROM procedure_settings s JOIN units u ON u.code = ?
		WHERE (? = '' OR s.procedure_code = ?) AND `+settingOnPath, unitCode, code, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	segs := strings.Split(path, "/")
	out := map[string][]procedure.Layer{}
	for rows.Next() {
		var pc, data string
		var at int64
		var l procedure.Layer
		if err := rows.Scan(&pc, &l.UnitCode, &data, &l.ChangedBy, &at); err != nil {
			return nil, err
		}
		if !slices.Contains(segs, l.UnitCode) {
			continue
		}
		if err := json.Unmarshal([]byte(data), &l.Setting); err != nil {
			return nil, err
		}
		l.ChangedAt = time.UnixMicro(at).UTC()
		out[pc] = append(out[pc], l)
	}
	for _, ls := range out {
		slices.SortFunc(ls, func(a, b procedure.Layer) int {
			return slices.Index(segs, a.UnitCode) - slices.Index(segs, b.UnitCode)
		})
	}
	return out, rows.Err()
}

// ListForUnit is List with each procedure as the unit applies it. The
// filter's ActiveOnly is the national flag.
func (s Procedures) ListForUnit(ctx context.Context, f ProcedureFilter, unitCode string) ([]procedure.Procedure, error) {
	ps, err := s.List(ctx, f)
	if err != nil {
		return nil, err
	}
	layers, err := s.Layers(ctx, "", unitCode)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ls := layers[ps[i].Code]; len(ls) > 0 {
			id := ps[i].ID
			ps[i] = *procedure.Effective(&ps[i], unitCode, ls)
			ps[i].ID = id
		}
	}
	return ps, nil
}

// SaveSetting stores what unitCode changes of the procedure code, by the
// user named by; an empty setting is removed, so that the unit inherits
// again.
func (s Procedures) SaveSetting(ctx context.Context, unitCode, code string, st procedure.Setting, by string) error {
	if err := st.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.DB.inTx(ctx, func(tx *Tx) error {
		var n int
		err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM procedures WHERE code = ?) + (SELECT COUNT(*) FROM units WHERE code = ?)`,
			code, unitCode).Scan(&n)
		if err != nil {
			return err
		}
		if n != 2 {
			return apperr.NotFound("Không tìm thấy thủ tục "+code+" hoặc đơn vị "+unitCode, "procedure "+code+" or unit "+unitCode+" not found")
		}
		if s.DB.Engine == Postgres {
			// Saves of the procedure's settings on several servers wait for
			// each other, so that each checks the steps the other left.
			if err := tx.queryRow(ctx, `SELECT id FROM procedures WHERE code = ? FOR UPDATE`, code).Scan(new(int64)); err != nil {
				return err
			}
		}
		if st.Empty() {
			_, err = tx.exec(ctx, `DELETE FROM procedure_settings WHERE unit_code = ? AND procedure_code = ?`, unitCode, code)
		} else {
			_, err = tx.exec(ctx, `INSERT INTO procedure_settings (unit_code, procedure_code, data, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (unit_code, procedure_code) DO UPDATE SET data = excluded.data, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
				unitCode, code, string(data), by, s.DB.Now().UnixMicro())
		}
		if err != nil {
			return err
		}
		return s.keepsOpenSteps(ctx, tx, code, unitCode)
	})
}

// keepsOpenSteps refuses, inside the save's transaction, steps that leave
// an open dossier at a step that no longer exists: the unit's steps as
// saved (its own, or inherited once it inherits again) against the
// furthest step its open dossiers have reached, both read after the write.
func (s Procedures) keepsOpenSteps(ctx context.Context, tx *Tx, code, unitCode string) error {
	p, err := s.forUnit(ctx, tx.query, code, unitCode)
	if err != nil {
		return err
	}
	open, err := maxOpenStep(ctx, tx.query, tx.queryRow, code, unitCode)
	if err != nil || len(p.Steps) > open {
		return err
	}
	n := strconv.Itoa(open + 1)
	return apperr.Conflict("Có hồ sơ đang xử lý ở bước "+n+"; quy trình phải còn ít nhất "+n+" bước",
		"a dossier in progress is at step "+n+"; the procedure must keep at least "+n+" steps")
}

// MaxOpenStep returns the furthest step an open dossier is at among those
// that follow unitCode's steps of the procedure, -1 when none is open:
// removing steps up to it would leave such a dossier at a step that no
// longer exists. Those are the dossiers received by the unit or a unit
// below it, except below a unit that sets its own steps.
func (db *DB) MaxOpenStep(ctx context.Context, procedureCode, unitCode string) (int, error) {
	return maxOpenStep(ctx, db.query, db.queryRow, procedureCode, unitCode)
}

func maxOpenStep(ctx context.Context, query queryFunc, queryRow rowFunc, procedureCode, unitCode string) (int, error) {
	var path string
	if err := queryRow(ctx, `SELECT path FROM units WHERE code = ?`, unitCode).Scan(&path); err != nil {
		return 0, normalize(err)
	}
	below := likeEscape(path) + "/%"
	q := `SELECT COALESCE(MAX(d.step), -1) FROM dossiers d JOIN units u ON u.code = d.unit_code
		WHERE d.procedure_code = ? AND d.status IN (1, 2, 4, 5, 6) AND (u.code = ? OR u.path LIKE ? ESCAPE '\')`
	args := []any{procedureCode, unitCode, below}
	own, err := ownStepsBelow(ctx, query, procedureCode, below)
	if err != nil {
		return 0, err
	}
	for _, p := range own {
		q += ` AND u.path <> ? AND u.path NOT LIKE ? ESCAPE '\'`
		args = append(args, p, likeEscape(p)+"/%")
	}
	var n int
	err = queryRow(ctx, q, args...).Scan(&n)
	return n, normalize(err)
}

// ownStepsBelow returns the paths of the units matching the LIKE pattern
// below that set their own steps of the procedure.
func ownStepsBelow(ctx context.Context, query queryFunc, procedureCode, below string) ([]string, error) {
	rows, err := query(ctx, `SELECT u.path, s.data FROM procedure_settings s JOIN units u ON u.code = s.unit_code
		WHERE s.procedure_code = ? AND u.path LIKE ? ESCAPE '\'`, procedureCode, below)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var path, data string
		var st procedure.Setting
		if err := rows.Scan(&path, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &st); err != nil {
			return nil, err
		}
		if len(st.Steps) > 0 {
			out = append(out, path)
		}
	}
	return out, rows.Err()
}
