package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/stats"
)

// stats answers from the roll-ups. Officers see their unit and the units
// under it; the unit defaults to their own.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !a.IsOfficer() {
		s.fail(w, r, apperr.Forbidden("Chỉ cán bộ được xem số liệu thống kê", "only officers may see statistics"))
		return
	}
	q := r.URL.Query()
	sq := stats.Query{UnitCode: q.Get("unit"), ProcedureCode: q.Get("procedure"), From: q.Get("from"), To: q.Get("to")}
	if sq.UnitCode == "" {
		sq.UnitCode = a.UnitCode
	}
	if err := sq.Validate(s.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	ok, err := s.DB.UnitWithin(r.Context(), sq.UnitCode, a.UnitCode)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.fail(w, r, apperr.Forbidden("Bạn chỉ xem được số liệu của đơn vị mình và các đơn vị trực thuộc", "you may only see your unit and the units under it"))
		return
	}
	sum, err := s.DB.Summary(r.Context(), sq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"unit": sq.UnitCode, "from": sq.From, "to": sq.To, "summary": sum}
	// The petitions' numbers of the same unit and days (their roll-ups,
	// with the open ones late now); they have no procedure.
	if sq.ProcedureCode == "" {
		if out["petitions"], err = s.DB.PetitionSummary(r.Context(), sq.UnitCode, sq.From, sq.To); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
