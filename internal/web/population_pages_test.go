package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
)

// TestPopulationPages: the officer's dossier page offers the check with a
// reason, refuses it without one, and after it shows the badge with the
// time and the outcome; the applicant sees neither; the leaders read the
// log; without a configured database the form is not offered.
func TestPopulationPages(t *testing.T) {
	reg := populationServer(t)
	e := newEnv(t, store.SQLite, func(s *web.Server) { s.PopulationRegistry = population.NewHTTPRegistry(reg.URL, "khoa") })
	post := func(user, path string, form url.Values) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return e.send(user, req, "")
	}
	code := e.prep("online-received") // applicant Nguyễn Thị Hồng, whose number the registry gives Hoàng Thị Lan
	page := "/ho-so/" + code
	_, body := e.get(t, "canbo", page, "")
	if !strings.Contains(body, `action="/ho-so/`+code+`/doi-chieu-dan-cu"`) || !strings.Contains(body, `value="001190012345"`) || strings.Contains(body, `id="population-badge"`) {
		t.Fatalf("the officer's page before a check:\n%s", body)
	}
	if strings.Contains(body, "/quan-tri/tra-cuu-dan-cu") {
		t.Error("a counter officer is offered the log")
	}
	if st, body := post("canbo", page+"/doi-chieu-dan-cu", url.Values{"id_number": {"001190012345"}, "reason": {" "}}); st != 422 || !strings.Contains(body, "Cần ghi lý do tra cứu") {
		t.Fatalf("no reason: %d\n%s", st, body)
	}
	for _, reason := range []string{"Tiếp\x00nhận", "Tiếp nhận\x1b[2J", "Tiếp nhận\u0085"} {
		if st, body := post("canbo", page+"/doi-chieu-dan-cu", url.Values{"id_number": {"001190012345"}, "reason": {reason}}); st != 422 ||
			!strings.Contains(body, "ký tự") {
			t.Errorf("an unclean reason %q: %d\n%s", reason, st, body)
		}
	}
	if _, n, err := (store.Population{DB: e.f.DB}).Lookups(t.Context(), "00004", 10, 0); err != nil || n != 0 {
		t.Fatalf("refused look-ups were logged: %d, %v", n, err)
	}
	st, body := post("canbo", page+"/doi-chieu-dan-cu", url.Values{"id_number": {"001 190 012 345"}, "reason": {"Tiếp nhận hồ sơ"}})
	if st != 200 || !strings.Contains(body, "Đã đối chiếu với Cơ sở dữ liệu quốc gia về dân cư lúc 09:00 02/03/2026 — không khớp (người nộp): họ tên") {
		t.Fatalf("after the check: %d\n%s", st, body)
	}
	if !strings.Contains(body, "Đối chiếu CSDL quốc gia về dân cư") {
		t.Error("the check is not in the history")
	}
	_, body = e.get(t, "congdan", page, "")
	if strings.Contains(body, "doi-chieu-dan-cu") || strings.Contains(body, `id="population-badge"`) {
		t.Errorf("the applicant sees the check's form or badge:\n%s", body)
	}
	if st, _ := post("congdan", page+"/doi-chieu-dan-cu", url.Values{"id_number": {"001190012345"}, "reason": {"Xem"}}); st != 403 {
		t.Errorf("the applicant's check: %d", st)
	}
	if st, _ := post("canbo.ngocha", page+"/doi-chieu-dan-cu", url.Values{"id_number": {"001190012345"}, "reason": {"Xem"}}); st != 404 {
		t.Errorf("another ward's check: %d", st)
	}
	_, body = e.get(t, "lanhdao", page, "")
	if !strings.Contains(body, "/quan-tri/tra-cuu-dan-cu") {
		t.Error("the leader is not offered the log")
	}
	res, body := e.get(t, "lanhdao", "/quan-tri/tra-cuu-dan-cu", "")
	if res.StatusCode != 200 || !strings.Contains(body, "Tiếp nhận hồ sơ") || !strings.Contains(body, "001190012345") || !strings.Contains(body, "không khớp") ||
		!strings.Contains(body, "1 lượt tra cứu") {
		t.Fatalf("the log: %d\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, "<small>họ tên</small>") || strings.Contains(body, "full_name") {
		t.Errorf("the log's detail is not in words:\n%s", body)
	}
	// In English the badge and the log speak English, the stored note stays Vietnamese.
	_, body = e.get(t, "canbo", page+"?lang=en", "")
	if !strings.Contains(body, "— mismatch (applicant): full name") || strings.Contains(body, "— không khớp") {
		t.Errorf("the English badge:\n%s", body)
	}
	_, body = e.get(t, "lanhdao", "/quan-tri/tra-cuu-dan-cu?lang=en", "")
	if !strings.Contains(body, "<small>full name</small>") || strings.Contains(body, "full_name") || strings.Contains(body, "không khớp") {
		t.Errorf("the English log:\n%s", body)
	}
	if res, _ := e.get(t, "canbo", "/quan-tri/tra-cuu-dan-cu", ""); res.StatusCode != 403 {
		t.Errorf("the log for a counter officer: %d", res.StatusCode)
	}

	off := newEnv(t, store.SQLite)
	code = off.prep("received")
	if _, body := off.get(t, "canbo", "/ho-so/"+code, ""); strings.Contains(body, "doi-chieu-dan-cu") {
		t.Error("the form is offered without a configured database")
	}
}
