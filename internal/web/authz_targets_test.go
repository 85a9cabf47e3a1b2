package web

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/target"
)

// The targets and reports: leaders read their unit's and the units' under
// it; only a leader of the unit writes; another unit's target or report is
// "not found" to a leader who may not see it.
var leaders = []string{leader, leaderX}

func init() {
	const body = `{"year":2026,"name":"Số hộ dùng nước sạch","measure":"hộ","kind":"manual","plan":100}`
	const put = `{"year":2026,"name":"Thu ngân sách","kind":"budget","plan":1200,"source":"Nghị quyết 07/NQ-HĐND"}`
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/targets": {
			{"/api/v1/targets", "", leaders},
			{"/api/v1/targets?unit=00004", "", []string{leader}},
		},
		"POST /api/v1/targets": {
			{"/api/v1/targets", body, leaders},
			{"/api/v1/targets", `{"unit":"00004","year":2026,"name":"X","measure":"hộ","kind":"manual","plan":1}`, []string{leader}},
		},
		"PUT /api/v1/targets/{id}":          {{"/api/v1/targets/{target}", put, []string{leader}}},
		"POST /api/v1/targets/{id}/actuals": {{"/api/v1/targets/{target}/actuals", `{"period":"2026-03","value":5}`, []string{leader}}},
		"GET /chi-tieu": {
			{"/chi-tieu", "", leaders},
			{"/chi-tieu?unit=00004", "", []string{leader}},
		},
		"POST /chi-tieu":              {{"/chi-tieu", "name=X&year=2026&kind=manual&plan=1&measure=h%E1%BB%99", leaders}},
		"GET /chi-tieu/xuat/{format}": {{"/chi-tieu/xuat/pdf?unit=00004", "", []string{leader}}},
		"GET /chi-tieu/{id}":          {{"/chi-tieu/{target}", "", []string{leader}}},
		"POST /chi-tieu/{id}":         {{"/chi-tieu/{target}", "name=Y&year=2026&kind=budget&plan=2&source=07%2FNQ-H%C4%90ND", []string{leader}}},
		"POST /chi-tieu/{id}/so-lieu": {{"/chi-tieu/{target}/so-lieu", "period=2026-04&value=3", []string{leader}}},
		"GET /bao-cao":                {{"/bao-cao", "", leaders}},
		"GET /bao-cao/{id}":           {{"/bao-cao/{report}", "", []string{leader}}},
	} {
		authzMatrix[p] = cases
	}
	// The ward's target is named to its leader only.
	authzSecrets["/api/v1/targets "] = []authzSecret{{"07/NQ-HĐND", []string{leader}}}
	authzSecrets["/chi-tieu "] = []authzSecret{{"07/NQ-HĐND", []string{leader}}}
}

// targetObjects adds a target of the ward ({target}) and a kept monthly
// report of the ward ({report}).
func (m *authzEnv) targetObjects() {
	ctx := context.Background()
	tg, err := m.f.DB.AddTarget(ctx, target.Target{UnitCode: demo.Ward, Year: 2026, Name: "Thu ngân sách", Source: "Nghị quyết 07/NQ-HĐND", Kind: target.KindBudget, Plan: 1000}, m.f.Actors[leader])
	if err != nil {
		m.t.Fatal(err)
	}
	if _, err := m.f.DB.SaveReport(ctx, demo.Ward, "2026-02", "monthly", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
		m.t.Fatal(err)
	}
	reps, err := m.f.DB.Reports(ctx, demo.Ward)
	if err != nil || len(reps) != 1 {
		m.t.Fatalf("report: %v %v", reps, err)
	}
	m.objects["{target}"], m.objects["{report}"] = fmt.Sprint(tg.ID), fmt.Sprint(reps[0].ID)
}
