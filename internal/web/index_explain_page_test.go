package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestIndexExplainLinksOnlyOpenable: the province's leader drills into a
// ward's dossiers that cost points and sees each one's code, procedure,
// dates and outcome, but no applicant's name, ID or phone, and no link to
// a dossier he may not open (it is "not found" to him), with a note saying
// why; the ward's own leader gets the link and opens the dossier.
func TestIndexExplainLinksOnlyOpenable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
		code := e.submit(false) // received at the counter: costs 3.3, and 2.1 once overdue
		e.f.Clock.Advance(60 * 24 * time.Hour)

		link := `href="/ho-so/` + code + `"`
		for _, ind := range []string{"3.3", "2.1"} {
			path := "/chi-so/giai-trinh?unit=00004&indicator=" + ind
			status, body := e.get("lanhdao.tinh", path)
			if status != http.StatusOK || !strings.Contains(body, code) || !strings.Contains(body, "Thủ tục đăng ký kết hôn") {
				t.Fatalf("province leader's %s list: %d, want the dossier %s listed\n%s", ind, status, code, body)
			}
			if strings.Contains(body, link) {
				t.Errorf("%s: the province leader is linked to a dossier he may not open", ind)
			}
			if !strings.Contains(body, "chỉ cán bộ của đơn vị đã tiếp nhận") {
				t.Errorf("%s: no note says who opens the dossier", ind)
			}
			for _, personal := range []string{"Nguyễn Thị Hồng", "001190012345", "0912345678"} {
				if strings.Contains(body, personal) {
					t.Errorf("%s: the province leader's list shows the applicant's %q", ind, personal)
				}
			}
			if ind == "2.1" && !strings.Contains(body, "Đang quá hạn") {
				t.Errorf("2.1: the overdue dossier is not marked overdue")
			}
			if _, body := e.get("lanhdao.tinh", path+"&lang=en"); !strings.Contains(body, "did not pass through your unit") {
				t.Errorf("%s: no note in English", ind)
			}

			status, body = e.get("lanhdao", path)
			if status != http.StatusOK || !strings.Contains(body, link) || strings.Contains(body, `id="closed-note"`) {
				t.Errorf("ward leader's %s list: %d, want a link to %s and no note", ind, status, code)
			}
		}
		if status, _ := e.get("lanhdao.tinh", "/ho-so/"+code); status != http.StatusNotFound {
			t.Errorf("province leader opening the ward's dossier: %d, want 404", status)
		}
		if st, _ := e.jsonDo("lanhdao.tinh", http.MethodGet, "/api/v1/dossiers/"+code, ""); st != http.StatusNotFound {
			t.Errorf("province leader reading the ward's dossier in the API: %d, want 404", st)
		}
		if status, body := e.get("lanhdao", "/ho-so/"+code); status != http.StatusOK || !strings.Contains(body, "Nguyễn Thị Hồng") {
			t.Errorf("ward leader opening his ward's dossier: %d", status)
		}
	})
}
