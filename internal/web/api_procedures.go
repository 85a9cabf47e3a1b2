package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
)

func (s *Server) listProcedures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ps, err := s.Procs.List(r.Context(), store.ProcedureFilter{Query: q.Get("q"), Field: q.Get("field"), OnlineMode: q.Get("online_mode"), ActiveOnly: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ps == nil {
		ps = []procedure.Procedure{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"procedures": ps, "total": len(ps)})
}

func (s *Server) getProcedure(w http.ResponseWriter, r *http.Request) {
	p, err := s.Procs.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
