package web

import (
	"net/http"
	"slices"
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

	National  *procedure.Procedure // the catalogue's definition
	Inherited *procedure.Procedure // what the unit applies without its own setting
	Own       *procedure.Layer     // the unit's own setting, nil when none
	StepsFrom string               // the unit whose steps are inherited, "" for the national ones or the unit's own
	UnitName  string
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

// StepsSource says where the shown steps come from: "own" (the unit's
// setting), "unit" (a unit above, named by StepsFrom) or "national".
func (d adminProceduresData) StepsSource() string {
	switch {
	case d.StepsFrom != "":
		return "unit"
	case d.Own != nil && len(d.Own.Steps) > 0:
		return "own"
	}
	return "national"
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
// whether it takes dossiers, as the administrator's unit applies them.
func (s *Server) adminProcedures(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ps, err := s.Procs.ListForUnit(r.Context(), store.ProcedureFilter{}, a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.procedures.title")
	p.Data = adminProceduresData{adminView: newAdminView("procedures"), Procs: ps}
	s.render(w, r, http.StatusOK, "admin_procedures", p)
}

// adminProcedure is the steps form of one procedure as the administrator's
// unit applies it: each step's role, department and share of the time
// limit, one blank line to add a step, and whether the unit takes dossiers.
func (s *Server) adminProcedure(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d, err := s.procedureForm(r, a)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Active = d.P.Active
	for _, st := range d.P.Steps {
		d.Rows = append(d.Rows, stepRow{st.Name, st.Role, st.Department, strconv.Itoa(st.Share)})
	}
	s.showProcedure(w, r, a, http.StatusOK, d)
}

// procedureForm loads the procedure of the path for the administrator's
// unit, with what it inherits and where its steps come from.
func (s *Server) procedureForm(r *http.Request, a auth.Actor) (adminProceduresData, error) {
	d := adminProceduresData{adminView: newAdminView("procedures")}
	ctx := r.Context()
	national, err := s.Procs.Get(ctx, r.PathValue("code"))
	if err != nil {
		return d, err
	}
	all, err := s.Procs.Layers(ctx, national.Code, a.UnitCode)
	if err != nil {
		return d, err
	}
	layers := all[national.Code]
	d.National = national
	d.P = procedure.Effective(national, a.UnitCode, layers)
	d.Inherited = procedure.Effective(national, a.UnitCode, inheritedLayers(layers, a.UnitCode))
	for _, l := range layers {
		if l.UnitCode == a.UnitCode {
			d.Own = &l
		}
	}
	var from string
	if from, _ = procedure.Sources(layers); from != "" && from != a.UnitCode {
		u, err := s.DB.Unit(ctx, from)
		if err != nil {
			return d, err
		}
		d.StepsFrom = u.FullName
	}
	u, err := s.DB.Unit(ctx, a.UnitCode)
	if err != nil {
		return d, err
	}
	d.UnitName = u.FullName
	return d, nil
}

// inheritedLayers is layers without the unit's own.
func inheritedLayers(layers []procedure.Layer, unitCode string) []procedure.Layer {
	var out []procedure.Layer
	for _, l := range layers {
		if l.UnitCode != unitCode {
			out = append(out, l)
		}
	}
	return out
}

func (s *Server) showProcedure(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, d adminProceduresData) {
	var err error
	if d.Depts, err = s.DB.Departments(r.Context(), a.UnitCode); err == nil {
		d.OpenStep, err = s.DB.MaxOpenStep(r.Context(), d.P.Code, a.UnitCode)
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

// adminProcedureSave stores the steps and the active flag as the setting
// of the administrator's unit, and of no other: the unit comes from the
// session, never from the form. Only what differs from what the unit
// inherits is kept, so that a later change of the province still reaches
// what the unit left as it was; "reset" removes the unit's setting. The
// steps are checked by the procedure's own rules (shares add up to 100 %,
// reception first) and with the unit's departments.
func (s *Server) adminProcedureSave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d, err := s.procedureForm(r, a)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	c := s.ui.cat[requestLang(w, r)]
	var st procedure.Setting
	steps := d.Inherited.Steps
	if r.PostFormValue("reset") == "1" {
		d.Active = d.Inherited.Active
		for _, x := range steps {
			d.Rows = append(d.Rows, stepRow{x.Name, x.Role, x.Department, strconv.Itoa(x.Share)})
		}
	} else {
		d.Active = r.PostFormValue("active") == "1"
		steps, d.Rows, d.Errors = readSteps(r, c)
		st = ownSetting(d.Inherited, d.National.Active, steps, d.Active)
	}
	if !d.Errors.Any() {
		err = s.checkSteps(r, a, d, steps)
		if err == nil {
			err = s.Procs.SaveSetting(r.Context(), a.UnitCode, d.P.Code, st, a.Username)
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
	http.Redirect(w, r, "/quan-tri/thu-tuc/"+d.P.Code+"?ok=procedure", http.StatusSeeOther)
}

// ownSetting is what the unit sets: the steps and the active flag where
// they differ from what it inherits. Under a suspended national procedure
// the unit's flag cannot take effect, so only a "stop" is kept.
func ownSetting(inherited *procedure.Procedure, nationalActive bool, steps []procedure.Step, active bool) procedure.Setting {
	var st procedure.Setting
	if !slices.Equal(steps, inherited.Steps) {
		st.Steps = steps
	}
	if active != inherited.Active && (nationalActive || !active) {
		st.Active = &active
	}
	return st
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
// on the steps in place (a department the national definition names
// stays), and fewer steps than an open dossier following the unit's steps
// has reached: that dossier would stand at a step that no longer exists.
func (s *Server) checkSteps(r *http.Request, a auth.Actor, d adminProceduresData, steps []procedure.Step) error {
	depts, err := s.DB.Departments(r.Context(), a.UnitCode)
	if err != nil {
		return err
	}
	known := map[string]bool{"": true}
	for _, d := range depts {
		known[d.Code] = true
	}
	for _, st := range append(slices.Clone(d.P.Steps), d.Inherited.Steps...) {
		known[st.Department] = true
	}
	for i, st := range steps {
		if !known[st.Department] {
			return apperr.Invalid("steps", "Bước "+strconv.Itoa(i+1)+": phòng ban "+st.Department+" không thuộc đơn vị",
				"step "+strconv.Itoa(i+1)+": department "+st.Department+" is not in the unit")
		}
	}
	open, err := s.DB.MaxOpenStep(r.Context(), d.P.Code, a.UnitCode)
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
