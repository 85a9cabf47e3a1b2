package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/store"
)

// Population is the look-up service of the national population database
// over the server's database and the configured registry (none: every
// look-up answers "not configured").
func (s *Server) Population() *population.Service {
	return &population.Service{Registry: s.PopulationRegistry, Store: store.Population{DB: s.DB}, Dossiers: s.Dossiers, Units: s.DB, Now: s.now}
}

// populationRequest is a look-up: the ID number, why, and the dossier it is
// for, if any.
type populationRequest struct {
	IDNumber    string `json:"id_number"`
	Reason      string `json:"reason"`
	DossierCode string `json:"dossier_code"`
}

// verifyPopulation answers POST /api/v1/population/verify for officers.
func (s *Server) verifyPopulation(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var q populationRequest
	if err == nil {
		err = decode(w, r, &q)
	}
	var res *population.Result
	if err == nil {
		res, err = s.Population().Verify(r.Context(), a, q.IDNumber, q.Reason, q.DossierCode)
	}
	if err != nil {
		s.logUnavailable(r, err)
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// logUnavailable tells the operator why the registry did not answer: the
// caller is told only that it did not.
func (s *Server) logUnavailable(r *http.Request, err error) {
	if apperr.Code(err) == apperr.EUNAVAILABLE && err != population.ErrNotConfigured {
		s.Log.Warn("population database", "path", r.URL.Path, "err", err)
	}
}

// listPopulationLookups answers GET /api/v1/population/lookups: the look-up
// log of the caller's unit, for its leaders and administrators; ?limit=,
// ?offset=.
func (s *Server) listPopulationLookups(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var limit, offset int
	if err == nil {
		err = queryInts(r, map[string]*int{"limit": &limit, "offset": &offset})
	}
	var log []population.Entry
	var total int
	if err == nil {
		log, total, err = s.Population().Log(r.Context(), a, limit, offset)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"lookups": log, "total": total})
}
