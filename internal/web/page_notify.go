package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/notify"
)

// notifyOffData is the page a notification's unsubscribe link opens.
type notifyOffData struct {
	Token string
	Code  string
	Done  bool
	Bad   bool
}

// notifyOffPage asks before turning notifications off: a link opened by a
// mail scanner or a preview must not change anything.
func (s *Server) notifyOffPage(w http.ResponseWriter, r *http.Request) {
	s.notifyOff(w, r, r.URL.Query().Get("t"), false)
}

// notifyOffPost turns the dossier's notifications off. The signed token
// is the proof, as the lookup's ID number is elsewhere; no sign-in.
func (s *Server) notifyOffPost(w http.ResponseWriter, r *http.Request) {
	s.notifyOff(w, r, r.PostFormValue("t"), true)
}

func (s *Server) notifyOff(w http.ResponseWriter, r *http.Request, token string, stop bool) {
	key, err := s.DB.NotifyKey(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := notifyOffData{Token: token}
	var ok bool
	d.Code, ok = notify.CheckToken(key, token)
	status := http.StatusOK
	switch {
	case !ok:
		d.Bad, status = true, http.StatusNotFound
	case stop:
		if _, err := s.Dossiers.StopNotifyProven(r.Context(), d.Code); err != nil {
			s.pageFail(w, r, err)
			return
		}
		d.Done = true
	}
	p := s.newPage(w, r, "lookup", "notify.off.title")
	p.Data = d
	s.render(w, r, status, "notifyoff", p)
}

// notifyChoicePost lets the signed-in applicant change how they are
// notified, from their dossier's page.
func (s *Server) notifyChoicePost(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if _, err := s.Dossiers.SetNotify(r.Context(), a, code, r.PostFormValue("notify")); err != nil {
		if e := apperr.As(err); e != nil && e.Code != apperr.ENOTFOUND {
			s.refused(w, r, a, code, "notify", err)
			return
		}
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ho-so/"+code+"?ok=notify", http.StatusSeeOther)
}
