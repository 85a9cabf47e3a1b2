package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
)

// outboxItem is a message as an administrator sees it: the recipient
// masked, the payload left out (it may hold what the recipient reads).
type outboxItem struct {
	ID        int64     `json:"id"`
	Channel   string    `json:"channel"`
	Topic     string    `json:"topic"`
	Dossier   string    `json:"dossier,omitempty"`
	Recipient string    `json:"recipient"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at,omitzero"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

func newOutboxItem(m outbox.Message) outboxItem {
	it := outboxItem{ID: m.ID, Channel: m.Channel, Topic: m.Topic, Dossier: messageDossier(m), Status: m.Status,
		Recipient: maskRecipient(m.Channel, m.Recipient), Attempts: m.Attempts, LastError: m.LastError,
		CreatedAt: m.CreatedAt, DoneAt: m.DoneAt}
	if m.Status == outbox.Pending {
		it.NextAt = m.NextAt
	}
	return it
}

// messageDossier is the code of the dossier a message is about: the last
// part of its order key ("webhook:3:CODE", "portal:CODE"), when that is a
// dossier's code.
func messageDossier(m outbox.Message) string {
	code := m.OrderKey[strings.LastIndexByte(m.OrderKey, ':')+1:]
	if dossier.ValidCode(code) {
		return code
	}
	return ""
}

var channelRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)

// outboxStatuses are the filters of the list: "" for every message.
var outboxStatuses = []string{store.OutboxOpen, outbox.Dead, outbox.Pending, outbox.Done, ""}

// outboxFilter reads the list's filter from the query, within the unit.
func outboxFilter(r *http.Request, unitCode, status string) (store.OutboxFilter, error) {
	q := r.URL.Query()
	f := store.OutboxFilter{UnitCode: unitCode, Status: status, Channel: q.Get("channel"), Limit: 50}
	if q.Has("status") {
		f.Status = q.Get("status")
	}
	if !slices.Contains(outboxStatuses, f.Status) {
		return f, apperr.Invalid("status", "Trạng thái phải là open, pending, dead hoặc done", "status must be open, pending, dead or done")
	}
	if f.Channel != "" && !channelRE.MatchString(f.Channel) {
		return f, apperr.Invalid("channel", "Kênh gửi không hợp lệ (ví dụ webhook, email, sms)", "channel is not valid (e.g. webhook, email, sms)")
	}
	var err error
	if v := q.Get("before"); v != "" {
		if f.Before, err = strconv.ParseInt(v, 10, 64); err != nil || f.Before < 1 {
			return f, apperr.Invalid("before", "before phải là số tin nhắn (số nguyên dương)", "before must be a message id (a positive integer)")
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 500 {
			return f, apperr.Invalid("limit", "limit phải từ 1 đến 500", "limit must be from 1 to 500")
		}
	}
	return f, nil
}

// listOutbox answers the unit's messages, newest first; next_before is the
// before of the next page, absent on the last.
func (s *Server) listOutbox(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := outboxFilter(r, a.UnitCode, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msgs, err := store.Outbox{DB: s.DB}.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]outboxItem, 0, len(msgs))
	for _, m := range msgs {
		items = append(items, newOutboxItem(m))
	}
	out := map[string]any{"messages": items}
	if len(msgs) == f.Limit {
		out["next_before"] = msgs[len(msgs)-1].ID
	}
	writeJSON(w, http.StatusOK, out)
}

// retryOutbox sends one of the unit's dead messages again. Another unit's
// message, or one not dead, is "not found".
func (s *Server) retryOutbox(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err == nil {
		_, err = store.Outbox{DB: s.DB}.Retry(r.Context(), id, a.UnitCode)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"retried": 1})
}

// pathID reads the {id} of the path.
func pathID(r *http.Request) (int64, error) { return parseID(r.PathValue("id")) }

// parseID reads a row's number: a positive integer, else "not found".
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.NotFound("Không có số này", "no such id")
	}
	return id, nil
}
