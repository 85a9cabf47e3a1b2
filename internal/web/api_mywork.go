package web

import (
	"net/http"
)

// workItemView is one entry of "my work" in the API: the dossier, and how
// it stands for the caller.
type workItemView struct {
	dossierView
	Assigned     bool   `json:"assigned"`
	AssigneeName string `json:"assignee_name,omitempty"`
	StepState    string `json:"step_state,omitempty"`
	DueState     string `json:"due_state,omitempty"`
}

// myWork lists the dossiers waiting for the calling officer, the most
// urgent first (see dossier.Service.MyWork).
func (s *Server) myWork(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := s.Dossiers.MyWork(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var users []string
	for _, it := range items {
		users = append(users, it.StepAssignee)
	}
	names := s.officerNames(r.Context(), users...)
	out := make([]workItemView, 0, len(items))
	for _, it := range items {
		out = append(out, workItemView{dossierView: view(it.Dossier), Assigned: it.Assigned, AssigneeName: names[it.StepAssignee],
			StepState: it.StepState, DueState: it.DueState})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(out)})
}
