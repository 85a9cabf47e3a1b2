package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
)

// TestProvinceLeaderReadsCommuneDossier: the province's leader opens a
// commune's dossier that the index's drill-down lists, on the page and in
// the API, with no action to take; he cannot act on it, and its list stays
// the commune's. A province officer who is not a leader, and a leader of
// another commune, get "not found".
func TestProvinceLeaderReadsCommuneDossier(t *testing.T) {
	e := newPagesEnv(t)
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	e.addUser(auth.User{Username: "chuyenvien.tinh", FullName: "Lưu Văn Tâm", Role: auth.RoleSpecialist, UnitCode: "01"}, "mật khẩu tỉnh")
	e.addUser(auth.User{Username: "lanhdao.ngocha", FullName: "Phan Văn Hùng", Role: auth.RoleLeader, UnitCode: "00008"}, "mật khẩu ngọc hà")
	code := e.submit(false)

	status, body := e.get("lanhdao.tinh", "/ho-so/"+code)
	if status != http.StatusOK || !strings.Contains(body, code) || !strings.Contains(body, "Nguyễn Thị Hồng") {
		t.Fatalf("province leader opening the dossier: %d", status)
	}
	if strings.Contains(body, `action="/ho-so/`+code+`/`) {
		t.Error("the province leader is offered an action on a commune's dossier")
	}
	if st, _ := e.jsonDo("lanhdao.tinh", http.MethodGet, "/api/v1/dossiers/"+code, ""); st != http.StatusOK {
		t.Errorf("API read by the province leader: %d", st)
	}
	if res, _ := e.do("lanhdao.tinh", http.MethodPost, "/ho-so/"+code+"/forward", nil); res.StatusCode < 400 {
		t.Errorf("the province leader acted on the dossier: %d", res.StatusCode)
	}
	if d := e.dossier(code); d.Status != 2 {
		t.Errorf("the dossier moved to status %d", d.Status)
	}
	if _, body := e.get("lanhdao.tinh", "/ho-so"); strings.Contains(body, code) {
		t.Error("the province's queue lists the commune's dossier")
	}
	for _, who := range []string{"chuyenvien.tinh", "lanhdao.ngocha"} {
		if status, _ := e.get(who, "/ho-so/"+code); status != http.StatusNotFound {
			t.Errorf("%s opening the dossier: %d, want 404", who, status)
		}
	}
}
