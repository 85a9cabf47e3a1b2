package store

import (
	"fmt"
	"testing"
)

func TestSegments(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"2026-01-01", "2026-12-31", "[m 2026-01..2026-12]"},
		{"2025-12-02", "2026-12-01", "[d 2025-12-02..2025-12-31 m 2026-01..2026-11 d 2026-12-01..2026-12-01]"},
		{"2026-03-05", "2026-03-20", "[d 2026-03-05..2026-03-20]"},
		{"2026-03-01", "2026-03-31", "[m 2026-03..2026-03]"},
		{"2026-03-01", "2026-03-30", "[d 2026-03-01..2026-03-30]"},
		{"2026-03-15", "2026-04-30", "[d 2026-03-15..2026-03-31 m 2026-04..2026-04]"},
		{"2026-03-15", "2026-04-10", "[d 2026-03-15..2026-03-31 d 2026-04-01..2026-04-10]"},
		{"2024-02-01", "2024-02-29", "[m 2024-02..2024-02]"}, // a leap year's February
		{"2023-02-01", "2023-02-28", "[m 2023-02..2023-02]"},
		{"2026-07-31", "2026-07-31", "[d 2026-07-31..2026-07-31]"},
		{"2000-01-01", "2999-12-31", "[m 2000-01..2999-12]"},
	} {
		segs, err := segments(c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		got := "["
		for i, s := range segs {
			if i > 0 {
				got += " "
			}
			g := "d"
			if s.month {
				g = "m"
			}
			got += fmt.Sprintf("%s %s..%s", g, s.lo, s.hi)
		}
		got += "]"
		if got != c.want {
			t.Errorf("segments(%s, %s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
	if _, err := segments("2026-13-01", "2026-12-01"); err == nil {
		t.Error("a bad date was accepted")
	}
}

func TestAncestors(t *testing.T) {
	for path, want := range map[string]string{"01/00004": "[01]", "01": "[]", "01/001/00004": "[01 001]", "": "[]"} {
		code := "00004"
		if path == "01" {
			code = "01"
		}
		if got := fmt.Sprint(ancestors(path, code)); got != want {
			t.Errorf("ancestors(%q) = %s, want %s", path, got, want)
		}
	}
}
