package evaluation

import "testing"

// FuzzParsePeriod: any text is either refused with a named field, or a
// period whose key is the text, one month or one quarter long.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-03", "2026-Q1", "2026-13", "2026-Q5", "26-03", "", "2026-03 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		months := (p.To.Year()-p.From.Year())*12 + int(p.To.Month()) - int(p.From.Month())
		if p.Key != s || p.From.Day() != 1 || (months != 1 && months != 3) {
			t.Fatalf("%q: %+v", s, p)
		}
	})
}
