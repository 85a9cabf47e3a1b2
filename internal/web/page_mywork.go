package web

import (
	"context"
	"net/http"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

type workRow struct {
	dossier.WorkItem
	Step     string // the step's name and department
	Assignee string // the assignee's full name
}

type workData struct {
	Rows             []workRow
	Late, Soon, Mine int
	Limited          bool // more open dossiers than one read considers
}

// myWorkPage is "Việc của tôi": the dossiers assigned to the officer and
// those waiting unassigned at a step of their role, the most urgent first,
// with their due times in words.
func (s *Server) myWorkPage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	items, err := s.Dossiers.MyWork(r.Context(), a)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "mywork", "mywork.title")
	p.Data = s.workData(r.Context(), a, items)
	s.render(w, r, http.StatusOK, "mywork", p)
}

func (s *Server) workData(ctx context.Context, a auth.Actor, items []dossier.WorkItem) workData {
	var d workData
	var users []string
	for _, it := range items {
		users = append(users, it.StepAssignee)
	}
	names := s.officerNames(ctx, users...)
	depts := s.departmentNames(ctx, a.UnitCode)
	procs := map[string]*procedure.Procedure{} // read once per procedure and unit, not per row
	for _, it := range items {
		row := workRow{WorkItem: it, Assignee: names[it.StepAssignee]}
		key := it.ProcedureCode + "/" + it.UnitCode // each unit has its own steps
		p, ok := procs[key]
		if !ok {
			p, _ = s.Procs.ForUnit(ctx, it.ProcedureCode, it.UnitCode)
			procs[key] = p
		}
		if p != nil {
			row.Step = stepName(p, it.Step)
		}
		if dep := depts[it.StepDepartment]; dep != "" {
			row.Step += " — " + dep
		}
		switch {
		case it.StepState == dossier.DueLate || it.DueState == dossier.DueLate:
			d.Late++
		case it.StepState == dossier.DueSoon || it.DueState == dossier.DueSoon:
			d.Soon++
		}
		if it.Assigned {
			d.Mine++
		}
		d.Rows = append(d.Rows, row)
	}
	d.Limited = len(items) >= dossier.WorkLimit
	return d
}

// officerNames maps usernames to full names, for showing assignees; a
// username not found shows as itself.
func (s *Server) officerNames(ctx context.Context, usernames ...string) map[string]string {
	names, err := s.DB.OfficerNames(ctx, usernames)
	if err != nil {
		s.Log.Error("officer names", "err", err)
		names = map[string]string{}
	}
	for _, u := range usernames {
		if names[u] == "" {
			names[u] = u
		}
	}
	return names
}

// assignees are the usernames the dossiers' current steps are assigned to.
func assignees(ds []dossier.Dossier) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.StepAssignee)
	}
	return out
}

// eventAssignees are the usernames a history assigned steps to.
func eventAssignees(h []dossier.Event) []string {
	out := make([]string, 0, len(h))
	for _, e := range h {
		out = append(out, e.Assignee)
	}
	return out
}
