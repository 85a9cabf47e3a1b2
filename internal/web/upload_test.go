package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

// Small files of each kind, recognised by their first bytes.
var (
	tinyPDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	tinyJPEG = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0}, 600)...)
	tinyPNG  = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
)

// bigPDF is a PDF of n bytes.
func bigPDF(n int) []byte {
	return append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), n-9)...)
}

type filePart struct {
	field, name string
	body        []byte
}

// multipartBody is a multipart form as a browser sends it: the fields
// first, then the files; and its content type.
func multipartBody(fields url.Values, files ...filePart) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile(f.field, f.name)
		_, _ = w.Write(f.body)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

// post sends a multipart form with files as user, as a browser sends it:
// the fields first, in order, then the files.
func (e *pagesEnv) post(user, path string, fields url.Values, files ...filePart) (*http.Response, string) {
	e.t.Helper()
	body, ctype := multipartBody(fields, files...)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session[user]})
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var keptRE = regexp.MustCompile(`name="file" value="([0-9]+:[0-9a-f]{64})"`)

// hiddenFiles are the uploads a review page carries on to the sending.
func hiddenFiles(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`type="hidden" name="file" value="([0-9]+:[0-9a-f]{64})"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestUploadKeptOnError sends the online form with a wrong ID number, one
// good file, one too big and one whose content is not what its name says:
// every error shows at once, and the good file and the typing come back.
// The kept file then goes through review to the dossier.
func TestUploadKeptOnError(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"step": {"review"}, "unit": {"00004"}, "name": {"Hoàng Thị Lan"}, "id_number": {"12345"}, "note": {"Xin nhận tại quầy"}}
	res, body := e.post("congdan", "/thu-tuc/1.000894/nop", form,
		filePart{"file-0", "tờ khai.pdf", tinyPDF},
		filePart{"file-1", "căn cước.pdf", bigPDF(maxFileBytes + 1)},
		filePart{"file-2", "ảnh.png", tinyJPEG},
		filePart{"file-3", "trang.pdf", []byte("<html><script>alert(1)</script></html>")})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d\n%s", res.StatusCode, body)
	}
	for _, want := range []string{`href="#id_number"`, `href="#file-1"`, `id="file-1-error"`, "lớn hơn 10 MB", `href="#file-2"`, "“ảnh.png” không phải PDF",
		`href="#file-3"`, `value="Hoàng Thị Lan"`, "Xin nhận tại quầy", "tờ khai.pdf"} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	kept := keptRE.FindAllStringSubmatch(body, -1)
	if len(kept) != 1 {
		t.Fatalf("%d files kept, want the one good file\n%s", len(kept), body)
	}
	ref := kept[0][1]

	// Corrected, without sending the file again: the review lists it. The
	// second required component still needs its file.
	form.Set("id_number", "001190012345")
	form.Set("file", ref)
	res, body = e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#file-1"`) || !strings.Contains(body, "Vui lòng đính kèm tệp cho giấy tờ bắt buộc") {
		t.Fatalf("without a file for a required component: %d\n%s", res.StatusCode, body)
	}
	res, body = e.post("congdan", "/thu-tuc/1.000894/nop", form, filePart{"file-1", "căn cước.pdf", tinyPDF})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Kiểm tra lại") || !strings.Contains(body, `type="hidden" name="file" value="`+ref+`"`) ||
		!strings.Contains(body, "tờ khai.pdf") {
		t.Fatalf("review: %d\n%s", res.StatusCode, body)
	}
	form["file"] = hiddenFiles(body)
	form.Set("step", "send")
	res, _ = e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", res.StatusCode)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/ho-so/"), "/bien-nhan")
	e.checkDossierFile(code, "tờ khai.pdf", tinyPDF)

	// The same pending file cannot be sent with a second dossier.
	res, body = e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "không còn được giữ") {
		t.Fatalf("a bound file sent again: %d\n%s", res.StatusCode, body)
	}
}

// checkDossierFile opens the dossier's page, follows its file link, and
// checks who may download it.
func (e *pagesEnv) checkDossierFile(code, name string, content []byte) {
	e.t.Helper()
	_, page := e.get("congdan", "/ho-so/"+code)
	m := regexp.MustCompile(`href="(/ho-so/` + regexp.QuoteMeta(code) + `/tep/[0-9]+)"[^>]*>` + regexp.QuoteMeta(name)).FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("the dossier page lists no %s\n%s", name, page)
	}
	for _, who := range []string{"congdan", "canbo"} {
		res, body := e.do(who, http.MethodGet, m[1], nil)
		if res.StatusCode != http.StatusOK || body != string(content) || res.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			e.t.Errorf("download as %s: %d %v", who, res.StatusCode, res.Header)
		}
	}
	// An officer of another unit, and another applicant's guess at the
	// address, get "not found", as for the dossier itself.
	if res, body := e.do("canbo.ngocha", http.MethodGet, m[1], nil); res.StatusCode != http.StatusNotFound || strings.Contains(body, "%PDF") {
		e.t.Errorf("download by another unit's officer: %d", res.StatusCode)
	}
	if res, _ := e.do("", http.MethodGet, m[1], nil); res.StatusCode != http.StatusSeeOther {
		e.t.Errorf("anonymous download: %d", res.StatusCode)
	}
	if res, _ := e.do("congdan", http.MethodGet, m[1]+"0", nil); res.StatusCode != http.StatusNotFound {
		e.t.Errorf("another id under this dossier: %d", res.StatusCode)
	}
}

// TestUploadTotal refuses the file that takes the form over 30 MB, and
// keeps the ones before it.
func TestUploadTotal(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "channel": {"1"}}
	eight := bigPDF(8 << 20)
	res, body := e.post("canbo", "/tiep-nhan?procedure=1.001193", form,
		filePart{"file-0", "a.pdf", eight}, filePart{"file-1", "b.pdf", eight}, filePart{"file-1", "c.pdf", eight}, filePart{"file-2", "d.pdf", eight})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "tổng dung lượng vượt quá 30 MB") || !strings.Contains(body, `href="#file-2"`) {
		t.Fatalf("over 30 MB: %d\n%s", res.StatusCode, body)
	}
	kept := keptRE.FindAllStringSubmatch(body, -1)
	if len(kept) != 3 {
		t.Fatalf("%d files kept, want the 3 under the total", len(kept))
	}
	// Kept files count towards the total of the next round.
	for _, k := range kept {
		form.Add("file", k[1])
	}
	res, body = e.post("canbo", "/tiep-nhan?procedure=1.001193", form, filePart{"file-3", "e.pdf", eight})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "“e.pdf” thì tổng dung lượng") || len(keptRE.FindAllString(body, -1)) != 3 {
		t.Fatalf("a new file over the total with kept ones: %d\n%s", res.StatusCode, body)
	}
}

// TestCounterUpload receives a walk-in dossier with a scan: a wrong field
// keeps the scan, and the corrected form binds it to the dossier, whose
// component is ticked.
func TestCounterUpload(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"name": {"Lý Văn Phúc"}, "id_number": {"12"}, "channel": {"1"}}
	res, body := e.post("canbo", "/tiep-nhan?procedure=1.001193", form, filePart{"file-0", `C:\Scans\to-khai.png`, tinyPNG})
	kept := keptRE.FindStringSubmatch(body)
	if res.StatusCode != http.StatusUnprocessableEntity || kept == nil || !strings.Contains(body, "to-khai.png") || strings.Contains(body, "Scans") {
		t.Fatalf("wrong ID with a scan: %d\n%s", res.StatusCode, body)
	}
	// Another officer cannot take canbo's pending scan.
	other := url.Values{"name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "channel": {"1"}, "file": {kept[1]}}
	res, body = e.post("canbo.ngocha", "/tiep-nhan?procedure=1.001193", other)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "không còn được giữ") {
		t.Fatalf("someone else's upload: %d\n%s", res.StatusCode, body)
	}
	form.Set("id_number", "001090012345")
	form.Set("file", kept[1])
	form["components"] = demo.Required("1.001193")[1:] // the scan is the first
	res, _ = e.post("canbo", "/tiep-nhan?procedure=1.001193", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected: %d", res.StatusCode)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/ho-so/"), "/bien-nhan")
	d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := e.f.DB.DossierAttachments(context.Background(), d.ID)
	if len(files) != 1 || files[0].FileName != "to-khai.png" || files[0].ContentType != "image/png" || files[0].UploadedBy != "canbo" ||
		len(d.Components) != 3 || !slices.Contains(d.Components, files[0].Component) {
		t.Fatalf("dossier %+v, files %+v", d.Components, files)
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\lan\Giấy khai sinh.pdf`: "Giấy khai sinh.pdf",
		"../../etc/passwd":                "passwd",
		"a\"b\x00c.pdf":                   "abc.pdf",
		"":                                "",
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanFileName(strings.Repeat("ạ", 300) + ".pdf"); len([]rune(got)) != 200 || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name: %d runes", len([]rune(got)))
	}
}
