package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
)

// uploadResultFile takes the signed result file of a dossier being
// processed, before the finish that records it: a multipart body with one
// "file" part, a PDF of 10 MB at most. The answer's ref goes into the
// finish's result.file; until then the upload is pending, and forgotten
// after a day.
func (s *Server) uploadResultFile(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Dossiers.Get(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !a.IsOfficer() {
		s.fail(w, r, apperr.Forbidden("Chỉ cán bộ xử lý hồ sơ được tải lên kết quả", "only officers may upload a result"))
		return
	}
	if d.Status != dossier.StatusProcessing {
		s.fail(w, r, apperr.Conflict("Hồ sơ không ở trạng thái đang xử lý, không thể tải lên kết quả", "the dossier is not being processed"))
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		s.fail(w, r, apperr.Invalid("file", "Gửi tệp dưới dạng multipart/form-data, trường \"file\"", "send the file as multipart/form-data, field \"file\""))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFileBytes+maxBody)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, apperr.Invalid("file", "Không đọc được dữ liệu gửi lên", "the body could not be read"))
		return
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			s.fail(w, r, apperr.Invalid("file", "Thiếu tệp kết quả (trường \"file\")", "the result file (field \"file\") is missing"))
			return
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, errResultTooLarge)
			return
		}
		if err != nil {
			s.fail(w, r, apperr.Invalid("file", "Không đọc được dữ liệu gửi lên", "the body could not be read"))
			return
		}
		if p.FormName() != "file" {
			continue
		}
		f, err := s.putResultFile(r.Context(), a, p, cleanFileName(p.FileName()))
		if errors.As(err, &tooBig) {
			err = errResultTooLarge
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"ref": strconv.FormatInt(f.ID, 10) + ":" + f.SHA256, "id": f.ID, "sha256": f.SHA256,
			"file_name": f.FileName, "size": f.Size, "content_type": f.ContentType})
		return
	}
}

// resultFile sends a dossier's signed result file through the API, to the
// same callers as the page (resultFileFor).
func (s *Server) resultFile(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Dossiers.Get(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.resultFileFor(r.Context(), a, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendFile(w, r, d, f, s.fail)
}
