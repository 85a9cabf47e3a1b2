package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

// startSession signs u in: a session row labelled with the browser it came
// from, ending 12 hours after its last use or 7 days after sign-in, and
// the cookie that carries it. It returns the session's secret.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *auth.User) (string, error) {
	tok, _, err := s.DB.NewToken(r.Context(), store.TokenSpec{UserID: u.ID, Kind: store.TokenSession,
		Label: auth.DeviceLabel(r.UserAgent()), TTL: auth.SessionMax, Idle: auth.SessionIdle})
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		MaxAge: int(auth.SessionMax.Seconds()), Secure: s.secureCookies(r)})
	return tok, nil
}

// self returns the signed-in caller's own account.
func (s *Server) self(r *http.Request) (*auth.User, error) {
	a, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	return s.DB.UserByName(r.Context(), a.Username)
}

// listSessions answers the caller's own sessions and tokens.
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) { s.answerSessions(w, r, s.self) }

// revokeSession ends one of the caller's own sessions or tokens.
func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) { s.endSession(w, r, s.self) }

// listUserSessions answers an officer's sessions to his unit's administrator.
func (s *Server) listUserSessions(w http.ResponseWriter, r *http.Request) {
	s.answerSessions(w, r, s.unitOfficer)
}

// revokeUserSession ends an officer's session for his unit's administrator.
func (s *Server) revokeUserSession(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r, s.unitOfficer)
}

// answerSessions answers the sessions of the account that whose finds.
func (s *Server) answerSessions(w http.ResponseWriter, r *http.Request, whose func(*http.Request) (*auth.User, error)) {
	u, err := whose(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.DB.Sessions(r.Context(), u.ID, sessionID(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list})
}

// endSession ends the session {id} of the account that whose finds.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, whose func(*http.Request) (*auth.User, error)) {
	u, err := whose(r)
	if err == nil {
		err = s.DB.RevokeSession(r.Context(), u.ID, r.PathValue("id"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// unitOfficer returns an officer of the calling administrator's unit: the
// only accounts whose sessions an administrator sees. Anyone else is "not
// found", so that usernames of other units cannot be probed.
func (s *Server) unitOfficer(r *http.Request) (*auth.User, error) {
	a, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	if a.Role != auth.RoleAdmin {
		return nil, apperr.Forbidden("Chỉ quản trị đơn vị được xem phiên đăng nhập của người khác", "only a unit administrator may see other users' sessions")
	}
	return s.DB.UnitUser(r.Context(), a.UnitCode, r.PathValue("username"))
}
