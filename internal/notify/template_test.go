package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

func TestDefaultTemplatesRenderEveryKind(t *testing.T) {
	for _, k := range Kinds {
		for _, l := range Langs {
			for _, c := range TemplateChannels {
				tp := Default(k, l, c)
				if err := tp.Validate(); err != nil {
					t.Errorf("%s/%s/%s: %v", k, l, c, err)
				}
				_, body, _ := tp.Render(Sample)
				if !strings.Contains(body, Sample.Code) || !strings.Contains(body, Sample.Unsubscribe) {
					t.Errorf("%s/%s/%s lacks the code or the unsubscribe link: %q", k, l, c, body)
				}
				if c == ChannelSMS && l == "vi" && strings.ContainsFunc(strings.ReplaceAll(body, Sample.Procedure, ""), func(r rune) bool { return r > 127 }) {
					t.Errorf("%s SMS keeps diacritics: %q", k, body)
				}
			}
		}
	}
}

func TestTemplateValidateRefusesBrokenOrUnknownFields(t *testing.T) {
	for _, body := range []string{"Hồ sơ {{.Code", "Số CCCD {{.IDNumber}}", "{{.Code | nosuchfunc}}", ""} {
		tp := Template{Kind: KindReady, Lang: "vi", Channel: ChannelSMS, Body: body}
		if err := tp.Validate(); err == nil {
			t.Errorf("%q was accepted", body)
		}
	}
	tp := Template{Kind: "nosuch", Lang: "vi", Channel: ChannelSMS, Body: "x"}
	if tp.Validate() == nil {
		t.Error("an unknown kind was accepted")
	}
}

func TestBuildCarriesNoPersonalData(t *testing.T) {
	d := &dossier.Dossier{Code: "H01-260101-0001", UnitCode: "H01", ProcedureName: "Đăng ký khai sinh", Status: dossier.StatusReceived,
		DueAt: time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC), Notify: ChannelEmail,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn An", IDNumber: "001090012345", Phone: "0912345678", Email: "an@example.vn", Address: "Thôn Đông"}}
	ev := &dossier.Event{Seq: 2, Action: dossier.ActReceive, ToStatus: dossier.StatusReceived}
	l := Links{PublicURL: "https://motcua.example/", Key: []byte("0123456789abcdef")}
	for _, ch := range []string{ChannelEmail, ChannelSMS, ChannelZalo} {
		d.Notify = ch
		m, ok := Build(d, ev, l, Default)
		if !ok {
			t.Fatalf("%s: no message", ch)
		}
		for _, personal := range []string{"001090012345", "Nguyễn", "Thôn Đông", "an@example.vn", "0912345678"} {
			if strings.Contains(string(m.Payload), personal) {
				t.Errorf("%s payload carries %q: %s", ch, personal, m.Payload)
			}
		}
		if !strings.Contains(string(m.Payload), "16:30") {
			t.Errorf("%s payload lacks the due time in Vietnam's hours: %s", ch, m.Payload)
		}
	}
	d.Notify = dossier.NotifyNone
	if _, ok := Build(d, ev, l, Default); ok {
		t.Error("a message for an applicant who chose none")
	}
	d.Notify = ChannelSMS
	if _, ok := Build(d, &dossier.Event{Action: dossier.ActForward}, l, Default); ok {
		t.Error("a message for an internal hand-off")
	}
}

func TestUnsubscribeTokenForgeryRefused(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := Token(key, "H01-260101-0001")
	if code, ok := CheckToken(key, tok); !ok || code != "H01-260101-0001" {
		t.Fatalf("own token: %q %v", code, ok)
	}
	forged := []string{
		strings.Replace(tok, "H01-260101-0001", "H01-260101-0002", 1), // another dossier, same signature
		Token([]byte("another installation's key......"), "H01-260101-0001"),
		tok[:len(tok)-2], "H01-260101-0001", "",
	}
	for _, f := range forged {
		if _, ok := CheckToken(key, f); ok {
			t.Errorf("forged token %q accepted", f)
		}
	}
}
