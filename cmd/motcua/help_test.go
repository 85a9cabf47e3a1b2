package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestHelp runs the built binary asking for help in every way people type
// it: it prints the usage, exits 0 and prints no error line.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}, {"migrate", "-h"},
		{"units", "--help"}, {"calendar", "help"}, {"calendar", "show", "-h"}, {"units", "import", "--help"},
		{"backup", "--help"}, {"restore", "-h"}, {"population", "serve", "--help"}} {
		cmd := exec.Command(binary(t), args...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		all := out.String() + errOut.String()
		if err != nil || !strings.Contains(all, "Usage") {
			t.Errorf("motcua %s: %v, want exit 0 with the usage\n%s", strings.Join(args, " "), err, all)
		}
		if strings.Contains(all, "Lỗi") || strings.Contains(all, "help requested") || strings.Contains(all, "unknown command") {
			t.Errorf("motcua %s printed an error line:\n%s", strings.Join(args, " "), all)
		}
	}
	if err := exec.Command(binary(t), "nonsense").Run(); err == nil {
		t.Error("an unknown command exits 0")
	}
}
