package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/population"
)

// TestPopulationServe runs `motcua population serve` on a file of people
// and a loopback port, with a key, and asks it as the server would.
func TestPopulationServe(t *testing.T) {
	file := filepath.Join(t.TempDir(), "people.json")
	if err := os.WriteFile(file, []byte(`[{"so_dinh_danh":"001090012345","ho_ten":"Lý Văn Phúc","ngay_sinh":"1990-01-05","gioi_tinh":"nam","thuong_tru":"Hà Nội"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(populationKeyEnv, "khoa")
	out := &syncBuffer{}
	m := &Main{Stdout: out, Stderr: io.Discard}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"population", "serve", "--file", file, "--addr", "127.0.0.1:0"}) }()
	addr := regexp.MustCompile(`http://(\S+)/v1/cong-dan/tra-cuu`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		t.Fatalf("no address printed: %q", out.String())
	}
	reg, err := populationRegistry(base)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := reg.Lookup(ctx, "001090012345"); err != nil || p.FullName != "Lý Văn Phúc" || p.BirthDate != "1990-01-05" {
		t.Fatalf("lookup: %+v, %v", p, err)
	}
	if _, err := reg.Lookup(ctx, "001190012345"); err != population.ErrNotFound {
		t.Fatalf("unknown: %v", err)
	}
	if _, err := population.NewHTTPRegistry(base, "sai").Lookup(ctx, "001090012345"); err == nil {
		t.Fatal("a wrong key was answered")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve ended with %v", err)
	}
	if _, err := populationRegistry(""); err == nil {
		t.Error("a key without an address was accepted")
	}
	t.Setenv(populationKeyEnv, "")
	if r, err := populationRegistry(""); r != nil || err != nil {
		t.Errorf("nothing configured: %v, %v", r, err)
	}
}
