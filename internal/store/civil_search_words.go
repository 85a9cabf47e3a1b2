package store

import (
	"context"
	"strings"
	"unicode/utf8"
)

// civilPrefixWords bounds the words a prefix is searched as. A prefix
// that starts more of the unit's words is searched as a prefix.
const civilPrefixWords = 64

// civilPrefixIndexed is the longest prefix (in letters after the unit's
// code) that SQLite's name index has a prefix index for (migration 0035:
// prefix = '7 8', a five-digit code, '_' and one or two letters).
const civilPrefixIndexed = 2

// prefixWords finds, on SQLite, the words of the unit that start with each
// of the query's words longer than the prefix index covers (see
// civil_name_words, migration 0035): a prefix query of such a word would
// make FTS5 read and merge the whole posting lists of every term that
// starts with it before its first row, where a disjunction of the words is
// merged lazily, newest row first, only as far as the query's LIMIT.
func (s Civil) prefixWords(ctx context.Context, unit string, lists ...[]string) (map[string][]string, error) {
	if s.DB.Engine != SQLite {
		return nil, nil
	}
	out := map[string][]string{}
	for _, words := range lists {
		for _, w := range words {
			if _, done := out[w]; done || utf8.RuneCountInString(w) <= civilPrefixIndexed {
				continue
			}
			found, err := column[string](s.DB.query(ctx, `SELECT word FROM civil_name_words WHERE unit_code = ? AND word >= ? AND word < ?
				ORDER BY word LIMIT ?`, unit, w, w+"\U0010FFFF", civilPrefixWords+1))
			if err != nil {
				return nil, normalize(err)
			}
			out[w] = found
		}
	}
	return out, nil
}

// ftsPrefix is SQLite's full-text query of the words of the unit that
// start with w: the disjunction of the words prefixWords found, or the
// prefix query when it found none (the prefix then starts no term, and
// FTS5 finds that at once) or too many, or w is covered by the prefix index.
func ftsPrefix(unit, w string, words map[string][]string) string {
	found := words[w]
	if len(found) == 0 || len(found) > civilPrefixWords {
		return `"` + unit + "_" + w + `"*`
	}
	terms := make([]string, len(found))
	for i, f := range found {
		terms[i] = `"` + unit + "_" + f + `"`
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return "(" + strings.Join(terms, " OR ") + ")"
}
