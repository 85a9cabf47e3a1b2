package news

import (
	"cmp"
	"slices"
)

// Rank orders the candidates for "related articles" of a: two points for
// each word of a's title they share (words of three letters or more), one
// for the same category; a itself, duplicates and those scoring nothing
// are left out; ties go to the latest published. At most n.
func Rank(a *Article, cands []Article, n int) []Article {
	words := map[string]bool{}
	for _, w := range Words(a.Title) {
		if len(w) >= 3 {
			words[w] = true
		}
	}
	type scored struct {
		Article
		score int
	}
	seen := map[int64]bool{a.ID: true}
	var out []scored
	for _, c := range cands {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		score, shared := 0, map[string]bool{}
		for _, w := range Words(c.Title) {
			if words[w] && !shared[w] {
				shared[w] = true
				score += 2
			}
		}
		if c.Category == a.Category {
			score++
		}
		if score > 0 {
			out = append(out, scored{c, score})
		}
	}
	slices.SortStableFunc(out, func(x, y scored) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := y.PublishAt.Compare(x.PublishAt); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
	res := make([]Article, 0, min(n, len(out)))
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].Article)
	}
	return res
}
