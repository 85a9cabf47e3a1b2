package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAdminProcedurePerUnit: a ward's administrator changes the steps of
// its own ward only, even when the form names another unit; the province's
// administrator changes the province's, which the other ward inherits and
// the ward, having its own, does not; the page says where the steps come
// from, and "go back to inherited" drops the ward's own.
func TestAdminProcedurePerUnit(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newPagesEnvOn(t, engine)
			e.addUser(auth.User{Username: "quantri.hanoi", FullName: "Đỗ Thị Mai", Role: auth.RoleAdmin, UnitCode: demo.Province}, "mat-khau-dai-du-dung")
			ctx := context.Background()
			ps := store.Procedures{DB: e.f.DB}
			path := "/quan-tri/thu-tuc/1.000894"
			stepsOf := func(unit string) string {
				t.Helper()
				p, err := ps.ForUnit(ctx, "1.000894", unit)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, s := range p.Steps {
					names = append(names, s.Name+"@"+s.Department)
				}
				return strings.Join(names, "|")
			}
			national := stepsOf(demo.OtherWard)
			if _, page := e.get("quantri", path); !strings.Contains(page, "theo quy trình chung") || strings.Contains(page, `name="reset"`) {
				t.Errorf("before any change the page should show the national steps without a reset:\n%s", mainOf(page))
			}

			ward := steps(true, [4]string{"Tiếp nhận", "counter", "", "10"}, [4]string{"Thẩm định", "specialist", "TP-HT", "70"}, [4]string{"Ký", "leader", "LD", "20"})
			ward.Set("unit", demo.OtherWard) // the unit is the session's, never the form's
			e.run([]formCase{{"the ward's own steps", "quantri", path, ward, 303, "do đơn vị tự đặt"}})
			if got := stepsOf(demo.Ward); got != "Tiếp nhận@|Thẩm định@TP-HT|Ký@LD" {
				t.Errorf("the ward's steps: %s", got)
			}
			if got := stepsOf(demo.OtherWard); got != national {
				t.Errorf("the ward's administrator changed the other ward's steps: %s", got)
			}
			if res, _ := e.do("canbo.ngocha", http.MethodPost, path, ward); res.StatusCode != http.StatusForbidden {
				t.Errorf("a counter officer of the other ward saving steps: %d", res.StatusCode)
			}

			province := steps(true, [4]string{"Tiếp nhận", "counter", "", "20"}, [4]string{"Xử lý", "specialist", "", "80"})
			e.run([]formCase{{"the province's steps", "quantri.hanoi", path, province, 303, "do đơn vị tự đặt"}})
			if got := stepsOf(demo.OtherWard); got != "Tiếp nhận@|Xử lý@" {
				t.Errorf("the other ward should inherit the province's steps: %s", got)
			}
			if got := stepsOf(demo.Ward); got != "Tiếp nhận@|Thẩm định@TP-HT|Ký@LD" {
				t.Errorf("the ward's own steps gave way to the province's: %s", got)
			}
			if _, page := e.get("quantri", path); !strings.Contains(page, "do đơn vị tự đặt") || !strings.Contains(page, `name="reset"`) || !strings.Contains(page, "quantri") {
				t.Errorf("the ward's page should show its own steps, who changed them and a reset:\n%s", mainOf(page))
			}

			e.run([]formCase{{"back to inherited", "quantri", path, url.Values{"reset": {"1"}}, 303, "kế thừa từ Thành phố Hà Nội"}})
			if got := stepsOf(demo.Ward); got != "Tiếp nhận@|Xử lý@" {
				t.Errorf("after going back the ward should follow the province: %s", got)
			}
			if p, err := ps.Get(ctx, "1.000894"); err != nil || len(p.Steps) != 4 || !p.Active {
				t.Errorf("the national definition changed: %+v %v", p, err)
			}
		})
	}
}
