package web_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store/storetest"
)

// targetCalls drives every targets operation once with success, for the
// contract test, and returns the board read at the end.
func targetCalls(t *testing.T, call func(user, method, path, body string, want int) map[string]any) map[string]any {
	t.Helper()
	online := call("lanhdao", "POST", "/api/v1/targets", `{"year":2026,"name":"Tỷ lệ hồ sơ trực tuyến","kind":"online_rate","plan":50,"source":"Nghị quyết 05/NQ-HĐND"}`, 201)
	budget := call("lanhdao", "POST", "/api/v1/targets", `{"year":2026,"name":"Thu ngân sách","kind":"budget","plan":2000}`, 201)
	id := func(m map[string]any) string { return jsonNumber(m["id"]) }
	call("lanhdao", "PUT", "/api/v1/targets/"+id(online), `{"year":2026,"name":"Tỷ lệ hồ sơ trực tuyến","kind":"online_rate","plan":60,"version":1}`, 200)
	call("lanhdao", "POST", "/api/v1/targets/"+id(budget)+"/actuals", `{"period":"2026-01","value":1300}`, 200)
	call("lanhdao", "POST", "/api/v1/targets/"+id(budget)+"/actuals", `{"period":"2026-02","value":1000}`, 200)
	return call("lanhdao", "GET", "/api/v1/targets?year=2026", "", 200)
}

// jsonNumber writes a number of a decoded answer as the API sent it.
func jsonNumber(v any) string {
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// TestTargetsAPI: a leader sets and fills targets; the board says where each
// stands and "N/M đạt"; wrong input is refused in Vietnamese then English,
// and other officers do not read them (the authorization matrix holds the
// rest of the scoping).
func TestTargetsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		call := e.caller(t)
		board := targetCalls(t, call)
		if got := board["summary_text"]; !strings.HasPrefix(got.(string), "1/2 chỉ tiêu đạt") {
			t.Errorf("summary %v: the budget at 115%% is met, the online share has no dossiers yet", got)
		}
		targets := board["targets"].([]any)
		budget := targets[1].(map[string]any)
		if budget["status"] != "exceeded" || jsonNumber(budget["percent"]) != "115" {
			t.Errorf("budget %v %v, want exceeded at 115%%", budget["status"], budget["percent"])
		}
		if online := targets[0].(map[string]any); online["actual"] != nil || online["status"] != "in_progress" {
			t.Errorf("online share without dossiers: %v %v, want no data, in progress", online["actual"], online["status"])
		}
		for _, c := range []struct{ body, field, vi string }{
			{`{"year":2026,"name":"X","kind":"manual","plan":-5,"measure":"hộ"}`, "plan", "kế hoạch"},
			{`{"year":2026,"name":"X","kind":"manual","plan":5,"measure":"hộ","direction":"up"}`, "direction", "Chiều đánh giá"},
			{`{"year":2026,"name":"X","kind":"manual","measure":"hộ"}`, "plan", "kế hoạch"},
			{`{"year":1990,"name":"X","kind":"manual","plan":5,"measure":"hộ"}`, "year", "Năm"},
		} {
			status, m, raw := e.do("lanhdao", "POST", "/api/v1/targets", c.body)
			errm, _ := m["error"].(map[string]any)
			if status != 422 || errm["field"] != c.field || !strings.Contains(errm["message"].(string), c.vi) || errm["message_en"] == "" {
				t.Errorf("%s: %d %s", c.body, status, raw)
			}
		}
		id := jsonNumber(targets[1].(map[string]any)["id"])
		for _, c := range []struct{ body, field string }{
			{`{"period":"2026-13","value":1}`, "period"},
			{`{"period":"2025-03","value":1}`, "period"},
			{`{"period":"2026-03"}`, "value"},
			{`{"period":"2026-03","value":1e300}`, "value"},
		} {
			status, m, raw := e.do("lanhdao", "POST", "/api/v1/targets/"+id+"/actuals", c.body)
			if errm, _ := m["error"].(map[string]any); status != 422 || errm["field"] != c.field {
				t.Errorf("actual %s: %d %s", c.body, status, raw)
			}
		}
		call("canbo", "GET", "/api/v1/targets", "", 403)
		call("canbo.ngocha", "GET", "/api/v1/targets?unit=00004", "", 403)
		after := call("lanhdao", "GET", "/api/v1/targets?year=2026", "", 200)
		if jsonNumber(after["targets"].([]any)[1].(map[string]any)["actual"]) != "2300" {
			t.Errorf("refused actuals changed the budget: %v", after["targets"].([]any)[1])
		}
	})
}
