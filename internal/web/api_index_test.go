package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// addStaff adds an officer with an API token to the env.
func addStaff(t *testing.T, e *env, u auth.User) {
	t.Helper()
	if err := e.f.DB.CreateUser(context.Background(), &u, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	tok, err := e.f.DB.CreateToken(context.Background(), u.ID, store.TokenAPI, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens[u.Username] = tok
}

// explained returns the codes the explanation of indicator lists to user,
// and its total.
func explained(t *testing.T, e *env, user, query string) ([]string, float64) {
	t.Helper()
	status, m, raw := e.do(user, http.MethodGet, "/api/v1/index/explain?from=2026-03-01&to=2026-03-31&"+query, "")
	if status != http.StatusOK {
		t.Fatalf("%s explain %s: %d %s", user, query, status, raw)
	}
	var codes []string
	for _, d := range m["dossiers"].([]any) {
		codes = append(codes, d.(map[string]any)["code"].(string))
	}
	slices.Sort(codes)
	return codes, m["total"].(float64)
}

// indicator returns an indicator's numerator and denominator from an index
// answer.
func indicator(m map[string]any, id string) string {
	for _, s := range m["index"].(map[string]any)["indicators"].([]any) {
		if s := s.(map[string]any); s["id"] == id {
			return fmt.Sprintf("%v/%v", s["numerator"], s["denominator"])
		}
	}
	return "missing"
}

// TestIndexScoping: a ward's leader reads the index and its drill-down of
// his ward only, another ward's leader is refused ours, and a province
// leader ranks both wards and sees the dossiers of both in the drill-down.
func TestIndexScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		addStaff(t, e, auth.User{Username: "lanhdao.ngocha", FullName: "Đỗ Văn Hùng", Role: auth.RoleLeader, UnitCode: demo.OtherWard})
		addStaff(t, e, auth.User{Username: "lanhdao.tinh", FullName: "Hoàng Văn Sơn", Role: auth.RoleLeader, UnitCode: demo.Province})
		ours := e.prep("received") // at the counter: costs 3.3 points
		d, err := e.f.Svc.Submit(context.Background(), e.f.Actors["canbo.ngocha"], dossier.SubmitRequest{ProcedureCode: "1.001612",
			UnitCode: demo.OtherWard, Channel: dossier.ChannelCounter, Components: demo.Required("1.001612"),
			Applicant: dossier.Applicant{Name: "Phan Văn Hải", IDNumber: "001090011111"}})
		if err != nil {
			t.Fatal(err)
		}
		theirs := d.Code
		period := "from=2026-03-01&to=2026-03-31"

		// Another ward's leader: refused our index, ranking and drill-down,
		// and his own drill-down lists his ward's dossier only.
		for _, path := range []string{"/api/v1/index?unit=00004&", "/api/v1/index/ranking?unit=00004&", "/api/v1/index/explain?indicator=3.3&unit=00004&"} {
			if status, _, raw := e.do("lanhdao.ngocha", http.MethodGet, path+period, ""); status != http.StatusForbidden {
				t.Errorf("other ward's leader %s: %d %s", path, status, raw)
			}
		}
		if codes, total := explained(t, e, "lanhdao.ngocha", "indicator=3.3"); !slices.Equal(codes, []string{theirs}) || total != 1 {
			t.Errorf("other ward's leader's 3.3 list: %v (%v), want only %s", codes, total, theirs)
		}

		// Our leader: his ward only, nothing above it.
		if codes, total := explained(t, e, "lanhdao", "indicator=3.3"); !slices.Equal(codes, []string{ours}) || total != 1 {
			t.Errorf("ward leader's 3.3 list: %v (%v), want only %s", codes, total, ours)
		}
		if status, _, _ := e.do("lanhdao", http.MethodGet, "/api/v1/index?unit=01&"+period, ""); status != http.StatusForbidden {
			t.Errorf("ward leader read the province's index: %d", status)
		}

		// The province leader: the ranking has both wards with data, the
		// province's 3.3 counts both dossiers and its list shows both.
		status, m, raw := e.do("lanhdao.tinh", http.MethodGet, "/api/v1/index/ranking?"+period, "")
		if status != http.StatusOK {
			t.Fatalf("province ranking: %d %s", status, raw)
		}
		var ranked []string
		for _, r := range m["units"].([]any) {
			r := r.(map[string]any)
			if r["max_with_data"].(float64) <= 0 {
				t.Errorf("ranking: %s has no data", r["unit"])
			}
			ranked = append(ranked, r["unit"].(string))
		}
		slices.Sort(ranked)
		if !slices.Equal(ranked, []string{demo.Ward, demo.OtherWard}) {
			t.Errorf("province ranking lists %v, want both wards", ranked)
		}
		for unit, want := range map[string]string{demo.Province: "0/2", demo.Ward: "0/1", demo.OtherWard: "0/1"} {
			status, m, raw := e.do("lanhdao.tinh", http.MethodGet, "/api/v1/index?unit="+unit+"&"+period, "")
			if status != http.StatusOK || indicator(m, "3.3") != want {
				t.Errorf("province leader's index of %s: %d, 3.3 = %s, want %s (%s)", unit, status, indicator(m, "3.3"), want, raw)
			}
		}
		want := []string{ours, theirs}
		slices.Sort(want)
		if codes, total := explained(t, e, "lanhdao.tinh", "indicator=3.3"); !slices.Equal(codes, want) || total != 2 {
			t.Errorf("province leader's 3.3 list: %v (%v), want %v", codes, total, want)
		}
		if codes, _ := explained(t, e, "lanhdao.tinh", "indicator=3.3&unit=00008"); !slices.Equal(codes, []string{theirs}) {
			t.Errorf("province leader's 3.3 list of Ngọc Hà: %v, want only %s", codes, theirs)
		}

		// Entries: the province leader enters one for a ward under it; the
		// other ward's leader may not enter ours.
		entry := `{"unit":"00004","period":"2026-03","indicator":"1.2","numerator":3,"denominator":4,"note":"Công bố trên CSDL quốc gia"}`
		if status, _, raw := e.do("lanhdao.ngocha", http.MethodPost, "/api/v1/index/entries", entry); status != http.StatusForbidden {
			t.Errorf("other ward's leader entered our indicator: %d %s", status, raw)
		}
		if status, _, raw := e.do("lanhdao.tinh", http.MethodPost, "/api/v1/index/entries", entry); status != http.StatusCreated {
			t.Errorf("province leader's entry for a ward: %d %s", status, raw)
		}
		if _, m, _ := e.do("lanhdao", http.MethodGet, "/api/v1/index?"+period, ""); indicator(m, "1.2") != "3/4" {
			t.Errorf("the ward's 1.2 after the province's entry: %s, want 3/4", indicator(m, "1.2"))
		}
	})
}
