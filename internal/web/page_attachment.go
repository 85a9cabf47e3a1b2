package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
)

// attachmentFile sends one file of a dossier to those who may see the
// dossier: for anyone else the dossier, and so the file, is "not found".
// Files come from applicants, so they are always downloaded, never shown
// in the site's own origin, and the browser is told not to guess their
// type or run anything in them.
func (s *Server) attachmentFile(w http.ResponseWriter, r *http.Request) {
	_, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f, err := s.DB.DossierAttachment(r.Context(), d.ID, id)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if s.Files == nil {
		s.pageFail(w, r, errFileGone)
		return
	}
	body, err := s.Files.Open(r.Context(), f.SHA256)
	if errors.Is(err, blob.ErrNotFound) {
		s.Log.Error("attachment missing from the file store", "dossier", d.Code, "sha256", f.SHA256)
		err = errFileGone
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.FileName})
	if disp == "" { // a name the header cannot carry: the file is still downloaded, under the browser's name
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", f.UploadedAt, body)
}

var errFileGone = apperr.NotFound("Tệp này không còn trên máy chủ; vui lòng báo quản trị", "this file is missing from the server; please tell the administrator")
