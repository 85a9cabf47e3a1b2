package backup

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/motcua/motcua/internal/apperr"
)

// maxManifest bounds the manifest read into memory: a million files take
// about 150 MB of it.
const maxManifest = 1 << 30

// ReadManifest finds the manifest at the end of the backup and checks that
// this program can restore it.
func ReadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f) // skips the members' content by seeking
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, notBackup(path, "no "+manifestName)
		}
		if err != nil {
			return nil, notBackup(path, err.Error())
		}
		if h.Name != manifestName {
			continue
		}
		var m Manifest
		if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(&m); err != nil {
			return nil, notBackup(path, "manifest: "+err.Error())
		}
		return &m, m.check()
	}
}

func notBackup(path, why string) error {
	return apperr.Invalid("backup", "Tệp "+path+" không phải bản sao lưu motcua đọc được ("+why+")",
		path+" is not a readable motcua backup ("+why+")")
}

// member is one file of the backup being read: its manifest entry and a
// reader that hashes what is read.
type member struct {
	Entry
	r io.Reader
}

// each reads every member but the manifest, in order, hands it to fn, and
// checks afterwards that fn read all of it and that its size and SHA-256
// match the manifest. Every file of the manifest must come once, and
// nothing else.
func each(ctx context.Context, path string, m *Manifest, fn func(member) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	want := m.entries()
	tr := tar.NewReader(f)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return notBackup(path, err.Error())
		}
		if h.Name == manifestName {
			continue
		}
		e, ok := want[h.Name]
		if !ok {
			return notBackup(path, "an unlisted or repeated member "+h.Name)
		}
		delete(want, h.Name)
		hr := sha256.New()
		n := &counter{}
		if err := fn(member{Entry: e, r: io.TeeReader(io.TeeReader(tr, hr), n)}); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		if _, err := io.Copy(io.Discard, io.TeeReader(io.TeeReader(tr, hr), n)); err != nil {
			return err
		}
		if sum := hex.EncodeToString(hr.Sum(nil)); sum != e.SHA256 || n.n != e.Size {
			return apperr.New(apperr.EINVALID,
				fmt.Sprintf("Tệp %s trong bản sao lưu bị hỏng: %d byte, SHA-256 %s; bản kê ghi %d byte, %s", h.Name, n.n, sum, e.Size, e.SHA256),
				fmt.Sprintf("%s in the backup is damaged: %d bytes, SHA-256 %s; the manifest says %d bytes, %s", h.Name, n.n, sum, e.Size, e.SHA256))
		}
	}
	for name := range want {
		return notBackup(path, "the manifest lists "+name+", which is missing")
	}
	return nil
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// Verify reads the whole backup and checks every file against its
// manifest, without unpacking anything.
func Verify(ctx context.Context, path string) (*Manifest, error) {
	m, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	return m, each(ctx, path, m, func(member) error { return nil })
}
