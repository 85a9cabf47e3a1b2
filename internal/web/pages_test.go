package web

import (
	"context"
	"github.com/xuri/excelize/v2"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestTemplatesAndCatalogues checks that every page parses in both languages,
// that every key the templates use exists in vi and in en, that the two
// catalogues hold the same keys, and that the keys built at run time from
// statuses, actions and the like exist too.
func TestTemplatesAndCatalogues(t *testing.T) {
	u, err := loadUI()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := u.cat[langVI].msgs, u.cat[langEN].msgs
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in vi.json but not in en.json", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("key %q is in en.json but not in vi.json", k)
		}
	}
	for _, k := range usedKeys(t) {
		if _, ok := vi[k]; !ok {
			t.Errorf("key %q is used but missing from vi.json", k)
		}
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is used but missing from en.json", k)
		}
	}
}

// usedKeys lists the catalogue keys the templates and the Go code name
// literally, and those they build from domain values.
func usedKeys(t *testing.T) []string {
	var keys []string
	lit := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	keys = append(keys, goKeys(t)...)
	for st := dossier.StatusSubmitted; st <= dossier.StatusReturned; st++ {
		keys = append(keys, "status."+strconv.Itoa(int(st)), "plain."+strconv.Itoa(int(st)))
	}
	for a := range dossier.ActionName {
		keys = append(keys, "action."+a, "event."+a)
	}
	for _, r := range auth.Roles {
		keys = append(keys, "role."+r)
	}
	for _, c := range []string{apperr.EINVALID, apperr.ENOTFOUND, apperr.ECONFLICT, apperr.EFORBIDDEN, apperr.EUNAUTHORIZED, apperr.ETOOLARGE, apperr.EINTERNAL} {
		keys = append(keys, "error.title."+c)
	}
	for _, m := range []string{procedure.OnlineNone, procedure.OnlinePartial, procedure.OnlineFull} {
		keys = append(keys, "online."+m)
	}
	for _, f := range []string{procedure.FormOriginal, procedure.FormCertifiedCopy, procedure.FormPhotocopy, procedure.FormShown} {
		keys = append(keys, "component."+f)
	}
	keys = append(keys, "channel.1", "channel.2", "channel.3", "rating.1", "rating.2", "rating.3", "outcome.early",
		"outcome.on_time", "outcome.late", "event.submit.1", "event.submit.2", "role.system", "plain.4.at", "plain.4.leader", "plain.4.counter")
	for _, f := range (&Server{}).printForms(&dossier.Dossier{Code: "x", Status: dossier.StatusSubmitted}, true) {
		keys = append(keys, f.Label)
	}
	for f := 1; f <= 6; f++ {
		keys = append(keys, "print.form."+strconv.Itoa(f))
	}
	for _, tab := range adminTabs {
		keys = append(keys, "admin.tab."+tab, "admin.desc."+tab)
	}
	for _, ok := range adminFlashes {
		keys = append(keys, "admin.ok."+ok)
	}
	for d := range 7 {
		keys = append(keys, "weekday."+strconv.Itoa(d))
	}
	keys = append(keys, "calendar.kind.holiday", "calendar.kind.workday", "notify.default")
	for _, k := range notify.Kinds {
		keys = append(keys, "notify.kind."+k)
	}
	for _, c := range []string{dossier.NotifyEmail, dossier.NotifySMS, dossier.NotifyZalo, dossier.NotifyNone} {
		keys = append(keys, "notify."+c)
	}
	for _, c := range notify.TemplateChannels {
		keys = append(keys, "notify.channel."+c)
	}
	for _, l := range notify.Langs {
		keys = append(keys, "notify.lang."+l)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// goKeys lists the keys the package's Go files name literally, as in
// c.T("upload.err.type", ...) or p.t("admin.ok.day", ...).
func goKeys(t *testing.T) []string {
	var keys []string
	lit := regexp.MustCompile(`\.(?:T|t)\("([a-z0-9_]+\.[a-z0-9_.]+)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time
				keys = append(keys, m[1])
			}
		}
	}
	return keys
}

// pagesEnv is the server on a fixture database, with a session per demo
// user and a client that does not follow redirects.
type pagesEnv struct {
	t       *testing.T
	s       *Server
	f       *storetest.Fixture
	srv     *httptest.Server
	session map[string]string
	client  *http.Client
}

func newPagesEnv(t *testing.T) *pagesEnv { return newPagesEnvOn(t, store.SQLite) }

func newPagesEnvOn(t *testing.T, engine string) *pagesEnv {
	f := storetest.NewFixture(t, engine)
	s := newTestServer(t, f)
	e := &pagesEnv{t: t, s: s, f: f, srv: httptest.NewServer(s.Handler()), session: map[string]string{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(e.srv.Close)
	for name, u := range f.Users {
		e.session[name] = newSession(t, f, u.ID)
	}
	return e
}

// newTestServer is the server over the fixture's database, with a file
// store in the test's directory.
func newTestServer(t *testing.T, f *storetest.Fixture) *Server {
	return &Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now, Files: blob.NewDir(filepath.Join(t.TempDir(), "files"))}
}

// addUser creates the user with a session, known to the fixture by
// username.
func (e *pagesEnv) addUser(u auth.User, password string) {
	e.t.Helper()
	if err := e.f.DB.CreateUser(context.Background(), &u, password); err != nil {
		e.t.Fatal(err)
	}
	e.f.Users[u.Username], e.f.Actors[u.Username] = u, u.Actor()
	e.session[u.Username] = newSession(e.t, e.f, u.ID)
}

// newSession opens a browser session for the user and returns its token.
func newSession(t *testing.T, f *storetest.Fixture, userID int64) string {
	t.Helper()
	tok, err := f.DB.CreateToken(context.Background(), userID, store.TokenSession, 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// do sends a request as user ("" = anonymous) and returns the response and
// its body.
func (e *pagesEnv) do(user, method, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	return e.doWith(user, method, path, form, nil)
}

func (e *pagesEnv) get(user, path string) (int, string) {
	res, body := e.do(user, http.MethodGet, path, nil)
	return res.StatusCode, body
}

// submit makes a dossier through the service: online by congdan, or at the
// counter by canbo.
func (e *pagesEnv) submit(online bool) string {
	e.t.Helper()
	req := dossier.SubmitRequest{ProcedureCode: "1.000894", Components: demo.Required("1.000894"), UnitCode: "00004", Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Thị Hồng", IDNumber: "001190012345", Phone: "0912345678"}}
	by := e.f.Actors["canbo"]
	if online {
		req.Channel, by = dossier.ChannelOnline, e.f.Actors["congdan"]
	}
	d, err := e.f.Svc.Submit(context.Background(), by, req)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Code
}

var missingKey = regexp.MustCompile(`\[[a-z_]+\.[a-z0-9_.]+\]`)

// TestPagesRender opens every page as the user it is meant for, in both
// languages, and checks the status, a text it must show, that no message
// key is missing, and the weight budget.
func TestPagesRender(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	counter := e.submit(false)
	cases := []struct{ user, path, want string }{
		{"", "/", "Bạn cần làm thủ tục gì?"},
		{"", "/thu-tuc", "Thủ tục đăng ký kết hôn"},
		{"", "/thu-tuc/1.000894", "Nộp hồ sơ trực tuyến"},
		{"", "/thu-tuc/2.000815", "chỉ nộp trực tiếp"},
		{"", "/tra-cuu?code=" + code, code},
		{"", "/dang-nhap", "Mật khẩu"},
		{"canbo", "/ho-so", code},
		{"canbo", "/ho-so/" + code, "Tiếp nhận"},
		{"canbo", "/ho-so/" + counter + "/bien-nhan", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
		{"canbo", "/tiep-nhan", "Tìm thủ tục"},
		{"canbo", "/tiep-nhan?procedure=1.001193", "Tiếp nhận và in giấy hẹn"},
		{"lanhdao", "/thong-ke", "Hồ sơ tiếp nhận"},
		{"lanhdao", "/chi-so", "Tải PDF"},
		{"lanhdao", "/chi-so/giai-trinh?indicator=3.3", counter},
		{"lanhdao", "/danh-gia", "Tải PDF"},
		{"lanhdao", "/danh-gia/canbo", "Tải PDF"},
		{"lanhdao", "/danh-gia/lanhdao", "không tự chấm điểm được"},
		{"canbo", "/viec-cua-toi", counter},
		{"congdan", "/ho-so", code},
		{"congdan", "/ho-so/" + code, "chờ cán bộ một cửa tiếp nhận"},
		{"congdan", "/ho-so/" + code + "/bien-nhan", "Biên nhận hồ sơ nộp trực tuyến"},
		{"congdan", "/thu-tuc/1.000894/nop", "Hoàng Thị Lan"},
		{"quantri", "/quan-tri", "Quản trị đơn vị"},
		{"quantri", "/quan-tri/nguoi-dung", "Nguyễn Thị Hoà"},
		{"quantri", "/quan-tri/nguoi-dung/chuyenvien", "Tư pháp - Hộ tịch"},
		{"quantri", "/quan-tri/phong-ban", "Phòng Kinh tế"},
		{"quantri", "/quan-tri/thu-tuc", "1.000894"},
		{"quantri", "/quan-tri/thu-tuc/1.000894", "Tiếp nhận hồ sơ"},
		{"quantri", "/quan-tri/gio-lam-viec", "08:00-12:00, 13:00-17:00"},
		{"quantri", "/quan-tri/lich?nam=2026", "Giỗ Tổ Hùng Vương"},
	}
	for _, c := range cases {
		for _, lang := range []string{"", "lang=en"} {
			path := c.path
			if lang != "" {
				path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + lang
			}
			status, body := e.get(c.user, path)
			if status != http.StatusOK || (lang == "" && !strings.Contains(body, c.want)) {
				t.Errorf("GET %s as %q: %d, want 200 with %q\n%s", path, c.user, status, c.want, body)
				continue
			}
			if m := missingKey.FindString(body); m != "" {
				t.Errorf("GET %s: missing message %s", path, m)
			}
			if lang != "" && !strings.Contains(body, `<html lang="en">`) {
				t.Errorf("GET %s: not in English", path)
			}
			e.checkWeight(path, body)
		}
	}
}

var assetRE = regexp.MustCompile(`(?:href|src)="/static/([^"?]+)`)

// checkWeight keeps a page under 100 KB of HTML, CSS and JavaScript, the
// dashboard's chart library excepted.
func (e *pagesEnv) checkWeight(path, body string) {
	e.t.Helper()
	total := len(body)
	for _, m := range assetRE.FindAllStringSubmatch(body, -1) {
		if m[1] == "chart.umd.min.js" {
			continue
		}
		_, asset := e.get("", "/static/"+m[1])
		total += len(asset)
	}
	if total > 100<<10 {
		e.t.Errorf("%s weighs %d bytes with its assets, over 100 KB", path, total)
	}
}

func TestCatalogueSearchIgnoresAccents(t *testing.T) {
	e := newPagesEnv(t)
	_, body := e.get("", "/thu-tuc?q=dang+ky+ket+hon")
	if !strings.Contains(body, `href="/thu-tuc/1.000894"`) || strings.Contains(body, `href="/thu-tuc/1.001193"`) {
		t.Fatalf("unaccented search: %s", body)
	}
	_, body = e.get("", "/thu-tuc?online=none")
	if !strings.Contains(body, "2.000815") || strings.Contains(body, "1.000894") {
		t.Fatal("filter by online mode")
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/thu-tuc?q=khai+sinh", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(b), "<html") || !strings.Contains(string(b), "1.001193") {
		t.Fatalf("htmx fragment: %s", b)
	}
}

func TestLookupAndRating(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	res, body := e.do("", http.MethodPost, "/tra-cuu", url.Values{"code": {code}, "proof": {"001190099999"}})
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Không tìm thấy hồ sơ") {
		t.Fatalf("wrong ID: %d %s", res.StatusCode, body)
	}
	res, body = e.do("", http.MethodPost, "/tra-cuu", url.Values{"code": {code}, "proof": {"0912 345 678"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Đã tiếp nhận tại bộ phận một cửa") || strings.Contains(body, "rate.legend") {
		t.Fatalf("lookup by phone: %d %s", res.StatusCode, body)
	}
	// The ID number as people type it: grouped with dots, spaces or dashes.
	res, body = e.do("", http.MethodPost, "/tra-cuu", url.Values{"code": {code}, "proof": {"001.190.012.345"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Đã tiếp nhận tại bộ phận một cửa") {
		t.Fatalf("lookup by a dotted ID number: %d %s", res.StatusCode, body)
	}
	for _, step := range []struct{ who, action string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}} {
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors[step.who], code, dossier.ActionRequest{Action: step.action}); err != nil {
			t.Fatal(err)
		}
	}
	_, body = e.do("", http.MethodPost, "/tra-cuu", url.Values{"code": {code}, "proof": {"001190012345"}})
	if !strings.Contains(body, "mời ông/bà đến bộ phận một cửa để nhận") || !strings.Contains(body, `name="rating"`) {
		t.Fatalf("finished dossier: %s", body)
	}
	res, body = e.do("", http.MethodPost, "/tra-cuu/danh-gia", url.Values{"code": {code}, "proof": {"001190012345"}, "rating": {"3"}, "comment": {"Nhanh"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Cảm ơn") || !strings.Contains(body, "Đã đánh giá: Rất hài lòng") {
		t.Fatalf("rating: %d %s", res.StatusCode, body)
	}
	res, body = e.do("", http.MethodPost, "/tra-cuu/danh-gia", url.Values{"code": {code}, "proof": {"001 190-012 345"}, "rating": {"2"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "đã được đánh giá") {
		t.Fatalf("second rating: %d %s", res.StatusCode, body)
	}
}

// TestCounterEntryKeepsTyping checks the error summary, the message beside
// the field, and that what was typed comes back.
func TestCounterEntryKeepsTyping(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"12345"}, "phone": {"0987654321"},
		"channel": {"1"}, "components": {"Tờ khai đăng ký khai sinh"}}
	res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `class="error-summary"`) ||
		!strings.Contains(body, `href="#id_number"`) || !strings.Contains(body, `id="id_number-error"`) ||
		!strings.Contains(body, `value="Lý Văn Phúc"`) || !strings.Contains(body, `value="Tờ khai đăng ký khai sinh" checked`) {
		t.Fatalf("bad ID: %d %s", res.StatusCode, body)
	}
	form.Set("id_number", "001 090 012 345")
	res, body = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#incomplete"`) || !strings.Contains(body, `name="on_incomplete"`) ||
		!strings.Contains(body, ">Giấy chứng sinh; nếu sinh ngoài cơ sở y tế") || !strings.Contains(body, `value="Lý Văn Phúc"`) {
		t.Fatalf("incomplete entry: %d %s", res.StatusCode, body)
	}
	if _, n, _ := e.f.Svc.Store.List(context.Background(), dossier.Filter{}, dossier.Scope{All: true}); n != 0 {
		t.Fatalf("an incomplete entry made %d dossiers", n)
	}
	form["components"] = demo.Required("1.001193")
	res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/bien-nhan") {
		t.Fatalf("counter entry: %d %s", res.StatusCode, loc)
	}
	_, body = e.get("canbo", loc)
	if !strings.Contains(body, "<svg class=\"qr\"") || !strings.Contains(body, "001******345") || !strings.Contains(body, "/tra-cuu?code=") {
		t.Fatalf("receipt: %s", body)
	}
	if res, _ := e.do("chuyenvien", http.MethodGet, "/tiep-nhan", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("specialist at the counter: %d", res.StatusCode)
	}
}

func TestOnlineSubmission(t *testing.T) {
	e := newPagesEnv(t)
	if res, _ := e.do("", http.MethodGet, "/thu-tuc/1.000894/nop", nil); res.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/dang-nhap?next=") {
		t.Fatalf("anonymous: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	form := url.Values{"step": {"review"}, "unit": {"00004"}, "name": {"Hoàng Thị Lan"}, "id_number": {"0011900123"}, "email": {"lan"}}
	res, body := e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#email"`) || !strings.Contains(body, `href="#id_number"`) {
		t.Fatalf("two errors at once: %d %s", res.StatusCode, body)
	}
	form.Set("id_number", "001190012345")
	form.Set("email", "lan@example.vn")
	form.Set("components", "Giấy tờ tùy thân có ảnh của hai bên nam, nữ (hộ chiếu, thẻ căn cước)") // ticked, but no file
	res, body = e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#file-0"`) || !strings.Contains(body, `href="#file-1"`) ||
		strings.Contains(body, `href="#file-2"`) {
		t.Fatalf("no file for the two required components (only those): %d %s", res.StatusCode, body)
	}
	res, body = e.post("congdan", "/thu-tuc/1.000894/nop", form, filePart{"file-0", "tờ khai.pdf", tinyPDF}, filePart{"file-1", "căn cước.pdf", tinyPDF})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Kiểm tra lại thông tin") || !strings.Contains(body, `value="send"`) {
		t.Fatalf("review: %d %s", res.StatusCode, body)
	}
	form["file"] = hiddenFiles(body)
	form.Set("step", "send")
	res, _ = e.do("congdan", http.MethodPost, "/thu-tuc/1.000894/nop", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/bien-nhan") {
		t.Fatalf("send: %d", res.StatusCode)
	}
	if res, _ := e.do("congdan", http.MethodGet, "/thu-tuc/2.000815/nop", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("counter-only procedure online: %d", res.StatusCode)
	}
}

// TestDossierActions walks a dossier through the page's forms and checks
// that a refused action shows the service's message in Vietnamese alone.
func TestDossierActions(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	post := func(user, action string, form url.Values) (*http.Response, string) {
		return e.do(user, http.MethodPost, "/ho-so/"+code+"/"+action, form)
	}
	if _, body := e.get("chuyenvien", "/ho-so/"+code); strings.Contains(body, `/receive"`) {
		t.Fatal("a specialist is offered the reception")
	}
	res, body := post("canbo", "refuse", url.Values{"reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "phải nêu rõ lý do") || strings.Contains(body, "a refusal needs a written reason") {
		t.Fatalf("refuse without reason: %d %s", res.StatusCode, body)
	}
	for _, s := range []struct{ who, action string }{{"canbo", "receive"}, {"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}} {
		form := url.Values{}
		if s.action == "finish" { // the result document, on paper
			form = url.Values{"result_number": {"12/GCN"}, "result_signed_on": {stats.Day(e.f.Clock.Now())}, "result_signer": {"Lê Quang Vinh"}, "result_on_paper": {"1"}}
		}
		res, _ := post(s.who, s.action, form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s by %s: %d", s.action, s.who, res.StatusCode)
		}
	}
	_, body = e.get("canbo", "/ho-so/"+code+"?ok=return_result")
	if !strings.Contains(body, "Đã thực hiện: Trả kết quả") || !strings.Contains(body, "Đúng hạn") && !strings.Contains(body, "Trước hạn") {
		t.Fatalf("returned: %s", body)
	}
	if status, body := e.get("canbo.ngocha", "/ho-so/"+code); status != http.StatusNotFound || strings.Contains(body, "Nguyễn Thị Hồng") {
		t.Fatalf("other unit: %d", status)
	}
	res, body = post("congdan", "rate", url.Values{"rating": {"2"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rate by the signed-in applicant: %d %s", res.StatusCode, body)
	}
}

func TestSessionPages(t *testing.T) {
	e := newPagesEnv(t)
	res, _ := e.do("", http.MethodPost, "/dang-nhap", url.Values{"username": {"canbo"}, "password": {"sai"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ = e.do("", http.MethodPost, "/dang-nhap", url.Values{"username": {"canbo"}, "password": {"demo"}, "next": {"//evil.example/"}})
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == nil || res.Header.Get("Location") != "/ho-so" {
		t.Fatalf("sign in: %d %s %v", res.StatusCode, res.Header.Get("Location"), res.Cookies())
	}
	e.session["fresh"] = session.Value
	if status, _ := e.get("fresh", "/ho-so"); status != http.StatusOK {
		t.Fatalf("queue with the new session: %d", status)
	}
	res, _ = e.do("fresh", http.MethodPost, "/dang-xuat", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	// The ended session no longer works; on a page it is dropped quietly.
	res, body := e.do("fresh", http.MethodGet, "/", nil)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "nav.signout") || !strings.Contains(body, "Đăng nhập") {
		t.Fatalf("home with an ended session: %d", res.StatusCode)
	}
	if res, _ := e.do("fresh", http.MethodGet, "/ho-so", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("queue with an ended session: %d", res.StatusCode)
	}
	// A cross-site form post is refused.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/ho-so/x/receive", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	cs, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cs.Body.Close()
	if cs.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", cs.StatusCode)
	}
}

func TestFormats(t *testing.T) {
	u, err := loadUI()
	if err != nil {
		t.Fatal(err)
	}
	vi, en := u.cat[langVI], u.cat[langEN]
	for _, c := range []struct{ got, want string }{
		{vi.money(150000), "150.000 đ"}, {en.money(150000), "150,000 VND"}, {vi.money(0), "Miễn phí"},
		{vi.num(1234567), "1.234.567"}, {en.num(1234), "1,234"}, {vi.pct(0.925), "92,5 %"}, {en.pct(0.925), "92.5%"},
		{vi.pct(1), "100 %"}, {vi.days(0.5), "0,5"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for _, p := range []string{"/ho-so", "/", "/a?b=c"} {
		if localPath(p) != p {
			t.Errorf("localPath(%q) refused", p)
		}
	}
	for _, p := range []string{"//evil.example", "https://evil.example", "/\\evil", "ho-so"} {
		if localPath(p) != "" {
			t.Errorf("localPath(%q) allowed", p)
		}
	}
}

// TestDocuments fetches the printed forms and exports the pages link to.
func TestDocuments(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	_, page := e.get("canbo", "/ho-so/"+code)
	for _, want := range []string{"/ho-so/" + code + "/mau/1", "/ho-so/" + code + "/mau/6"} {
		if !strings.Contains(page, want) {
			t.Errorf("dossier page lacks a link to %s", want)
		}
	}
	cases := []struct {
		user, path, ctype, magic string
		status                   int
	}{
		{"canbo", "/ho-so/" + code + "/mau/1", "application/pdf", "%PDF", 200},
		{"canbo", "/ho-so/" + code + "/mau/6", "application/pdf", "%PDF", 200},
		{"canbo", "/ho-so/" + code + "/mau/3", "text/html", "<!doctype", 404},
		{"canbo.ngocha", "/ho-so/" + code + "/mau/1", "text/html", "<!doctype", 404},
		{"lanhdao", "/thong-ke/xlsx?from=2026-01-01&to=2026-12-31", xlsxType, "PK", 200},
		{"canbo", "/so-theo-doi?from=2026-03-01&to=2026-03-31", "application/pdf", "%PDF", 200},
		{"canbo", "/so-theo-doi?from=2026-03-01&to=2026-03-31&format=xlsx", xlsxType, "PK", 200},
		{"congdan", "/thong-ke/xlsx", "text/html", "<!doctype", 403},
	}
	for _, c := range cases {
		res, body := e.do(c.user, http.MethodGet, c.path, nil)
		if res.StatusCode != c.status || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) || !strings.HasPrefix(body, c.magic) {
			t.Errorf("GET %s as %s: %d %s %.20q", c.path, c.user, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
}

// TestLanguageCookie checks that ?lang=en is remembered and ?lang=vi goes
// back.
func TestLanguageCookie(t *testing.T) {
	e := newPagesEnv(t)
	res, body := e.do("", http.MethodGet, "/thu-tuc?lang=en", nil)
	var lang *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == langCookie {
			lang = c
		}
	}
	if lang == nil || lang.Value != "en" || !strings.Contains(body, "Administrative procedures") || !strings.Contains(body, `href="/thu-tuc?lang=vi"`) {
		t.Fatalf("switch to English: %v", res.Cookies())
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/tra-cuu", nil)
	req.AddCookie(lang)
	res2, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	if !strings.Contains(string(b), "Track a dossier") || !strings.Contains(string(b), `<html lang="en">`) {
		t.Fatal("the cookie did not keep English")
	}
}

// TestProvinceDashboard: a province leader sees each commune's row and can
// open one; a ward leader can open neither the province nor another ward.
func TestProvinceDashboard(t *testing.T) {
	e := newPagesEnv(t)
	e.submit(false)
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	status, body := e.get("lanhdao.tinh", "/thong-ke")
	if status != http.StatusOK || !strings.Contains(body, "Theo đơn vị") || !strings.Contains(body, "Phường Ba Đình") {
		t.Fatalf("province dashboard: %d", status)
	}
	status, body = e.get("lanhdao.tinh", "/thong-ke?unit=00004")
	if status != http.StatusOK || strings.Contains(body, "Theo đơn vị") || !strings.Contains(body, "unit=00004") {
		t.Fatalf("drill into the ward: %d (the Excel link must keep the ward)", status)
	}
	// The export of the ward is named for the ward, not for the province.
	res, xlsx := e.do("lanhdao.tinh", http.MethodGet, "/thong-ke/xlsx?unit=00004&from=2026-01-01&to=2026-12-31", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("ward export: %d", res.StatusCode)
	}
	book, err := excelize.OpenReader(strings.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	title, _ := book.GetCellValue(book.GetSheetList()[0], "A5")
	if !strings.Contains(title, "Ba Đình") {
		t.Fatalf("ward export names %q", title)
	}
	for _, unit := range []string{"01", "00008"} {
		if status, _ := e.get("lanhdao", "/thong-ke?unit="+unit); status != http.StatusForbidden {
			t.Errorf("ward leader opening %s: %d, want 403", unit, status)
		}
	}
}

// TestSecureCookieBehindTLSProxy: with an https public address the session
// cookie is Secure even though TLS ended before the server.
func TestSecureCookieBehindTLSProxy(t *testing.T) {
	e := newPagesEnv(t)
	e.s.PublicURL = "https://dichvucong.example.gov.vn"
	res, _ := e.do("", http.MethodPost, "/dang-nhap", url.Values{"username": {"canbo"}, "password": {"demo"}})
	var found bool
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			found = true
			if !c.Secure || !c.HttpOnly {
				t.Fatalf("session cookie %+v is not Secure and HttpOnly", c)
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie (status %d)", res.StatusCode)
	}
}

// TestCounterIncompleteRefuse refuses an incomplete walk-in dossier at
// reception: a reason is required, the dossier is created refused and never
// received, and its page opens with form 03 to print.
func TestCounterIncompleteRefuse(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"procedure": {"1.004873"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "channel": {"1"},
		"on_incomplete": {"refuse"}, "reason": {""}}
	res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#reason"`) || !strings.Contains(body, `id="reason-error"`) ||
		!strings.Contains(body, `value="refuse" checked`) {
		t.Fatalf("refusal without a reason: %d %s", res.StatusCode, body)
	}
	form.Set("reason", "Không thuộc thẩm quyền của phường")
	res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/ho-so/") || strings.HasSuffix(loc, "/bien-nhan") {
		t.Fatalf("refusal: %d %s", res.StatusCode, loc)
	}
	code := strings.TrimPrefix(loc, "/ho-so/")
	d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil || d.Status != dossier.StatusRefused || !d.ReceivedAt.IsZero() || d.Reason != "Không thuộc thẩm quyền của phường" {
		t.Fatalf("refused dossier: %v %+v", err, d)
	}
	_, page := e.get("canbo", loc)
	if !strings.Contains(page, `class="printnow`) || !strings.Contains(page, `href="/ho-so/`+code+`/mau/3"`) ||
		strings.Contains(page, `href="/ho-so/`+code+`/bien-nhan"`) {
		t.Fatalf("the page does not offer form 03 at once, or offers a receipt:\n%s", page)
	}
	res, pdf := e.do("canbo", http.MethodGet, "/ho-so/"+code+"/mau/3", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("form 03: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := e.do("canbo", http.MethodGet, "/ho-so/"+code+"/bien-nhan", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ho-so/"+code {
		t.Fatalf("receipt of a dossier never received: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := e.do("canbo", http.MethodGet, "/ho-so/"+code+"/mau/1", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("form 01 for a dossier never received: %d", res.StatusCode)
	}
}

// TestReceiveIncompleteOnline: an online dossier that lacks a required
// component (the procedure gained one after it was sent) is not offered for
// reception; the page says what is missing, and receiving it is refused.
func TestReceiveIncompleteOnline(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	ctx := context.Background()
	p, err := e.f.Svc.Procedures.ForUnit(ctx, "1.000894", demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	p = p.Clone()
	p.Components = append(p.Components, procedure.Component{Name: "Giấy xác nhận mới", Form: procedure.FormOriginal, Quantity: 1, Required: true})
	if _, err := e.f.DB.SaveProcedures(ctx, []procedure.Procedure{*p}); err != nil {
		t.Fatal(err)
	}
	_, page := e.get("canbo", "/ho-so/"+code)
	if strings.Contains(page, `/receive"`) || !strings.Contains(page, "chưa thể tiếp nhận") || !strings.Contains(page, "<li>Giấy xác nhận mới</li>") ||
		!strings.Contains(page, `/request_supplement"`) || !strings.Contains(page, `/refuse"`) {
		t.Fatalf("incomplete online dossier page:\n%s", page)
	}
	res, body := e.do("canbo", http.MethodPost, "/ho-so/"+code+"/receive", url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Không thể tiếp nhận") || !strings.Contains(body, "Giấy xác nhận mới") {
		t.Fatalf("receive: %d %s", res.StatusCode, body)
	}
}

// TestApprovedStage: once the leader approves, the dossier page and the
// queue say so in plain words, and offer no request to the applicant.
func TestApprovedStage(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	ctx := context.Background()
	for _, s := range []struct{ who, action string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}} {
		if _, err := e.f.Svc.Act(ctx, e.f.Actors[s.who], code, dossier.ActionRequest{Action: s.action}); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
	}
	_, page := e.get("canbo", "/ho-so/"+code)
	if !strings.Contains(page, `st-approved">Đã phê duyệt, chờ hoàn thành</span>`) || !strings.Contains(page, `/finish"`) ||
		strings.Contains(page, `/request_supplement"`) || strings.Contains(page, `/request_payment"`) || strings.Contains(page, `/withdraw"`) {
		t.Fatalf("approved dossier page:\n%s", page)
	}
	if _, queue := e.get("canbo", "/ho-so"); !strings.Contains(queue, "Đã phê duyệt, chờ hoàn thành") {
		t.Fatalf("the queue does not show the stage:\n%s", queue)
	}
	if _, page := e.get("lanhdao", "/ho-so/"+code); strings.Contains(page, `/stop"`) {
		t.Fatal("the leader is offered to stop an approved dossier")
	}
}

// TestSentBackReason: the officer a dossier was sent back to reads who sent
// it back and why above the actions, until the dossier moves on.
func TestSentBackReason(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	ctx := context.Background()
	if _, err := e.f.Svc.Act(ctx, e.f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
		t.Fatal(err)
	}
	const why = "Thiếu chữ ký bên nữ trên tờ khai"
	if _, err := e.f.Svc.Act(ctx, e.f.Actors["chuyenvien"], code, dossier.ActionRequest{Action: dossier.ActSendBack, Note: why}); err != nil {
		t.Fatal(err)
	}
	_, page := e.get("canbo", "/ho-so/"+code)
	if i := strings.Index(page, `class="notice sent-back"`); i < 0 || !strings.Contains(page[i:i+400], why) || !strings.Contains(page[i:i+400], "trả lại lúc") {
		t.Fatalf("the reason is not shown above the actions:\n%s", page)
	}
	if _, err := e.f.Svc.Act(ctx, e.f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
		t.Fatal(err)
	}
	if _, page := e.get("chuyenvien", "/ho-so/"+code); strings.Contains(page, `class="notice sent-back"`) {
		t.Fatal("the send-back notice stays after the dossier moved on")
	}
}
