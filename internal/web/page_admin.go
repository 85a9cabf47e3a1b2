package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

// adminRoutes are the unit administrator's pages. Each handler checks the
// role first; the store then scopes every change to the administrator's
// unit, so that a form posted with another unit's officer changes nothing.
func (s *Server) adminRoutes(mux router) {
	mux.HandleFunc("GET /quan-tri", s.adminHome)
	mux.HandleFunc("GET /quan-tri/nguoi-dung", s.adminUsers)
	mux.HandleFunc("POST /quan-tri/nguoi-dung", formLimit(s.adminUserAdd))
	mux.HandleFunc("GET /quan-tri/nguoi-dung/{username}", s.adminUser)
	mux.HandleFunc("POST /quan-tri/nguoi-dung/{username}/{change}", formLimit(s.adminUserChange))
	mux.HandleFunc("POST /quan-tri/nguoi-dung/{username}/phien/{id}", formLimit(s.adminSessionRevoke))
	mux.HandleFunc("GET /quan-tri/phong-ban", s.adminDepartments)
	mux.HandleFunc("POST /quan-tri/phong-ban", formLimit(s.adminDepartmentSave))
	mux.HandleFunc("GET /quan-tri/thu-tuc", s.adminProcedures)
	mux.HandleFunc("GET /quan-tri/thu-tuc/{code}", s.adminProcedure)
	mux.HandleFunc("POST /quan-tri/thu-tuc/{code}", formLimit(s.adminProcedureSave))
	mux.HandleFunc("GET /quan-tri/gio-lam-viec", s.adminHours)
	mux.HandleFunc("POST /quan-tri/gio-lam-viec", formLimit(s.adminHoursSave))
	mux.HandleFunc("GET /quan-tri/lich", s.adminCalendar)
	mux.HandleFunc("POST /quan-tri/lich", formLimit(s.adminCalendarSave))
	mux.HandleFunc("GET /quan-tri/thong-bao", s.adminNotify)
	mux.HandleFunc("POST /quan-tri/thong-bao", formLimit(s.adminNotifySave))
	mux.HandleFunc("GET /quan-tri/tin-gui-di", s.adminOutbox)
	mux.HandleFunc("POST /quan-tri/tin-gui-di/{id}/gui-lai", formLimit(s.adminOutboxRetry))
	mux.HandleFunc("POST /quan-tri/tin-gui-di/gui-lai-tat-ca", formLimit(s.adminOutboxRetry))
	mux.HandleFunc("GET /quan-tri/webhook", s.adminWebhooks)
	mux.HandleFunc("POST /quan-tri/webhook", formLimit(s.adminWebhookAdd))
	mux.HandleFunc("POST /quan-tri/webhook/{id}", formLimit(s.adminWebhookSwitch))
	mux.HandleFunc("GET /quan-tri/to-dan-pho", s.adminGroups)
	mux.HandleFunc("POST /quan-tri/to-dan-pho", formLimit(s.adminGroupAdd))
	mux.HandleFunc("POST /quan-tri/to-dan-pho/{code}/{change}", formLimit(s.adminGroupChange))
}

// adminTabs are the administrator's pages, in the order of the tab bar.
var adminTabs = []string{"users", "departments", "groups", "procedures", "hours", "calendar", "notify", "outbox", "webhooks"}

// adminPaths are the tabs' addresses.
var adminPaths = map[string]string{
	"users": "/quan-tri/nguoi-dung", "departments": "/quan-tri/phong-ban", "procedures": "/quan-tri/thu-tuc",
	"hours": "/quan-tri/gio-lam-viec", "calendar": "/quan-tri/lich", "notify": "/quan-tri/thong-bao",
	"outbox": "/quan-tri/tin-gui-di", "webhooks": "/quan-tri/webhook", "groups": "/quan-tri/to-dan-pho",
}

// unitAdmin returns the caller if the administrator of a unit.
func unitAdmin(r *http.Request) (auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return a, err
	}
	if a.Role != auth.RoleAdmin || a.UnitCode == "" {
		return a, apperr.Forbidden("Trang này dành cho quản trị đơn vị", "this page is for the unit's administrators")
	}
	return a, nil
}

// adminView is what every admin page carries besides its own data: the
// active tab, the form errors and what was typed in a refused form.
type adminView struct {
	Tab    string
	Tabs   []string
	Paths  map[string]string
	Errors formErrors
	Typed  url.Values
}

// Val is what was typed in a field of a refused form.
func (v adminView) Val(field string) string { return v.Typed.Get(field) }

func newAdminView(tab string) adminView {
	return adminView{Tab: tab, Tabs: adminTabs, Paths: adminPaths, Typed: url.Values{}}
}

// adminPage starts an admin page, with the flash of the change just made
// (?ok=key, from a fixed list so the address cannot put words on the page).
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, titleKey string, args ...any) *page {
	p := s.newPage(w, r, "admin", titleKey, args...)
	if ok := r.URL.Query().Get("ok"); slices.Contains(adminFlashes, ok) {
		p.Flash = p.t("admin.ok." + ok)
	}
	return p
}

// adminFlashes are the changes an admin page may confirm.
var adminFlashes = []string{"user_added", "role", "password", "disabled", "enabled", "department_added", "department_renamed", "procedure", "hours", "contact", "session_revoked",
	"retried", "webhook_on", "webhook_off", "notify", "group_saved", "group_closed", "id_number"}

// fieldErrors turns a refusal into form errors: beside its field when the
// form has one by that name, else at the top.
func fieldErrors(c *catalog, err error, fields ...string) (formErrors, bool) {
	var errs formErrors
	e := apperr.As(err)
	if e == nil || e.Code == apperr.EINTERNAL {
		return errs, false
	}
	field := ""
	if slices.Contains(fields, e.Field) {
		field = e.Field
	}
	errs.add(field, c.pick(e.Message, e.MessageEn))
	return errs, true
}

// adminHome lists the administrator's pages.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	if _, err := unitAdmin(r); err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.title")
	p.Data = newAdminView("")
	s.render(w, r, http.StatusOK, "admin", p)
}
