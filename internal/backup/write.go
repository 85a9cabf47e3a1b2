package backup

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/store"
)

// Source is the installation to back up: the open database, its address
// (pg_dump connects by it) and the files folder.
type Source struct {
	DB    *store.DB
	DSN   string
	Files *blob.Dir
}

// Write backs the installation up into dest while it stays in use. The
// database is copied in one snapshot (SQLite's VACUUM INTO, or pg_dump),
// then the files that snapshot names: files are written whole before any
// row names them and never changed, so each one is already there. The tar
// is written under a temporary name, readable by its owner only, synced,
// read back and checked against its manifest, and only then renamed to
// dest. dest must not exist.
func Write(ctx context.Context, src Source, dest string) (*Manifest, error) {
	if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.New(apperr.ECONFLICT, "Tệp "+dest+" đã tồn tại; hãy chọn tên khác", dest+" already exists; choose another name")
	}
	dir := filepath.Dir(dest)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(dir, ".motcua-backup-") // 0700, on dest's disk
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	m := &Manifest{Format: Format, Product: productVersion(), Engine: src.DB.Engine, Created: time.Now().UTC().Truncate(time.Second),
		Files: []Entry{}}
	dbPath, facts, err := snapshot(ctx, src, work)
	if err != nil {
		return nil, err
	}
	m.Schema, m.Counts = facts.Version, facts.Counts
	if m.Database, err = hashFile(dbPath, filepath.Base(dbPath)); err != nil {
		return nil, err
	}
	tmp := dest + ".tmp-" + randomHex()
	defer os.Remove(tmp) // a no-op once renamed
	if err := writeTar(ctx, tmp, dbPath, src.Files, facts.Files, m); err != nil {
		return nil, err
	}
	if _, err := Verify(ctx, tmp); err != nil {
		return nil, fmt.Errorf("backup: the written file failed its check: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return nil, err
	}
	_ = syncPath(dir) // best effort: not every system syncs a folder
	return m, nil
}

// snapshot copies the database into work and returns the copy's path with
// the facts of the same snapshot.
func snapshot(ctx context.Context, src Source, work string) (string, store.Facts, error) {
	if src.DB.Engine == store.Postgres {
		path := filepath.Join(work, pgdumpName)
		facts, err := src.DB.DumpPostgres(ctx, src.DSN, path)
		return path, facts, err
	}
	path := filepath.Join(work, sqliteName)
	if err := src.DB.Backup(ctx, path); err != nil {
		return "", store.Facts{}, err
	}
	facts, err := store.ReadFacts(ctx, path)
	return path, facts, err
}

// writeTar writes the database copy, the files and, last, the manifest.
func writeTar(ctx context.Context, path, dbPath string, files *blob.Dir, refs []store.FileRef, m *Manifest) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := addFile(tw, m.Database.Name, dbPath, m.Created); err != nil {
		return err
	}
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		e, err := addBlob(ctx, tw, files, ref.SHA256, m.Created)
		if errors.Is(err, blob.ErrNotFound) && !ref.Bound {
			m.Purged = append(m.Purged, ref.SHA256)
			continue
		}
		if err != nil {
			return err
		}
		m.Files = append(m.Files, e)
	}
	body, err := m.marshal()
	if err != nil {
		return err
	}
	if err := addBytes(tw, manifestName, body, m.Created); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return f.Sync()
}

// addBlob copies one uploaded file into the tar, checking that its content
// still hashes to its name: a file damaged on the server is reported now.
func addBlob(ctx context.Context, tw *tar.Writer, files *blob.Dir, sum string, at time.Time) (Entry, error) {
	info, err := files.Stat(ctx, sum)
	if err != nil {
		return Entry{}, fmt.Errorf("file %s: %w", sum, err)
	}
	r, err := files.Open(ctx, sum)
	if err != nil {
		return Entry{}, fmt.Errorf("file %s: %w", sum, err)
	}
	defer r.Close()
	e := Entry{Name: filesPrefix + sum, Size: info.Size, SHA256: sum}
	if err := tw.WriteHeader(header(e.Name, e.Size, at)); err != nil {
		return e, err
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), r, e.Size); err != nil {
		return e, fmt.Errorf("file %s: %w", sum, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return e, fmt.Errorf("file %s is damaged in the files folder: its content hashes to %s", sum, got)
	}
	return e, nil
}

func addFile(tw *tar.Writer, name, path string, at time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(header(name, st.Size(), at)); err != nil {
		return err
	}
	_, err = io.CopyN(tw, f, st.Size())
	return err
}

func addBytes(tw *tar.Writer, name string, body []byte, at time.Time) error {
	if err := tw.WriteHeader(header(name, int64(len(body)), at)); err != nil {
		return err
	}
	_, err := tw.Write(body)
	return err
}

// header describes a member readable by its owner only, as unpacked by tar.
func header(name string, size int64, at time.Time) *tar.Header {
	return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: at, Format: tar.FormatPAX}
}

// hashFile returns the entry of the file at path.
func hashFile(path, name string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return Entry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
