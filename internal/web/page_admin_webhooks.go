package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/webhook"
)

type adminWebhooksData struct {
	adminView
	Subs    []webhookItem
	Actions []string            // the events one may ask for, as dossier actions
	Created *webhook.Subscriber // the subscription just made, with its secret: shown this once
}

// webhookActions are the dossier actions whose events a subscriber may
// ask for, in the order of a dossier's life.
var webhookActions = append(append([]string{dossier.ActSubmit}, dossier.Actions...), dossier.ActRate)

// Topic is the event of an action, for the template.
func (adminWebhooksData) Topic(action string) string { return webhook.Topic(action) }

// Picked tells whether the refused form had topic ticked.
func (d adminWebhooksData) Picked(topic string) bool {
	for _, v := range d.Typed["events"] {
		if v == topic {
			return true
		}
	}
	return false
}

// adminWebhooks lists the unit's subscriptions with the form to add one.
func (s *Server) adminWebhooks(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showWebhooks(w, r, a, http.StatusOK, newAdminView("webhooks"), nil)
}

func (s *Server) showWebhooks(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v adminView, created *webhook.Subscriber) {
	subs, err := s.DB.Webhooks(r.Context(), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := adminWebhooksData{adminView: v, Actions: webhookActions, Created: created}
	for _, sub := range subs {
		d.Subs = append(d.Subs, newWebhookItem(sub))
	}
	p := s.adminPage(w, r, "admin.webhooks.title")
	if created != nil {
		p.Flash = p.t("admin.ok.webhook_added")
	}
	p.Data = d
	s.render(w, r, status, "admin_webhooks", p)
}

// adminWebhookAdd subscribes an address and shows the page with the new
// secret, in the answer itself rather than after a redirect, so that the
// secret is never in an address or a page that can be opened again (render
// marks every page no-store).
func (s *Server) adminWebhookAdd(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageFail(w, r, apperr.Invalid("body", "Không đọc được biểu mẫu", "the form could not be read"))
		return
	}
	typed := url.Values{"url": {r.PostForm.Get("url")}, "events": r.PostForm["events"]}
	sub, err := s.DB.AddWebhook(r.Context(), store.NewWebhook{UnitCode: a.UnitCode, URL: typed.Get("url"),
		Events: strings.Join(typed["events"], ",")}, a)
	v := newAdminView("webhooks")
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "url", "events")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		v.Errors, v.Typed = errs, typed
		s.showWebhooks(w, r, a, statusOf[apperr.Code(err)], v, nil)
		return
	}
	s.showWebhooks(w, r, a, http.StatusOK, v, &sub)
}

// adminWebhookSwitch switches one of the unit's subscriptions off or on
// (active=1); another unit's is "not found".
func (s *Server) adminWebhookSwitch(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	id, err := pathID(r)
	on := r.PostFormValue("active") == "1"
	if err == nil {
		err = s.DB.SetWebhookActive(r.Context(), id, a.UnitCode, on)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/webhook?ok="+map[bool]string{true: "webhook_on", false: "webhook_off"}[on], http.StatusSeeOther)
}
