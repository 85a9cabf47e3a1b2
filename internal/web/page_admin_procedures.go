package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// maxStepRows bounds the rows read from the steps form.
const maxStepRows = 30

type adminProceduresData struct {
	adminView
	Procs    []procedure.Procedure // the list page
	P        *procedure.Procedure  // the edit page
	Rows     []stepRow
	Active   bool
	Depts    []unit.Department
	Roles    []string
	OpenStep int // the furthest step an open dossier is at, -1 when none
}

// OtherDept tells whether a step's department is not one of the unit's,
// so that the form still offers it rather than dropping it unseen.
func (d adminProceduresData) OtherDept(code string) bool {
	if code == "" {
		return false
	}
	for _, x := range d.Depts {
		if x.Code == code {
			return false
		}
	}
	return true
}

// LastStep is the index of the last step of the form (the blank line that
// adds a step comes after it): it has no "move down" button.
func (d adminProceduresData) LastStep() int { return len(d.Rows) - 2 }

// Swappable tells whether steps i and i+1 may trade places: both are steps
// (not the blank line), and reception at the counter stays first, so that
// no move button is offered only to be refused.
func (d adminProceduresData) Swappable(i int) bool {
	if i < 0 || i >= d.LastStep() {
		return false
	}
	return i > 0 || d.Rows[1].Role == procedure.RoleCounter
}

// stepRow is one line of the steps form, as stored or as typed.
type stepRow struct {
	Name, Role, Department, Share string
}

// Lines is the height of the step name's text area: enough for the whole
// name at about 28 characters a line, between 2 and 8 lines.
func (r stepRow) Lines() int {
	return min(max(utf8.RuneCountInString(r.Name)/28+1, 2), 8)
}

// adminProcedures lists the catalogue with each procedure's steps and
// whether it takes dossiers.
func (s *Server) adminProcedures(w http.ResponseWriter, r *http.Request) {
	if _, err := unitAdmin(r); err != nil {
		s.pageFail(w, r, err)
		return
	}
	ps, err := s.Procs.List(r.Context(), store.ProcedureFilter{})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.procedures.title")
	p.Data = adminProceduresData{adminView: newAdminView("procedures"), Procs: ps}
	s.render(w, r, http.StatusOK, "admin_procedures", p)
}

// adminProcedure is the steps form of one procedure: each step's role,
// department and share of the time limit, one blank line to add a step,
// and whether the procedure takes dossiers.
func (s *Server) adminProcedure(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	pr, err := s.Procs.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := adminProceduresData{adminView: newAdminView("procedures"), P: pr, Active: pr.Active}
	for _, st := range pr.Steps {
		d.Rows = append(d.Rows, stepRow{st.Name, st.Role, st.Department, strconv.Itoa(st.Share)})
	}
	s.showProcedure(w, r, a, http.StatusOK, d)
}

func (s *Server) showProcedure(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, d adminProceduresData) {
	var err error
	if d.Depts, err = s.DB.Departments(r.Context(), a.UnitCode); err == nil {
		d.OpenStep, err = s.DB.MaxOpenStep(r.Context(), d.P.Code)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Roles = []string{procedure.RoleCounter, procedure.RoleSpecialist, procedure.RoleLeader}
	d.Rows = append(d.Rows, stepRow{}) // a blank line adds a step
	p := s.adminPage(w, r, "admin.procedure.title", d.P.Code)
	p.setAlt("/quan-tri/thu-tuc/"+d.P.Code, nil)
	p.Data = d
	s.render(w, r, status, "admin_procedure", p)
}

// adminProcedureSave stores the steps and the active flag, checked by the
// procedure's own rules (shares add up to 100 %, reception first), and
// with the unit's departments.
func (s *Server) adminProcedureSave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	pr, err := s.Procs.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	c := s.ui.cat[requestLang(w, r)]
	d := adminProceduresData{adminView: newAdminView("procedures"), P: pr, Active: r.PostFormValue("active") == "1"}
	var steps []procedure.Step
	steps, d.Rows, d.Errors = readSteps(r, c)
	if !d.Errors.Any() {
		err = s.checkSteps(r, a, pr, steps)
		if err == nil {
			next := *pr
			next.Steps, next.Active = steps, d.Active
			_, err = s.DB.SaveProcedures(r.Context(), []procedure.Procedure{next})
		}
		if err != nil {
			errs, ok := fieldErrors(c, err, "steps")
			if !ok {
				s.pageFail(w, r, err)
				return
			}
			d.Errors = errs
		}
	}
	if d.Errors.Any() {
		s.showProcedure(w, r, a, http.StatusUnprocessableEntity, d)
		return
	}
	http.Redirect(w, r, "/quan-tri/thu-tuc/"+pr.Code+"?ok=procedure", http.StatusSeeOther)
}

// readSteps reads the rows of the form: a row ticked for removal or left
// blank is dropped; a share must be a whole number. A "move" button
// (up-K or down-K) swaps row K with its neighbour before the rows are read,
// so that the new order is checked and saved like any other edit.
func readSteps(r *http.Request, c *catalog) ([]procedure.Step, []stepRow, formErrors) {
	var steps []procedure.Step
	var rows []stepRow
	var errs formErrors
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	order := make([]int, max(0, min(n, maxStepRows)))
	for i := range order {
		order[i] = i
	}
	if mv := r.PostFormValue("move"); mv != "" {
		if i, j, ok := moveRows(mv, len(order)); ok {
			order[i], order[j] = order[j], order[i]
		} else {
			errs.add("steps", c.T("admin.procedure.err.move"))
		}
	}
	for _, i := range order {
		k := strconv.Itoa(i)
		row := stepRow{vntext.Clean(r.PostFormValue("name-" + k)), r.PostFormValue("role-" + k),
			r.PostFormValue("department-" + k), strings.TrimSpace(r.PostFormValue("share-" + k))}
		if r.PostFormValue("remove-"+k) == "1" || (row.Name == "" && row.Share == "") {
			continue
		}
		rows = append(rows, row)
		share, err := strconv.Atoi(row.Share)
		if err != nil || share < 0 || share > 100 {
			errs.add("share-"+strconv.Itoa(len(rows)-1), c.T("admin.procedure.err.share", len(rows)))
		}
		if row.Name == "" {
			errs.add("name-"+strconv.Itoa(len(rows)-1), c.T("admin.procedure.err.name", len(rows)))
		}
		steps = append(steps, procedure.Step{Name: row.Name, Role: row.Role, Department: row.Department, Share: share})
	}
	if len(steps) == 0 && !errs.Any() {
		errs.add("steps", c.T("admin.procedure.err.none"))
	}
	return steps, rows, errs
}

// moveRows reads a move button's value, "up-K" or "down-K", into the two
// rows it swaps; ok is false unless both are rows of the form.
func moveRows(v string, n int) (i, j int, ok bool) {
	dir, k, found := strings.Cut(v, "-")
	i, err := strconv.Atoi(k)
	if !found || err != nil {
		return 0, 0, false
	}
	switch dir {
	case "up":
		j = i - 1
	case "down":
		j = i + 1
	default:
		return 0, 0, false
	}
	return i, j, i >= 0 && j >= 0 && i < n && j < n
}

// checkSteps refuses a department that is neither the unit's nor already
// on the procedure (the catalogue is shared: another unit's department set
// there stays), and fewer steps than an open dossier has reached: that
// dossier would stand at a step that no longer exists.
func (s *Server) checkSteps(r *http.Request, a auth.Actor, pr *procedure.Procedure, steps []procedure.Step) error {
	depts, err := s.DB.Departments(r.Context(), a.UnitCode)
	if err != nil {
		return err
	}
	known := map[string]bool{"": true}
	for _, d := range depts {
		known[d.Code] = true
	}
	for _, st := range pr.Steps {
		known[st.Department] = true
	}
	for i, st := range steps {
		if !known[st.Department] {
			return apperr.Invalid("steps", "Bước "+strconv.Itoa(i+1)+": phòng ban "+st.Department+" không thuộc đơn vị",
				"step "+strconv.Itoa(i+1)+": department "+st.Department+" is not in the unit")
		}
	}
	open, err := s.DB.MaxOpenStep(r.Context(), pr.Code)
	if err != nil {
		return err
	}
	if len(steps) <= open {
		n := strconv.Itoa(open + 1)
		return apperr.Invalid("steps", "Có hồ sơ đang xử lý ở bước "+n+"; quy trình phải còn ít nhất "+n+" bước",
			"a dossier in progress is at step "+n+"; the procedure must keep at least "+n+" steps")
	}
	return nil
}
