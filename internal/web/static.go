package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file with the checksum that versions its URL,
// so that browsers may cache it for a year and still see every change.
type asset struct {
	body  []byte
	sum   string
	ctype string
}

func loadAssets() (map[string]asset, error) {
	out := map[string]asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		out[path.Base(p)] = asset{body: b, sum: hex.EncodeToString(h[:])[:12], ctype: ct}
		return nil
	})
	return out, err
}

// staticURL is the versioned address of a static file.
func (u *ui) staticURL(name string) string {
	a, ok := u.assets[name]
	if !ok {
		return "/static/" + name
	}
	return "/static/" + name + "?v=" + a.sum
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a, ok := s.ui.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	if r.URL.Query().Get("v") == a.sum {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Header().Set("ETag", `"`+a.sum+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
