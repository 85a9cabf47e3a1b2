package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/webhook"
)

// webhookItem is a subscription as listed: never with its secret, which
// is shown once, when the subscription is made.
type webhookItem struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Active bool     `json:"active"`
}

func newWebhookItem(s webhook.Subscriber) webhookItem {
	return webhookItem{ID: s.ID, URL: s.URL, Events: strings.Split(s.Events, ","), Active: s.Active}
}

// newWebhookRequest is the body of POST /api/v1/webhooks.
type newWebhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// webhookActiveRequest is the body of POST /api/v1/webhooks/{id}/active.
type webhookActiveRequest struct {
	Active *bool `json:"active"`
}

// listWebhooks answers the unit's subscriptions.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	subs, err := s.DB.Webhooks(r.Context(), a.UnitCode)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]webhookItem, 0, len(subs))
	for _, sub := range subs {
		items = append(items, newWebhookItem(sub))
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": items})
}

// addWebhook subscribes an address to the unit's events and answers the
// secret, this once.
func (s *Server) addWebhook(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req newWebhookRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	sub, err := s.DB.AddWebhook(r.Context(), store.NewWebhook{UnitCode: a.UnitCode, URL: req.URL, Events: strings.Join(req.Events, ",")}, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		webhookItem
		Secret string `json:"secret"`
	}{newWebhookItem(sub), sub.Secret})
}

// setWebhookActive switches one of the unit's subscriptions off or on;
// another unit's is "not found".
func (s *Server) setWebhookActive(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req webhookActiveRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Active == nil {
		s.fail(w, r, apperr.Invalid("active", "Thiếu active (true để bật, false để tắt)", "active is missing (true to switch on, false off)"))
		return
	}
	if err := s.DB.SetWebhookActive(r.Context(), id, a.UnitCode, *req.Active); err != nil {
		s.fail(w, r, err)
		return
	}
	sub, err := s.DB.Webhook(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newWebhookItem(sub))
}
