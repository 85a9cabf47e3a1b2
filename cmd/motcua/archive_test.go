package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestArchiveCommand runs the built binary: the number of years is
// required and checked (for serve's setting too), and a run with nothing
// old enough moves nothing and says so.
func TestArchiveCommand(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{{"archive"}, {"archive", "--older-than-years", "0"}, {"archive", "--older-than-years", "-3"},
		{"archive", "--older-than-years", "5", "--batch", "0"}, {"serve", "--archive-after-years", "-1", "--addr", "127.0.0.1:0"}} {
		out, err := exec.Command(binary(t), append(args, "--data", data)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "Lỗi") || !strings.Contains(string(out), "Error:") {
			t.Errorf("motcua %s: %v, want a refusal in Vietnamese and English\n%s", strings.Join(args, " "), err, out)
		}
	}
	out, err := exec.Command(binary(t), "archive", "--older-than-years", "10", "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "archive: 0 dossiers that ended before") {
		t.Errorf("archive on an empty database: %v\n%s", err, out)
	}
}
