package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/store"
)

// adminNotifyData is one kind of notification's texts: Vietnamese and
// English, for e-mail and SMS; the one refused is shown as typed.
type adminNotifyData struct {
	adminView
	Kind      string
	Kinds     []string
	Templates []notify.Template
	Failed    string // lang/channel of the refused form
}

// adminNotify shows a kind's templates, the unit's own or the defaults.
func (s *Server) adminNotify(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d, err := s.notifyData(r, a, r.URL.Query().Get("kind"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showNotify(w, r, http.StatusOK, d)
}

func (s *Server) notifyData(r *http.Request, a auth.Actor, kind string) (adminNotifyData, error) {
	if !slices.Contains(notify.Kinds, kind) {
		kind = notify.KindReceived
	}
	edited, err := s.DB.NotifyTemplates(r.Context(), a.UnitCode)
	if err != nil {
		return adminNotifyData{}, err
	}
	pick := store.ResolveTemplates(edited)
	d := adminNotifyData{adminView: newAdminView("notify"), Kind: kind, Kinds: notify.Kinds}
	for _, ch := range notify.TemplateChannels {
		for _, l := range notify.Langs {
			d.Templates = append(d.Templates, pick(kind, l, ch))
		}
	}
	return d, nil
}

func (s *Server) showNotify(w http.ResponseWriter, r *http.Request, status int, d adminNotifyData) {
	p := s.adminPage(w, r, "admin.notify.title")
	p.setAlt("/quan-tri/thong-bao", url.Values{"kind": {d.Kind}})
	p.Data = d
	s.render(w, r, status, "admin_notify", p)
}

// adminNotifySave stores one text of the administrator's unit after the
// store checked that it renders; a refused text is shown again as typed.
func (s *Server) adminNotifySave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	t := notify.Template{UnitCode: a.UnitCode, Kind: r.PostFormValue("kind"), Lang: r.PostFormValue("lang"),
		Channel: r.PostFormValue("channel"), Subject: r.PostFormValue("subject"), Body: r.PostFormValue("body")}
	err = s.DB.SaveNotifyTemplate(r.Context(), t, a)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/thong-bao?kind="+url.QueryEscape(t.Kind)+"&ok=notify", http.StatusSeeOther)
		return
	}
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "subject", "body")
	if !ok {
		s.pageFail(w, r, err)
		return
	}
	d, derr := s.notifyData(r, a, t.Kind)
	if derr != nil {
		s.pageFail(w, r, derr)
		return
	}
	d.Errors, d.Failed = errs, t.Lang+"/"+t.Channel
	for i, x := range d.Templates {
		if x.Lang == t.Lang && x.Channel == t.Channel {
			d.Templates[i].Subject, d.Templates[i].Body = r.PostFormValue("subject"), r.PostFormValue("body")
		}
	}
	s.showNotify(w, r, statusOf[apperr.Code(err)], d)
}
