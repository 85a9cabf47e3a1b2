package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// attachmentFile sends one file of a dossier to those who may see the
// dossier: for anyone else the dossier, and so the file, is "not found".
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
	s.sendFile(w, r, d, f, s.pageFail)
}

// resultFilePage sends the dossier's signed result file from the dossier
// page: see resultFileFor for who may have it.
func (s *Server) resultFilePage(w http.ResponseWriter, r *http.Request) {
	a, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	f, err := s.resultFileFor(r.Context(), a, d)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.sendFile(w, r, d, f, s.pageFail)
}

var errNoResultFile = apperr.NotFound("Không tìm thấy tệp kết quả", "result file not found")

// resultFileFor returns the dossier's result file if a may download it:
// officers who may see the dossier, and its applicant once the result was
// returned. Anyone else never gets this far: the dossier is not found.
func (s *Server) resultFileFor(ctx context.Context, a auth.Actor, d *dossier.Dossier) (*store.Attachment, error) {
	if !d.Result.Electronic() || !resultVisible(a, d) {
		return nil, errNoResultFile
	}
	return s.DB.ResultAttachment(ctx, d.ID)
}

// resultVisible tells whether a may download d's result file, given that
// a may see d.
func resultVisible(a auth.Actor, d *dossier.Dossier) bool {
	return a.IsOfficer() || d.Status == dossier.StatusReturned
}

// sendFile sends a stored file. Files come from applicants and officers,
// so they are always downloaded, never shown in the site's own origin, and
// the browser is told not to guess their type or run anything in them.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, d *dossier.Dossier, f *store.Attachment,
	fail func(http.ResponseWriter, *http.Request, error)) {
	if s.Files == nil {
		fail(w, r, errFileGone)
		return
	}
	body, err := s.Files.Open(r.Context(), f.SHA256)
	if errors.Is(err, blob.ErrNotFound) {
		s.Log.Error("attachment missing from the file store", "dossier", d.Code, "sha256", f.SHA256)
		err = errFileGone
	}
	if err != nil {
		fail(w, r, err)
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
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", f.UploadedAt, body)
}

var errFileGone = apperr.NotFound("Tệp này không còn trên máy chủ; vui lòng báo quản trị", "this file is missing from the server; please tell the administrator")
