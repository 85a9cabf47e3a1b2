package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// finishPost is the finish form of the dossier page: the result document
// (number, signing date, signer) and either its signed PDF or a note that
// it is on paper. The form is multipart, bounded like the other uploads;
// the file is kept as a pending upload first, so that a form refused for
// another field comes back with the file still attached.
func (s *Server) finishPost(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.PathValue("code")
	vals, upErr := s.readFinishForm(w, r, a)
	r.PostForm, r.Form = vals, vals
	if upErr != nil {
		if e := apperr.As(upErr); e == nil || e.Code == apperr.EINTERNAL {
			s.pageFail(w, r, upErr)
			return
		}
		s.refused(w, r, a, code, dossier.ActFinish, upErr)
		return
	}
	req := actionRequest(r, dossier.ActFinish)
	f := vals.Get
	req.Result = &dossier.ResultRequest{Number: f("result_number"), SignedOn: f("result_signed_on"), Signer: f("result_signer"),
		SignerTitle: f("result_signer_title"), OnPaper: f("result_on_paper") == "1", File: f("result_file")}
	s.actFromPage(w, r, a, code, req)
}

// readFinishForm reads the finish form's fields, and stores its file as a
// pending result upload whose reference ("id:sha256") and name replace the
// form's result_file and result_file_name. A file refused (type, size)
// comes back as the error, with the fields read.
func (s *Server) readFinishForm(w http.ResponseWriter, r *http.Request, a auth.Actor) (url.Values, error) {
	vals := url.Values{}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return vals, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
		}
		return r.PostForm, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFileBytes+maxBody)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
	mr, err := r.MultipartReader()
	if err != nil {
		return vals, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
	}
	var text int64
	var fileErr error
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			if err := checkValues(vals); err != nil {
				return vals, err
			}
			return vals, fileErr
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return vals, errResultTooLarge
		}
		if err != nil {
			return vals, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
		}
		if p.FormName() == "result_file" && p.FileName() != "" {
			name := cleanFileName(p.FileName())
			f, err := s.putResultFile(r.Context(), a, p, name)
			if errors.As(err, &tooBig) {
				return vals, errResultTooLarge
			}
			if err != nil {
				fileErr = err
				continue
			}
			vals.Set("result_file", strconv.FormatInt(f.ID, 10)+":"+f.SHA256)
			vals.Set("result_file_name", f.FileName)
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxBody-text+1))
		if err != nil {
			return vals, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
		}
		if text += int64(len(b)); text > maxBody {
			return vals, apperr.New(apperr.ETOOLARGE, "Nội dung các ô nhập quá dài", "the form's text is too long")
		}
		if k := p.FormName(); (k != "result_file" && k != "result_file_name") || vals.Get(k) == "" {
			vals.Set(k, strings.TrimSpace(string(b)))
		}
	}
}

// finishDefaults are the finish form's signing date (today) and signer.
func (s *Server) finishDefaults(d *dossier.Dossier) (string, string) {
	return s.now().In(calendar.Zone).Format(time.DateOnly), approver(d)
}

// approver is the leader who last approved the dossier: who usually signs
// its result.
func approver(d *dossier.Dossier) string {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == dossier.ActApprove {
			return d.History[i].ActorName
		}
	}
	return ""
}
