package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCounterProcedureTypeAhead checks the counter's procedure search: the
// page lists the matches without JavaScript, and htmx gets the list alone.
func TestCounterProcedureTypeAhead(t *testing.T) {
	e := newPagesEnv(t)
	status, body := e.get("canbo", "/tiep-nhan?q=khai+sinh")
	if status != http.StatusOK || !strings.Contains(body, `<label for="pq">`) || !strings.Contains(body, `href="/tiep-nhan?procedure=1.001193"`) ||
		strings.Contains(body, `href="/tiep-nhan?procedure=1.000894"`) || strings.Contains(body, "<select") {
		t.Fatalf("search without JavaScript: %d %s", status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/tiep-nhan?q=ket+hon", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session["canbo"]})
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	res, body := e.send(req)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `href="/tiep-nhan?procedure=1.000894"`) ||
		!strings.Contains(body, "1.000894") || !strings.Contains(body, "Hộ tịch") || strings.Contains(body, "1.001193") {
		t.Fatalf("htmx results: %d %s", res.StatusCode, body)
	}
}

// send sends the request and returns the response and its body.
func (e *pagesEnv) send(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestCounterPrefill checks that typing a known ID number fills the form
// from the unit's own earlier dossier (and nobody else's), with htmx and
// without JavaScript, and that the new dossier records the re-use.
func TestCounterPrefill(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newPagesEnvOn(t, engine)
			earlier, err := e.f.Svc.Submit(context.Background(), e.f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001193",
				Components: demo.Required("1.001193"), Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345",
					Phone: "0987654321", Email: "phuc@example.vn", Address: "Số 9 phố Kim Mã"}})
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"id_number": {"001 090 012 345"}, "name": {""}, "phone": {""}}
			res, body := e.do("canbo", http.MethodPost, "/tiep-nhan/nguoi-nop", form)
			if res.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="applicant-part"`) ||
				!strings.Contains(body, `value="Lý Văn Phúc"`) || !strings.Contains(body, `value="phuc@example.vn"`) ||
				!strings.Contains(body, `value="Số 9 phố Kim Mã"`) || !strings.Contains(body, `name="reused_from" value="`+earlier.Code+`"`) ||
				!strings.Contains(body, "Đã điền thông tin từ hồ sơ "+earlier.Code) {
				t.Fatalf("partial for the receiving unit: %d %s", res.StatusCode, body)
			}
			// What the officer typed is kept.
			form.Set("name", "Lý Văn Phúc Anh")
			_, body = e.do("canbo", http.MethodPost, "/tiep-nhan/nguoi-nop", form)
			if !strings.Contains(body, `value="Lý Văn Phúc Anh"`) || !strings.Contains(body, `value="0987654321"`) {
				t.Fatalf("typed name not kept: %s", body)
			}
			// Another unit's officer gets nothing.
			_, body = e.do("canbo.ngocha", http.MethodPost, "/tiep-nhan/nguoi-nop", url.Values{"id_number": {"001090012345"}})
			if strings.Contains(body, "Lý Văn Phúc") || strings.Contains(body, "phuc@example.vn") || strings.Contains(body, earlier.Code) ||
				!strings.Contains(body, "Chưa có hồ sơ nào của số này") {
				t.Fatalf("another unit's partial: %s", body)
			}
			if res, _ := e.do("chuyenvien", http.MethodPost, "/tiep-nhan/nguoi-nop", url.Values{"id_number": {"001090012345"}}); res.StatusCode != http.StatusForbidden {
				t.Fatalf("a specialist looked a person up: %d", res.StatusCode)
			}
			// Without JavaScript the button re-renders the whole form, filled.
			full := url.Values{"procedure": {"1.001193"}, "id_number": {"001090012345"}, "channel": {"1"}, "lookup": {"1"},
				"components": demo.Required("1.001193")}
			res, body = e.do("canbo", http.MethodPost, "/tiep-nhan", full)
			if res.StatusCode != http.StatusOK || !strings.Contains(body, "<html") || !strings.Contains(body, `value="Lý Văn Phúc"`) ||
				!strings.Contains(body, `name="reused_from" value="`+earlier.Code+`"`) || !strings.Contains(body, `value="Tờ khai đăng ký khai sinh" checked`) {
				t.Fatalf("look-up without JavaScript: %d %s", res.StatusCode, body)
			}
			// Submitting the filled form records the re-use in the history.
			full.Del("lookup")
			full.Set("name", "Lý Văn Phúc")
			full.Set("reused_from", earlier.Code)
			res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", full)
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("submit: %d", res.StatusCode)
			}
			code := strings.TrimSuffix(strings.TrimPrefix(loc, "/ho-so/"), "/bien-nhan")
			d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
			if err != nil {
				t.Fatal(err)
			}
			if d.ReusedFrom != earlier.Code || d.History[0].Note != "Dùng lại thông tin từ hồ sơ "+earlier.Code {
				t.Fatalf("re-use not recorded: %q %q", d.ReusedFrom, d.History[0].Note)
			}
			if bad := dossier.VerifyChain(code, d.History); bad != 0 {
				t.Fatalf("history chain broken at %d", bad)
			}
			_, body = e.get("canbo", "/ho-so/"+code)
			if !strings.Contains(body, `href="/ho-so/`+earlier.Code+`"`) || !strings.Contains(body, "Người nộp hồ sơ đồng thời là người được cấp kết quả") {
				t.Fatalf("dossier page: %s", body)
			}
		})
	}
}

// TestCounterSubject enters the person concerned at the counter: a wrong
// enterprise code is sent back beside its field with everything typed, a
// right one is shown on the dossier page and the receipt.
func TestCounterSubject(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "channel": {"1"},
		"subject_kind": {"business"}, "subject_name": {"Công ty TNHH Hoà Bình"}, "subject_id_number": {"01098"},
		"subject_relation": {"giám đốc"}, "components": demo.Required("1.001193")}
	res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#subject_id_number"`) ||
		!strings.Contains(body, `id="subject_id_number-error"`) || !strings.Contains(body, `value="Công ty TNHH Hoà Bình"`) ||
		!strings.Contains(body, `value="business" checked`) {
		t.Fatalf("bad enterprise code: %d %s", res.StatusCode, body)
	}
	form.Set("subject_id_number", "0109876543")
	res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	for _, path := range []string{loc, strings.TrimSuffix(loc, "/bien-nhan")} {
		_, body = e.get("canbo", path)
		if !strings.Contains(body, "Công ty TNHH Hoà Bình (giám đốc)") || !strings.Contains(body, "Mã số doanh nghiệp: 0109876543") {
			t.Fatalf("%s: %s", path, body)
		}
	}
}

// TestQueueSearch checks the queue page's search box with the dossier
// search: diacritics ignored, within the unit.
func TestQueueSearch(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false) // Nguyễn Thị Hồng
	for _, c := range []struct {
		user, q string
		found   bool
	}{{"canbo", "hong nguyen", true}, {"canbo", "hong an", false}, {"canbo", code[len(code)-6:], true}, {"canbo.ngocha", "hong", false}} {
		_, body := e.get(c.user, "/ho-so?q="+url.QueryEscape(c.q))
		if strings.Contains(body, `href="/ho-so/`+code+`"`) != c.found {
			t.Errorf("queue search %q as %s: found %v, want %v", c.q, c.user, !c.found, c.found)
		}
	}
}

// TestOnlineSubjectForm: a citizen filing online for someone else names the
// person concerned on the form; a wrong ID is shown beside its field, the
// review page carries and shows the person, and the dossier keeps them.
func TestOnlineSubjectForm(t *testing.T) {
	e := newPagesEnv(t)
	if _, body := e.get("congdan", "/thu-tuc/1.001193/nop"); !strings.Contains(body, `name="subject_name"`) {
		t.Fatal("the online form does not ask who the dossier is about")
	}
	form := url.Values{"step": {"review"}, "unit": {"00004"}, "name": {"Hoàng Thị Lan"}, "id_number": {"001190012345"},
		"subject_kind": {"person"}, "subject_name": {"Hoàng Minh Khôi"}, "subject_id_number": {"001"}, "subject_relation": {"con"},
		"subject_birth_date": {"2026-02-20"}}
	files := []filePart{{"file-0", "tờ khai.pdf", tinyPDF}, {"file-1", "giấy chứng sinh.pdf", tinyPDF}, {"file-4", "căn cước.pdf", tinyPDF}}
	res, body := e.post("congdan", "/thu-tuc/1.001193/nop", form, files...)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#subject_id_number"`) ||
		!strings.Contains(body, `value="Hoàng Minh Khôi"`) {
		t.Fatalf("a wrong ID of the person concerned: %d %s", res.StatusCode, body)
	}
	form.Set("subject_id_number", "")
	res, body = e.post("congdan", "/thu-tuc/1.001193/nop", form, files...)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="subject_name" value="Hoàng Minh Khôi"`) ||
		!strings.Contains(body, "Hoàng Minh Khôi (con)") {
		t.Fatalf("review: %d %s", res.StatusCode, body)
	}
	form["file"] = hiddenFiles(body)
	form.Set("step", "send")
	res, _ = e.do("congdan", http.MethodPost, "/thu-tuc/1.001193/nop", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/bien-nhan") {
		t.Fatalf("send: %d", res.StatusCode)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(loc, "/ho-so/"), "/bien-nhan")
	d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil || d.Subject == nil || d.Subject.Name != "Hoàng Minh Khôi" || d.Subject.Relation != "con" || d.Subject.BirthDate != "2026-02-20" {
		t.Fatalf("the dossier's subject: %+v %v", d, err)
	}
}
