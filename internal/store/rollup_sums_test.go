package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/stats"
)

func TestSegments(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"2026-01-01", "2026-12-31", "[m 2026-01..2026-12]"},
		// a year from the 2nd: twelve months less a day, plus a day
		{"2025-12-02", "2026-12-01", "[m 2025-12..2026-11 +d 2026-12-01..2026-12-01 -d 2025-12-01..2025-12-01]"},
		{"2026-03-05", "2026-03-20", "[m 2026-03..2026-03 -d 2026-03-01..2026-03-04 -d 2026-03-21..2026-03-31]"},
		{"2026-03-05", "2026-03-15", "[+d 2026-03-05..2026-03-15]"}, // 11 of 31 days
		{"2026-03-01", "2026-03-31", "[m 2026-03..2026-03]"},
		{"2026-03-01", "2026-03-30", "[m 2026-03..2026-03 -d 2026-03-31..2026-03-31]"},
		{"2026-03-15", "2026-04-30", "[m 2026-03..2026-04 -d 2026-03-01..2026-03-14]"},
		{"2026-03-20", "2026-04-10", "[+d 2026-03-20..2026-03-31 +d 2026-04-01..2026-04-10]"},
		{"2026-01-10", "2026-05-10", "[m 2026-01..2026-04 +d 2026-05-01..2026-05-10 -d 2026-01-01..2026-01-09]"},
		{"2026-01-20", "2026-05-25", "[+d 2026-01-20..2026-01-31 m 2026-02..2026-05 -d 2026-05-26..2026-05-31]"},
		{"2024-02-01", "2024-02-29", "[m 2024-02..2024-02]"}, // a leap year's February
		{"2023-02-01", "2023-02-28", "[m 2023-02..2023-02]"},
		{"2024-02-15", "2024-02-29", "[m 2024-02..2024-02 -d 2024-02-01..2024-02-14]"}, // 15 of 29 days
		{"2023-02-15", "2023-02-28", "[+d 2023-02-15..2023-02-28]"},                    // 14 of 28 days
		{"2026-07-31", "2026-07-31", "[+d 2026-07-31..2026-07-31]"},
		{"2000-01-01", "2999-12-31", "[m 2000-01..2999-12]"},
	} {
		segs, err := segments(c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		if got := segmentsText(segs); got != c.want {
			t.Errorf("segments(%s, %s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
	if _, err := segments("2026-13-01", "2026-12-01"); err == nil {
		t.Error("a bad date was accepted")
	}
}

func segmentsText(segs []segment) string {
	got := "["
	for i, s := range segs {
		if i > 0 {
			got += " "
		}
		g := map[int64]string{1: "+d", -1: "-d"}[s.sign]
		if s.month {
			g = "m"
		}
		got += fmt.Sprintf("%s %s..%s", g, s.lo, s.hi)
	}
	return got + "]"
}

// TestPastSegments: the segments of the past days read from memory never
// hold a month whose later days may still take writes.
func TestPastSegments(t *testing.T) {
	for _, c := range []struct {
		from, end string
		want      string
	}{
		{"2025-12-08", "2026-12-05", "[m 2025-12..2026-11 -d 2025-12-01..2025-12-07 +d 2026-12-01..2026-12-05]"},
		{"2026-12-02", "2026-12-20", "[+d 2026-12-02..2026-12-20]"}, // segments would take December less 11 days
		{"2026-01-01", "2026-11-30", "[m 2026-01..2026-11]"},
		{"2026-11-20", "2026-12-25", "[+d 2026-11-20..2026-11-30 +d 2026-12-01..2026-12-25]"},
		{"2026-12-01", "2026-12-01", "[+d 2026-12-01..2026-12-01]"},
	} {
		segs, err := pastSegments(c.from, c.end)
		if err != nil {
			t.Fatal(err)
		}
		if got := segmentsText(segs); got != c.want {
			t.Errorf("pastSegments(%s, %s) = %s, want %s", c.from, c.end, got, c.want)
		}
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

// TestLateSumsMoveTheEpoch: a roll-up written for a day other than the
// writer's today moves sums_epoch in its transaction (the servers' copies
// of past days are read again, sums_cache.go); one of today does not.
func TestLateSumsMoveTheEpoch(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, stats.Zone)
	db.Now = func() time.Time { return now }
	epoch := func() int64 {
		t.Helper()
		n, err := db.sumsEpoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	add := func(day string) {
		t.Helper()
		k := stats.Key{UnitCode: "00004", ProcedureCode: "1.001612", Day: day, Channel: 2}
		if err := db.inTx(ctx, func(tx *Tx) error { return addCounts(ctx, tx, k, map[string]int64{stats.Received: 1}) }); err != nil {
			t.Fatal(err)
		}
	}
	before := epoch()
	add("2026-03-10")
	if n := epoch(); n != before {
		t.Errorf("today's sums moved the epoch: %d → %d", before, n)
	}
	add("2026-03-02")
	if n := epoch(); n != before+1 {
		t.Errorf("a past day's sums: epoch %d, want %d", n, before+1)
	}
}
