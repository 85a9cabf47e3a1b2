package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
)

func (e *pagesEnv) dossier(code string) *dossier.Dossier {
	e.t.Helper()
	d, err := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// TestNotifyOffLink opens a notification's unsubscribe link: the page asks
// first (a mail scanner's visit changes nothing), the button turns
// notifications off without sign-in, and a forged token is refused.
func TestNotifyOffLink(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	key, err := e.f.DB.NotifyKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tok := notify.Token(key, code)
	status, body := e.get("", "/thong-bao/tat?t="+url.QueryEscape(tok))
	if status != http.StatusOK || !strings.Contains(body, "Ngừng nhận thông báo về hồ sơ "+code) || e.dossier(code).Notify != dossier.NotifySMS {
		t.Fatalf("opening the link: %d, choice %q\n%s", status, e.dossier(code).Notify, body)
	}
	other := e.submit(false)
	forged := other + tok[strings.LastIndexByte(tok, '.'):]
	if res, _ := e.do("", http.MethodPost, "/thong-bao/tat", url.Values{"t": {forged}}); res.StatusCode != http.StatusNotFound || e.dossier(other).Notify != dossier.NotifySMS {
		t.Fatalf("forged token: %d, choice %q", res.StatusCode, e.dossier(other).Notify)
	}
	res, body := e.do("", http.MethodPost, "/thong-bao/tat", url.Values{"t": {tok}})
	d := e.dossier(code)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Đã ngừng gửi thông báo về hồ sơ "+code) || d.Notify != dossier.NotifyNone {
		t.Fatalf("stopping: %d, choice %q\n%s", res.StatusCode, d.Notify, body)
	}
	if !slices.ContainsFunc(d.History, func(ev dossier.Event) bool { return ev.Action == dossier.ActNotify }) {
		t.Error("the opt-out is not in the dossier's history")
	}
}

// TestNotifyChoiceOnDossierPage: the applicant changes the choice on their
// dossier's page; a channel without its address is refused beside the
// field; staff may not change it for them.
func TestNotifyChoiceOnDossierPage(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(true)
	if _, body := e.get("congdan", "/ho-so/"+code); !strings.Contains(body, `action="/ho-so/`+code+`/thong-bao"`) || !strings.Contains(body, "Nhận thông báo qua: Tin nhắn SMS") {
		t.Fatalf("the dossier page offers no choice:\n%s", body)
	}
	res, body := e.do("congdan", http.MethodPost, "/ho-so/"+code+"/thong-bao", url.Values{"notify": {"email"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Cần địa chỉ thư điện tử") {
		t.Fatalf("e-mail without an address: %d\n%s", res.StatusCode, body)
	}
	if res, _ := e.do("canbo", http.MethodPost, "/ho-so/"+code+"/thong-bao", url.Values{"notify": {"none"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("an officer changing the applicant's choice: %d", res.StatusCode)
	}
	if res, _ := e.do("congdan", http.MethodPost, "/ho-so/"+code+"/thong-bao", url.Values{"notify": {"zalo"}}); res.StatusCode != http.StatusSeeOther || e.dossier(code).Notify != dossier.NotifyZalo {
		t.Errorf("choosing Zalo: %d, choice %q", res.StatusCode, e.dossier(code).Notify)
	}
}

// TestCounterFormTakesTheChoice enters a dossier at the counter with the
// choice of e-mail.
func TestCounterFormTakesTheChoice(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "phone": {"0987654321"},
		"channel": {"1"}, "components": demo.Required("1.001193"), "notify": {"email"}}
	res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#notify"`) {
		t.Fatalf("e-mail without an address: %d\n%s", res.StatusCode, body)
	}
	form.Set("email", "phuc@example.vn")
	res, _ = e.do("canbo", http.MethodPost, "/tiep-nhan", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("entry: %d", res.StatusCode)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(loc, "/ho-so/"), "/bien-nhan")
	if d := e.dossier(code); d.Notify != dossier.NotifyEmail {
		t.Errorf("choice %q", d.Notify)
	}
}

// TestAdminNotifyTemplates edits a text: a good one is kept and shown as
// the unit's, one that does not render is refused with what was typed.
func TestAdminNotifyTemplates(t *testing.T) {
	e := newPagesEnv(t)
	if status, body := e.get("quantri", "/quan-tri/thong-bao?kind=ready"); status != http.StatusOK || !strings.Contains(body, "đã có kết quả") {
		t.Fatalf("the page: %d\n%s", status, body)
	}
	e.run([]formCase{
		{"good", "quantri", "/quan-tri/thong-bao", url.Values{"kind": {"ready"}, "lang": {"vi"}, "channel": {"sms"},
			"body": {"Ho so {{.Code}} co ket qua, moi den nhan. {{.Link}}"}}, 303, "Đã lưu mẫu thông báo"},
		{"broken", "quantri", "/quan-tri/thong-bao", url.Values{"kind": {"ready"}, "lang": {"vi"}, "channel": {"sms"},
			"body": {"So CCCD {{.IDNumber}}"}}, 422, "So CCCD {{.IDNumber}}"},
		{"not an admin", "canbo", "/quan-tri/thong-bao", url.Values{"kind": {"ready"}, "lang": {"vi"}, "channel": {"sms"}, "body": {"x"}}, 403, ""},
	})
	got, err := e.f.DB.NotifyTemplates(context.Background(), "00004")
	if err != nil || len(got) != 1 || !strings.HasPrefix(got[0].Body, "Ho so {{.Code}} co ket qua") {
		t.Errorf("stored %+v %v", got, err)
	}
}
