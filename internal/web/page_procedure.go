package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/unit"
)

type procedureData struct {
	P      *procedure.Procedure
	Units  []unit.Unit // offices that receive dossiers
	Online bool
}

// procedurePage is a procedure's start page: who, what to bring, how long,
// how much, where; then one clear button to submit online when possible.
func (s *Server) procedurePage(w http.ResponseWriter, r *http.Request) {
	pr, err := s.Procs.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	units, err := s.DB.ReceivingUnits(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "catalogue", "procedure.title", pr.Name)
	p.Title = pr.Name
	p.Data = procedureData{P: pr, Units: units, Online: pr.Active && pr.OnlineMode != procedure.OnlineNone}
	s.render(w, r, http.StatusOK, "procedure", p)
}
