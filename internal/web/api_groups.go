package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Announce is the residential groups' service: the same for the API, the
// pages and the periodic job that sends scheduled announcements.
func (s *Server) Announce() *announce.Service {
	return &announce.Service{Store: store.Announce{DB: s.DB}, Key: s.DB.NotifyKey,
		PublicURL: func(context.Context) string { return s.PublicURL }, Now: s.Now}
}

// groupView is a residential group as anyone may read it: the leader's
// public name, never the account.
type groupView struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Type     string `json:"type"`
	Unit     string `json:"unit"`
	Leader   string `json:"leader,omitempty"`
	ClosedOn string `json:"closed_on,omitempty"`
}

func viewGroup(g announce.Group) groupView {
	return groupView{Code: g.Code, Name: g.Name, FullName: g.FullName, Type: unit.GroupType(g.FullName), Unit: g.ParentCode, Leader: g.Leader, ClosedOn: g.ValidTo}
}

// listGroups answers GET /api/v1/groups?unit=: a commune's groups in force,
// public.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) {
	code := strings.TrimSpace(r.URL.Query().Get("unit"))
	if code == "" {
		s.fail(w, r, apperr.Invalid("unit", "Thiếu mã xã, phường (unit)", "unit is missing"))
		return
	}
	groups, err := store.Announce{DB: s.DB}.Groups(r.Context(), code, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]groupView, 0, len(groups))
	for _, g := range groups {
		out = append(out, viewGroup(g))
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": out})
}

// residentialRequest adds or changes a group.
type residentialRequest struct {
	Unit   string `json:"unit"`
	Number string `json:"number"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Close  bool   `json:"close"`
}

// groupAdmin returns the caller if the administrator of the commune.
func groupAdmin(r *http.Request, commune string) (auth.Actor, error) {
	a, err := unitAdmin(r)
	if err == nil && a.UnitCode != commune {
		err = apperr.Forbidden("Chỉ quản trị của xã, phường quản lý tổ dân phố, thôn của mình", "only the commune's administrators manage its groups")
	}
	return a, err
}

// addGroup answers POST /api/v1/groups.
func (s *Server) addGroup(w http.ResponseWriter, r *http.Request) {
	var q residentialRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Unit == "" {
		q.Unit = actor(r).UnitCode
	}
	g, err := s.saveGroup(r, q.Unit, q.Number, q.Type, q.Name, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/groups?unit="+g.ParentCode)
	writeJSON(w, http.StatusCreated, viewGroup(*g))
}

// saveGroup adds (fresh) or renames a commune's group for its
// administrator; adding a number already taken is refused, so that a slip
// does not rename another group.
func (s *Server) saveGroup(r *http.Request, commune, number, typ, name string, fresh bool) (*announce.Group, error) {
	if _, err := groupAdmin(r, commune); err != nil {
		return nil, err
	}
	u, err := unit.NewGroup(commune, number, typ, name)
	if err != nil {
		return nil, err
	}
	st := store.Announce{DB: s.DB}
	if _, err := st.Group(r.Context(), u.Code); fresh && err == nil {
		return nil, apperr.Conflict("Số "+number+" đã có tổ dân phố, thôn", "group number "+number+" is taken")
	}
	if err := s.DB.SaveGroup(r.Context(), u); err != nil {
		return nil, err
	}
	return st.Group(r.Context(), u.Code)
}

// updateGroup answers PUT /api/v1/groups/{code}: a new name or type, or the
// group closed from today.
func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request) {
	var q residentialRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.changeGroup(r, r.PathValue("code"), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewGroup(*g))
}

// changeGroup renames or closes a group of the caller's commune; a group of
// another commune is "not found".
func (s *Server) changeGroup(r *http.Request, code string, q residentialRequest) (*announce.Group, error) {
	st := store.Announce{DB: s.DB}
	g, err := st.Group(r.Context(), code)
	if err != nil {
		return nil, err
	}
	if _, err := groupAdmin(r, g.ParentCode); err != nil {
		return nil, err
	}
	if q.Close {
		if err := s.DB.CloseGroup(r.Context(), code, s.now().In(calendar.Zone).Format(unit.DateLayout)); err != nil {
			return nil, err
		}
		return st.Group(r.Context(), code)
	}
	if q.Type == "" {
		q.Type = unit.GroupType(g.FullName)
	}
	return s.saveGroup(r, g.ParentCode, code[len(g.ParentCode)+1:], q.Type, q.Name, false)
}

// leaderRequest gives a group its leader's account.
type leaderRequest struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Password string `json:"password"`
}

// addGroupLeader answers POST /api/v1/groups/{code}/leader.
func (s *Server) addGroupLeader(w http.ResponseWriter, r *http.Request) {
	var q leaderRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.createGroupLeader(r, r.PathValue("code"), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"username": u.Username, "full_name": u.FullName, "role": u.Role, "unit": u.UnitCode})
}

// createGroupLeader makes the account of a group's leader: role leader, the
// group as unit, so that every scope of the product keeps it to its group.
func (s *Server) createGroupLeader(r *http.Request, code string, q leaderRequest) (*auth.User, error) {
	g, err := store.Announce{DB: s.DB}.Group(r.Context(), code)
	if err != nil {
		return nil, err
	}
	if _, err := groupAdmin(r, g.ParentCode); err != nil {
		return nil, err
	}
	if err := checkNewPassword(q.Password); err != nil {
		return nil, err
	}
	u := &auth.User{Username: strings.TrimSpace(q.Username), FullName: strings.TrimSpace(q.FullName), Role: auth.RoleLeader, UnitCode: g.Code}
	return u, s.DB.CreateUser(r.Context(), u, q.Password)
}

// announcementRequest is a new announcement; times are RFC 3339.
type announcementRequest struct {
	Unit      string    `json:"unit"` // the caller's by default
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	AllGroups bool      `json:"all_groups"`
	Groups    []string  `json:"groups"`
	PublishAt time.Time `json:"publish_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// addAnnouncement answers POST /api/v1/announcements: the commune's
// leaders and administrators; one due now is sent at once.
func (s *Server) addAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var q announcementRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	an := &announce.Announcement{UnitCode: q.Unit, Title: q.Title, Body: q.Body, AllGroups: q.AllGroups, Groups: q.Groups, PublishAt: q.PublishAt.UTC(), ExpiresAt: q.ExpiresAt.UTC()}
	if q.ExpiresAt.IsZero() {
		an.ExpiresAt = time.Time{}
	}
	if err := s.Announce().Create(r.Context(), a, an); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, an)
}

// listAnnouncements answers GET /api/v1/announcements: ?group= the
// announcements on a group's page now (public); ?unit= all of a commune's,
// scheduled and expired ones too, for its officers.
func (s *Server) listAnnouncements(w http.ResponseWriter, r *http.Request) {
	f, err := s.announcementFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := store.Announce{DB: s.DB}.Announcements(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []announce.Announcement{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"announcements": list})
}

func (s *Server) announcementFilter(r *http.Request) (announce.Filter, error) {
	q := r.URL.Query()
	if g := q.Get("group"); g != "" {
		grp, err := store.Announce{DB: s.DB}.Group(r.Context(), g)
		if err != nil {
			return announce.Filter{}, err
		}
		return announce.Filter{Unit: grp.ParentCode, Group: grp.Code, ShownAt: s.now(), Limit: 50}, nil
	}
	a, err := officer(r)
	if err != nil {
		return announce.Filter{}, err
	}
	if u := q.Get("unit"); u != "" && u != a.UnitCode {
		return announce.Filter{}, apperr.Forbidden("Bạn chỉ xem được thông báo của đơn vị mình", "you may only see your unit's announcements")
	}
	return announce.Filter{Unit: a.UnitCode, Limit: 200}, nil
}

// subscribeAttempt counts an anonymous subscription against the address's
// limit and the recipient's (channel and normalised phone or mailbox),
// every attempt alike: each one sends a message to someone. An address
// that does not normalise is refused later, sending nothing.
func (s *Server) subscribeAttempt(w http.ResponseWriter, r *http.Request, q announce.SubscribeRequest) error {
	var rules []limitRule
	if rate := s.limits.Subscribe; rate.N > 0 {
		rules = append(rules, limitRule{store.Counter{Kind: limitSubscribe, Key: s.clientAddr(r), Window: rate.Per}, rate.N})
	}
	if addr, err := announce.NormalizeAddress(q.Channel, q.Address); err == nil && s.limits.SubscribeTo.N > 0 {
		rate := s.limits.SubscribeTo
		rules = append(rules, limitRule{store.Counter{Kind: limitSubscribeTo, Key: q.Channel + "|" + addr, Window: rate.Per}, rate.N})
	}
	_, err := s.count(w, r, rules)
	return err
}

// subscribeGroup answers POST /api/v1/groups/{code}/subscriptions: public,
// counted per address; 202 whether or not the address already follows
// the group.
func (s *Server) subscribeGroup(w http.ResponseWriter, r *http.Request) {
	var q announce.SubscribeRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.subscribeAttempt(w, r, q); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Announce().Subscribe(r.Context(), r.PathValue("code"), q); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "confirmation_sent"})
}

// confirmRequest confirms a subscription: the code sent by SMS or Zalo
// with the address, or the e-mail link's token.
type confirmRequest struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
	Code    string `json:"code"`
	Token   string `json:"token"`
}

// confirmSubscription answers POST /api/v1/groups/{code}/subscriptions/confirm;
// wrong codes count against the address's public limit, and each
// subscription takes five at most.
func (s *Server) confirmSubscription(w http.ResponseWriter, r *http.Request) {
	var q confirmRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	sub, err := s.confirm(w, r, r.PathValue("code"), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"group": sub.GroupCode, "channel": sub.Channel, "confirmed": true})
}

func (s *Server) confirm(w http.ResponseWriter, r *http.Request, group string, q confirmRequest) (sub *announce.Subscription, err error) {
	err = s.publicTry(w, r, func() error {
		if q.Token != "" {
			sub, err = s.Announce().ConfirmLink(r.Context(), q.Token)
		} else {
			sub, err = s.Announce().ConfirmCode(r.Context(), group, q.Channel, q.Address, q.Code)
		}
		if err == nil && group != "" && sub.GroupCode != group {
			err = apperr.NotFound("Không tìm thấy đăng ký", "subscription not found")
		}
		return err
	})
	return sub, err
}

// unsubscribeView says what a token ends, the address masked.
type unsubscribeView struct {
	Group   string `json:"group"`
	Channel string `json:"channel"`
	Address string `json:"address"`
}

// unsubscribeRequest names the subscription to end by its signed token.
type unsubscribeRequest struct {
	Token string `json:"token"`
}

// unsubscribe answers POST /api/v1/subscriptions/unsubscribe {token}: the
// signed token of the messages is the proof, one step, no account.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	var q unsubscribeRequest
	if err := decode(w, r, &q); err != nil {
		s.fail(w, r, err)
		return
	}
	var sub *announce.Subscription
	err := s.publicTry(w, r, func() (err error) {
		sub, err = s.Announce().Unsubscribe(r.Context(), q.Token)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unsubscribeView{Group: sub.GroupCode, Channel: sub.Channel, Address: vntext.MaskContact(sub.Address)})
}
