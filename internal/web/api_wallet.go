package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

// The citizen's own lists: /api/v1/me/*. Only an applicant's account has
// them; an officer is refused (403), never shown an empty list that would
// read as "nothing of yours".

var errNotCitizen = apperr.Forbidden("Chỉ tài khoản công dân có hồ sơ và giấy tờ cá nhân", "only a citizen's account has its own dossiers and papers")

func citizen(r *http.Request) (auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return a, err
	}
	if a.Role != auth.RoleApplicant || a.UserID == 0 {
		return a, errNotCitizen
	}
	return a, nil
}

// meDossiers is GET /api/v1/me/dossiers: a page of the caller's own
// dossiers, newest first, with the listing's filters.
func (s *Server) meDossiers(w http.ResponseWriter, r *http.Request) {
	if _, err := citizen(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.listDossiers(w, r)
}

// meDocuments is GET /api/v1/me/documents: a page of the caller's papers
// (attachments of their dossiers and results returned to them), newest
// first, each with its download link.
func (s *Server) meDocuments(w http.ResponseWriter, r *http.Request) {
	a, err := citizen(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, offset := 100, 0
	if err := queryInts(r, map[string]*int{"limit": &limit, "offset": &offset}); err != nil {
		s.fail(w, r, err)
		return
	}
	if limit < 1 || limit > 500 || offset < 0 {
		s.fail(w, r, apperr.Invalid("limit", "limit phải từ 1 đến 500, offset không âm", "limit must be 1 to 500, offset 0 or more"))
		return
	}
	papers, err := s.Dossiers.Wallet(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []walletPaper{}
	for i := offset; i < len(papers) && i < offset+limit; i++ {
		out = append(out, withLink(papers[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out, "total": len(papers), "limit": limit, "offset": offset})
}
