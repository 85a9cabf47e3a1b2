package notify

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
)

// Payload is what the outbox keeps of a notification, rendered when the
// change was stored: the senders only deliver it.
type Payload struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"` // e-mail: Vietnamese subject
	Text    string `json:"text"`              // e-mail: Vietnamese then English; SMS: Vietnamese
	Fields  Fields `json:"fields"`            // Zalo: the template's data (Vietnamese)
}

// Links builds the addresses a message points to.
type Links struct {
	PublicURL string // the site's address, e.g. https://dichvucong.xa.gov.vn
	Key       []byte // the installation's notification key, signing unsubscribe links
}

// Lookup is the public look-up of a dossier.
func (l Links) Lookup(code string) string {
	return strings.TrimSuffix(l.PublicURL, "/") + "/tra-cuu?code=" + url.QueryEscape(code)
}

// Unsubscribe is the signed link that turns a dossier's notifications off.
func (l Links) Unsubscribe(code string) string {
	return strings.TrimSuffix(l.PublicURL, "/") + "/thong-bao/tat?t=" + url.QueryEscape(Token(l.Key, code))
}

// Templates finds a unit's template, or the default.
type Templates func(kind, lang, channel string) Template

// Build is the message a dossier's event causes for its applicant, or
// false when it causes none: an event no citizen waits for, or an
// applicant who chose none or left no address for their channel.
func Build(d *dossier.Dossier, ev *dossier.Event, l Links, tpl Templates) (outbox.Message, bool) {
	kind := KindOf(ev)
	to := recipient(d)
	if kind == "" || to == "" {
		return outbox.Message{}, false
	}
	p := Payload{Kind: kind, Fields: FieldsOf(d, "vi", l.Lookup(d.Code), l.Unsubscribe(d.Code))}
	render := func(lang, channel string, f Fields) (string, string) {
		subject, text, err := tpl(kind, lang, channel).Render(f)
		if err != nil {
			// A unit's text that fails on real data must not stop the
			// officer's change: the shipped text goes instead.
			subject, text, _ = Default(kind, lang, channel).Render(f)
		}
		return subject, text
	}
	switch d.Notify {
	case ChannelEmail:
		p.Subject, p.Text = render("vi", ChannelEmail, p.Fields)
		_, en := render("en", ChannelEmail, FieldsOf(d, "en", p.Fields.Link, p.Fields.Unsubscribe))
		p.Text += "\n\n----- English -----\n\n" + en
	case ChannelSMS:
		_, p.Text = render("vi", ChannelSMS, p.Fields)
	case ChannelZalo:
		p.Text = p.Fields.Status
	}
	body, _ := json.Marshal(p)
	return outbox.Message{Channel: d.Notify, Topic: "notify." + kind, UnitCode: d.UnitCode, OrderKey: "notify:" + d.Code,
		Recipient: to, Payload: body, IdemKey: "ntf_" + d.Code + "_" + strconv.Itoa(ev.Seq)}, true
}

// recipient is the applicant's address for their chosen channel.
func recipient(d *dossier.Dossier) string {
	switch d.Notify {
	case ChannelEmail:
		return d.Applicant.Email
	case ChannelSMS, ChannelZalo:
		return d.Applicant.Phone
	}
	return ""
}
