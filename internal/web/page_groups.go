package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
)

// groupRoutes are the residential groups' pages: a group's public page with
// its announcements and the subscribe form, the confirmation and the
// one-step unsubscribe (no account: the code or the signed link is the
// proof), the commune's announcements for its leaders and administrators,
// and the public statistics.
func (s *Server) groupRoutes(mux router) {
	mux.HandleFunc("GET /to-dan-pho/{code}", s.groupPage)
	mux.HandleFunc("POST /to-dan-pho/{code}/dang-ky", formLimit(s.groupSubscribePost))
	mux.HandleFunc("GET /to-dan-pho/xac-nhan", s.groupConfirmPage)
	mux.HandleFunc("POST /to-dan-pho/xac-nhan", formLimit(s.groupConfirmPost))
	mux.HandleFunc("GET /to-dan-pho/huy", s.groupOffPage)
	mux.HandleFunc("POST /to-dan-pho/huy", formLimit(s.groupOffPost))
	mux.HandleFunc("GET /to-dan-pho/thong-bao", s.announcementsPage)
	mux.HandleFunc("POST /to-dan-pho/thong-bao", formLimit(s.announcementPost))
	mux.HandleFunc("GET /thong-ke/cong-khai", s.publicStatsIndex)
	mux.HandleFunc("GET /thong-ke/cong-khai/{unit}", s.publicStatsPage)
	mux.HandleFunc("GET /thong-ke/cong-khai/{unit}/widget", s.publicStatsWidget)
}

// groupData is a group's public page.
type groupData struct {
	Group         announce.Group
	Commune       string
	Closed        bool
	Announcements []announce.Announcement
	Channels      []string
	Errors        formErrors
	Channel       string // typed in a refused form
	Address       string
}

// groupPage shows a group, its leader, the announcements on it now and the
// subscribe form; cached by ETag like the other public pages.
func (s *Server) groupPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.groupData(r, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "groups", "group.title", d.Group.FullName)
	p.Data = d
	s.renderCached(w, r, "group", "layout", p)
}

func (s *Server) groupData(r *http.Request, code string) (*groupData, error) {
	st := store.Announce{DB: s.DB}
	g, err := st.Group(r.Context(), code)
	if err != nil {
		return nil, err
	}
	d := &groupData{Group: *g, Channels: announce.Channels, Channel: announce.ChannelSMS, Closed: !g.InForceOn(s.now().In(calendar.Zone))}
	if c, err := s.DB.Unit(r.Context(), g.ParentCode); err == nil {
		d.Commune = c.FullName
	}
	d.Announcements, err = st.Announcements(r.Context(), announce.Filter{Unit: g.ParentCode, Group: g.Code, ShownAt: s.now(), Limit: 50})
	return d, err
}

// groupSubscribePost asks for a subscription; the next page takes the
// code (SMS, Zalo) or says to open the e-mail's link.
func (s *Server) groupSubscribePost(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	q := announce.SubscribeRequest{Channel: r.PostFormValue("channel"), Address: r.PostFormValue("address")}
	err := s.subscribeAttempt(w, r, q)
	if err == nil {
		_, err = s.Announce().Subscribe(r.Context(), code, q)
	}
	if err != nil {
		s.groupRefused(w, r, code, q, err)
		return
	}
	p := s.newPage(w, r, "groups", "group.confirm.title")
	p.setAlt("/to-dan-pho/"+code, nil)
	p.Data = confirmData{Group: code, Channel: q.Channel, Address: strings.TrimSpace(q.Address), Sent: true}
	s.render(w, r, http.StatusOK, "group_confirm", p)
}

// groupRefused shows the group's page again with the refusal beside the
// field at fault and what was typed.
func (s *Server) groupRefused(w http.ResponseWriter, r *http.Request, code string, q announce.SubscribeRequest, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.EINTERNAL || e.Code == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	d, derr := s.groupData(r, code)
	if derr != nil {
		s.pageFail(w, r, derr)
		return
	}
	d.Errors, _ = fieldErrors(s.ui.cat[requestLang(w, r)], err, "channel", "address")
	d.Channel, d.Address = q.Channel, q.Address
	p := s.newPage(w, r, "groups", "group.title", d.Group.FullName)
	p.setAlt("/to-dan-pho/"+code, nil)
	p.Data = d
	s.render(w, r, statusOf[e.Code], "group", p)
}

// confirmData is the confirmation page: the code form, the e-mail link's
// button, or the result.
type confirmData struct {
	Group, Channel, Address string
	Token                   string
	Sent                    bool // the code or the link was just sent
	Done                    bool
	Errors                  formErrors
}

// groupConfirmPage is where the e-mail's link leads: a button, so that a
// mail scanner opening the link confirms nothing.
func (s *Server) groupConfirmPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "groups", "group.confirm.title")
	p.Data = confirmData{Token: r.URL.Query().Get("t"), Group: r.URL.Query().Get("group")}
	s.render(w, r, http.StatusOK, "group_confirm", p)
}

// groupConfirmPost confirms with the e-mail link's token or the code;
// wrong codes count against the address's public limit.
func (s *Server) groupConfirmPost(w http.ResponseWriter, r *http.Request) {
	d := confirmData{Group: r.PostFormValue("group"), Channel: r.PostFormValue("channel"), Address: r.PostFormValue("address"), Token: r.PostFormValue("t")}
	sub, err := s.confirm(w, r, d.Group, confirmRequest{Channel: d.Channel, Address: d.Address, Code: r.PostFormValue("code"), Token: d.Token})
	status := http.StatusOK
	p := s.newPage(w, r, "groups", "group.confirm.title")
	p.setAlt("/to-dan-pho/xac-nhan", nil)
	if err != nil {
		e := apperr.As(err)
		if e == nil || e.Code == apperr.EINTERNAL {
			s.pageFail(w, r, err)
			return
		}
		d.Errors.add("code", p.c.pick(e.Message, e.MessageEn))
		status = statusOf[e.Code]
	} else {
		d.Done, d.Group = true, sub.GroupCode
	}
	p.Data = d
	s.render(w, r, status, "group_confirm", p)
}

// groupOffData is the unsubscribe page.
type groupOffData struct {
	Token, Group string
	Done, Bad    bool
}

// groupOffPage asks before unsubscribing, as the dossiers' link does.
func (s *Server) groupOffPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "groups", "group.off.title")
	p.Data = groupOffData{Token: r.URL.Query().Get("t")}
	s.render(w, r, http.StatusOK, "group_off", p)
}

// groupOffPost ends the subscription the signed token names: one step.
func (s *Server) groupOffPost(w http.ResponseWriter, r *http.Request) {
	d := groupOffData{Token: r.PostFormValue("t")}
	if d.Token == "" { // a mail client's one-click unsubscribe posts to the link itself
		d.Token = r.URL.Query().Get("t")
	}
	var sub *announce.Subscription
	err := s.publicTry(w, r, func() (err error) {
		sub, err = s.Announce().Unsubscribe(r.Context(), d.Token)
		return err
	})
	status := http.StatusOK
	switch {
	case apperr.Code(err) == apperr.ENOTFOUND:
		d.Bad, status = true, http.StatusNotFound
	case err != nil:
		s.pageFail(w, r, err)
		return
	default:
		d.Done, d.Group = true, sub.GroupCode
	}
	p := s.newPage(w, r, "groups", "group.off.title")
	p.setAlt("/to-dan-pho/huy", nil)
	p.Data = d
	s.render(w, r, status, "group_off", p)
}

// announcementsData is the commune's announcements page.
type announcementsData struct {
	Groups        []announce.Group
	Announcements []announce.Announcement
	Names         map[string]string // group code → full name
	CanWrite      bool
	Errors        formErrors
	Typed         url.Values
	Now           time.Time
}

// Val is what was typed in a field of a refused form.
func (d announcementsData) Val(field string) string { return d.Typed.Get(field) }

// Picked tells whether a group was ticked in a refused form.
func (d announcementsData) Picked(code string) bool { return slices.Contains(d.Typed["groups"], code) }

// announcementsPage lists a commune's announcements, scheduled ones too,
// with the form to write one (its leaders and administrators).
func (s *Server) announcementsPage(w http.ResponseWriter, r *http.Request) {
	s.showAnnouncements(w, r, http.StatusOK, announcementsData{Typed: url.Values{"target": {"some"}}})
}

func (s *Server) showAnnouncements(w http.ResponseWriter, r *http.Request, status int, d announcementsData) {
	a, err := officer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if !announce.CanAnnounce(a, a.UnitCode) {
		s.pageFail(w, r, apperr.Forbidden("Trang này dành cho lãnh đạo, quản trị của xã, phường", "this page is for the commune's leaders and administrators"))
		return
	}
	st := store.Announce{DB: s.DB}
	if d.Groups, err = st.Groups(r.Context(), a.UnitCode, false); err == nil {
		d.Announcements, err = st.Announcements(r.Context(), announce.Filter{Unit: a.UnitCode, Limit: 100})
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Names, d.CanWrite, d.Now = map[string]string{}, true, s.now()
	for _, g := range d.Groups {
		d.Names[g.Code] = g.FullName
	}
	p := s.newPage(w, r, "announcements", "ann.title")
	p.setAlt("/to-dan-pho/thong-bao", nil)
	if r.URL.Query().Get("ok") == "1" {
		p.Flash = p.t("ann.sent")
	}
	p.Data = d
	s.render(w, r, status, "announcements", p)
}

// announcementPost writes an announcement from the form: all groups or the
// ticked ones, now or at a local date and time, with an optional expiry.
func (s *Server) announcementPost(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	_ = r.ParseForm()
	an := &announce.Announcement{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), AllGroups: r.PostFormValue("target") == "all",
		Groups: r.PostForm["groups"]}
	if an.PublishAt, err = localTime("publish_at", r.PostFormValue("publish_at")); err == nil {
		an.ExpiresAt, err = localTime("expires_at", r.PostFormValue("expires_at"))
	}
	if err == nil {
		err = s.Announce().Create(r.Context(), a, an)
	}
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "title", "body", "groups", "publish_at", "expires_at")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showAnnouncements(w, r, statusOf[apperr.Code(err)], announcementsData{Errors: errs, Typed: r.PostForm})
		return
	}
	http.Redirect(w, r, "/to-dan-pho/thong-bao?ok=1", http.StatusSeeOther)
}

// localTime reads a datetime-local field in Việt Nam's time; empty is zero.
func localTime(field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), calendar.Zone)
	if err != nil {
		return t, apperr.Invalid(field, "Thời điểm phải có dạng ngày giờ", "the time must be a date and time")
	}
	return t.UTC(), nil
}
