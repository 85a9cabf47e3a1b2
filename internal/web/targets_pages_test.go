package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestTargetPages: a leader adds a target with the form (numbers typed the
// Vietnamese way), enters an actual, sees "N/M đạt" on /chi-tieu in both
// languages, is told in Vietnamese what is wrong with a bad form, exports
// the board as PDF and Excel, and downloads a kept monthly report.
func TestTargetPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		form := url.Values{"name": {"Thu ngân sách trên địa bàn"}, "kind": {"budget"}, "year": {"2026"}, "plan": {"1.250,5"}, "source": {"Nghị quyết 07/NQ-HĐND"}}
		res, body := e.do("lanhdao", http.MethodPost, "/chi-tieu", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d %s", res.StatusCode, body)
		}
		b, _, err := e.f.DB.Targets(context.Background(), demo.Ward, 2026)
		if err != nil || len(b) != 1 || b[0].Plan != 1250.5 || b[0].Measure != "triệu đồng" {
			t.Fatalf("stored: %+v %v", b, err)
		}
		id := strconv.FormatInt(b[0].ID, 10)
		res, body = e.do("lanhdao", http.MethodPost, "/chi-tieu/"+id+"/so-lieu", url.Values{"period": {"2026-02"}, "value": {"1.438,1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("actual: %d %s", res.StatusCode, body)
		}
		for _, lang := range []string{"", "&lang=en"} {
			status, page := e.get("lanhdao", "/chi-tieu?year=2026"+lang)
			if status != 200 || missingKey.MatchString(page) {
				t.Fatalf("/chi-tieu%s: %d %s", lang, status, missingKey.FindString(page))
			}
			if lang == "" && (!strings.Contains(page, "1/1 chỉ tiêu đạt") || !strings.Contains(page, "115%") || !strings.Contains(page, "1.438,1")) {
				t.Errorf("/chi-tieu lacks 1/1 met at 115%%:\n%s", page)
			}
			if status, page = e.get("lanhdao", "/chi-tieu/"+id+"?x=1"+lang); status != 200 || missingKey.MatchString(page) || !strings.Contains(page, "2026-02") {
				t.Errorf("/chi-tieu/%s%s: %d %s", id, lang, status, missingKey.FindString(page))
			}
		}
		res, body = e.do("lanhdao", http.MethodPost, "/chi-tieu", url.Values{"name": {"X"}, "kind": {"manual"}, "year": {"2026"}, "plan": {"nhiều"}, "measure": {"hộ"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Kế hoạch phải là số") || !strings.Contains(body, `value="nhiều"`) {
			t.Errorf("bad plan: %d, want 422 with the message and the typing kept", res.StatusCode)
		}
		res, body = e.do("lanhdao", http.MethodPost, "/chi-tieu/"+id+"/so-lieu", url.Values{"period": {"2025-12"}, "value": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Kỳ số liệu phải thuộc năm 2026") {
			t.Errorf("bad period: %d", res.StatusCode)
		}
		for path, magic := range map[string]string{"/chi-tieu/xuat/pdf?year=2026": "%PDF", "/chi-tieu/xuat/xlsx?year=2026": "PK"} {
			if res, body := e.do("lanhdao", http.MethodGet, path, nil); res.StatusCode != 200 || !strings.HasPrefix(body, magic) {
				t.Errorf("%s: %d %.10q", path, res.StatusCode, body)
			}
		}
		if _, err := e.f.DB.SaveReport(context.Background(), demo.Ward, "2026-02", "monthly", []byte("%PDF-1.4 báo cáo")); err != nil {
			t.Fatal(err)
		}
		status, page := e.get("lanhdao", "/bao-cao")
		if status != 200 || !strings.Contains(page, "2026-02") || missingKey.MatchString(page) {
			t.Errorf("/bao-cao: %d", status)
		}
		reps, _ := e.f.DB.Reports(context.Background(), demo.Ward)
		if res, body := e.do("lanhdao", http.MethodGet, "/bao-cao/"+strconv.FormatInt(reps[0].ID, 10), nil); res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("report download: %d", res.StatusCode)
		}
		if _, page := e.get("lanhdao", "/thong-ke"); !strings.Contains(page, `href="/chi-tieu"`) || !strings.Contains(page, `href="/bao-cao"`) {
			t.Error("the leader's menu lacks the targets and the reports")
		}
	})
}
