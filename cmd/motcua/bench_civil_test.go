package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestBenchCivilCommand runs a small `motcua bench civil` on each engine, so
// that the benchmark of the civil-status import and search cannot rot: the
// import reports its rate, the plans show the name index, every search of
// the mix ran without an error.
func TestBenchCivilCommand(t *testing.T) {
	targets := map[string][]string{"sqlite": {"-data", t.TempDir()}}
	if url := os.Getenv("MOTCUA_TEST_POSTGRES"); url != "" {
		targets["postgres"] = []string{"-engine", "postgres", "-dsn", url}
	}
	for engine, where := range targets {
		t.Run(engine, func(t *testing.T) {
			args := append([]string{"bench", "civil", "-records", "2000", "-clients", "2", "-duration", "2s"}, where...)
			out, err := exec.Command(binary(t), args...).CombinedOutput()
			if err != nil {
				t.Fatalf("bench civil: %v\n%s", err, out)
			}
			text := string(out)
			if !regexp.MustCompile(`import: 2000 records \(\d+ people\) of \d+ communes in \S+: \d+ records/s`).MatchString(text) {
				t.Errorf("no import line in:\n%s", text)
			}
			index := map[string]string{"sqlite": "VIRTUAL TABLE INDEX", "postgres": "civil_people"}[engine]
			if !strings.Contains(text, "plan of the search") || !strings.Contains(text, index) {
				t.Errorf("no plan with %q in:\n%s", index, text)
			}
			for _, op := range []string{"full name, unaccented", "partial name", "name + birth year", "given name + parent's name",
				"ID number", "all searches"} {
				row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(op) + `\s+([1-9]\d*)\s+\S+\s+\S+ms\s+\S+ms\s+\S+ms\s+0\b`)
				if !row.MatchString(text) {
					t.Errorf("no clean line for %q in:\n%s", op, text)
				}
			}
		})
	}
}
