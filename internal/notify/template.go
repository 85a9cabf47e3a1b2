// Package notify tells citizens how their dossiers move, through the
// outbox: by e-mail (SMTP), by SMS (a brand-name gateway) or by Zalo (the
// Zalo Notification Service). A message is rendered when the change that
// causes it is stored, from the unit's templates (or the defaults shipped
// here), and carries only what the citizen needs to find the dossier: its
// code, the procedure, the new status, the due date and two links, never an
// ID number, an address or a name.
package notify

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
)

// Channels of the outbox that this package delivers.
const (
	ChannelEmail = dossier.NotifyEmail
	ChannelSMS   = dossier.NotifySMS
	ChannelZalo  = dossier.NotifyZalo
)

// Kinds of notification: the events a citizen cares about.
const (
	KindReceived   = "received"
	KindSupplement = "supplement"
	KindRefused    = "refused"
	KindPayment    = "payment"
	KindReady      = "ready"
	KindReturned   = "returned"
	KindExtended   = "extended"
	KindStopped    = "stopped"
)

// Kinds lists the kinds in the order the administrator's page shows them.
var Kinds = []string{KindReceived, KindSupplement, KindRefused, KindPayment, KindReady, KindReturned, KindExtended, KindStopped}

// Langs are the languages of the templates, Vietnamese first.
var Langs = []string{"vi", "en"}

// TemplateChannels are the channels whose text is a template here; Zalo's
// text is a template registered with Zalo, filled with Fields.
var TemplateChannels = []string{ChannelEmail, ChannelSMS}

// KindOf is the notification an event causes, or "" for none. A counter's
// submission is received, sent back for a supplement or refused at once.
func KindOf(ev *dossier.Event) string {
	switch ev.Action {
	case dossier.ActSubmit:
		return map[dossier.Status]string{dossier.StatusReceived: KindReceived, dossier.StatusSupplement: KindSupplement,
			dossier.StatusRefused: KindRefused}[ev.ToStatus]
	case dossier.ActReceive:
		return KindReceived
	case dossier.ActRequestSupplement:
		return KindSupplement
	case dossier.ActRefuse:
		return KindRefused
	case dossier.ActRequestPayment:
		return KindPayment
	case dossier.ActFinish:
		return KindReady
	case dossier.ActReturnResult:
		return KindReturned
	case dossier.ActExtend:
		return KindExtended
	case dossier.ActStop:
		return KindStopped
	}
	return ""
}

// Fields are what a template may show: nothing that identifies the person.
type Fields struct {
	Code        string // the dossier's code
	Procedure   string // the procedure's name
	Status      string // the new status, in the template's language
	Due         string // the due date, dd/mm/yyyy hh:mm in Vietnam's time, or ""
	Missing     string // what to supplement, "; "-separated
	Fee         string // the fee asked, in đồng
	Link        string // the public look-up of the dossier
	Unsubscribe string // the signed link that turns notifications off
}

// Template is a unit's text for one kind, language and channel. Subject is
// for e-mail only.
type Template struct {
	UnitCode string
	Kind     string
	Lang     string
	Channel  string
	Subject  string
	Body     string
	Default  bool // shipped here, not edited by the unit
}

// vietnam is the time zone dates are shown in.
var vietnam = time.FixedZone("ICT", 7*3600)

// FieldsOf are the fields of a dossier's notification in lang.
func FieldsOf(d *dossier.Dossier, lang, link, unsubscribe string) Fields {
	f := Fields{Code: d.Code, Procedure: d.ProcedureName, Status: d.Status.Name(), Missing: strings.Join(d.Missing, "; "),
		Link: link, Unsubscribe: unsubscribe}
	if lang == "en" {
		f.Status = d.Status.NameEn()
	}
	if !d.DueAt.IsZero() {
		f.Due = d.DueAt.In(vietnam).Format("02/01/2006 15:04")
	}
	if d.FeeAmount > 0 {
		f.Fee = groupThousands(d.FeeAmount)
	}
	return f
}

// groupThousands writes 150000 as 150.000, as Vietnamese prices are.
func groupThousands(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Sample are the fields a template is tried with before it is saved.
var Sample = Fields{Code: "000.00.00.H01-260101-0001", Procedure: "Đăng ký khai sinh", Status: "Được tiếp nhận",
	Due: "05/01/2026 16:30", Missing: "Tờ khai", Fee: "50.000", Link: "https://motcua.example/tra-cuu?code=000.00.00.H01-260101-0001",
	Unsubscribe: "https://motcua.example/thong-bao/tat?t=sample"}

// Render fills a template's subject and body.
func (t Template) Render(f Fields) (subject, body string, err error) {
	if subject, err = render(t.Subject, f); err != nil {
		return "", "", err
	}
	body, err = render(t.Body, f)
	return subject, body, err
}

func render(text string, f Fields) (string, error) {
	tp, err := template.New("t").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := tp.Execute(&b, f); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// Validate checks a template an administrator wrote: a known kind,
// language and channel, text within bounds, and that it parses and renders
// with sample fields (an unknown field fails here, not at a citizen's
// change).
func (t *Template) Validate() error {
	if !contains(Kinds, t.Kind) || !contains(Langs, t.Lang) || !contains(TemplateChannels, t.Channel) {
		return apperr.Invalid("kind", "Loại thông báo, ngôn ngữ hoặc kênh không có", "unknown kind, language or channel")
	}
	t.Subject, t.Body = strings.TrimSpace(t.Subject), strings.TrimSpace(t.Body)
	if t.Channel == ChannelEmail && t.Subject == "" {
		return apperr.Invalid("subject", "Thư điện tử cần có tiêu đề", "an e-mail needs a subject")
	}
	if t.Channel == ChannelSMS {
		t.Subject = ""
	}
	if t.Body == "" || len(t.Body) > 4000 || len(t.Subject) > 300 {
		return apperr.Invalid("body", "Nội dung không được để trống (tối đa 4000 ký tự, tiêu đề 300)", "the text is required (4000 characters at most, subject 300)")
	}
	if _, _, err := t.Render(Sample); err != nil {
		return apperr.Invalid("body", "Mẫu không dùng được: "+err.Error(), "the template does not render: "+err.Error())
	}
	return nil
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
