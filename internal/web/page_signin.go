package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

type signinData struct {
	Username, Next string
	Errors         formErrors
	// OIDC shows the button of the sign-in through the identity provider.
	OIDC bool
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "signin", "signin.title")
	p.Data = signinData{Next: localPath(r.URL.Query().Get("next")), OIDC: s.Identity != nil}
	s.render(w, r, http.StatusOK, "signin", p)
}

// signinPost checks the password and sets the same session cookie as the
// API's login, then goes back where the visitor was heading.
func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) {
	d := signinData{Username: strings.TrimSpace(r.PostFormValue("username")), Next: localPath(r.PostFormValue("next")), OIDC: s.Identity != nil}
	at, err := s.signinAttempt(w, r, d.Username)
	if err != nil {
		s.signinRefused(w, r, d, err)
		return
	}
	u, err := s.DB.Authenticate(r.Context(), strings.ToLower(d.Username), r.PostFormValue("password"))
	if err != nil {
		if apperr.Code(err) != apperr.EUNAUTHORIZED {
			s.pageFail(w, r, err)
			return
		}
		p := s.newPage(w, r, "signin", "signin.title")
		d.Errors.add("username", p.t("signin.err"))
		p.Data = d
		s.render(w, r, http.StatusUnauthorized, "signin", p)
		return
	}
	s.signinOK(r, at)
	if err := s.passwordRefused(u); err != nil {
		p := s.newPage(w, r, "signin", "signin.title")
		d.Errors.add("username", p.c.pick(apperr.As(err).Message, apperr.As(err).MessageEn))
		p.Data = d
		s.render(w, r, http.StatusForbidden, "signin", p)
		return
	}
	s.signedIn(w, r, u, d.Next)
}

// signedIn starts u's session and goes on to next, or to u's home.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, u *auth.User, next string) {
	if _, err := s.startSession(w, r, u); err != nil {
		s.pageFail(w, r, err)
		return
	}
	if next == "" {
		next = homeOf(u.Actor())
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signinRefused shows the form again with the refusal of the limits, or
// the error page for any other error.
func (s *Server) signinRefused(w http.ResponseWriter, r *http.Request, d signinData, err error) {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.ETOOMANY {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "signin", "signin.title")
	d.Errors.add("username", p.c.pick(e.Message, e.MessageEn))
	p.Data = d
	s.render(w, r, statusOf[e.Code], "signin", p)
}

// homeOf is where a user lands after signing in: officers on their queue,
// applicants on their dossiers.
func homeOf(a auth.Actor) string {
	if a.Role == auth.RoleLeader || a.Role == auth.RoleSpecialist {
		return "/viec-cua-toi"
	}
	return "/ho-so"
}

// signout ends the session in the database, not only in the browser.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.DB.DeleteToken(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
