package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// Search finds the unit's records: a person of the record matches the name
// words (each the start of a word of the folded name, any order), the
// birth date filters and the ID number; a parent matches Parent; the
// record matches kind, book and entry. A record matched on its principal
// ranks first. This is the plain LIKE search; the indexed search replaces it.
func (s Civil) Search(ctx context.Context, q civil.Query) ([]civil.Hit, int, error) {
	where, args := civilSearchWhere(q)
	from := ` FROM civil_people p JOIN civil_records r ON r.id = p.record_id WHERE ` + where
	var n int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(DISTINCT p.record_id)`+from, args...).Scan(&n); err != nil {
		return nil, 0, normalize(err)
	}
	rows, err := s.DB.query(ctx, `SELECT p.record_id, MIN(p.position)`+from+` GROUP BY p.record_id ORDER BY MIN(p.position), p.record_id DESC LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	type found struct {
		id  int64
		pos int
	}
	var ids []found
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.id, &f.pos); err != nil {
			rows.Close()
			return nil, 0, normalize(err)
		}
		ids = append(ids, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, normalize(err)
	}
	hits := []civil.Hit{}
	for _, f := range ids {
		r, err := s.Get(ctx, f.id)
		if err != nil {
			return nil, 0, err
		}
		r.Events = nil
		h := civil.Hit{Record: *r, Score: 1 / float64(1+f.pos)}
		if f.pos < len(r.People) {
			h.Matched = r.People[f.pos].Role
		}
		hits = append(hits, h)
	}
	return hits, n, nil
}

// civilSearchWhere is the query's condition on p (the person matched) and r.
func civilSearchWhere(q civil.Query) (string, []any) {
	conds, args := []string{"p.unit_code = ?"}, []any{q.Unit}
	add := func(c string, a ...any) { conds, args = append(conds, c), append(args, a...) }
	text := strings.TrimSpace(q.Q)
	personal := false
	switch {
	case text == "":
	case isAllDigits(text) && (len(text) == 9 || len(text) == 12):
		add("p.id_number = ?", text)
		personal = true
	case strings.Contains(text, "/"):
		i := strings.LastIndex(text, "/")
		add("r.book_id IN (SELECT id FROM civil_books WHERE unit_code = ? AND number = ?) AND r.entry = ?", q.Unit, strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:]))
	default:
		c, a := nameWordsCond("p.name_fold", text)
		add(c, a...)
		personal = true
	}
	if q.Parent != "" {
		c, a := nameWordsCond("x.name_fold", q.Parent)
		add("EXISTS (SELECT 1 FROM civil_people x WHERE x.record_id = r.id AND x.role IN ('mother', 'father', 'parent') AND "+c+")", a...)
	}
	if q.BirthDate != "" {
		add("p.birth_date = ?", q.BirthDate)
		personal = true
	}
	if q.BirthYear != 0 {
		add("p.birth_year = ?", q.BirthYear)
		personal = true
	}
	if q.BirthFrom != "" {
		add("p.birth_date >= ?", q.BirthFrom)
		personal = true
	}
	if q.BirthTo != "" {
		add("p.birth_date <= ? AND p.birth_date <> ''", q.BirthTo+"~") // a partial date sorts before its days
		personal = true
	}
	if id := strings.ReplaceAll(q.IDNumber, " ", ""); id != "" {
		add("p.id_number = ?", id)
		personal = true
	}
	if q.Kind != "" {
		add("r.kind = ?", q.Kind)
	}
	if q.BookID != 0 {
		add("r.book_id = ?", q.BookID)
	}
	if q.Entry != "" {
		add("r.entry = ?", q.Entry)
	}
	if !personal {
		add("p.position = 0") // one row per record: its principal
	}
	return strings.Join(conds, " AND "), args
}

// nameWordsCond matches every folded word of words as the start of a word
// of the column.
func nameWordsCond(col, words string) (string, []any) {
	var conds []string
	var args []any
	for _, w := range strings.Fields(vntext.Fold(words)) {
		conds = append(conds, "("+col+" LIKE ? ESCAPE '\\' OR "+col+" LIKE ? ESCAPE '\\')")
		e := likeEscape(w)
		args = append(args, e+"%", "% "+e+"%")
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

func isAllDigits(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && !strings.HasPrefix(s, "+")
}
