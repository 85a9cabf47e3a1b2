package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/internal/store"
)

type adminOutboxData struct {
	adminView
	Filter   store.OutboxFilter
	Statuses []string
	Messages []outboxItem
	HasDead  bool   // a dead message on this page: offer to send them all again
	Next     string // the next page's address, empty on the last
}

// adminOutbox lists the unit's messages, newest first, the undelivered
// ones unless another status is chosen, a page at a time.
func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	f, err := outboxFilter(r, a.UnitCode, store.OutboxOpen)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	msgs, err := store.Outbox{DB: s.DB}.List(r.Context(), f)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := adminOutboxData{adminView: newAdminView("outbox"), Filter: f, Statuses: outboxStatuses}
	for _, m := range msgs {
		it := newOutboxItem(m)
		d.HasDead = d.HasDead || it.Status == "dead"
		d.Messages = append(d.Messages, it)
	}
	if len(msgs) == f.Limit {
		q := url.Values{"status": {f.Status}, "before": {strconv.FormatInt(msgs[len(msgs)-1].ID, 10)}}
		if f.Channel != "" {
			q.Set("channel", f.Channel)
		}
		d.Next = "/quan-tri/tin-gui-di?" + q.Encode()
	}
	p := s.adminPage(w, r, "admin.outbox.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "admin_outbox", p)
}

// adminOutboxRetry sends one dead message of the unit again ({id}), or all
// of them (no id). unitAdmin guarantees a unit code, so "all" never
// reaches beyond the administrator's unit.
func (s *Server) adminOutboxRetry(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	var id int64
	if r.PathValue("id") != "" {
		if id, err = pathID(r); err != nil {
			s.pageFail(w, r, err)
			return
		}
	}
	if _, err := (store.Outbox{DB: s.DB}).Retry(r.Context(), id, a.UnitCode); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/tin-gui-di?ok=retried", http.StatusSeeOther)
}
