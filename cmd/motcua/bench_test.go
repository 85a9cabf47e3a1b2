package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBenchCommand runs `motcua bench` whole on a small province: it loads
// the dataset, starts a real server, drives every operation over HTTP and
// measures the engine ceiling; every operation must answer without errors
// (a second per operation, two on PostgreSQL: a transaction of 100 dossiers
// there took 1.6 s on a busy machine, and a run waits twice its duration).
// On PostgreSQL too when MOTCUA_TEST_POSTGRES names a server.
func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and loads a dataset")
	}
	targets := map[string][]string{"sqlite": {"-data", t.TempDir(), "-duration", "1s"}}
	if url := os.Getenv("MOTCUA_TEST_POSTGRES"); url != "" {
		targets["postgres"] = []string{"-db", url, "-duration", "2s"}
	}
	for engine, where := range targets {
		t.Run(engine, func(t *testing.T) {
			profile := filepath.Join(t.TempDir(), "load.prof")
			args := append([]string{"bench", "-dossiers", "400", "-clients", "4", "-pool", "100", "-loadprofile", profile}, where...)
			out, err := exec.Command(binary(t), args...).CombinedOutput()
			if err != nil {
				t.Fatalf("bench: %v\n%s", err, out)
			}
			text := string(out)
			for _, op := range []string{"submit at the counter", "action receive", "action forward", "action approve", "action finish",
				"action return_result", "public lookup", "officer queue (status 4)", "stats, commune, 1 year", "stats, province, 1 year",
				"index, commune, 1 year", "ranking, province, 1 year", "ranking page + 12-month chart, 1 client",
				"1 dossier per transaction", "100 dossiers per transaction"} {
				// name, requests, per s, p50, p95, p99, errors: some requests, none failed
				row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(op) + `\s+([1-9]\d*)\s+\S+\s+\S+ms\s+\S+ms\s+\S+ms\s+0\b`)
				if !row.MatchString(text) {
					t.Errorf("no clean line for %q in:\n%s", op, text)
				}
			}
			for _, want := range []string{"loaded:", "server memory: peak", "targets:", "of the one-transaction ceiling"} {
				if !strings.Contains(text, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if err := checkProfile(profile); err != nil {
				t.Errorf("the load's CPU profile: %v", err)
			}
		})
	}
}

// checkProfile reads a CPU profile as pprof writes it (gzip-compressed
// protocol buffers) far enough to tell it is one: its string table names
// the sample types.
func checkProfile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(z)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte("samples")) || !bytes.Contains(b, []byte("nanoseconds")) {
		return fmt.Errorf("no CPU sample types in its %d bytes", len(b))
	}
	return nil
}
