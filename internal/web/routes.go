package web

import "net/http"

// routes lists every route in one place. The API routes are also described in
// openapi.json; a test keeps the two in step.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/healthz", s.health)
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.HandleFunc("POST /api/v1/logout", s.logout)
	mux.HandleFunc("GET /api/v1/me", s.me)
	mux.HandleFunc("GET /api/v1/units/{code}", s.getUnit)
	mux.HandleFunc("GET /api/v1/procedures", s.listProcedures)
	mux.HandleFunc("GET /api/v1/procedures/{code}", s.getProcedure)
	mux.HandleFunc("POST /api/v1/dossiers", s.submitDossier)
	mux.HandleFunc("GET /api/v1/dossiers", s.listDossiers)
	mux.HandleFunc("GET /api/v1/dossiers/{code}", s.getDossier)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/actions/{action}", s.actOnDossier)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/rating", s.rateDossier)
	mux.HandleFunc("GET /api/v1/lookup", s.lookup)
	mux.HandleFunc("GET /api/v1/stats", s.stats)
	mux.HandleFunc("GET /api/v1/calendar/due", s.calendarDue)
	mux.HandleFunc("GET /api/v1/calendar/{year}", s.calendarYear)
	mux.HandleFunc("/api/", s.notFound)
	mux.HandleFunc("GET /{$}", s.home)
}
