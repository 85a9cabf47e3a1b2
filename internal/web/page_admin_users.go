package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// minAdminPassword is the shortest password an administrator may give: the
// account store accepts shorter ones for the demo, a real officer gets more.
const minAdminPassword = 8

type adminUsersData struct {
	adminView
	Users []auth.User
	Depts []unit.Department
	Roles []string
	U     *auth.User // the officer of the edit page
	Self  bool       // the edit page is the administrator's own account

	Sessions      []auth.Session // the officer's live sessions and tokens
	SessionAction string         // where a revoke form posts, followed by the id
}

// DeptName shows a department code with its name.
func (d adminUsersData) DeptName(code string) string {
	for _, x := range d.Depts {
		if x.Code == code {
			return x.Name
		}
	}
	return code
}

// adminUsers lists the unit's officers, with the form to add one.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showUsers(w, r, a, http.StatusOK, newAdminView("users"))
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v adminView) {
	d := adminUsersData{adminView: v, Roles: store.OfficerRoles()}
	var err error
	if d.Users, err = s.DB.UnitUsers(r.Context(), a.UnitCode); err == nil {
		d.Depts, err = s.DB.Departments(r.Context(), a.UnitCode)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.users.title")
	p.setAlt("/quan-tri/nguoi-dung", nil)
	p.Data = d
	s.render(w, r, status, "admin_users", p)
}

// adminUserAdd adds an officer to the administrator's unit.
func (s *Server) adminUserAdd(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	c := s.ui.cat[requestLang(w, r)]
	v := newAdminView("users")
	for _, k := range []string{"username", "full_name", "role", "department", "civil_registrar", "id_number"} {
		v.Typed.Set(k, strings.TrimSpace(r.PostFormValue(k)))
	}
	u := auth.User{Username: v.Val("username"), FullName: v.Val("full_name"), Role: v.Val("role"), UnitCode: a.UnitCode, Department: v.Val("department"),
		CivilRegistrar: v.Val("civil_registrar") == "1"}
	pw := r.PostFormValue("password")
	u.IDNumber, err = s.officerIDNumber(v.Val("id_number"))
	if err == nil {
		err = checkNewPassword(pw)
	}
	if err == nil {
		err = s.DB.CreateUnitUser(r.Context(), &u, pw)
	}
	if err != nil {
		errs, ok := fieldErrors(c, err, "username", "full_name", "role", "department", "civil_registrar", "id_number", "password")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		v.Errors = errs
		s.showUsers(w, r, a, statusOf[apperr.Code(err)], v)
		return
	}
	http.Redirect(w, r, "/quan-tri/nguoi-dung?ok=user_added", http.StatusSeeOther)
}

// officerIDNumber normalises the personal ID number typed for an officer;
// empty is none.
func (s *Server) officerIDNumber(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	return vntext.NormalizeIDNumber(v, s.now())
}

func checkNewPassword(pw string) error {
	if utf8.RuneCountInString(pw) < minAdminPassword {
		return apperr.Invalid("password", "Mật khẩu phải có ít nhất 8 ký tự", "the password must have at least 8 characters")
	}
	return nil
}

// adminUser is one officer's page: role and department, a new password,
// and disabling or enabling the account.
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showUser(w, r, a, http.StatusOK, newAdminView("users"))
}

func (s *Server) showUser(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v adminView) {
	u, err := s.DB.UnitUser(r.Context(), a.UnitCode, r.PathValue("username"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := adminUsersData{adminView: v, Roles: store.OfficerRoles(), U: u, Self: u.Username == a.Username,
		SessionAction: "/quan-tri/nguoi-dung/" + u.Username + "/phien/"}
	if d.Depts, err = s.DB.Departments(r.Context(), a.UnitCode); err == nil {
		d.Sessions, err = s.DB.Sessions(r.Context(), u.ID, sessionID(r))
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.user.title", u.FullName)
	p.setAlt("/quan-tri/nguoi-dung/"+u.Username, nil)
	p.Data = d
	s.render(w, r, status, "admin_user", p)
}

// adminUserChange makes one change to an officer of the unit. An
// administrator may not disable or demote the account in use: the unit
// would be left with nobody to undo it.
func (s *Server) adminUserChange(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	name, change := r.PathValue("username"), r.PathValue("change")
	v := newAdminView("users")
	v.Typed.Set("role", r.PostFormValue("role"))
	v.Typed.Set("department", r.PostFormValue("department"))
	v.Typed.Set("id_number", strings.TrimSpace(r.PostFormValue("id_number")))
	var ok string
	switch change {
	case "vai-tro":
		ok, err = "role", s.changeRole(r, a, name)
	case "mat-khau":
		ok, err = "password", checkNewPassword(r.PostFormValue("password"))
		if err == nil {
			err = s.DB.ResetPassword(r.Context(), a.UnitCode, name, r.PostFormValue("password"))
		}
	case "khoa":
		ok, err = "disabled", notSelf(a, name)
		if err == nil {
			err = s.DB.SetUserDisabled(r.Context(), a.UnitCode, name, true)
		}
	case "so-dinh-danh":
		var number string
		number, err = s.officerIDNumber(v.Val("id_number"))
		ok = "id_number"
		if err == nil {
			err = s.DB.SetIDNumber(r.Context(), a.UnitCode, name, number)
		}
	case "mo-khoa":
		ok, err = "enabled", s.DB.SetUserDisabled(r.Context(), a.UnitCode, name, false)
	default:
		s.pageNotFound(w, r)
		return
	}
	s.afterUserChange(w, r, a, v, ok, err)
}

func (s *Server) changeRole(r *http.Request, a auth.Actor, name string) error {
	role := r.PostFormValue("role")
	if role != auth.RoleAdmin {
		if err := notSelf(a, name); err != nil {
			return err
		}
	}
	return s.DB.SetUserRole(r.Context(), a.UnitCode, name, role, r.PostFormValue("department"), r.PostFormValue("civil_registrar") == "1")
}

func notSelf(a auth.Actor, name string) error {
	if name == a.Username {
		return apperr.Invalid("", "Không thể tự khoá hoặc bỏ quyền quản trị của chính tài khoản đang dùng",
			"you cannot disable or demote the account you are using")
	}
	return nil
}

// afterUserChange redirects after a change, or shows the officer's page
// again with the refusal. An officer of another unit is "not found".
func (s *Server) afterUserChange(w http.ResponseWriter, r *http.Request, a auth.Actor, v adminView, ok string, err error) {
	name := r.PathValue("username")
	if err == nil {
		http.Redirect(w, r, "/quan-tri/nguoi-dung/"+name+"?ok="+ok, http.StatusSeeOther)
		return
	}
	errs, shown := fieldErrors(s.ui.cat[requestLang(w, r)], err, "role", "department", "civil_registrar", "id_number", "password")
	if !shown || apperr.Code(err) == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	v.Errors = errs
	s.showUser(w, r, a, statusOf[apperr.Code(err)], v)
}
