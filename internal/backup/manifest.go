// Package backup writes an installation's backup, its database and the
// uploaded files the database names, as one tar file with a manifest, and
// restores it into an empty installation, checking every file.
//
// One tar file rather than a folder: it is one thing to move off the
// machine, to keep or delete by its date, to give one permission to, and
// to rename into place at once when complete; and any system can list or
// unpack it with tar.
package backup

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/store"
)

// Format names the layout below; a restore refuses another.
const Format = "motcua-backup/1"

// Names inside the tar: the manifest comes last, once every file in it has
// been read and checked.
const (
	manifestName = "manifest.json"
	sqliteName   = "motcua.db"     // the SQLite snapshot
	pgdumpName   = "motcua.pgdump" // pg_dump's custom format
	filesPrefix  = "files/"        // files/SHA256
)

// Entry is one file of the backup.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest says what a backup holds.
type Manifest struct {
	Format   string           `json:"format"`
	Product  string           `json:"product_version"`
	Engine   string           `json:"engine"`
	Schema   int              `json:"schema_version"`
	Created  time.Time        `json:"created_at"`
	Database Entry            `json:"database"`
	Files    []Entry          `json:"files"`
	Counts   map[string]int64 `json:"counts"`
	// Purged are files that pending uploads in the snapshot named but that
	// the server's purge of day-old unsent uploads deleted before they were
	// copied. A restored server purges those uploads too.
	Purged []string `json:"purged,omitempty"`
}

// productVersion is the module version the binary was built from, or
// "(devel)".
func productVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// check refuses a manifest this program cannot restore.
func (m *Manifest) check() error {
	if m.Format != Format {
		return apperr.Invalid("backup", "Tệp sao lưu có định dạng "+m.Format+", chương trình này đọc "+Format,
			"the backup's format is "+m.Format+"; this program reads "+Format)
	}
	if m.Schema > store.LatestVersion() {
		return apperr.Invalid("backup", fmt.Sprintf("Bản sao lưu có lược đồ phiên bản %d, mới hơn chương trình này (%d): hãy khôi phục bằng phiên bản motcua mới hơn", m.Schema, store.LatestVersion()),
			fmt.Sprintf("the backup's schema version %d is newer than this program's %d: restore it with a newer motcua", m.Schema, store.LatestVersion()))
	}
	return nil
}

// entries indexes the manifest's files by name.
func (m *Manifest) entries() map[string]Entry {
	out := map[string]Entry{m.Database.Name: m.Database}
	for _, e := range m.Files {
		out[e.Name] = e
	}
	return out
}

func (m *Manifest) marshal() ([]byte, error) { return json.MarshalIndent(m, "", "  ") }
