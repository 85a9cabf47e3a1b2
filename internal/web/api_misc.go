package web

import (
	_ "embed"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
)

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	v, err := s.DB.Version(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "engine": s.DB.Engine, "schema_version": v})
}

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openapiDoc)
}

// notFound answers what no API route took: 405 with the Allow header when
// the path is a route of another method, else 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowed(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		var b errorBody
		b.Error.Code = "method_not_allowed"
		b.Error.Message = "Địa chỉ này không nhận phương thức " + r.Method + "; chỉ nhận " + strings.Join(allow, ", ")
		b.Error.MessageEn = "this address does not take " + r.Method + "; it takes " + strings.Join(allow, ", ")
		writeJSON(w, http.StatusMethodNotAllowed, b)
		return
	}
	s.fail(w, r, apperr.NotFound("Không có địa chỉ này trong API", "no such API route"))
}

// allowed lists the methods the routes take at the request's path.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != apiCatchAll {
			out = append(out, m)
		}
	}
	return out
}

// apiCatchAll is the pattern of notFound in routes.go.
const apiCatchAll = "/api/"

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	at, err := s.signinAttempt(w, r, req.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.DB.Authenticate(r.Context(), req.Username, req.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.signinOK(r, at)
	if err := s.passwordRefused(u); err != nil {
		s.fail(w, r, err)
		return
	}
	tok, err := s.startSession(w, r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "user": u})
}

// logout ends the caller's session or revokes the bearer token the request
// carries, and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if secret, _ := bearer(r); secret != "" {
		if err := s.DB.DeleteToken(r.Context(), secret); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = s.DB.DeleteToken(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.DB.UserByName(r.Context(), a.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) getUnit(w http.ResponseWriter, r *http.Request) {
	u, err := s.DB.Unit(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	children, err := s.DB.Units(r.Context(), u.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deps, err := s.DB.Departments(r.Context(), u.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": u, "children": children, "departments": deps})
}
