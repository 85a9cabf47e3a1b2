package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestOnBehalfCounter files on another's behalf at the counter: choosing
// "nộp hộ" without the person concerned is sent back beside the field with
// the choice kept and nothing written; with them the dossier records it,
// its history says so in a sound chain, and the dossier page shows who
// filed for whom.
func TestOnBehalfCounter(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newPagesEnvOn(t, engine)
			ctx, officer := context.Background(), e.f.Actors["canbo"]
			if _, body := e.get("canbo", "/tiep-nhan?procedure=1.001193"); !strings.Contains(body, "Tôi nộp cho chính mình") ||
				!strings.Contains(body, `name="on_behalf" value="1"`) {
				t.Fatalf("the counter form has no on-behalf choice: %s", body)
			}
			_, before, err := e.f.Svc.List(ctx, officer, dossier.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "channel": {"1"},
				"on_behalf": {"1"}, "components": demo.Required("1.001193")}
			res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#subject_name"`) ||
				!strings.Contains(body, "Nộp hộ người khác phải ghi họ tên người được nộp hộ") ||
				!strings.Contains(body, `name="on_behalf" value="1" checked`) || !strings.Contains(body, `value="Lý Văn Phúc"`) {
				t.Fatalf("on behalf without the person concerned: %d %s", res.StatusCode, body)
			}
			if _, after, _ := e.f.Svc.List(ctx, officer, dossier.Filter{}); after != before {
				t.Fatalf("a refused filing wrote a dossier: %d then %d", before, after)
			}
			form.Set("subject_kind", "person")
			form.Set("subject_name", "Lý Minh Khôi")
			form.Set("subject_relation", "con")
			res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("submit: %d", res.StatusCode)
			}
			code := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/ho-so/"), "/bien-nhan")
			d, err := e.f.Svc.Get(ctx, officer, code)
			if err != nil {
				t.Fatal(err)
			}
			if !d.OnBehalf || d.History[0].Note != "Nộp hộ cho Lý Minh Khôi (con), người nộp: Lý Văn Phúc" {
				t.Fatalf("on behalf not recorded: %v %q", d.OnBehalf, d.History[0].Note)
			}
			if bad := dossier.VerifyChain(code, d.History); bad != 0 {
				t.Fatalf("history chain broken at %d", bad)
			}
			_, body = e.get("canbo", "/ho-so/"+code)
			if !strings.Contains(body, "<dt>Người nộp hộ</dt><dd>Lý Văn Phúc cho Lý Minh Khôi</dd>") ||
				!strings.Contains(body, "Nộp hộ cho Lý Minh Khôi (con)") {
				t.Fatalf("dossier page: %s", body)
			}
		})
	}
}

// TestOnBehalfOnline: the citizen's online form offers the choice, and the
// review page carries it to the dossier.
func TestOnBehalfOnline(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"step": {"review"}, "unit": {"00004"}, "name": {"Hoàng Thị Lan"}, "id_number": {"001190012345"}, "on_behalf": {"1"}}
	files := []filePart{{"file-0", "tờ khai.pdf", tinyPDF}, {"file-1", "giấy chứng sinh.pdf", tinyPDF}, {"file-4", "căn cước.pdf", tinyPDF}}
	res, body := e.post("congdan", "/thu-tuc/1.001193/nop", form, files...)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#subject_name"`) ||
		!strings.Contains(body, "Tôi nộp hộ người khác") {
		t.Fatalf("on behalf without the person concerned: %d %s", res.StatusCode, body)
	}
	form.Set("subject_name", "Hoàng Minh Khôi")
	form.Set("subject_relation", "con")
	res, body = e.post("congdan", "/thu-tuc/1.001193/nop", form, files...)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="on_behalf" value="1"`) ||
		!strings.Contains(body, "Hoàng Thị Lan cho Hoàng Minh Khôi") {
		t.Fatalf("review: %d %s", res.StatusCode, body)
	}
	form["file"] = hiddenFiles(body)
	form.Set("step", "send")
	res, _ = e.do("congdan", http.MethodPost, "/thu-tuc/1.001193/nop", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", res.StatusCode)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/ho-so/"), "/bien-nhan")
	d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil || !d.OnBehalf || d.History[0].Note != "Nộp hộ cho Hoàng Minh Khôi (con), người nộp: Hoàng Thị Lan" {
		t.Fatalf("the dossier: %+v %v", d, err)
	}
}
