package civil_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"pgregory.net/rapid"
)

// FuzzParseDate: an accepted date is in its stored form (YYYY, YYYY-MM or
// YYYY-MM-DD), not after now, and reads again to itself; a refusal is an
// "invalid" in both languages.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1975", "03/1975", "12/03/1975", "1975-03-12", "29/02/2024", "31/04/1990", " 1.2.1900 ", "", "0/0/0", "-1", "1/1/10000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := civil.ParseDate(s, now)
		if err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Message == "" || e.MessageEn == "" {
				t.Fatalf("%q: refusal %#v", s, err)
			}
			return
		}
		if got == "" {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("%q read as empty", s)
			}
			return
		}
		if n := len(got); (n != 4 && n != 7 && n != 10) || got[:4] > "2026" || (n == 10 && got > "2026-03-02") {
			t.Fatalf("%q → %q", s, got)
		}
		if again, err := civil.ParseDate(got, now); err != nil || again != got {
			t.Fatalf("%q → %q → %q, %v", s, got, again, err)
		}
	})
}

// TestDiffProperties: a record's own key fields, typed again in any case
// and spacing, differ in nothing; changing one field's letters (not only
// its case) makes exactly that field differ.
func TestDiffProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		letters := rapid.SampledFrom([]string{"a", "à", "ă", "ắ", "â", "ầ", "đ", "e", "ê", "ễ", "o", "ơ", "ợ", "u", "ư", "ự", "y", "ỷ", "n", "g", "h"})
		word := func(label string) string {
			return strings.Join(rapid.SliceOfN(letters, 1, 6).Draw(rt, label), "")
		}
		name := word("w1") + " " + word("w2")
		r := &civil.Record{Kind: civil.KindDeath, Entry: rapid.StringMatching(`[0-9]{1,4}`).Draw(rt, "entry"),
			People: []civil.Person{{Role: civil.RoleDeceased, FullName: name}}, Fields: map[string]string{"death_date": "2001-02-03"}}
		blind := map[string]string{}
		for _, k := range civil.KeyFields(r) {
			blind[k] = "  " + strings.ToUpper(r.Field(k)) + " "
		}
		if d := civil.Diff(r, blind); len(d) != 0 {
			rt.Fatalf("same values differ: %+v", d)
		}
		blind["deceased.full_name"] = name + "x"
		if d := civil.Diff(r, blind); len(d) != 1 || d[0].Field != "deceased.full_name" {
			rt.Fatalf("changed name: %+v", d)
		}
	})
}
