package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/auth"
)

type sessionsData struct {
	Sessions []auth.Session
	Action   string // where a revoke form posts, followed by the session's id
}

// sessionsPage lists the signed-in user's sessions and tokens ("Phiên đăng
// nhập"), each with a button that ends it.
func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.self(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	list, err := s.DB.Sessions(r.Context(), u.ID, sessionID(r))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "sessions", "sessions.title")
	if r.URL.Query().Get("ok") == "revoked" {
		p.Flash = p.t("sessions.revoked")
	}
	p.Data = sessionsData{Sessions: list, Action: "/phien-dang-nhap/"}
	s.render(w, r, http.StatusOK, "sessions", p)
}

// sessionRevoke ends one of the user's sessions; ending the one in use
// signs the browser out.
func (s *Server) sessionRevoke(w http.ResponseWriter, r *http.Request) {
	u, err := s.self(r)
	if err == nil {
		err = s.DB.RevokeSession(r.Context(), u.ID, r.PathValue("id"))
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if r.PathValue("id") == sessionID(r) {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/phien-dang-nhap?ok=revoked", http.StatusSeeOther)
}

// adminSessionRevoke ends a session of an officer of the administrator's
// unit; an officer of another unit is "not found".
func (s *Server) adminSessionRevoke(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	u, err := s.DB.UnitUser(r.Context(), a.UnitCode, r.PathValue("username"))
	if err == nil {
		err = s.DB.RevokeSession(r.Context(), u.ID, r.PathValue("id"))
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/nguoi-dung/"+u.Username+"?ok=session_revoked", http.StatusSeeOther)
}
