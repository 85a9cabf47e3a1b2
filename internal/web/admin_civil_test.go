package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestAdminCivilRegistrar: the unit's administrator marks an officer as a
// civil registrar when adding or editing them, the list shows it, and an
// administrator cannot be one.
func TestAdminCivilRegistrar(t *testing.T) {
	e := newPagesEnv(t)
	add := url.Values{"username": {"ngan"}, "full_name": {"Bùi Thị Ngân"}, "role": {"specialist"}, "department": {"TP-HT"},
		"password": {"mật khẩu dài"}, "civil_registrar": {"1"}}
	e.run([]formCase{
		{"add a registrar", "quantri", "/quan-tri/nguoi-dung", add, 303, "Đã thêm cán bộ"},
		{"an administrator registrar", "quantri", "/quan-tri/nguoi-dung/ngan/vai-tro", url.Values{"role": {"admin"}, "civil_registrar": {"1"}}, 422,
			`id="civil_registrar-error"`},
	})
	ctx := context.Background()
	if u, err := e.f.DB.UserByName(ctx, "ngan"); err != nil || !u.CivilRegistrar || u.Role != "specialist" {
		t.Fatalf("added %+v %v", u, err)
	}
	if _, page := e.get("quantri", "/quan-tri/nguoi-dung"); strings.Count(page, "Công chức tư pháp - hộ tịch") < 3 { // hotich, ngan, the form
		t.Errorf("the list does not show the registrars")
	}
	if _, page := e.get("quantri", "/quan-tri/nguoi-dung/ngan"); !strings.Contains(page, `name="civil_registrar" value="1" checked`) {
		t.Errorf("the officer's page does not show the flag")
	}
	e.run([]formCase{{"unmark", "quantri", "/quan-tri/nguoi-dung/ngan/vai-tro", url.Values{"role": {"specialist"}, "department": {"TP-HT"}}, 303, "Đã lưu vai trò"}})
	if u, _ := e.f.DB.UserByName(ctx, "ngan"); u.CivilRegistrar {
		t.Errorf("still a registrar: %+v", u)
	}
}
