package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/vntext"
)

// Limits of the files handed in with one form. A phone photo or a scanned
// page fits well under the per-file limit; the body may run past the total
// by a margin, so that a form with one file too many or too big is still
// read to its end and comes back with everything else that was typed.
const (
	maxFileBytes  = 10 << 20
	maxFilesBytes = 30 << 20
	maxFiles      = 20
	maxUploadBody = 50 << 20
	// maxPendingBytes bounds what one account may keep uploaded without
	// sending a dossier, so that forms posted again and again cannot fill
	// the disk before the day-old uploads are purged.
	maxPendingBytes = 200 << 20
	// uploadTime is how long a form with files may take to arrive: 30 MB
	// over a slow mobile connection takes minutes, not the server's usual
	// minute.
	uploadTime = 15 * time.Minute
)

// fileTypes are the accepted files: the extension must say what the first
// bytes show.
var fileTypes = map[string]string{".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

// formFiles are the files of a form: those kept from an earlier round and
// those accepted now, all pending until the dossier is sent, and what was
// wrong with the others.
type formFiles struct {
	List   []store.Attachment
	Errors formErrors
	bytes  int64
}

// upload reads a form that may carry files.
type upload struct {
	s     *Server
	ctx   context.Context
	by    auth.Actor
	comps []procedure.Component
	c     *catalog
	files formFiles
	gone  bool // an earlier upload is no longer kept: said once
}

// readUploadForm parses the posted form into r.PostForm, as ParseForm
// would, and stores its files as pending uploads of the caller. Files are
// streamed to the file store one by one, never held in memory or in a
// temporary folder. A file that is too big or of the wrong type is a form
// error, not a failure: the rest of the form is read on. The returned error
// is for what cannot be read at all.
func (s *Server) readUploadForm(w http.ResponseWriter, r *http.Request, by auth.Actor, comps []procedure.Component, c *catalog) (formFiles, error) {
	u := &upload{s: s, ctx: r.Context(), by: by, comps: comps, c: c}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return u.files, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
		}
		for _, v := range r.PostForm["file"] {
			if err := u.keep(v); err != nil {
				return u.files, err
			}
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTime))
		vals, err := u.readParts(r)
		r.PostForm, r.Form = vals, vals
		if err != nil {
			return u.files, err
		}
		if err := checkValues(vals); err != nil {
			return u.files, err
		}
	}
	return u.files, nil
}

// readParts reads the fields into values and the files into the store.
// A body over maxUploadBody stops the reading: what came before is kept
// and the form says that the upload was too big.
func (u *upload) readParts(r *http.Request) (url.Values, error) {
	vals := url.Values{}
	mr, err := r.MultipartReader()
	if err != nil {
		return vals, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
	}
	var text int64
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return vals, nil
		}
		if err != nil {
			return vals, u.partError(err)
		}
		if p.FileName() == "" && !strings.HasPrefix(p.FormName(), "file-") {
			b, err := io.ReadAll(io.LimitReader(p, maxBody-text+1))
			if err != nil {
				return vals, u.partError(err)
			}
			if text += int64(len(b)); text > maxBody {
				return vals, apperr.New(apperr.ETOOLARGE, "Nội dung các ô nhập quá dài", "the form's text is too long")
			}
			vals.Add(p.FormName(), string(b))
			if p.FormName() == "file" {
				err = u.keep(string(b))
			}
			if err != nil {
				return vals, err
			}
			continue
		}
		if err := u.file(p); err != nil {
			return vals, u.partError(err)
		}
	}
}

// partError turns a body over the limit into a form error (the form is
// shown again with what was read), and anything else into a failure.
func (u *upload) partError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		u.files.Errors.add("", u.c.T("upload.err.body", maxUploadBody>>20))
		return nil
	}
	if apperr.As(err) != nil {
		return err
	}
	return apperr.Invalid("", "Không đọc được dữ liệu gửi lên: "+err.Error(), "the form could not be read: "+err.Error())
}

// file takes one file field: "file-N" for the procedure's component N.
func (u *upload) file(p *multipart.Part) error {
	name := cleanFileName(p.FileName())
	if name == "" {
		return nil // a file field left empty
	}
	field := p.FormName()
	i, err := strconv.Atoi(strings.TrimPrefix(field, "file-"))
	if err != nil || i < 0 || i >= len(u.comps) {
		u.files.Errors.add("", u.c.T("upload.err.field"))
		return nil
	}
	switch {
	case u.s.Files == nil:
		u.files.Errors.add(field, u.c.T("upload.err.off"))
		return nil
	case len(u.files.List) >= maxFiles:
		u.files.Errors.add(field, u.c.T("upload.err.count", maxFiles))
		return nil
	}
	if pending, err := u.s.DB.PendingBytes(u.ctx, u.by.Username); err != nil {
		return err
	} else if pending >= maxPendingBytes {
		u.files.Errors.add(field, u.c.T("upload.err.quota"))
		return nil
	}
	a, msg, err := u.store(p, name)
	if err != nil {
		return err
	}
	if msg != "" {
		u.files.Errors.add(field, msg)
		return nil
	}
	a.Component = u.comps[i].Name
	if err := u.s.DB.AddPendingAttachment(u.ctx, &a); err != nil {
		return err
	}
	u.files.List = append(u.files.List, a)
	u.files.bytes += a.Size
	return nil
}

// store checks the file's type by its extension and its first bytes, and
// writes it to the file store within the limits. A refusal comes back as a
// message for the form; the rest of the part is skipped by the reader.
func (u *upload) store(p io.Reader, name string) (store.Attachment, string, error) {
	want := fileTypes[strings.ToLower(path.Ext(name))]
	br, got, err := sniff(p)
	if err != nil {
		return store.Attachment{}, "", err
	}
	if want == "" || got != want {
		return store.Attachment{}, u.c.T("upload.err.type", name), nil
	}
	limit := min(int64(maxFileBytes), maxFilesBytes-u.files.bytes)
	info, err := u.s.Files.Put(u.ctx, br, limit)
	switch {
	case errors.Is(err, blob.ErrTooLarge) && limit == maxFileBytes:
		return store.Attachment{}, u.c.T("upload.err.size", name, maxFileBytes>>20), nil
	case errors.Is(err, blob.ErrTooLarge):
		return store.Attachment{}, u.c.T("upload.err.total", name, maxFilesBytes>>20), nil
	case err != nil:
		return store.Attachment{}, "", err
	}
	return store.Attachment{FileName: name, ContentType: want, Size: info.Size, SHA256: info.SHA256, UploadedBy: u.by.Username}, "", nil
}

// sniff tells a file's type by its first bytes, and returns a reader that
// still starts with them.
func sniff(body io.Reader) (*bufio.Reader, string, error) {
	br := bufio.NewReaderSize(body, 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	got, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	return br, got, nil
}

// keep takes an upload of an earlier round that the form still names
// ("id:sha256"), in the order of the form, so that it counts towards the
// limits before the files that follow it. It must be the caller's, still
// pending, and still in the file store; else the form says it is gone.
func (u *upload) keep(ref string) error {
	id, sum, _ := strings.Cut(ref, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !blob.ValidSum(sum) || slices.ContainsFunc(u.files.List, func(a store.Attachment) bool { return a.ID == n }) {
		return nil
	}
	found, err := u.s.DB.PendingAttachments(u.ctx, u.by.Username, []store.AttachmentRef{{ID: n, SHA256: sum}})
	if err != nil {
		return err
	}
	ok := len(found) == 1 && u.s.Files != nil && len(u.files.List) < maxFiles
	if ok {
		_, err := u.s.Files.Stat(u.ctx, sum)
		ok = err == nil
	}
	if !ok {
		if !u.gone {
			u.files.Errors.add("", u.c.T("upload.err.gone"))
		}
		u.gone = true
		return nil
	}
	if a := found[0]; u.files.bytes+a.Size > maxFilesBytes {
		u.files.Errors.add("", u.c.T("upload.err.total", a.FileName, maxFilesBytes>>20))
		return nil
	}
	u.files.List = append(u.files.List, found[0])
	u.files.bytes += found[0].Size
	return nil
}

// cleanFileName keeps the last element of what the browser sent (old
// browsers send a whole Windows path), in NFC, without control characters,
// at most 200 characters.
func cleanFileName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, vntext.Clean(s))
	if r := []rune(s); len(r) > 200 {
		s = string(r[len(r)-200:])
	}
	return strings.TrimSpace(s)
}

// refsOf names the files for binding them to the dossier.
func refsOf(files []store.Attachment) []store.AttachmentRef {
	out := make([]store.AttachmentRef, len(files))
	for i, f := range files {
		out[i] = store.AttachmentRef{ID: f.ID, SHA256: f.SHA256}
	}
	return out
}

// bindFiles gives the form's files to the dossier just made. The dossier
// already exists when this runs; if the files cannot follow, the applicant
// is told so with the dossier's code rather than left believing they are
// attached.
func (s *Server) bindFiles(ctx context.Context, a auth.Actor, dossierID int64, code string, files []store.Attachment) error {
	if len(files) == 0 {
		return nil
	}
	if err := s.DB.BindAttachments(ctx, dossierID, a.Username, refsOf(files)); err != nil {
		s.Log.Error("bind attachments", "dossier", code, "err", err)
		return apperr.Conflict("Hồ sơ "+code+" đã được nộp, nhưng chưa lưu được tệp đính kèm; vui lòng mang giấy tờ đến bộ phận một cửa hoặc báo cán bộ",
			"dossier "+code+" was submitted, but its files could not be saved; please bring the papers to the counter or tell an officer")
	}
	return nil
}

var errResultTooLarge = apperr.New(apperr.ETOOLARGE, "Tệp kết quả quá lớn", "the result file is too large")

// putResultFile keeps a signed result file: a PDF by its name and by its
// first bytes, maxFileBytes at most, stored as a pending result upload of
// by until the finish that records it binds it to the dossier.
func (s *Server) putResultFile(ctx context.Context, by auth.Actor, body io.Reader, name string) (store.Attachment, error) {
	if s.Files == nil {
		return store.Attachment{}, apperr.Conflict("Máy chủ chưa được cấu hình để nhận tệp; hãy ghi nhận kết quả bản giấy",
			"this server does not take files; record the result as on paper")
	}
	if name == "" {
		return store.Attachment{}, apperr.Invalid("result.file", "Chọn tệp PDF kết quả đã ký", "choose the signed result's PDF file")
	}
	notPDF := apperr.Invalid("result.file", "Tệp kết quả “"+name+"” không phải tệp PDF; chỉ nhận tệp PDF đã ký",
		"the result file “"+name+"” is not a PDF; only signed PDF files are accepted")
	if strings.ToLower(path.Ext(name)) != ".pdf" {
		return store.Attachment{}, notPDF
	}
	if pending, err := s.DB.PendingBytes(ctx, by.Username); err != nil {
		return store.Attachment{}, err
	} else if pending >= maxPendingBytes {
		return store.Attachment{}, apperr.New(apperr.ETOOLARGE, "Bạn đã tải lên quá nhiều tệp chưa dùng; vui lòng thử lại sau",
			"you have too many unused uploads; try again later")
	}
	br, got, err := sniff(body)
	if err != nil {
		return store.Attachment{}, err
	}
	if got != "application/pdf" {
		return store.Attachment{}, notPDF
	}
	info, err := s.Files.Put(ctx, br, maxFileBytes)
	if errors.Is(err, blob.ErrTooLarge) {
		return store.Attachment{}, apperr.New(apperr.ETOOLARGE, fmt.Sprintf("Tệp kết quả “%s” lớn hơn %d MB", name, maxFileBytes>>20),
			fmt.Sprintf("the result file “%s” is larger than %d MB", name, maxFileBytes>>20))
	}
	if err != nil {
		return store.Attachment{}, err
	}
	a := store.Attachment{Kind: store.KindResult, FileName: name, ContentType: "application/pdf", Size: info.Size, SHA256: info.SHA256,
		UploadedBy: by.Username}
	return a, s.DB.AddPendingAttachment(ctx, &a)
}
