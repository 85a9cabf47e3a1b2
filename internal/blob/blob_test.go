package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sumOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	d := NewDir(filepath.Join(t.TempDir(), "files"))
	body := []byte("%PDF-1.4 đơn đăng ký")
	info, err := d.Put(ctx, bytes.NewReader(body), 100)
	if err != nil {
		t.Fatal(err)
	}
	if info.SHA256 != sumOf(body) || info.Size != int64(len(body)) {
		t.Fatalf("info %+v", info)
	}
	// The same content again is kept once.
	if again, err := d.Put(ctx, bytes.NewReader(body), 100); err != nil || again != info {
		t.Fatalf("second put: %+v %v", again, err)
	}
	f, err := d.Open(ctx, info.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, body) {
		t.Fatalf("read back %q", got)
	}
	st, err := os.Stat(d.path(info.SHA256))
	if err != nil || st.Mode().Perm()&0o007 != 0 {
		t.Fatalf("the file is readable by others: %v %v", st.Mode(), err)
	}
	if left, _ := os.ReadDir(filepath.Join(d.Root, "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if err := d.Delete(ctx, info.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, info.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open after delete: %v", err)
	}
	if err := d.Delete(ctx, info.SHA256); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestPutTooLarge(t *testing.T) {
	d := NewDir(t.TempDir())
	_, err := d.Put(context.Background(), strings.NewReader(strings.Repeat("x", 11)), 10)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("11 bytes with a limit of 10: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(d.Root, "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if info, err := d.Put(context.Background(), strings.NewReader(strings.Repeat("x", 10)), 10); err != nil || info.Size != 10 {
		t.Fatalf("exactly the limit: %+v %v", info, err)
	}
}

// TestBadNames keeps names that are not checksums out of the file system.
func TestBadNames(t *testing.T) {
	d := NewDir(t.TempDir())
	for _, s := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63) + "/"} {
		if _, err := d.Open(context.Background(), s); !errors.Is(err, ErrBadSum) {
			t.Errorf("Open(%q): %v", s, err)
		}
		if _, err := d.Stat(context.Background(), s); !errors.Is(err, ErrBadSum) {
			t.Errorf("Stat(%q): %v", s, err)
		}
	}
}

func TestCopyChecksContent(t *testing.T) {
	ctx := context.Background()
	from, to := NewDir(t.TempDir()), NewDir(t.TempDir())
	a, _ := from.Put(ctx, strings.NewReader("một"), 100)
	b, _ := from.Put(ctx, strings.NewReader("hai"), 100)
	if n, err := Copy(ctx, from, to, []string{a.SHA256, b.SHA256}); err != nil || n != 2 {
		t.Fatalf("copy: %d %v", n, err)
	}
	if n, err := Copy(ctx, from, to, []string{a.SHA256, b.SHA256}); err != nil || n != 0 {
		t.Fatalf("copy again: %d %v", n, err)
	}
	// A file damaged on the source is refused.
	c, _ := from.Put(ctx, strings.NewReader("ba"), 100)
	if err := os.WriteFile(from.path(c.SHA256), []byte("bốn"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Copy(ctx, from, to, []string{c.SHA256}); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged source: %v", err)
	}
	if _, err := to.Stat(ctx, c.SHA256); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the damaged file was copied under its old name: %v", err)
	}
}
