package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/unit"
)

type adminDepartmentsData struct {
	adminView
	Depts []unit.Department
	Count map[string]int // officers per department
}

// adminDepartments lists the unit's departments, each with a rename form,
// and the form to add one.
func (s *Server) adminDepartments(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showDepartments(w, r, a, http.StatusOK, newAdminView("departments"))
}

func (s *Server) showDepartments(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v adminView) {
	d := adminDepartmentsData{adminView: v, Count: map[string]int{}}
	depts, err := s.DB.Departments(r.Context(), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	users, err := s.DB.UnitUsers(r.Context(), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, u := range users {
		if !u.Disabled {
			d.Count[u.Department]++
		}
	}
	d.Depts = depts
	p := s.adminPage(w, r, "admin.departments.title")
	p.setAlt("/quan-tri/phong-ban", nil)
	p.Data = d
	s.render(w, r, status, "admin_departments", p)
}

// adminDepartmentSave adds a department (op=add) or renames one (op=rename).
// Adding a code that exists is refused rather than taken as a rename, so a
// typing slip does not silently rename another department.
func (s *Server) adminDepartmentSave(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code, name, op := strings.TrimSpace(r.PostFormValue("code")), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("op")
	exists, err := s.departmentExists(r, a.UnitCode, code)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := newAdminView("departments")
	field, ok := "name", "department_added"
	switch {
	case op == "rename" && !exists:
		s.pageFail(w, r, apperr.NotFound("Không tìm thấy phòng ban "+code, "no department "+code))
		return
	case op == "rename":
		field, ok = "name-"+code, "department_renamed"
		v.Typed.Set(field, name)
	case exists:
		err = apperr.Invalid("code", "Mã phòng ban "+code+" đã có; muốn đổi tên thì sửa ở dòng của phòng ban đó",
			"department "+code+" exists; rename it on its own line")
	}
	if op != "rename" {
		v.Typed.Set("code", code)
		v.Typed.Set("name", name)
	}
	if err == nil {
		err = s.DB.SaveDepartment(r.Context(), unit.Department{UnitCode: a.UnitCode, Code: code, Name: name})
	}
	if err != nil {
		s.departmentRefused(w, r, a, v, field, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/phong-ban?ok="+ok, http.StatusSeeOther)
}

// departmentRefused shows the page again with the refusal beside the field
// that caused it; a wrong name is reported at the name being edited.
func (s *Server) departmentRefused(w http.ResponseWriter, r *http.Request, a auth.Actor, v adminView, nameField string, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.EINTERNAL {
		s.pageFail(w, r, err)
		return
	}
	field := e.Field
	if field == "name" {
		field = nameField
	}
	if field != "code" && field != nameField {
		field = ""
	}
	v.Errors.add(field, s.ui.cat[requestLang(w, r)].pick(e.Message, e.MessageEn))
	s.showDepartments(w, r, a, statusOf[e.Code], v)
}

func (s *Server) departmentExists(r *http.Request, unitCode, code string) (bool, error) {
	depts, err := s.DB.Departments(r.Context(), unitCode)
	if err != nil {
		return false, err
	}
	for _, d := range depts {
		if d.Code == code {
			return true, nil
		}
	}
	return false, nil
}
