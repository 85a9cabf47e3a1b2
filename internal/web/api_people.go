package web

import (
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// personView is what the one-stop shop already holds about a person: the
// applicant's details of their most recent dossier the officer may see, so
// that they are not asked twice.
type personView struct {
	IDNumber    string    `json:"id_number"`
	Name        string    `json:"name"`
	Phone       string    `json:"phone,omitempty"`
	Email       string    `json:"email,omitempty"`
	Address     string    `json:"address,omitempty"`
	FromDossier string    `json:"from_dossier"` // send it back as the new dossier's reused_from
	SubmittedAt time.Time `json:"submitted_at"`
}

func personOf(d *dossier.Dossier) personView {
	a := d.Applicant
	return personView{IDNumber: a.IDNumber, Name: a.Name, Phone: a.Phone, Email: a.Email, Address: a.Address,
		FromDossier: d.Code, SubmittedAt: d.SubmittedAt}
}

// getPerson answers GET /api/v1/people/{id_number} for officers, from the
// dossiers their unit may see; nothing visible is "not found".
func (s *Server) getPerson(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Dossiers.LastOf(r.Context(), a, r.PathValue("id_number"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personOf(d))
}
