package store

import (
	"context"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
)

// Work returns a page (limit rows from offset) of the open dossiers
// (statuses 1, 2 and 4) that passed through unit and are assigned to
// username or to nobody. The unit's own
// dossier_units rows, which carry the status, find them through their
// index; only those dossiers are read. The steps with a due time come
// first, the most urgent first.
func (s Dossiers) Work(ctx context.Context, unit, username string, limit, offset int) ([]dossier.Dossier, error) {
	return s.page(ctx, workQuery, unit, username, limit, offset)
}

var workQuery = `SELECT ` + prefixCols("d.", dossierCols) + ` FROM dossiers d WHERE d.id IN (
	SELECT du.dossier_id FROM dossier_units du WHERE du.unit_code = ? AND du.status IN (1, 2, 4))
	AND (d.step_assignee = '' OR d.step_assignee = ?)
	ORDER BY CASE WHEN d.step_due_at = 0 THEN 1 ELSE 0 END, d.step_due_at, d.due_at, d.id LIMIT ? OFFSET ?`

// OfficerNames maps the given usernames to the users' full names, to show
// assignees by name; a name not found is left out.
func (db *DB) OfficerNames(ctx context.Context, usernames []string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	var names []any
	for _, u := range usernames {
		if u != "" && !seen[u] {
			seen[u] = true
			names = append(names, u)
		}
	}
	if len(names) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT username, full_name FROM users WHERE username IN (?`+strings.Repeat(", ?", len(names)-1)+`)`, names...)
	if err != nil {
		return nil, normalize(err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, n string
		if err := rows.Scan(&u, &n); err != nil {
			return nil, err
		}
		out[u] = n
	}
	return out, rows.Err()
}
