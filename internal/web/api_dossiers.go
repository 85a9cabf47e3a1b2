package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

func (s *Server) submitDossier(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req dossier.SubmitRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Dossiers.Submit(r.Context(), a, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/dossiers/"+d.Code)
	writeJSON(w, http.StatusCreated, s.callerView(r, a, d))
}

func (s *Server) listDossiers(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := parseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, total, err := s.Dossiers.List(r.Context(), a, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]dossierView, 0, len(ds))
	for i := range ds {
		out = append(out, view(&ds[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"dossiers": out, "total": total, "limit": f.Limit, "offset": f.Offset})
}

func parseFilter(r *http.Request) (dossier.Filter, error) {
	q := r.URL.Query()
	f := dossier.Filter{UnitCode: q.Get("unit"), ProcedureCode: q.Get("procedure"), Query: q.Get("q"), Outcome: q.Get("outcome")}
	ints := []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}, {"channel", &f.Channel}}
	for _, p := range ints {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return f, apperr.Invalid(p.name, p.name+" phải là số nguyên", p.name+" must be an integer")
			}
			*p.dst = n
		}
	}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, apperr.Invalid("status", "Trạng thái phải là số từ 1 đến 10", "status must be a number from 1 to 10")
		}
		f.Status = dossier.Status(n)
	}
	if v := q.Get("due_before"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, apperr.Invalid("due_before", "Thời hạn phải theo dạng RFC 3339, ví dụ 2026-05-04T17:00:00+07:00", "due_before must be RFC 3339, e.g. 2026-05-04T17:00:00+07:00")
		}
		f.DueBefore = t
	}
	return f, f.Validate()
}

func (s *Server) getDossier(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.Dossiers.Get(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.callerView(r, a, d))
}

// callerView is the dossier as the API sends it to a, with the actions a
// may take now, so that a client knows its next step from any answer.
func (s *Server) callerView(r *http.Request, a auth.Actor, d *dossier.Dossier) dossierView {
	v := view(d)
	allowed := []string{}
	if p, err := s.Procs.ForUnit(r.Context(), d.ProcedureCode, d.UnitCode); err == nil {
		allowed = append(allowed, s.allowedActions(r.Context(), a, d, p)...)
	}
	v.AllowedActions = &allowed
	return v
}

func (s *Server) actOnDossier(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := r.PathValue("action")
	if !slices.Contains(dossier.Actions, action) {
		s.fail(w, r, apperr.NotFound("Không có thao tác "+action, "no such action: "+action))
		return
	}
	var req dossier.ActionRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	req.Action = action
	d, err := s.Dossiers.Act(r.Context(), a, r.PathValue("code"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.callerView(r, a, d))
}

type ratingRequest struct {
	Rating  ratingValue `json:"rating"`
	Comment string      `json:"comment,omitempty"`
	// Proof is the applicant's ID number or phone, for a rating without an
	// account (from the public look-up).
	Proof string `json:"proof,omitempty"`
}

func (s *Server) rateDossier(w http.ResponseWriter, r *http.Request) {
	var req ratingRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	var d *dossier.Dossier
	var err error
	if a := actor(r); a.Username != "" && req.Proof == "" {
		d, err = s.Dossiers.Act(r.Context(), a, code, dossier.ActionRequest{Action: dossier.ActRate, Rating: int(req.Rating), Comment: req.Comment})
	} else {
		err = s.publicTry(w, r, func() (err error) {
			d, err = s.Dossiers.RateByProof(r.Context(), code, req.Proof, int(req.Rating), req.Comment)
			return err
		})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicView(d))
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	proof := q.Get("id")
	if proof == "" {
		proof = q.Get("phone")
	}
	var d *dossier.Dossier
	err := s.publicTry(w, r, func() (err error) {
		d, err = s.Dossiers.Lookup(r.Context(), q.Get("code"), proof)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicView(d))
}

// ratingValue is a rating sent as its number (3 Rất hài lòng, 2 Hài lòng,
// 1 Không hài lòng) or as its level's name ("very_satisfied",
// "satisfied", "not_satisfied").
type ratingValue int

var errRatingValue = apperr.Invalid("rating",
	"Trường rating phải là 3 hoặc \"very_satisfied\" (Rất hài lòng), 2 hoặc \"satisfied\" (Hài lòng), 1 hoặc \"not_satisfied\" (Không hài lòng)",
	`rating must be 3 or "very_satisfied", 2 or "satisfied", 1 or "not_satisfied"`)

func (v *ratingValue) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return errRatingValue
	}
	switch x := x.(type) {
	case float64:
		if x != float64(int(x)) {
			return errRatingValue
		}
		*v = ratingValue(x) // out of range: refused by the rule, with the same words
		return nil
	case string: // a level's name; a number in quotes is not one (the contract says integer)
		if n, ok := dossier.ParseRating(x); ok && x != strconv.Itoa(n) {
			*v = ratingValue(n)
			return nil
		}
	}
	return errRatingValue
}
