package civil

import (
	"github.com/motcua/motcua/internal/vntext"
)

// Reasons a pair of records is flagged as a likely duplicate.
const (
	DupSameParent = "same_parent" // same folded name, birth date and a parent's folded name
	DupNameDate   = "name_date"   // same folded name and birth date
	DupNearName   = "near_name"   // one edit apart on the folded name, same birth date
)

// DupStatus is what a reviewer decided about a flagged pair.
const (
	DupOpen      = "open"
	DupDismissed = "dismissed"
	DupMerged    = "merged"
	DupObsolete  = "obsolete" // closed because one of its records was merged by another pair
)

// Duplicate is a flagged pair of records.
type Duplicate struct {
	ID        int64   `json:"id"`
	UnitCode  string  `json:"unit_code"`
	A         int64   `json:"a"` // the earlier record
	B         int64   `json:"b"` // the record whose entry raised the flag
	Reason    string  `json:"reason"`
	Score     float64 `json:"score"`
	Status    string  `json:"status"`
	DecidedBy string  `json:"decided_by,omitempty"`
	DecidedAt int64   `json:"-"`
	// Read only: the two records' principal names, for the review list.
	NameA string `json:"name_a,omitempty"`
	NameB string `json:"name_b,omitempty"`
}

// DupKey is what candidates are looked up by: the principal's folded name
// and birth date. ok is false when the record has no principal with a
// full birth date (a year alone matches too many people to flag).
func DupKey(r *Record) (name, birthDate string, ok bool) {
	p := r.Principal()
	if p == nil || len(p.BirthDate) != len("2006-01-02") {
		return "", "", false
	}
	return vntext.Fold(p.FullName), p.BirthDate, true
}

// Likely compares two records of the same kind and tells whether they are
// likely the same registration: the reason and a score in (0, 1], the
// higher the likelier.
func Likely(a, b *Record) (reason string, score float64, ok bool) {
	if a.Kind != b.Kind || a.ID == b.ID && a.ID != 0 {
		return "", 0, false
	}
	na, da, oka := DupKey(a)
	nb, db, okb := DupKey(b)
	if !oka || !okb || da != db {
		return "", 0, false
	}
	switch {
	case na == nb && shareParent(a, b):
		return DupSameParent, 1, true
	case na == nb:
		return DupNameDate, 0.8, true
	case Levenshtein(na, nb) == 1:
		return DupNearName, 0.6, true
	}
	return "", 0, false
}

// shareParent tells whether the two records name a parent with the same
// folded name.
func shareParent(a, b *Record) bool {
	for _, x := range a.Parents() {
		for _, y := range b.Parents() {
			if fx := vntext.Fold(x); fx != "" && fx == vntext.Fold(y) {
				return true
			}
		}
	}
	return false
}

// Levenshtein is the edit distance between two strings, counted in
// characters (runes), not bytes.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
