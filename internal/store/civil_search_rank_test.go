package store_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/vntext"
)

// TestCivilSearchRanksLikeItsRules checks every way a search reads its
// candidates (whole words that fill the page while the prefix matches are
// only counted; candidates read without their records, dated only for the
// page's scores; a parent's records driving the search) against the
// ranking rules written plainly: a record is scored by its best matching
// person, 2 when every word is a whole word of the name, 1 more for the
// principal person; then the newest registration, then the newest record;
// the total counts the matching records. The register is small, with few
// names and few dates, so that matches, ties and pages are many.
func TestCivilSearchRanksLikeItsRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		r := rand.New(rand.NewPCG(7, 11))
		families := []string{"Nguyễn", "Trần", "Hoàng", "Lê"}
		middles := []string{"Văn", "Thị", "Hữu", "Thị Hồng"}
		// One given name longer than the name index's prefix lexemes on
		// PostgreSQL (seven letters): its longer prefixes are matched
		// otherwise.
		givens := []string{"An", "Anh", "Hùng", "Hưng", "Hoa", "Hòa", "Hoàng", "Hà", "Khươngthịnh"}
		name := func() string {
			return families[r.IntN(len(families))] + " " + middles[r.IntN(len(middles))] + " " + givens[r.IntN(len(givens))]
		}
		dates := []string{"2001-03-04", "2001-03-05", "2010-07-01", "2015-12-31"}
		type person struct{ role, name, birth string }
		type record struct {
			id         int64
			kind, date string
			people     []person
		}
		var records []record
		books := map[string]int64{}
		for _, k := range []string{civil.KindBirth, civil.KindMarriage, civil.KindDeath} {
			books[k] = searchBook(t, st, demo.Ward, k, 2001, "01")
		}
		// At most three people a record: no query matches more people
		// than the cap (store.CivilSearchCap), which the rules here do not
		// model (TestCivilSearchCap does).
		for i := range 64 {
			rec := record{date: dates[r.IntN(len(dates))]}
			switch x := r.IntN(10); {
			case x < 6:
				rec.kind = civil.KindBirth
				rec.people = []person{{civil.RoleChild, name(), rec.date[:4] + "-01-01"}, {civil.RoleMother, name(), "1970"}, {civil.RoleFather, name(), "1968"}}
			case x < 8:
				rec.kind = civil.KindMarriage
				rec.people = []person{{civil.RoleHusband, name(), "1975"}, {civil.RoleWife, name(), "1977"}}
			default:
				rec.kind = civil.KindDeath
				rec.people = []person{{civil.RoleDeceased, name(), "1930"}}
			}
			var ps [][4]string
			for _, p := range rec.people {
				ps = append(ps, [4]string{p.role, p.name, p.birth, ""})
			}
			rec.id = searchRecord(t, st, books[rec.kind], demo.Ward, rec.kind, fmt.Sprint(i+1), rec.date, ps...)
			records = append(records, rec)
		}

		words := func(s string) []string {
			return strings.FieldsFunc(vntext.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		}
		has := func(name string, q []string, prefix bool) bool {
			have := words(name)
			for _, w := range q {
				if !slices.ContainsFunc(have, func(h string) bool { return h == w || prefix && strings.HasPrefix(h, w) }) {
					return false
				}
			}
			return true
		}
		type ranked struct {
			id    int64
			score float64
			date  string
		}
		// expect ranks the register by the rules.
		expect := func(q civil.Query) []ranked {
			qw, parent := words(q.Q), words(q.Parent)
			var out []ranked
			for _, rec := range records {
				if len(parent) > 0 && !slices.ContainsFunc(rec.people, func(p person) bool {
					return (p.role == civil.RoleMother || p.role == civil.RoleFather) && has(p.name, parent, true)
				}) {
					continue
				}
				best := -1.0
				for _, p := range rec.people {
					if !has(p.name, qw, true) || q.BirthYear != 0 && !strings.HasPrefix(p.birth, fmt.Sprint(q.BirthYear)) {
						continue
					}
					score := 0.0
					if has(p.name, qw, false) {
						score += 2
					}
					if p.role == civil.KindRoles(rec.kind)[0] {
						score++
					}
					best = max(best, score)
				}
				if best >= 0 {
					out = append(out, ranked{rec.id, best, rec.date})
				}
			}
			slices.SortFunc(out, func(a, b ranked) int {
				switch {
				case a.score != b.score:
					return -cmp.Compare(a.score, b.score)
				case a.date != b.date:
					return -strings.Compare(a.date, b.date)
				}
				return -cmp.Compare(a.id, b.id)
			})
			return out
		}

		queries := []civil.Query{
			{Q: "nguyen van an"}, {Q: "an nguyen"}, {Q: "nguyen h"}, {Q: "h"}, {Q: "hoang"}, {Q: "tran thi hong ha"},
			{Q: "thi"}, {Q: "nguyen", BirthYear: 2001}, {Q: "hu"}, {Q: "an", Parent: "tran thi h"}, {Q: "hoa", Parent: "le"},
			{Q: "h", Parent: "nguyen van"}, {Q: "khuongt"}, {Q: "khuongthi"}, {Q: "nguyen khuongthinh"},
		}
		for _, q := range queries {
			q.Unit = demo.Ward
			want := expect(q)
			for _, page := range [][2]int{{0, 5}, {0, 20}, {3, 7}, {20, 20}, {40, 100}} {
				q.Offset, q.Limit = page[0], page[1]
				hits, total, err := st.Search(context.Background(), q)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				if total != len(want) {
					t.Errorf("%q parent %q year %d page %v: total %d, want %d", q.Q, q.Parent, q.BirthYear, page, total, len(want))
				}
				wantPage := want[min(q.Offset, len(want)):min(q.Offset+q.Limit, len(want))]
				var got, exp []string
				for _, h := range hits {
					got = append(got, fmt.Sprintf("%d:%g", h.Record.ID, h.Score))
				}
				for _, w := range wantPage {
					exp = append(exp, fmt.Sprintf("%d:%g", w.id, w.score))
				}
				if !slices.Equal(got, exp) {
					t.Errorf("%q parent %q year %d page %v:\n got %v\nwant %v", q.Q, q.Parent, q.BirthYear, page, got, exp)
				}
			}
		}
	})
}

// TestCivilPrincipalRoles holds what the search's ranking relies on to
// score a person without reading the record: a role is the principal
// person of every kind that names it, or of none.
func TestCivilPrincipalRoles(t *testing.T) {
	principal := map[string]bool{}
	for _, k := range civil.Kinds {
		for i, role := range civil.KindRoles(k) {
			if was, ok := principal[role]; ok && was != (i == 0) {
				t.Errorf("role %s is principal in one kind and not in another (%s)", role, k)
			}
			principal[role] = i == 0
		}
	}
}
