package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// formCase is one form sent to an admin page: the status and a text the
// answer must hold (for a redirect, the page it leads to).
type formCase struct {
	name, user, path string
	form             url.Values
	status           int
	want             string
}

func (e *pagesEnv) run(cases []formCase) {
	e.t.Helper()
	for _, c := range cases {
		res, body := e.do(c.user, http.MethodPost, c.path, c.form)
		if res.StatusCode == http.StatusSeeOther && c.status == http.StatusSeeOther {
			_, body = e.get(c.user, res.Header.Get("Location"))
		}
		if res.StatusCode != c.status || !strings.Contains(body, c.want) {
			e.t.Errorf("%s: %d, want %d with %q\n%s", c.name, res.StatusCode, c.status, c.want, body)
		}
	}
}

// TestAdminAccess keeps the admin pages to the unit's administrators.
func TestAdminAccess(t *testing.T) {
	e := newPagesEnv(t)
	for _, path := range []string{"/quan-tri", "/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung/canbo", "/quan-tri/phong-ban",
		"/quan-tri/thu-tuc", "/quan-tri/thu-tuc/1.000894", "/quan-tri/gio-lam-viec", "/quan-tri/lich"} {
		for user, want := range map[string]int{"canbo": 403, "lanhdao": 403, "congdan": 403, "": 303, "quantri": 200} {
			if status, _ := e.get(user, path); status != want {
				t.Errorf("GET %s as %q: %d, want %d", path, user, status, want)
			}
		}
	}
	if res, _ := e.do("canbo", http.MethodPost, "/quan-tri/nguoi-dung/chuyenvien/khoa", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a counter officer disabling an account: %d", res.StatusCode)
	}
	if _, body := e.get("quantri", "/ho-so"); !strings.Contains(body, `href="/quan-tri"`) {
		t.Error("the administrator's menu has no link to the admin pages")
	}
	if _, body := e.get("canbo", "/ho-so"); strings.Contains(body, `href="/quan-tri"`) {
		t.Error("a counter officer's menu links to the admin pages")
	}
	// A form posted from another site is refused before any handler runs.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/quan-tri/nguoi-dung/canbo/khoa", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session["quantri"]})
	res, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if u, _ := e.f.DB.UserByName(context.Background(), "canbo"); res.StatusCode != http.StatusForbidden || u.Disabled {
		t.Errorf("cross-site post: %d, disabled %v", res.StatusCode, u.Disabled)
	}
}

func TestAdminUsers(t *testing.T) {
	e := newPagesEnv(t)
	user := func(f ...string) url.Values {
		return url.Values{"username": {f[0]}, "full_name": {f[1]}, "role": {f[2]}, "department": {f[3]}, "password": {f[4]}}
	}
	e.run([]formCase{
		{"add", "quantri", "/quan-tri/nguoi-dung", user("thuha", "Nguyễn Thu Hà", "specialist", "KT", "mật khẩu dài"), 303, "Đã thêm cán bộ"},
		{"add a taken username", "quantri", "/quan-tri/nguoi-dung", user("canbo", "Ai đó", "counter", "", "mật khẩu dài"), 409, "đã được dùng"},
		{"add a bad username", "quantri", "/quan-tri/nguoi-dung", user("Thu Hà", "Nguyễn Thu Hà", "counter", "", "mật khẩu dài"), 422, `id="username-error"`},
		{"add with a short password", "quantri", "/quan-tri/nguoi-dung", user("thuha2", "Nguyễn Thu Hà", "counter", "", "ngắn"), 422, "ít nhất 8 ký tự"},
		{"add an applicant", "quantri", "/quan-tri/nguoi-dung", user("dan", "Công dân", "applicant", "", "mật khẩu dài"), 422, `id="role-error"`},
		{"add in another unit's department", "quantri", "/quan-tri/nguoi-dung", user("thuha3", "Nguyễn Thu Hà", "specialist", "NOPE", "mật khẩu dài"), 422, "không thuộc đơn vị"},
		{"change role", "quantri", "/quan-tri/nguoi-dung/thuha/vai-tro", url.Values{"role": {"leader"}, "department": {"LD"}}, 303, "Đã lưu vai trò"},
		{"change to a bad department", "quantri", "/quan-tri/nguoi-dung/thuha/vai-tro", url.Values{"role": {"leader"}, "department": {"NOPE"}}, 422, "không thuộc đơn vị"},
		{"reset password", "quantri", "/quan-tri/nguoi-dung/thuha/mat-khau", url.Values{"password": {"mật khẩu mới hơn"}}, 303, "Đã đặt lại mật khẩu"},
		{"reset to a short password", "quantri", "/quan-tri/nguoi-dung/thuha/mat-khau", url.Values{"password": {"123"}}, 422, "ít nhất 8 ký tự"},
		{"disable self", "quantri", "/quan-tri/nguoi-dung/quantri/khoa", url.Values{}, 422, "Không thể tự khoá"},
		{"demote self", "quantri", "/quan-tri/nguoi-dung/quantri/vai-tro", url.Values{"role": {"counter"}}, 422, "Không thể tự khoá"},
		{"disable", "quantri", "/quan-tri/nguoi-dung/canbo/khoa", url.Values{}, 303, "Đã khoá tài khoản"},
		{"unknown change", "quantri", "/quan-tri/nguoi-dung/canbo/xoa", url.Values{}, 404, "Không tìm thấy"},
		// Another unit's officer is out of reach: "not found", and unchanged.
		{"another unit's role", "quantri", "/quan-tri/nguoi-dung/canbo.ngocha/vai-tro", url.Values{"role": {"admin"}}, 404, "Không tìm thấy"},
		{"another unit's password", "quantri", "/quan-tri/nguoi-dung/canbo.ngocha/mat-khau", url.Values{"password": {"mật khẩu của tôi"}}, 404, "Không tìm thấy"},
		{"another unit's account", "quantri", "/quan-tri/nguoi-dung/canbo.ngocha/khoa", url.Values{}, 404, "Không tìm thấy"},
		{"an applicant's account", "quantri", "/quan-tri/nguoi-dung/congdan/khoa", url.Values{}, 404, "Không tìm thấy"},
	})
	ctx := context.Background()
	if u, err := e.f.DB.Authenticate(ctx, "thuha", "mật khẩu mới hơn"); err != nil || u.Role != auth.RoleLeader || u.Department != "LD" || u.UnitCode != demo.Ward {
		t.Errorf("the new officer: %+v %v", u, err)
	}
	if u, _ := e.f.DB.UserByName(ctx, "canbo.ngocha"); u.Disabled || u.Role != auth.RoleCounter || !checkPassword(u.PasswordHash) {
		t.Errorf("another unit's officer was changed: %+v", u)
	}
	if res, _ := e.do("canbo", http.MethodGet, "/ho-so", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the disabled officer's session still works: %d", res.StatusCode)
	}
	_, page := e.get("quantri", "/quan-tri/nguoi-dung")
	if strings.Contains(page, "$argon2id$") || !strings.Contains(page, "Đã khoá") {
		t.Errorf("the users page: %s", page)
	}
	e.run([]formCase{{"enable", "quantri", "/quan-tri/nguoi-dung/canbo/mo-khoa", url.Values{}, 303, "Đã mở khoá"}})
	if _, err := e.f.DB.Authenticate(ctx, "canbo", demo.Password()); err != nil {
		t.Errorf("sign in after enabling: %v", err)
	}
}

func checkPassword(hash string) bool { return auth.CheckPassword(hash, demo.Password()) }

func TestAdminDepartments(t *testing.T) {
	e := newPagesEnv(t)
	e.run([]formCase{
		{"add", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"add"}, "code": {"VHXH"}, "name": {"Phòng Văn hoá - Xã hội"}}, 303, "Phòng Văn hoá - Xã hội"},
		{"add an existing code", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"add"}, "code": {"KT"}, "name": {"Kinh tế mới"}}, 422, `id="code-error"`},
		{"add a bad code", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"add"}, "code": {"Văn hoá"}, "name": {"Văn hoá"}}, 422, "Mã phòng ban gồm"},
		{"rename", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"rename"}, "code": {"KT"}, "name": {"Phòng Kinh tế - Hạ tầng"}}, 303, "Phòng Kinh tế - Hạ tầng"},
		{"rename to nothing", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"rename"}, "code": {"KT"}, "name": {" "}}, 422, `id="name-KT-error"`},
		{"rename an unknown one", "quantri", "/quan-tri/phong-ban", url.Values{"op": {"rename"}, "code": {"NOPE"}, "name": {"X"}}, 404, "Không tìm thấy"},
		{"by a leader", "lanhdao", "/quan-tri/phong-ban", url.Values{"op": {"add"}, "code": {"X"}, "name": {"X"}}, 403, "quản trị"},
	})
	depts, _ := e.f.DB.Departments(context.Background(), demo.Ward)
	if len(depts) != 5 {
		t.Errorf("%d departments, want 5", len(depts))
	}
	if others, _ := e.f.DB.Departments(context.Background(), demo.OtherWard); len(others) != 0 {
		t.Errorf("a department landed in another unit: %+v", others)
	}
}

// steps builds the steps form: name, role, department, share per step.
func steps(active bool, rows ...[4]string) url.Values {
	v := url.Values{"rows": {itoa(len(rows))}}
	if active {
		v.Set("active", "1")
	}
	for i, r := range rows {
		k := itoa(i)
		v.Set("name-"+k, r[0])
		v.Set("role-"+k, r[1])
		v.Set("department-"+k, r[2])
		v.Set("share-"+k, r[3])
	}
	return v
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestAdminProcedures(t *testing.T) {
	e := newPagesEnv(t)
	path := "/quan-tri/thu-tuc/1.000894"
	good := [][4]string{{"Tiếp nhận", "counter", "", "10"}, {"Thẩm định", "specialist", "TP-HT", "50"}, {"Ký", "leader", "LD", "30"}, {"Trả kết quả", "counter", "", "10"}}
	// Reception stays first: no button offers to move it down or the second
	// step above it, which saving would refuse.
	if _, page := e.get("quantri", path); strings.Contains(page, `value="down-0"`) || strings.Contains(page, `value="up-1"`) ||
		!strings.Contains(page, `value="down-1"`) || !strings.Contains(page, `value="up-2"`) {
		t.Fatalf("move buttons around reception:\n%s", page)
	}
	e.run([]formCase{
		{"edit the steps", "quantri", path, steps(true, good...), 303, "Đã lưu quy trình"},
		{"shares not adding up", "quantri", path, steps(true, good[0], good[1], good[2]), 422, "100%"},
		{"a share that is no number", "quantri", path, steps(true, good[0], [4]string{"Thẩm định", "specialist", "", "nửa"}), 422, `href="#share-1"`},
		{"reception not first", "quantri", path, steps(true, good[1], good[0], good[2], good[3]), 422, "tiếp nhận tại bộ phận một cửa"},
		{"another unit's department", "quantri", path, steps(true, good[0], [4]string{"Thẩm định", "specialist", "NOPE", "60"}, good[2], good[3]), 422, "không thuộc đơn vị"},
		{"no steps", "quantri", path, steps(true), 422, "ít nhất một bước"},
		{"suspend", "quantri", path, steps(false, good...), 303, "Đã lưu quy trình"},
	})
	pr, err := store.Procedures{DB: e.f.DB}.ForUnit(context.Background(), "1.000894", demo.Ward)
	if err != nil || pr.Active || len(pr.Steps) != 4 || pr.Steps[1].Share != 50 || pr.Steps[1].Department != "TP-HT" {
		t.Fatalf("saved procedure: %+v %v", pr, err)
	}
	if _, err := e.f.Svc.Submit(context.Background(), e.f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: "1.000894", UnitCode: demo.Ward,
		Components: demo.Required("1.000894"), Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"}}); err == nil {
		t.Error("a procedure the ward suspended still takes its online dossiers")
	}
	// A dossier at the second step keeps the workflow from shrinking below it.
	e.run([]formCase{{"resume", "quantri", path, steps(true, good...), 303, "Đã lưu quy trình"}})
	code := e.submit(false)
	if _, err := e.f.Svc.Act(context.Background(), e.f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
		t.Fatal(err)
	}
	e.run([]formCase{{"fewer steps than an open dossier reached", "quantri", path,
		steps(true, [4]string{"Tiếp nhận và trả", "counter", "", "100"}), 422, "ít nhất 2 bước"}})
}

func TestAdminHours(t *testing.T) {
	e := newPagesEnv(t)
	e.run([]formCase{
		{"set", "quantri", "/quan-tri/gio-lam-viec", url.Values{"spans": {"07:30-11:30, 13:30-17:00"}, "saturday": {"08:00-11:30"}}, 303, "07:30-11:30, 13:30-17:00"},
		{"unreadable", "quantri", "/quan-tri/gio-lam-viec", url.Values{"spans": {"7h30 đến 11h30"}}, 422, `id="spans-error"`},
		{"overlapping", "quantri", "/quan-tri/gio-lam-viec", url.Values{"spans": {"08:00-12:00, 11:00-17:00"}}, 422, "chồng lấn"},
		{"Saturday counted without hours", "quantri", "/quan-tri/gio-lam-viec", url.Values{"spans": {"08:00-12:00"}, "saturday_works": {"1"}}, 422, `id="saturday-error"`},
	})
	h, err := e.f.DB.OfficeHours(context.Background(), demo.Ward)
	if err != nil || len(h.Spans) != 2 || h.Spans[0].Start != 7*60+30 || len(h.Saturday) != 1 || h.SaturdayWorks {
		t.Fatalf("hours: %+v %v", h, err)
	}
	if other, _ := e.f.DB.OfficeHours(context.Background(), demo.OtherWard); other.Spans[0].Start != 8*60 {
		t.Errorf("another unit's hours changed: %+v", other)
	}
}

// TestAdminCalendar adds a day off in the middle of an open dossier's time
// limit: the page says its due time moved, and the log keeps the reason.
func TestAdminCalendar(t *testing.T) {
	e := newPagesEnv(t)
	d, err := e.f.Svc.Submit(context.Background(), e.f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004222", Components: demo.Required("1.004222"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}}) // 7 working days
	if err != nil {
		t.Fatal(err)
	}
	code := d.Code
	before, _ := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	day := url.Values{"op": {"set"}, "date": {"2026-03-03"}, "kind": {"holiday"}, "name": {"Nghỉ bù"}, "reason": {"Thông báo số 12/TB-UBND"}}
	noReason := url.Values{"op": {"set"}, "date": {"2026-03-04"}, "kind": {"holiday"}, "name": {"Nghỉ"}, "reason": {""}}
	e.run([]formCase{
		{"add a day off", "quantri", "/quan-tri/lich", day, 303, "hạn giải quyết của 1 hồ sơ"},
		{"without a reason", "quantri", "/quan-tri/lich", noReason, 422, `id="reason-error"`},
		{"a bad date", "quantri", "/quan-tri/lich", url.Values{"op": {"set"}, "date": {"3/3/2026"}, "kind": {"holiday"}, "name": {"X"}, "reason": {"Y"}}, 422, `href="#date"`},
		{"remove without a reason", "quantri", "/quan-tri/lich", url.Values{"op": {"unset"}, "date": {"2026-04-30"}}, 422, `id="reason-2026-04-30-error"`},
		{"remove a shipped day", "quantri", "/quan-tri/lich", url.Values{"op": {"unset"}, "date": {"2026-04-30"}, "reason": {"Kiểm thử"}}, 303, "Thông báo số 12/TB-UBND"},
		{"by a counter officer", "canbo", "/quan-tri/lich", day, 403, "quản trị"},
	})
	after, _ := e.f.Svc.Get(context.Background(), e.f.Actors["canbo"], code)
	if !after.DueAt.After(before.DueAt) {
		t.Errorf("due time %v, was %v: the day off did not move it", after.DueAt, before.DueAt)
	}
	_, page := e.get("quantri", "/quan-tri/lich?nam=2026")
	days, _ := e.f.Cals.Year(context.Background(), demo.Ward, 2026)
	for _, d := range days {
		if d.Date == "2026-04-30" {
			t.Error("the removed day is still in the calendar")
		}
	}
	// It is listed among the removed days, to be applied again.
	if _, removed, _ := strings.Cut(page, `id="removed-h"`); !strings.Contains(removed, `value="2026-04-30"`) {
		t.Error("the removed day is not listed among the removed days")
	}
	if !strings.Contains(page, "Nghỉ bù") || !strings.Contains(page, "Kiểm thử") || !strings.Contains(page, "Thứ Ba") {
		t.Errorf("the year and its log: %s", page)
	}
	if status, _ := e.get("quantri", "/quan-tri/lich?nam=3000"); status != http.StatusUnprocessableEntity {
		t.Errorf("year 3000: %d", status)
	}
}
