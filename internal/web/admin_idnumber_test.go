package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAdminUserIDNumber: the unit's administrator gives an officer the
// personal ID number the identity provider's sign-in finds the account
// by, on the add form and on the officer's page; a number that is not
// valid, or that another active account has, is refused in Vietnamese
// first; another unit's officer is not found.
func TestAdminUserIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		add := func(username, number string) url.Values {
			return url.Values{"username": {username}, "full_name": {"Nguyễn Thu Hà"}, "role": {"counter"}, "password": {"mật khẩu dài"}, "id_number": {number}}
		}
		e.run([]formCase{
			{"add with a number", "quantri", "/quan-tri/nguoi-dung", add("thuha", "001 085 012 345"), 303, "Đã thêm cán bộ"},
			{"add with a bad number", "quantri", "/quan-tri/nguoi-dung", add("thuha2", "12345"), 422, `id="id_number-error"`},
			{"add with a taken number", "quantri", "/quan-tri/nguoi-dung", add("thuha3", "001085012345"), 422, "đã thuộc một tài khoản khác"},
			{"add with the citizen's number", "quantri", "/quan-tri/nguoi-dung", add("thuha4", "001190012345"), 422, `id="id_number-error"`},
			{"set", "quantri", "/quan-tri/nguoi-dung/canbo/so-dinh-danh", url.Values{"id_number": {"001-085-054-321"}}, 303, "Đã lưu số định danh"},
			{"set a bad one", "quantri", "/quan-tri/nguoi-dung/canbo/so-dinh-danh", url.Values{"id_number": {"abc"}}, 422, "Số giấy tờ tùy thân"},
			{"set a taken one", "quantri", "/quan-tri/nguoi-dung/canbo/so-dinh-danh", url.Values{"id_number": {"001085012345"}}, 422, "đã thuộc một tài khoản khác"},
			{"another unit's officer", "quantri", "/quan-tri/nguoi-dung/canbo.ngocha/so-dinh-danh", url.Values{"id_number": {"001085099999"}}, 404, "Không tìm thấy"},
			{"a citizen", "quantri", "/quan-tri/nguoi-dung/congdan/so-dinh-danh", url.Values{"id_number": {""}}, 404, "Không tìm thấy"},
			{"by a leader", "lanhdao", "/quan-tri/nguoi-dung/canbo/so-dinh-danh", url.Values{"id_number": {"001085099999"}}, 403, "quản trị"},
		})
		ctx := context.Background()
		for name, want := range map[string]string{"thuha": "001085012345", "canbo": "001085054321", "canbo.ngocha": "", "congdan": "001190012345"} {
			if u, err := e.f.DB.UserByName(ctx, name); err != nil || u.IDNumber != want {
				t.Errorf("%s: %+v %v, want %q", name, u, err, want)
			}
		}
		if _, page := e.get("quantri", "/quan-tri/nguoi-dung/canbo"); !strings.Contains(page, `value="001085054321"`) {
			t.Errorf("the officer's page does not show the number:\n%s", page)
		}
		e.run([]formCase{{"clear", "quantri", "/quan-tri/nguoi-dung/canbo/so-dinh-danh", url.Values{"id_number": {" "}}, 303, "Đã lưu số định danh"}})
		if u, _ := e.f.DB.UnitUser(ctx, demo.Ward, "canbo"); u.IDNumber != "" {
			t.Errorf("cleared: %q", u.IDNumber)
		}
	})
}
