package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/civil"
)

// civilCorrectPost registers a change or correction of a record: a new
// record in a change book, linked to the original, which is never
// overwritten. The form changes one field at a time.
func (s *Server) civilCorrectPost(w http.ResponseWriter, r *http.Request) {
	a, rec, ok := s.pathCivilRecord(w, r, civil.ReasonCorrection, "")
	if !ok {
		return
	}
	f := r.PostForm
	book, _ := strconv.ParseInt(f.Get("book"), 10, 64)
	req := civil.CorrectionRequest{BookID: book, Page: f.Get("page"), Entry: f.Get("entry"), RegisteredOn: f.Get("registered_on"),
		Basis: f.Get("basis"), Declarant: civil.Declarant{Name: f.Get("declarant")}, Changes: map[string]string{f.Get("field"): f.Get("value")}}
	corr, err := s.Civil().Correct(r.Context(), a, rec.ID, req)
	if err != nil {
		s.showCivilRecordError(w, r, a, rec, err)
		return
	}
	http.Redirect(w, r, "/ho-tich/ban-ghi/"+strconv.FormatInt(corr.Amends, 10)+"?ok=corrected", http.StatusSeeOther)
}
