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
	dir := t.TempDir()
	targets := map[string][]string{"sqlite": {"-data", dir, "-keep"}}
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
			if !strings.Contains(text, "name search, 1 client(s)") || !strings.Contains(text, "name search, 2 client(s)") {
				t.Errorf("no results for 1 and 2 clients in:\n%s", text)
			}
		})
	}

	// -existing searches the register the SQLite run kept, without
	// importing: the same -records regenerate the sample of people.
	out, err := exec.Command(binary(t), "bench", "civil", "-existing", "-data", dir, "-records", "2000", "-clients", "1", "-duration", "1s").CombinedOutput()
	if err != nil {
		t.Fatalf("bench civil -existing: %v\n%s", err, out)
	}
	text := string(out)
	if strings.Contains(text, "import:") || !regexp.MustCompile(`register: 2000 records \(\d+ people\)`).MatchString(text) ||
		!regexp.MustCompile(`(?m)^all searches\s+[1-9]\d*\s+\S+\s+\S+ms\s+\S+ms\s+\S+ms\s+0\b`).MatchString(text) {
		t.Errorf("-existing:\n%s", text)
	}
	if out, err := exec.Command(binary(t), "bench", "civil", "-existing", "-data", dir, "-records", "3000", "-duration", "1s").CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "holds 2000 records, not 3000") {
		t.Errorf("-existing with other -records: %v\n%s", err, out)
	}
}
