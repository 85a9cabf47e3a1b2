package web_test

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// withPopulation gives a server the demo's population database, served by
// the local population server on a loopback port; the test closes it.
func withPopulation(t *testing.T) func(*web.Server) {
	t.Helper()
	reg := populationServer(t)
	return func(s *web.Server) { s.PopulationRegistry = population.NewHTTPRegistry(reg.URL, "khoa") }
}

func populationServer(t *testing.T) *httptest.Server {
	t.Helper()
	people, err := popserver.Parse(demo.PopulationPeople())
	if err != nil {
		t.Fatal(err)
	}
	reg := httptest.NewServer(&popserver.Handler{People: people, Key: "khoa"})
	t.Cleanup(reg.Close)
	return reg
}

// populationCalls are TestOpenAPILifecycle's look-ups: one for the dossier
// code, then the log.
func populationCalls(t *testing.T, call func(user, method, path, body string, want int) map[string]any, code string) {
	t.Helper()
	call("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001090012345","reason":"Tiếp nhận","dossier_code":"`+code+`"}`, 200)
	call("congdan", "POST", "/api/v1/population/verify", `{"id_number":"001090012345","reason":"Xem"}`, 403)
	call("lanhdao", "GET", "/api/v1/population/lookups?limit=5", "", 200)
}

// TestPopulationAPI walks the look-up: a match sealed into the dossier's
// history, a mismatch, an unknown number, the refusals (applicant, another
// unit's officer for a dossier they cannot see, no reason), the registry
// down (503, logged as unavailable) and the unit's log.
func TestPopulationAPI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			reg := populationServer(t)
			logs := &serverLog{}
			e := newEnv(t, engine, func(s *web.Server) {
				s.PopulationRegistry = population.NewHTTPRegistry(reg.URL, "khoa")
				s.Log = slog.New(slog.NewTextHandler(logs, nil))
			})
			call := e.caller(t)
			d := call("canbo", "POST", "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"components":`+required("1.004873")+
				`,"applicant":{"name":"NGUYỄN VĂN BÌNH","id_number":"001.087.004.321"}}`, 201)
			code := d["code"].(string)
			if id := d["applicant"].(map[string]any)["id_number"]; id != "001087004321" {
				t.Fatalf("the typed number was kept as %v", id)
			}
			m := call("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"Tiếp nhận hồ sơ","dossier_code":"`+code+`"}`, 200)
			p, _ := m["person"].(map[string]any)
			if m["outcome"] != "match" || m["role"] != "applicant" || p["full_name"] != "Nguyễn Văn Bình" || p["birth_date"] != "1987-11-02" || p["sex"] != "male" || m["checked_at"] == "" {
				t.Fatalf("match: %v", m)
			}
			hist := call("canbo", "GET", "/api/v1/dossiers/"+code, "", 200)["history"].([]any)
			last := hist[len(hist)-1].(map[string]any)
			if last["action"] != "population_check" || last["note"] != "khớp (người nộp)" || last["actor"] != "canbo" || last["from_status"] != last["to_status"] {
				t.Fatalf("the check in the history: %v", last)
			}
			other := e.prep("received") // applicant Nguyễn Thị Hồng, whose number the registry gives Hoàng Thị Lan
			m = call("chuyenvien", "POST", "/api/v1/population/verify", `{"id_number":"001190012345","reason":"Thẩm định","dossier_code":"`+other+`"}`, 200)
			if m["outcome"] != "mismatch" || len(m["differences"].([]any)) != 1 || m["differences"].([]any)[0] != "full_name" {
				t.Fatalf("mismatch: %v", m)
			}
			if m = call("lanhdao", "POST", "/api/v1/population/verify", `{"id_number":"001 099 012 345","reason":"Kiểm tra"}`, 200); m["outcome"] != "not_found" || m["person"] != nil {
				t.Fatalf("not found: %v", m)
			}
			call("congdan", "POST", "/api/v1/population/verify", `{"id_number":"001190012345","reason":"Xem"}`, 403)
			call("canbo.ngocha", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"Tiếp nhận","dossier_code":"`+code+`"}`, 404)
			if status, _, body := e.do("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":" ","dossier_code":"`+code+`"}`); status != 422 || !strings.Contains(body, `"field":"reason"`) {
				t.Errorf("no reason: %d %s", status, body)
			}
			for _, reason := range []string{`Ti\u0000ếp nhận`, `Tiếp nhận\u001b[2J`, `Tiếp nhận\u0085`} {
				if status, _, body := e.do("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"`+reason+`","dossier_code":"`+code+`"}`); status != 422 ||
					!strings.Contains(body, `"field":"reason"`) || !strings.Contains(body, `"message":"Trường reason chứa ký tự`) {
					t.Errorf("an unclean reason %q: %d %s", reason, status, body)
				}
			}
			call("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"x","extra":1}`, 422)
			call("", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"x"}`, 401)
			reg.Close()
			if status, _, body := e.do("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"Khi CSDL ngừng","dossier_code":"`+code+`"}`); status != 503 || !strings.Contains(body, "không trả lời") {
				t.Errorf("registry down: %d %s", status, body)
			}
			if l := logs.String(); !strings.Contains(l, "population database") || !strings.Contains(l, "connection refused") {
				t.Errorf("the server's log does not tell why the registry did not answer:\n%s", l)
			}
			log := call("lanhdao", "GET", "/api/v1/population/lookups?limit=10", "", 200)
			rows := log["lookups"].([]any)
			if log["total"] != float64(4) || len(rows) != 4 {
				t.Fatalf("log: %v", log)
			}
			for i, want := range []string{"unavailable", "not_found", "mismatch", "match"} {
				if r := rows[i].(map[string]any); r["outcome"] != want {
					t.Errorf("log[%d] = %v, want %s", i, r, want)
				}
			}
			if r := rows[0].(map[string]any); r["username"] != "canbo" || r["reason"] != "Khi CSDL ngừng" || r["dossier_code"] != code || r["unit_code"] != "00004" ||
				!strings.Contains(r["detail"].(string), "connection refused") {
				t.Errorf("the unavailable look-up: %v", r)
			}
			call("canbo", "GET", "/api/v1/population/lookups", "", 403)
			call("congdan", "GET", "/api/v1/population/lookups", "", 403)
			call("canbo.ngocha", "GET", "/api/v1/population/lookups", "", 403)
		})
	}
}

// TestPopulationNotConfigured: without a registry the API says so and
// nothing is logged.
func TestPopulationNotConfigured(t *testing.T) {
	e := newEnv(t, "sqlite")
	status, _, body := e.do("canbo", "POST", "/api/v1/population/verify", `{"id_number":"001087004321","reason":"Tiếp nhận"}`)
	if status != 503 || !strings.Contains(body, "Chưa cấu hình") {
		t.Fatalf("not configured: %d %s", status, body)
	}
	if status, m, _ := e.do("quantri", "GET", "/api/v1/population/lookups", ""); status != 200 || m["total"] != float64(0) {
		t.Fatalf("log: %d %v", status, m)
	}
}

// serverLog is the server's log, read by the test while the server's
// goroutines write to it.
type serverLog struct {
	mu   sync.Mutex
	text []byte
}

func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text = append(l.text, p...)
	return len(p), nil
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.text)
}
