package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// Caching of public pages. A public page (the news list, an article, a
// feed) names the version of what it shows, a short string its store
// computes cheaply from indexes (news: store.News.Stamp). writeCached turns
// it into a weak ETag with the request's path, query and language, answers
// a matching If-None-Match with 304 Not Modified without rendering
// anything, and otherwise renders and sends the page. Only anonymous
// requests are cached, "public, max-age=60": a browser or a proxy may keep
// the page a minute, then asks again and mostly gets a 304. A signed-in
// visitor's page carries their name and menu, so it is never cached
// ("no-store", no ETag), and neither is an answer that sets a cookie (the
// language switch).
//
// Any module's public page can use it:
//
//	etag := pageETag(r, lang, version)
//	s.writeCached(w, r, etag, func() ([]byte, error) { return s.pageBytes(w, r, name, p) })

// publicMaxAge is how long a cache may serve a public page without asking.
const publicMaxAge = "public, max-age=60"

// pageETag is the weak validator of a page: the same version of the same
// address in the same language is the same page. Weak, since the bytes may
// differ in what the version leaves out on purpose (a view count).
func pageETag(r *http.Request, lang, version string) string {
	h := sha256.Sum256([]byte(r.URL.Path + "?" + r.URL.RawQuery + "|" + lang + "|" + r.Header.Get("HX-Request") + "|" + version))
	return `W/"` + hex.EncodeToString(h[:12]) + `"`
}

// writeCached answers a public GET: 304 when the client's copy is current,
// else the rendered body, with the caching headers described above. render
// also sets the content type and the security headers (pageBytes does).
func (s *Server) writeCached(w http.ResponseWriter, r *http.Request, etag string, render func() ([]byte, error)) {
	h := w.Header()
	cacheable := actor(r).Username == "" && h.Get("Set-Cookie") == ""
	if cacheable {
		h.Set("ETag", etag)
		h.Set("Cache-Control", publicMaxAge)
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			h.Set("Vary", "HX-Request, Cookie")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	} else {
		h.Set("Cache-Control", "no-store")
	}
	body, err := render()
	if err != nil {
		h.Del("ETag")
		h.Set("Cache-Control", "no-store")
		http.Error(w, "Lỗi hệ thống, vui lòng thử lại sau / internal error, please try again later", http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(body)
}

// etagMatch is If-None-Match's weak comparison (RFC 9110, 13.1.2): any
// listed tag equal to etag, W/ ignored, or "*".
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
