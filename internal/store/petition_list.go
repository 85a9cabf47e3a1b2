package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/vntext"
)

// openPetitions are the open statuses as SQL; runningPetitions those whose
// answer clock runs (not waiting for the sender).
const (
	openPetitions    = `status IN (1, 2, 3, 4)`
	runningPetitions = `status IN (1, 2, 4)`
	// latePetitions: an open petition past its answer time; one waiting for
	// its sender is late if it paused already late. The argument is now.
	latePetitions = `(status IN (1, 2, 4) AND due_at < ? OR status = 3 AND due_at < paused_at)`
)

// List returns a page of a unit's petitions, the most urgent first (by
// answer time), and their count. Every condition is one of a fixed list;
// the unit comes first so the (unit, status, due) index serves the read.
func (s Petitions) List(ctx context.Context, f petition.Filter) ([]petition.Petition, int, error) {
	if f.UnitCode == "" {
		return nil, 0, apperr.Invalid("unit", "Thiếu đơn vị", "the unit is required")
	}
	where := []string{"unit_code = ?"}
	args := []any{f.UnitCode}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Status != 0 {
		add("status = ?", f.Status)
	}
	if f.Open {
		add(openPetitions)
	}
	if f.Field != "" {
		add("field = ?", f.Field)
	}
	if f.Assignee != "" {
		add("assignee = ?", f.Assignee)
	}
	if !f.LateAt.IsZero() {
		add(latePetitions, micros(f.LateAt))
	}
	if !f.DueFrom.IsZero() {
		add(runningPetitions+" AND due_at >= ? AND due_at <= ?", micros(f.DueFrom), micros(f.DueTo))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM petitions WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	out, err := s.page(ctx, `SELECT `+petitionCols+` FROM petitions WHERE `+cond+` ORDER BY due_at, id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset))
	return out, total, err
}

func (s Petitions) page(ctx context.Context, query string, args []any) ([]petition.Petition, error) {
	var out []petition.Petition
	err := s.DB.foldQuery(ctx, query, args, func(sc scanner) error {
		p, _, err := scanPetition(sc)
		if err != nil {
			return err
		}
		out = append(out, *p)
		return nil
	})
	return out, err
}

// maxSearchWords bounds the words of a public search.
const maxSearchWords = 8

// Public returns a page of the published answers, newest first, whose
// indexed words begin with every word of q (already folded), and their
// count. The candidates come from the words first: each word is a range
// read of petition_words' primary key (word >= w AND word < w + U+FFFF,
// bytewise: the column sorts in "C" on PostgreSQL), intersected, then
// joined to the petitions; so a search costs what its words match, not the
// number of answers published.
func (s Petitions) Public(ctx context.Context, q string, limit, offset int) ([]petition.Petition, int, error) {
	words := strings.Fields(q)
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	from, cond := "petitions", "published = 1"
	var args []any
	if len(words) > 0 {
		var sets []string
		for _, w := range words {
			sets = append(sets, "SELECT petition_id FROM petition_words WHERE word >= ? AND word < ?")
			args = append(args, w, w+"\uffff")
		}
		if len(sets) == 1 {
			sets[0] = strings.Replace(sets[0], "SELECT ", "SELECT DISTINCT ", 1)
		}
		// Only published answers have words (indexPetitionWords): the
		// petitions are then read by their key alone.
		from, cond = "("+strings.Join(sets, " INTERSECT ")+") m JOIN petitions ON petitions.id = m.petition_id", "1 = 1"
	}
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM `+from+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	out, err := s.page(ctx, `SELECT `+qualified(petitionCols)+` FROM `+from+` WHERE `+cond+` ORDER BY published_at DESC, petitions.id DESC LIMIT ? OFFSET ?`,
		append(args, limit, offset))
	return out, total, err
}

// qualified names each column of cols as the petitions table's.
func qualified(cols string) string {
	names := columnNames(cols)
	for i, n := range names {
		names[i] = "petitions." + n
	}
	return strings.Join(names, ", ")
}

// indexPetitionWords rewrites a petition's words in the public search: the
// folded words of its subject, its question as published (never the
// sender's own text) and its answer while it is published; none otherwise.
func indexPetitionWords(ctx context.Context, tx *Tx, p *petition.Petition) error {
	if _, err := tx.exec(ctx, `DELETE FROM petition_words WHERE petition_id = ?`, p.ID); err != nil {
		return err
	}
	if !p.Published {
		return nil
	}
	seen := map[string]bool{}
	for _, w := range strings.Fields(vntext.Fold(p.Subject + " " + p.PublicText + " " + p.Answer)) {
		w = strings.Trim(w, `.,;:!?"'()[]{}«»“”…-`)
		if w == "" || seen[w] || len(w) > 100 {
			continue
		}
		seen[w] = true
		if _, err := tx.exec(ctx, `INSERT INTO petition_words (word, petition_id) VALUES (?, ?)`, w, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// Vote counts a reader's opinion of a published answer once per voter:
// a second vote from the same key changes nothing.
func (s Petitions) Vote(ctx context.Context, code, voter string, useful bool) (*petition.Petition, error) {
	var out *petition.Petition
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		p, _, err := scanPetition(tx.queryRow(ctx, `SELECT `+petitionCols+` FROM petitions WHERE code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Published) {
			return errPetitionNotFound
		}
		if err != nil {
			return normalize(err)
		}
		res, err := tx.exec(ctx, `INSERT INTO petition_votes (petition_id, voter, useful, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			p.ID, voter, boolInt(useful), s.DB.Now().UnixMicro())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			col := "not_useful"
			if useful {
				col = "useful"
			}
			if _, err := tx.exec(ctx, `UPDATE petitions SET `+col+` = `+col+` + 1 WHERE id = ?`, p.ID); err != nil {
				return err
			}
			if useful {
				p.Useful++
			} else {
				p.NotUseful++
			}
		}
		out = p
		return nil
	})
	return out, err
}

// PublishedPetitions lists the published answers received between from and
// to, newest first, of a unit ("" any) and a field ("" any): Open311's
// public list of requests.
func (db *DB) PublishedPetitions(ctx context.Context, unitCode, field string, from, to time.Time, limit int) ([]petition.Petition, error) {
	cond, args := "published = 1 AND received_at >= ? AND received_at <= ?", []any{micros(from), micros(to)}
	if unitCode != "" {
		cond, args = cond+" AND unit_code = ?", append(args, unitCode)
	}
	if field != "" {
		cond, args = cond+" AND field = ?", append(args, field)
	}
	return Petitions{DB: db}.page(ctx, `SELECT `+petitionCols+` FROM petitions WHERE `+cond+` ORDER BY received_at DESC, id DESC LIMIT ?`,
		append(args, limit))
}
