package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

type adminGroupsData struct {
	adminView
	Groups []announce.Group
	Types  []struct{ Key, Word, WordEn string }
}

// adminGroups lists the commune's residential groups, closed ones too,
// each with its rename, close and leader forms, and the form to add one.
func (s *Server) adminGroups(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.showGroups(w, r, a, http.StatusOK, newAdminView("groups"))
}

func (s *Server) showGroups(w http.ResponseWriter, r *http.Request, a auth.Actor, status int, v adminView) {
	groups, err := store.Announce{DB: s.DB}.Groups(r.Context(), a.UnitCode, true)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.adminPage(w, r, "admin.groups.title")
	p.setAlt("/quan-tri/to-dan-pho", nil)
	p.Data = adminGroupsData{adminView: v, Groups: groups, Types: unit.GroupTypes}
	s.render(w, r, status, "admin_groups", p)
}

// adminGroupAdd adds a group to the administrator's commune.
func (s *Server) adminGroupAdd(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := newAdminView("groups")
	for _, k := range []string{"number", "type", "name"} {
		v.Typed.Set(k, strings.TrimSpace(r.PostFormValue(k)))
	}
	if _, err := s.saveGroup(r, a.UnitCode, v.Val("number"), v.Val("type"), v.Val("name"), true); err != nil {
		s.groupFormRefused(w, r, a, v, err, "number", "type", "name")
		return
	}
	http.Redirect(w, r, "/quan-tri/to-dan-pho?ok=group_saved", http.StatusSeeOther)
}

// adminGroupChange renames a group, closes it or gives it its leader's
// account.
func (s *Server) adminGroupChange(w http.ResponseWriter, r *http.Request) {
	a, err := unitAdmin(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code, change := r.PathValue("code"), r.PathValue("change")
	v := newAdminView("groups")
	var ok string
	switch change {
	case "rename":
		ok = "group_saved"
		_, err = s.changeGroup(r, code, residentialRequest{Name: r.PostFormValue("name"), Type: r.PostFormValue("type")})
	case "close":
		ok = "group_closed"
		_, err = s.changeGroup(r, code, residentialRequest{Close: true})
	case "leader":
		ok = "user_added"
		v.Typed.Set("username", strings.TrimSpace(r.PostFormValue("username")))
		v.Typed.Set("full_name", strings.TrimSpace(r.PostFormValue("full_name")))
		_, err = s.createGroupLeader(r, code, leaderRequest{Username: v.Val("username"), FullName: v.Val("full_name"), Password: r.PostFormValue("password")})
	default:
		err = apperr.NotFound("Không tìm thấy trang này", "page not found")
	}
	if err != nil {
		v.Typed.Set("group", code)
		s.groupFormRefused(w, r, a, v, err, "name", "username", "full_name", "password")
		return
	}
	http.Redirect(w, r, "/quan-tri/to-dan-pho?ok="+ok, http.StatusSeeOther)
}

// groupFormRefused shows the page again with the refusal; "not found" and
// "forbidden" (another commune's group) are the error page.
func (s *Server) groupFormRefused(w http.ResponseWriter, r *http.Request, a auth.Actor, v adminView, err error, fields ...string) {
	if c := apperr.Code(err); c == apperr.ENOTFOUND || c == apperr.EFORBIDDEN {
		s.pageFail(w, r, err)
		return
	}
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, fields...)
	if !ok {
		s.pageFail(w, r, err)
		return
	}
	v.Errors = errs
	s.showGroups(w, r, a, statusOf[apperr.Code(err)], v)
}
