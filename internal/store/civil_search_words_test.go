package store

import (
	"fmt"
	"testing"
)

// TestFTSPrefix holds how SQLite's full-text query writes a prefix: as the
// unit's words it starts when there are some and not too many, else as a
// prefix query (a prefix the index covers finds no words to expand to).
func TestFTSPrefix(t *testing.T) {
	many := make([]string, civilPrefixWords+1)
	for i := range many {
		many[i] = fmt.Sprintf("hoa%02d", i)
	}
	words := map[string][]string{"hoa": {"hoa", "hoai", "hoang"}, "nguy": {"nguyen"}, "thi": many, "xyz": {}}
	for w, want := range map[string]string{
		"hoa":  `("00004_hoa" OR "00004_hoai" OR "00004_hoang")`,
		"nguy": `"00004_nguyen"`,
		"thi":  `"00004_thi"*`, // more words than civilPrefixWords
		"xyz":  `"00004_xyz"*`, // no word starts with it: FTS5 finds nothing at once
		"ng":   `"00004_ng"*`,  // two letters: the prefix index
	} {
		if got := ftsPrefix("00004", w, words); got != want {
			t.Errorf("ftsPrefix(%q) = %s, want %s", w, got, want)
		}
	}
}
