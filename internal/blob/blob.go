// Package blob keeps uploaded files by the SHA-256 of their content. A file
// is written once and never changed, so the same scan handed in twice is
// kept once, a copy of the folder taken while the server runs is consistent
// file by file, and a name that is a checksum cannot climb out of the folder.
// Dir is the local-disk implementation; another backend (object storage) fits
// behind Store.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Info describes a stored file.
type Info struct {
	SHA256 string // lower-case hex
	Size   int64
}

// Store keeps immutable files named by their SHA-256.
type Store interface {
	// Put stores what r yields, at most max bytes. A longer stream is
	// ErrTooLarge, and nothing is kept.
	Put(ctx context.Context, r io.Reader, max int64) (Info, error)
	// Open returns the file's content; ErrNotFound if there is none.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
	// Stat tells whether the file is there and its size.
	Stat(ctx context.Context, sum string) (Info, error)
	// Delete removes the file; a missing file is not an error.
	Delete(ctx context.Context, sum string) error
}

// Errors.
var (
	ErrTooLarge = errors.New("blob: over the size limit")
	ErrNotFound = errors.New("blob: not found")
	ErrBadSum   = errors.New("blob: not a SHA-256 in hex")
)

// ValidSum tells whether s is a SHA-256 written as 64 lower-case hex digits.
func ValidSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Dir stores files under a folder: ab/cd/abcd…, two levels of 256 folders
// so that no folder grows too big to list, and tmp/ for files being written.
// The folders are made at the first Put, so a server that never receives a
// file leaves nothing on disk.
type Dir struct {
	Root string
}

// NewDir returns the store in root.
func NewDir(root string) *Dir { return &Dir{Root: root} }

func (d *Dir) path(sum string) string {
	return filepath.Join(d.Root, sum[:2], sum[2:4], sum)
}

// Put writes the stream to a temporary file while hashing it, syncs it and
// renames it to its checksum: a reader never sees half a file, and a crash
// leaves at most a stray temporary file.
func (d *Dir) Put(ctx context.Context, r io.Reader, max int64) (Info, error) {
	tmpDir := filepath.Join(d.Root, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return Info{}, err
	}
	f, err := os.CreateTemp(tmpDir, "put-*")
	if err != nil {
		return Info{}, err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	info, err := writeHashed(ctx, f, r, max)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Info{}, err
	}
	final := d.path(info.SHA256)
	if _, err := os.Stat(final); err == nil {
		return info, nil // the same content is already here
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Info{}, err
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return Info{}, err
	}
	return info, syncDir(filepath.Dir(final))
}

// writeHashed copies at most max bytes of r into f, hashing them, and syncs
// f. Files hold personal data: readable by the server's user only.
func writeHashed(ctx context.Context, f *os.File, r io.Reader, max int64) (Info, error) {
	if err := f.Chmod(0o640); err != nil {
		return Info{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, max+1))
	if err != nil {
		return Info{}, err
	}
	if n > max {
		return Info{}, ErrTooLarge
	}
	if err := f.Sync(); err != nil {
		return Info{}, err
	}
	return Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// ctxReader stops a long copy when the request is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// syncDir makes a rename durable: the new name lives in the folder.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Open opens a stored file.
func (d *Dir) Open(_ context.Context, sum string) (io.ReadSeekCloser, error) {
	if !ValidSum(sum) {
		return nil, ErrBadSum
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Stat reports a stored file's size.
func (d *Dir) Stat(_ context.Context, sum string) (Info, error) {
	if !ValidSum(sum) {
		return Info{}, ErrBadSum
	}
	st, err := os.Stat(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, ErrNotFound
	}
	if err != nil {
		return Info{}, err
	}
	return Info{SHA256: sum, Size: st.Size()}, nil
}

// Delete removes a stored file.
func (d *Dir) Delete(_ context.Context, sum string) error {
	if !ValidSum(sum) {
		return ErrBadSum
	}
	err := os.Remove(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Copy copies the files named by sums from one store to another, checking
// each against its name on the way: a file damaged on the source is
// reported, not spread. Files the target already has are skipped. It
// returns how many files it wrote.
func Copy(ctx context.Context, from, to Store, sums []string) (int, error) {
	n := 0
	for _, sum := range sums {
		if _, err := to.Stat(ctx, sum); err == nil {
			continue
		}
		if err := copyOne(ctx, from, to, sum); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func copyOne(ctx context.Context, from, to Store, sum string) error {
	src, err := from.Open(ctx, sum)
	if err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	defer src.Close()
	info, err := to.Put(ctx, src, 1<<40)
	if err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	if info.SHA256 != sum {
		// The bad copy stays under its own checksum, where nothing names
		// it; deleting it could remove a good file with that content.
		return fmt.Errorf("file %s is damaged on the source: its content hashes to %s", sum, info.SHA256)
	}
	return nil
}
