package web

import (
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store/storetest"
)

// The sender of the pages' petitions: only the ward's officers read these.
const (
	petPagePhone = "0933444555"
	petPageName  = "Trần Văn Sáu"
)

// petitionForm is a complete public form about a broken street light.
func petitionFormValues() url.Values {
	return url.Values{"unit": {"00004"}, "field": {"traffic"}, "subject": {"Đèn đường ngõ 12 hỏng"},
		"text": {"Đèn đường trước số 5 ngõ 12 tắt cả tuần nay."}, "address": {"Ngõ 12 phố Đội Cấn"},
		"lat": {"21.035"}, "long": {"105.82"}, "phone": {"0933 444 555"}, "name": {petPageName}}
}

// postPetition sends the public form as a browser does (the fields, then
// the files), anonymously, with extra headers.
func (e *pagesEnv) postPetition(fields url.Values, h http.Header, files ...filePart) (*http.Response, string) {
	e.t.Helper()
	body, ctype := multipartBody(fields, files...)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/phan-anh/gui", body)
	req.Header.Set("Content-Type", ctype)
	for k, v := range h {
		req.Header[k] = v
	}
	return e.send(req)
}

// petitionCount counts the ward's petitions through the officers' list.
func (e *pagesEnv) petitionCount() int {
	e.t.Helper()
	_, n, err := e.s.Petitions().List(context.Background(), e.f.Actors["canbo"], petition.ListRequest{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// storedFiles counts the files in the server's file store.
func storedFiles(t *testing.T, dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func expectIn(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Fatalf("%s: %q missing from\n%s", what, w, mainOf(body))
		}
	}
}

// TestPetitionPages follows a petition through the pages on both engines:
// the public form's messages (nothing stored, the photo not kept), the
// sending with a photo, the sender's look-up, the ward's queue and page
// with the sender's phone (another ward: 404 and no phone), the actions
// with their Vietnamese refusals, cross-site posts refused, the published
// answer found without accents, votes and the sender's satisfaction.
func TestPetitionPages(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newPagesEnvOn(t, engine)
			dir := filepath.Join(t.TempDir(), "petition-files")
			e.s.Files = blob.NewDir(dir)
			code := e.petitionForm(dir)
			e.petitionFollow(code)
			e.petitionScope(code)
			e.petitionActions(code)
			e.petitionAnswers(code)
		})
	}
}

// petitionForm checks the public form's refusals, then sends it with a
// photo and returns the code.
func (e *pagesEnv) petitionForm(dir string) string {
	t := e.t
	photo := filePart{"file", "den-hong.jpg", tinyJPEG}
	res, body := e.postPetition(url.Values{"unit": {"00004"}, "phone": {"12"}}, nil, photo)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: %d", res.StatusCode)
	}
	expectIn(t, "empty form", body, "Vui lòng chọn lĩnh vực", "Vui lòng nhập tiêu đề", "Vui lòng nhập nội dung phản ánh",
		"Số điện thoại không đúng", `id="subject-error"`, `href="#subject"`, "chưa được gửi vì biểu mẫu còn lỗi")
	if n := storedFiles(t, dir); n != 0 || e.petitionCount() != 0 {
		t.Fatalf("a refused form stored %d files, %d petitions", n, e.petitionCount())
	}
	v := petitionFormValues()
	v.Set("phone", "")
	v.Set("dossier_code", "HS-1")
	res, body = e.postPetition(v, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no contact: %d", res.StatusCode)
	}
	expectIn(t, "no contact", body, "Vui lòng nhập số điện thoại hoặc thư điện tử", "Mã hồ sơ không đúng dạng", "Đèn đường ngõ 12 hỏng")
	// A picture that is not one: beside the file field, nothing kept.
	res, body = e.postPetition(petitionFormValues(), nil, filePart{"file", "anh.jpg", tinyPDF})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong file: %d", res.StatusCode)
	}
	expectIn(t, "wrong file", body, `id="file-error"`, "không phải ảnh JPEG, PNG hay tệp PDF")
	if n := storedFiles(t, dir); n != 0 || e.petitionCount() != 0 {
		t.Fatalf("a refused file left %d files, %d petitions", n, e.petitionCount())
	}
	// A post from another site is refused before anything is read.
	res, _ = e.postPetition(petitionFormValues(), http.Header{"Sec-Fetch-Site": {"cross-site"}}, photo)
	if res.StatusCode != http.StatusForbidden || e.petitionCount() != 0 {
		t.Fatalf("cross-site form: %d, %d petitions", res.StatusCode, e.petitionCount())
	}
	res, _ = e.postPetition(petitionFormValues(), nil, photo)
	loc := res.Header.Get("Location")
	code, ok := strings.CutPrefix(loc, "/phan-anh/da-gui/")
	if res.StatusCode != http.StatusSeeOther || !ok || !petition.ValidCode(code) {
		t.Fatalf("send: %d %q", res.StatusCode, loc)
	}
	if n := storedFiles(t, dir); n != 1 {
		t.Fatalf("the photo: %d files stored", n)
	}
	st, body := e.get("", loc)
	if st != http.StatusOK {
		t.Fatalf("receipt: %d", st)
	}
	expectIn(t, "receipt", body, code, "/phan-anh/tra-cuu?ma="+code, "15 ngày làm việc")
	return code
}

// petitionFollow looks the petition up as its sender.
func (e *pagesEnv) petitionFollow(code string) {
	t := e.t
	res, body := e.do("", http.MethodPost, "/phan-anh/tra-cuu", url.Values{"code": {code}, "contact": {"0900000000"}})
	if res.StatusCode != http.StatusNotFound || strings.Contains(body, "Đèn đường ngõ 12 hỏng") {
		t.Fatalf("wrong phone: %d", res.StatusCode)
	}
	expectIn(t, "wrong phone", body, "Không tìm thấy phản ánh")
	res, body = e.do("", http.MethodPost, "/phan-anh/tra-cuu", url.Values{"code": {code}, "contact": {"+84 933 444 555"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("follow: %d", res.StatusCode)
	}
	expectIn(t, "follow", body, "Đã tiếp nhận", "Đèn đường ngõ 12 hỏng", "Hạn trả lời", "Gửi phản ánh, kiến nghị")
}

// petitionScope checks that the ward's officers see the petition with its
// sender, and another ward's see nothing.
func (e *pagesEnv) petitionScope(code string) {
	t := e.t
	st, body := e.get("canbo", "/phan-anh")
	if st != http.StatusOK {
		t.Fatalf("queue: %d", st)
	}
	expectIn(t, "queue", body, code, "Đèn đường ngõ 12 hỏng", "due-ok")
	st, body = e.get("canbo", "/phan-anh?status=open&field=traffic&due=late")
	if st != http.StatusOK || strings.Contains(body, code) {
		t.Fatalf("late filter: %d", st)
	}
	expectIn(t, "late filter", body, `value="late" selected`)
	st, body = e.get("canbo", "/phan-anh/"+code)
	if st != http.StatusOK {
		t.Fatalf("page: %d", st)
	}
	expectIn(t, "page", body, petPagePhone, petPageName, "21.035000, 105.820000", "den-hong.jpg", "Gửi phản ánh, kiến nghị")
	for _, who := range []string{"canbo.ngocha", "congdan"} {
		for _, path := range []string{"/phan-anh/" + code, "/phan-anh"} {
			st, body := e.get(who, path)
			// the petition's own page names its code in the language switch
			if strings.Contains(body, petPagePhone) || strings.Contains(body, "Đèn đường") || (path == "/phan-anh" && strings.Contains(body, code)) {
				t.Fatalf("%s %s: %d, shows the petition or its sender", who, path, st)
			}
			if who == "canbo.ngocha" && path != "/phan-anh" && st != http.StatusNotFound {
				t.Fatalf("another ward opened the petition: %d", st)
			}
		}
	}
	if st, _ := e.get("", "/phan-anh/"+code); st != http.StatusSeeOther {
		t.Fatalf("anonymous: %d, want the sign-in", st)
	}
	// Its photo: to the ward's officers only.
	p, err := e.s.Petitions().Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil || len(p.Files) != 1 {
		t.Fatalf("files: %v %v", p, err)
	}
	file := "/phan-anh/" + code + "/tep/" + strconv.FormatInt(p.Files[0].ID, 10)
	if st, body := e.get("canbo", file); st != http.StatusOK || body != string(tinyJPEG) {
		t.Fatalf("photo: %d", st)
	}
	if st, _ := e.get("canbo.ngocha", file); st != http.StatusNotFound {
		t.Fatalf("another ward's photo: %d", st)
	}
}

// petitionActions drafts, approves and publishes the answer from the page,
// with the refusals on the way.
func (e *pagesEnv) petitionActions(code string) {
	t := e.t
	act := func(who, action string, form url.Values, h http.Header) (*http.Response, string) {
		return e.doWith(who, http.MethodPost, "/phan-anh/"+code+"/"+action, form, h)
	}
	res, body := act("canbo", "draft_answer", url.Values{"text": {"  "}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty draft: %d", res.StatusCode)
	}
	expectIn(t, "empty draft", body, "Vui lòng nhập nội dung", `id="act-draft_answer"`)
	res, _ = act("canbo", "merge", url.Values{"into": {code}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("merge into itself: %d", res.StatusCode)
	}
	if res, _ := act("canbo.ngocha", "draft_answer", url.Values{"text": {"Xong"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another ward acted: %d", res.StatusCode)
	}
	e.petitionMoreInfo(code, act)
	if res, _ := act("canbo", "assign", url.Values{"assignee": {"chuyenvien"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	if _, body := e.get("chuyenvien", "/phan-anh?mine=1"); !strings.Contains(body, code) {
		t.Fatal("the assignee's own list lacks it")
	}
	if _, body := e.get("canbo", "/phan-anh?mine=1"); strings.Contains(body, code) {
		t.Fatal("another officer's own list shows it")
	}
	answer := "Công ty chiếu sáng đã thay bóng đèn ngày 10/12."
	if res, _ := act("canbo", "draft_answer", url.Values{"text": {answer}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d", res.StatusCode)
	}
	if res, _ := act("canbo", "approve", url.Values{}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the counter officer approved: %d", res.StatusCode)
	}
	st, body := e.get("lanhdao", "/phan-anh")
	if st != http.StatusOK {
		t.Fatalf("leader's queue: %d", st)
	}
	expectIn(t, "leader's queue", body, "Trả lời chờ duyệt", `href="/phan-anh?status=4"`)
	_, body = e.get("lanhdao", "/phan-anh/"+code)
	expectIn(t, "leader's page", body, `action="/phan-anh/`+code+`/approve"`, answer)
	if res, _ := act("lanhdao", "approve", url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site approval: %d", res.StatusCode)
	}
	for _, a := range []string{"approve", "publish"} {
		form := url.Values{}
		if a == "publish" {
			form.Set("text", "Đèn đường hỏng, khi nào được sửa?")
		}
		if res, body := act("lanhdao", a, form, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", a, res.StatusCode, mainOf(body))
		}
	}
	_, body = e.get("lanhdao", "/phan-anh/"+code+"?ok=publish")
	expectIn(t, "published", body, "Đã thực hiện: Công khai trả lời", "Đã trả lời", "Duyệt trả lời")
}

// petitionMoreInfo asks the sender for more information from the page;
// the sender reads the question on the look-up and answers it there.
func (e *pagesEnv) petitionMoreInfo(code string, act func(who, action string, form url.Values, h http.Header) (*http.Response, string)) {
	t := e.t
	question := "Cột đèn mang số hiệu nào?"
	if res, _ := act("canbo", "request_info", url.Values{"text": {question}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request_info: %d", res.StatusCode)
	}
	_, body := e.do("", http.MethodPost, "/phan-anh/tra-cuu", url.Values{"code": {code}, "contact": {petPagePhone}})
	expectIn(t, "asked", body, "Chờ bổ sung thông tin", question, `action="/phan-anh/tra-cuu/bo-sung"`)
	form := url.Values{"code": {code}, "contact": {petPagePhone}, "text": {""}}
	res, body := e.do("", http.MethodPost, "/phan-anh/tra-cuu/bo-sung", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty information: %d", res.StatusCode)
	}
	expectIn(t, "empty information", body, "Vui lòng nhập nội dung", `id="supply_info-error"`)
	form.Set("text", "Cột số C12-05.")
	if res, body = e.do("", http.MethodPost, "/phan-anh/tra-cuu/bo-sung", form); res.StatusCode != http.StatusOK {
		t.Fatalf("information: %d", res.StatusCode)
	}
	expectIn(t, "information", body, "Đã gửi thông tin bổ sung", "Đang xử lý")
	_, body = e.get("canbo", "/phan-anh/"+code)
	expectIn(t, "officer reads it", body, "Cột số C12-05.", question)
}

// petitionAnswers finds the answer on the public page without accents,
// votes once per address, and lets the sender say it satisfied them.
func (e *pagesEnv) petitionAnswers(code string) {
	t := e.t
	st, body := e.get("", "/hoi-dap?q=den+duong+ngo")
	if st != http.StatusOK {
		t.Fatalf("answers: %d", st)
	}
	expectIn(t, "search", body, "/hoi-dap/"+code, "Đèn đường ngõ 12 hỏng", "Công ty chiếu sáng")
	if _, body := e.get("", "/hoi-dap?q=rac+thai"); strings.Contains(body, code) {
		t.Fatal("a search for something else finds it")
	}
	st, body = e.get("", "/hoi-dap/"+code)
	if st != http.StatusOK {
		t.Fatalf("answer: %d", st)
	}
	for _, secret := range []string{petPagePhone, petPageName, "Ngõ 12 phố Đội Cấn"} {
		if strings.Contains(body, secret) {
			t.Fatalf("the public answer shows %q", secret)
		}
	}
	for range 2 {
		if res, _ := e.do("", http.MethodPost, "/hoi-dap/"+code+"/danh-gia", url.Values{"useful": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("vote: %d", res.StatusCode)
		}
	}
	_, body = e.get("", "/hoi-dap/"+code+"?ok=1")
	expectIn(t, "votes", body, "Hữu ích (1)", "Không hữu ích (0)", "Cảm ơn")
	form := url.Values{"code": {code}, "contact": {petPagePhone}, "satisfaction": {"satisfied"}}
	res, body := e.do("", http.MethodPost, "/phan-anh/tra-cuu/danh-gia", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("rate: %d", res.StatusCode)
	}
	expectIn(t, "rate", body, "Cảm ơn bạn đã đánh giá", "Bạn đã đánh giá: hài lòng", "Công ty chiếu sáng")
	if res, body = e.do("", http.MethodPost, "/phan-anh/tra-cuu/danh-gia", form); res.StatusCode != http.StatusConflict {
		t.Fatalf("second rating: %d", res.StatusCode)
	}
	expectIn(t, "second rating", body, "Bạn đã đánh giá câu trả lời này")
	st, body = e.get("lanhdao", "/thong-ke")
	if st != http.StatusOK {
		t.Fatalf("dashboard: %d", st)
	}
	expectIn(t, "dashboard", body, "Phản ánh, kiến nghị đã nhận", `href="/phan-anh?due=late"`)
}

// TestPetitionPagesRender opens each petition page in both languages: no
// message key is missing and each stays under the weight budget.
func TestPetitionPagesRender(t *testing.T) {
	e := newPagesEnv(t)
	res, _ := e.postPetition(petitionFormValues(), nil)
	code := strings.TrimPrefix(res.Header.Get("Location"), "/phan-anh/da-gui/")
	for _, c := range []struct{ user, path string }{{"", "/"}, {"", "/phan-anh/gui"}, {"", "/phan-anh/da-gui/" + code},
		{"", "/phan-anh/tra-cuu?ma=" + code}, {"", "/hoi-dap"}, {"canbo", "/phan-anh"}, {"lanhdao", "/phan-anh"},
		{"canbo", "/phan-anh/" + code}, {"lanhdao", "/phan-anh/" + code}, {"lanhdao", "/thong-ke"}} {
		for _, lang := range []string{"vi", "en"} {
			path := c.path + map[bool]string{true: "&", false: "?"}[strings.Contains(c.path, "?")] + "lang=" + lang
			st, body := e.get(c.user, path)
			if st != http.StatusOK {
				t.Errorf("GET %s as %q: %d", path, c.user, st)
			}
			if m := missingKey.FindString(body); m != "" {
				t.Errorf("GET %s: missing message %s", path, m)
			}
			e.checkWeight(path, body)
		}
	}
}

// TestPetitionFormLimit checks the sender's limit on the page: forms with
// mistakes cost nothing, the third complete one within the hour is refused
// with the message on the form and its photo not kept.
func TestPetitionFormLimit(t *testing.T) {
	e := newPagesEnv(t)
	dir := filepath.Join(t.TempDir(), "petition-files")
	e.s.Files = blob.NewDir(dir)
	e.s.Limits.Petition = Rate{N: 2, Per: time.Hour}
	e.srv.Config.Handler = e.s.Handler() // the limits are read when the handler is built
	photo := filePart{"file", "rac.png", tinyPNG}
	wrong := petitionFormValues()
	wrong.Del("subject")
	for range 3 {
		if res, _ := e.postPetition(wrong, nil, photo); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("form with a mistake: %d", res.StatusCode)
		}
	}
	for i := range 2 {
		if res, _ := e.postPetition(petitionFormValues(), nil, photo); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("petition %d: %d", i+1, res.StatusCode)
		}
	}
	res, body := e.postPetition(petitionFormValues(), nil, photo)
	if res.StatusCode != http.StatusTooManyRequests || e.petitionCount() != 2 {
		t.Fatalf("third petition: %d, %d petitions", res.StatusCode, e.petitionCount())
	}
	expectIn(t, "third petition", body, "error-summary", "Đèn đường ngõ 12 hỏng")
	if n := storedFiles(t, dir); n != 1 { // the same picture twice is one file
		t.Fatalf("%d files stored", n)
	}
}
