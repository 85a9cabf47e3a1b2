package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// TestErrorPagesOneLanguage opens every kind of error page in both
// languages: each shows its message in the reader's language only.
func TestErrorPagesOneLanguage(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	cases := []struct {
		name, user, method, path string
		form                     url.Values
		header                   http.Header
		status                   int
		vi, en                   string
	}{
		{"conflict on the dossier page", "lanhdao", http.MethodPost, "/ho-so/" + code + "/approve", url.Values{}, nil, http.StatusConflict,
			"không thể phê duyệt", "approve is not possible now"},
		{"invalid on the dossier page", "canbo", http.MethodPost, "/ho-so/" + code + "/refuse", url.Values{"reason": {""}}, nil, http.StatusUnprocessableEntity,
			"phải nêu rõ lý do", "a refusal needs a written reason"},
		{"not found", "", http.MethodGet, "/khong-co", nil, nil, http.StatusNotFound, "Không tìm thấy trang này", "page not found"},
		{"forbidden", "canbo", http.MethodGet, "/quan-tri/lich", nil, nil, http.StatusForbidden, "quản trị", "administrator"},
		{"another unit's dossier", "canbo.ngocha", http.MethodGet, "/ho-so/" + code, nil, nil, http.StatusNotFound, "Không tìm thấy", "not found"},
		{"cross-site form", "canbo", http.MethodPost, "/ho-so/" + code + "/receive", url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}},
			http.StatusForbidden, "Yêu cầu từ trang web khác bị từ chối", "a request from another site was refused"},
	}
	for _, c := range cases {
		for _, lang := range []string{"vi", "en"} {
			want, other := c.vi, c.en
			if lang == "en" {
				want, other = c.en, c.vi
			}
			res, body := e.doWith(c.user, c.method, c.path+"?lang="+lang, c.form, c.header)
			if res.StatusCode != c.status || !strings.Contains(body, want) || strings.Contains(body, other) {
				t.Errorf("%s in %s: %d, want %d with %q and without %q\n%s", c.name, lang, res.StatusCode, c.status, want, other, mainOf(body))
			}
		}
	}
}

// doWith is do with extra request headers.
func (e *pagesEnv) doWith(user, method, path string, form url.Values, h http.Header) (*http.Response, string) {
	e.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if user != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session[user]})
	}
	return e.send(req)
}

// mainOf is the <main> of a page, to keep failure messages short.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return body
}

// returned walks a dossier through the service to its return.
func (e *pagesEnv) returned(code string) {
	e.t.Helper()
	for _, s := range []struct{ who, action string }{{"canbo", "receive"}, {"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}} {
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors[s.who], code, dossier.ActionRequest{Action: s.action}); err != nil {
			e.t.Fatalf("%s by %s: %v", s.action, s.who, err)
		}
	}
}

// kpiCard is the dashboard's card whose label is label.
func kpiCard(body, label string) string {
	i := strings.Index(body, `<span class="kpi-label">`+label+`</span>`)
	if i < 0 {
		return ""
	}
	body = body[i:]
	if j := strings.Index(body, "</li>"); j >= 0 {
		body = body[:j]
	}
	return body
}

// TestDashboardNoRatings: with nobody having rated, the satisfaction card
// says so instead of showing 0 %; with a rating it shows the share.
func TestDashboardNoRatings(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	e.returned(code)
	_, body := e.get("lanhdao", "/thong-ke")
	card := kpiCard(body, "Hài lòng")
	if !strings.Contains(card, "Chưa có đánh giá") || strings.Contains(card, "%") {
		t.Errorf("no ratings, vi: %q", card)
	}
	_, body = e.get("lanhdao", "/thong-ke?lang=en")
	if card := kpiCard(body, "Satisfaction"); !strings.Contains(card, "No ratings yet") || strings.Contains(card, "%") {
		t.Errorf("no ratings, en: %q", card)
	}
	if _, err := e.f.Svc.Act(context.Background(), e.f.Actors["congdan"], code, dossier.ActionRequest{Action: dossier.ActRate, Rating: 2}); err != nil {
		t.Fatal(err)
	}
	_, body = e.get("lanhdao", "/thong-ke?lang=vi")
	if card := kpiCard(body, "Hài lòng"); !strings.Contains(card, "100 %") || strings.Contains(card, "Chưa có đánh giá") {
		t.Errorf("one rating: %q", card)
	}
}

// TestReceiptPageMasksIDNumber: the receipt page, printed for the
// applicant, shows the ID number's first and last 3 digits only.
func TestReceiptPageMasksIDNumber(t *testing.T) {
	e := newPagesEnv(t)
	for _, c := range []struct{ user, code string }{{"canbo", e.submit(false)}, {"congdan", e.submit(true)}} {
		status, body := e.get(c.user, "/ho-so/"+c.code+"/bien-nhan")
		if status != http.StatusOK || !strings.Contains(body, "001******345") || strings.Contains(body, "001190012345") {
			t.Errorf("receipt of %s as %s: %d\n%s", c.code, c.user, status, mainOf(body))
		}
	}
}

var (
	headingRE = regexp.MustCompile(`(?s)<(h[1-3]|legend)\b[^>]*>(.*?)</(?:h[1-3]|legend)>`)
	captionRE = regexp.MustCompile(`(?s)<caption\b[^>]*>(.*?)</caption>`)
	tableRE   = regexp.MustCompile(`<table\b[^>]*>`)
	labelRE   = regexp.MustCompile(`aria-labelledby="([^"]+)"`)
	tagRE     = regexp.MustCompile(`<[^>]+>`)
)

func plainText(s string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(s, " ")), " ")
}

// TestTablesNotCaptionedTwice: no table repeats the heading above it as its
// caption; a table is named by its heading through aria-labelledby, and
// every table is named.
func TestTablesNotCaptionedTwice(t *testing.T) {
	e := newPagesEnv(t)
	e.submit(false)
	for _, c := range []struct{ user, path string }{{"lanhdao", "/thong-ke"}, {"quantri", "/quan-tri/thu-tuc"},
		{"quantri", "/quan-tri/thu-tuc/1.000894"}, {"quantri", "/quan-tri/nguoi-dung"}, {"quantri", "/quan-tri/phong-ban"},
		{"quantri", "/quan-tri/lich?nam=2026"}} {
		status, body := e.get(c.user, c.path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", c.path, status)
		}
		body = mainOf(body)
		headings := map[string]bool{}
		for _, m := range headingRE.FindAllStringSubmatch(body, -1) {
			headings[plainText(m[2])] = true
		}
		for _, m := range captionRE.FindAllStringSubmatch(body, -1) {
			if headings[plainText(m[1])] {
				t.Errorf("%s: the caption %q repeats a heading", c.path, plainText(m[1]))
			}
		}
		tables := tableRE.FindAllString(body, -1)
		if len(tables) == 0 {
			t.Errorf("%s: no table", c.path)
		}
		for _, tb := range tables {
			m := labelRE.FindStringSubmatch(tb)
			if m == nil {
				if !captionRE.MatchString(body) {
					t.Errorf("%s: %s has no name", c.path, tb)
				}
				continue
			}
			if !strings.Contains(body, `id="`+m[1]+`"`) {
				t.Errorf("%s: %s names a heading that is not there", c.path, tb)
			}
		}
	}
}

// TestProcedureStepsMove: the procedure editor shows long step names whole
// and moves steps up and down through the save path, which keeps checking
// the steps' rules.
func TestProcedureStepsMove(t *testing.T) {
	e := newPagesEnv(t)
	path := "/quan-tri/thu-tuc/1.000894"
	long := "Thẩm định hồ sơ, xác minh thông tin về tình trạng hôn nhân của hai bên và trình lãnh đạo ký giấy chứng nhận kết hôn"
	good := [][4]string{{"Tiếp nhận", "counter", "", "10"}, {long, "specialist", "TP-HT", "50"}, {"Ký", "leader", "LD", "30"}, {"Trả kết quả", "counter", "", "10"}}
	with := func(v url.Values, k, val string) url.Values { v.Set(k, val); return v }
	e.run([]formCase{{"save", "quantri", path, steps(true, good...), 303, "Đã lưu quy trình"}})
	_, body := e.get("quantri", path)
	if !strings.Contains(body, ">"+long+"</textarea>") {
		t.Errorf("the long step name is not shown whole in a text area:\n%s", mainOf(body))
	}
	for _, v := range []string{`value="up-2"`, `value="up-3"`, `value="down-1"`, `value="down-2"`} {
		if !strings.Contains(body, v) {
			t.Errorf("no move button %s", v)
		}
	}
	// Reception stays first: neither it nor the step below it moves past the other.
	for _, v := range []string{`value="up-0"`, `value="down-3"`, `value="up-4"`, `value="up-1"`, `value="down-0"`} {
		if strings.Contains(body, v) {
			t.Errorf("a move button %s that cannot work", v)
		}
	}
	stored := func() []string {
		pr, err := store.Procedures{DB: e.f.DB}.ForUnit(context.Background(), "1.000894", demo.Ward)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range pr.Steps {
			names = append(names, s.Name)
		}
		return names
	}
	e.run([]formCase{{"move the examination down", "quantri", path, with(steps(true, good...), "move", "down-1"), 303, "Đã lưu quy trình"}})
	if got := strings.Join(stored(), "|"); got != "Tiếp nhận|Ký|"+long+"|Trả kết quả" {
		t.Fatalf("after moving step 2 down: %s", got)
	}
	moved := [][4]string{good[0], good[2], good[1], good[3]}
	e.run([]formCase{
		{"move a step above the reception", "quantri", path, with(steps(true, moved...), "move", "up-1"), 422, "tiếp nhận tại bộ phận một cửa"},
		{"move the reception down", "quantri", path, with(steps(true, moved...), "move", "down-0"), 422, "tiếp nhận tại bộ phận một cửa"},
		{"move above the first", "quantri", path, with(steps(true, moved...), "move", "up-0"), 422, "Không thể chuyển bước này"},
		{"move past the form", "quantri", path, with(steps(true, moved...), "move", "down-7"), 422, "Không thể chuyển bước này"},
		{"move sideways", "quantri", path, with(steps(true, moved...), "move", "left-1"), 422, "Không thể chuyển bước này"},
	})
	if got := strings.Join(stored(), "|"); got != "Tiếp nhận|Ký|"+long+"|Trả kết quả" {
		t.Fatalf("a refused move changed the steps: %s", got)
	}
	e.run([]formCase{{"move it back up, a name typed over two lines", "quantri", path,
		with(with(steps(true, moved...), "move", "up-2"), "name-3", "Trả\r\n kết quả"), 303, "Đã lưu quy trình"}})
	if got := strings.Join(stored(), "|"); got != "Tiếp nhận|"+long+"|Ký|Trả kết quả" {
		t.Fatalf("after moving it back: %s", got)
	}
}

// TestUnitContactOnHome: the home page names the receiving unit with its
// address, opening hours and hotline; its administrator changes them on
// the office-hours page, and a refused change writes nothing.
func TestUnitContactOnHome(t *testing.T) {
	e := newPagesEnv(t)
	_, body := e.get("", "/")
	for _, want := range []string{"Nơi tiếp nhận hồ sơ", "Phường Ba Đình", "Số 25 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội",
		"Thứ Hai đến thứ Sáu: 08:00-12:00, 13:00-17:00", `href="tel:02438234567"`, "024 3823 4567", "motcua@badinh.hanoi.gov.vn"} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(body, "Phường Ngọc Hà") {
		t.Error("a unit without contact details is listed")
	}
	if _, body := e.get("", "/?lang=en"); !strings.Contains(body, "Where to hand in a dossier") || !strings.Contains(body, "Monday to Friday: 08:00-12:00, 13:00-17:00") {
		t.Errorf("home in English:\n%s", mainOf(body))
	}
	contact := func(address, hotline, email string) url.Values {
		return url.Values{"part": {"contact"}, "address": {address}, "hotline": {hotline}, "email": {email}}
	}
	e.run([]formCase{
		{"a hotline too short", "quantri", "/quan-tri/gio-lam-viec", contact("Số 1 phố Mới", "024 3823", ""), 422, `id="hotline-error"`},
		{"a bad e-mail", "quantri", "/quan-tri/gio-lam-viec", contact("Số 1 phố Mới", "", "motcua.badinh"), 422, `id="email-error"`},
		{"by a counter officer", "canbo", "/quan-tri/gio-lam-viec", contact("Số 1 phố Mới", "", ""), 403, "quản trị"},
		{"save", "quantri", "/quan-tri/gio-lam-viec", contact(" Số 8  phố Hàng Cháo ", "0912 345 678", ""), 303, "Đã lưu thông tin liên hệ"},
	})
	if c, err := e.f.DB.UnitContact(context.Background(), "00004"); err != nil || c.Address != "Số 8 phố Hàng Cháo" || c.Hotline != "0912345678" || c.Email != "" {
		t.Fatalf("stored contact: %+v %v", c, err)
	}
	e.run([]formCase{{"hours", "quantri", "/quan-tri/gio-lam-viec", url.Values{"spans": {"07:30-11:30, 13:30-17:00"}, "saturday": {"08:00-11:30"}}, 303, "0912 345 678"}})
	_, body = e.get("", "/")
	for _, want := range []string{"Số 8 phố Hàng Cháo", "Thứ Hai đến thứ Sáu: 07:30-11:30, 13:30-17:00", "Thứ Bảy: 08:00-11:30", "0912 345 678"} {
		if !strings.Contains(body, want) {
			t.Errorf("home after the changes lacks %q", want)
		}
	}
}

// TestReceiptPDFFromServer prints form 01 through the server: the unit's
// address is where the result is handed back, its hotline is printed, and
// the ID number's middle is hidden.
func TestReceiptPDFFromServer(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	txt := e.pdfText("canbo", "/ho-so/"+code+"/mau/1")
	for _, want := range []string{"Số định danh cá nhân: 001******345", "Nơi trả kết quả: Số 25 phố Đội Cấn, phường Ba Đình", "024 3823 4567"} {
		if !strings.Contains(txt, want) {
			t.Errorf("form 01 lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "001190012345") {
		t.Error("form 01 prints the whole ID number")
	}
}
