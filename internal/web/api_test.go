package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// env is a real HTTP server on a loopback port over a fixture database, with
// a session token per demo user.
type env struct {
	t      *testing.T
	f      *storetest.Fixture
	srv    *httptest.Server
	tokens map[string]string
}

func newEnv(t *testing.T, engine string, opts ...func(*web.Server)) *env {
	f := storetest.NewFixture(t, engine)
	s := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now, Files: blob.NewDir(filepath.Join(t.TempDir(), "files"))}
	s.Payments = &payment.Service{Gateway: &payment.VNPay{URL: "https://pay.invalid/vpcpay.html", TmnCode: "TMN", Secret: "test"},
		Store: store.Payments{DB: f.DB}, Dossiers: f.Svc, Log: s.Log, Now: f.Clock.Now}
	for _, o := range opts {
		o(s)
	}
	e := &env{t: t, f: f, srv: httptest.NewServer(s.Handler()), tokens: map[string]string{}}
	t.Cleanup(e.srv.Close)
	for name, u := range f.Users {
		tok, err := f.DB.CreateToken(context.Background(), u.ID, store.TokenAPI, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = tok
	}
	return e
}

// do sends a request as user ("" = anonymous) and returns the status and the
// decoded JSON body.
func (e *env) do(user, method, path, body string) (int, map[string]any, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if err := checkContract(method, path, body, res.StatusCode, res.Header, raw, e.t); err != nil {
		e.t.Errorf("openapi.json: %v", err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, string(raw)
}

// prep makes a dossier in the named state through the service and returns
// its code.
func (e *env) prep(state string) string {
	e.t.Helper()
	ctx := context.Background()
	a := e.f.Actors
	online := strings.HasPrefix(state, "online-")
	state = strings.TrimPrefix(state, "online-")
	req := dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Thị Hồng", IDNumber: "001190012345", Phone: "0912345678"}}
	by := a["canbo"]
	if online {
		req.Channel, req.UnitCode, by = dossier.ChannelOnline, "00004", a["congdan"]
	}
	if state == "reception-supplement" { // incomplete at the counter: not received
		req.Components, req.OnIncomplete = nil, dossier.IncompleteSupplement
	}
	d, err := e.f.Svc.Submit(ctx, by, req)
	if err != nil {
		e.t.Fatal(err)
	}
	steps := map[string][]struct{ who, action string }{
		"submitted":            {},
		"reception-supplement": {},
		"received":             {},
		"specialist":           {{"canbo", "forward"}},
		"leader":               {{"canbo", "forward"}, {"chuyenvien", "forward"}},
		"last":                 {{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}},
		"done":                 {{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}},
		"returned":             {{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}},
		"supplement":           {{"canbo", "request_supplement"}},
		"payment":              {{"canbo", "request_payment"}},
	}[state]
	if online && state != "submitted" {
		steps = append([]struct{ who, action string }{{"canbo", "receive"}}, steps...)
	}
	for _, s := range steps {
		r := dossier.ActionRequest{Action: s.action, Missing: []string{"Bản sao giấy tờ"}}
		if _, err := e.f.Svc.Act(ctx, a[s.who], d.Code, r); err != nil {
			e.t.Fatalf("prep %s: %s: %v", state, s.action, err)
		}
	}
	return d.Code
}

type scenario struct {
	name   string
	user   string
	state  string // dossier to prepare, "" for none
	method string
	path   string // {code} is replaced by the prepared dossier's code
	body   string
	status int
	want   string // a substring the body must contain
}

func TestAPIScenarios(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			for _, sc := range scenarios() {
				t.Run(sc.name, func(t *testing.T) {
					e.t = t
					path := sc.path
					if sc.state != "" {
						path = strings.ReplaceAll(path, "{code}", e.prep(sc.state))
					}
					status, _, raw := e.do(sc.user, sc.method, path, sc.body)
					if status != sc.status || !strings.Contains(raw, sc.want) {
						t.Fatalf("%s %s as %q: %d %s\nwant %d containing %q", sc.method, path, sc.user, status, raw, sc.status, sc.want)
					}
				})
			}
		})
	}
}

func act(a string) string { return "/api/v1/dossiers/{code}/actions/" + a }

// required is the JSON list of a demo procedure's required components.
func required(code string) string {
	b, _ := json.Marshal(demo.Required(code))
	return string(b)
}

func scenarios() []scenario {
	P := http.MethodPost
	G := http.MethodGet
	return []scenario{
		{"receive ok", "canbo", "online-submitted", P, act("receive"), "", 200, `"status":2`},
		{"receive by specialist", "chuyenvien", "online-submitted", P, act("receive"), "", 403, `"forbidden"`},
		{"receive twice", "canbo", "received", P, act("receive"), "", 409, `"conflict"`},
		{"receive by other unit", "canbo.ngocha", "online-submitted", P, act("receive"), "", 404, `"not_found"`},
		{"receive anonymous", "", "online-submitted", P, act("receive"), "", 401, `"unauthorized"`},
		{"request supplement ok", "canbo", "received", P, act("request_supplement"), `{"missing":["Giấy chứng sinh"]}`, 200, `"status":5`},
		{"request supplement without list", "canbo", "received", P, act("request_supplement"), `{}`, 422, `"missing"`},
		{"supplement by applicant", "congdan", "online-supplement", P, act("supplement"), `{"components":["Giấy chứng sinh"]}`, 200, `"status":2`},
		{"supplement by other unit", "canbo.ngocha", "supplement", P, act("supplement"), "", 404, `"not_found"`},
		{"refuse ok", "canbo", "online-submitted", P, act("refuse"), `{"reason":"Hồ sơ không thuộc thẩm quyền"}`, 200, `"status":3`},
		{"refuse without reason", "canbo", "online-submitted", P, act("refuse"), `{}`, 422, `lý do`},
		{"refuse a received dossier", "canbo", "received", P, act("refuse"), `{"reason":"x"}`, 409, `không thể từ chối tiếp nhận`},
		{"refuse while the supplement asked at reception waits", "canbo", "reception-supplement", P, act("refuse"), `{"reason":"Không bổ sung"}`, 200, `"status":3`},
		{"supplement asked at reception receives the dossier", "canbo", "reception-supplement", P, act("supplement"), "", 200, `"received_at"`},
		{"stop a dossier never received", "lanhdao", "reception-supplement", P, act("stop"), `{"reason":"x"}`, 409, `chưa được tiếp nhận`},
		{"request payment after approval", "canbo", "last", P, act("request_payment"), `{"amount":1000}`, 409, `phê duyệt`},
		{"request supplement after approval", "canbo", "last", P, act("request_supplement"), `{"missing":["x"]}`, 409, `phê duyệt`},
		{"stop after approval", "lanhdao", "last", P, act("stop"), `{"reason":"x"}`, 409, `phê duyệt`},
		{"withdraw after approval", "congdan", "online-last", P, act("withdraw"), `{"reason":"x"}`, 409, `phê duyệt`},
		{"approved stage", "canbo", "last", G, "/api/v1/dossiers/{code}", "", 200, `"stage":"approved","stage_name":"Đã phê duyệt, chờ hoàn thành","stage_name_en":"Approved, awaiting result"`},
		{"allowed actions of the counter on an approved dossier", "canbo", "last", G, "/api/v1/dossiers/{code}", "", 200, `"allowed_actions":["finish","send_back"]`},
		{"allowed actions of the leader on an approved dossier", "lanhdao", "last", G, "/api/v1/dossiers/{code}", "", 200, `"allowed_actions":["extend"]`},
		{"allowed actions of another officer", "chuyenvien", "returned", G, "/api/v1/dossiers/{code}", "", 200, `"allowed_actions":[]`},
		{"extend to a Saturday", "lanhdao", "specialist", P, act("extend"), `{"reason":"x","new_due_at":"2026-03-07T10:00:00+07:00"}`, 422, `thời điểm làm việc gần nhất là 08:00 09/03/2026`},
		{"extend into lunch", "lanhdao", "specialist", P, act("extend"), `{"reason":"x","new_due_at":"2026-03-10T12:30:00+07:00"}`, 422, `13:00 10/03/2026`},
		{"forward ok", "canbo", "received", P, act("forward"), "", 200, `"status":4`},
		{"forward by specialist at reception", "chuyenvien", "received", P, act("forward"), "", 403, `"forbidden"`},
		{"forward to unknown officer", "canbo", "received", P, act("forward"), `{"assignee":"khongco"}`, 422, `khongco`},
		{"send back ok", "lanhdao", "leader", P, act("send_back"), `{"note":"Thiếu chữ ký"}`, 200, `"step":1`},
		{"send back without note", "lanhdao", "leader", P, act("send_back"), `{}`, 422, `"invalid"`},
		{"request payment ok", "canbo", "received", P, act("request_payment"), `{"amount":100000}`, 200, `"status":6`},
		{"request payment negative", "canbo", "received", P, act("request_payment"), `{"amount":-5}`, 422, `"amount"`},
		{"confirm payment ok", "canbo", "payment", P, act("confirm_payment"), "", 200, `"status":2`},
		{"confirm payment when not asked", "canbo", "received", P, act("confirm_payment"), "", 409, `"conflict"`},
		{"approve ok", "lanhdao", "leader", P, act("approve"), "", 200, `"approved":true`},
		{"approve by specialist", "chuyenvien", "leader", P, act("approve"), "", 403, `"forbidden"`},
		{"approve before leader step", "lanhdao", "specialist", P, act("approve"), "", 409, `"conflict"`},
		{"finish ok", "canbo", "last", P, act("finish"), "", 200, `"status":9`},
		{"finish too early", "canbo", "leader", P, act("finish"), "", 409, `"conflict"`},
		{"return ok", "canbo", "done", P, act("return_result"), "", 200, `"status":10`},
		{"return by leader", "lanhdao", "done", P, act("return_result"), "", 403, `"forbidden"`},
		{"withdraw by applicant", "congdan", "online-submitted", P, act("withdraw"), `{"reason":"Nộp nhầm thủ tục"}`, 200, `"status":7`},
		{"withdraw someone else's", "congdan", "received", P, act("withdraw"), `{"reason":"x"}`, 404, `"not_found"`},
		{"stop ok", "lanhdao", "specialist", P, act("stop"), `{"reason":"Có tranh chấp"}`, 200, `"status":8`},
		{"stop by counter", "canbo", "specialist", P, act("stop"), `{"reason":"x"}`, 403, `"forbidden"`},
		{"extend ok", "lanhdao", "specialist", P, act("extend"), `{"reason":"Cần xác minh","new_due_at":"2026-03-20T17:00:00+07:00"}`, 200, `"extended_at"`},
		{"extend to an earlier time", "lanhdao", "specialist", P, act("extend"), `{"reason":"x","new_due_at":"2026-03-02T10:00:00+07:00"}`, 422, `"new_due_at"`},
		{"stale version", "canbo", "received", P, act("forward"), `{"version":99}`, 409, `tải lại`},
		{"unknown action", "canbo", "received", P, act("explode"), "", 404, `"not_found"`},
		{"malformed JSON", "canbo", "received", P, act("refuse"), `{"reason":`, 422, `JSON`},
		{"unknown field", "canbo", "received", P, act("refuse"), `{"reasn":"x"}`, 422, `reasn`},
		{"bad token", "nobody", "", G, "/api/v1/dossiers", "", 401, `"unauthorized"`},
		{"get own unit", "chuyenvien", "received", G, "/api/v1/dossiers/{code}", "", 200, `"history"`},
		{"get other unit", "canbo.ngocha", "received", G, "/api/v1/dossiers/{code}", "", 404, `"not_found"`},
		{"get as other applicant", "congdan", "received", G, "/api/v1/dossiers/{code}", "", 404, `"not_found"`},
		{"list bad status", "canbo", "", G, "/api/v1/dossiers?status=42", "", 422, `"status"`},
		{"list bad due_before", "canbo", "", G, "/api/v1/dossiers?due_before=tomorrow", "", 422, `RFC 3339`},
		{"list by channel and outcome", "canbo", "returned", G, "/api/v1/dossiers?channel=1&outcome=early", "", 200, `"total":`},
		{"list bad channel", "canbo", "", G, "/api/v1/dossiers?channel=9", "", 422, `"channel"`},
		{"list own", "congdan", "online-submitted", G, "/api/v1/dossiers", "", 200, `"total":`},
		{"lookup ok", "", "received", G, "/api/v1/lookup?code={code}&id=001190012345", "", 200, `"status_name":"Được tiếp nhận"`},
		{"lookup by phone", "", "received", G, "/api/v1/lookup?code={code}&id=+84%20912%20345%20678", "", 200, `"timeline"`},
		{"lookup wrong id", "", "received", G, "/api/v1/lookup?code={code}&id=001190099999", "", 404, `"not_found"`},
		{"lookup without id", "", "received", G, "/api/v1/lookup?code={code}", "", 422, `"invalid"`},
		{"rate ok", "congdan", "online-returned", P, "/api/v1/dossiers/{code}/rating", `{"rating":1,"comment":"Cán bộ nhiệt tình"}`, 200, `"rated":true`},
		{"rate by proof", "", "returned", P, "/api/v1/dossiers/{code}/rating", `{"rating":2,"proof":"001190012345"}`, 200, `"rated":true`},
		{"rate wrong proof", "", "returned", P, "/api/v1/dossiers/{code}/rating", `{"rating":2,"proof":"0999999999"}`, 404, `"not_found"`},
		{"rate out of range", "congdan", "online-returned", P, "/api/v1/dossiers/{code}/rating", `{"rating":7}`, 422, `"rating"`},
		{"rate unfinished", "congdan", "online-received", P, "/api/v1/dossiers/{code}/rating", `{"rating":1}`, 409, `"conflict"`},
		{"submit at counter", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"components":` + required("1.004873") + `,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 201, `"status":2`},
		{"submit online", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":` + required("1.001193") + `,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 201, `"status":1`},
		{"submit online without a required component", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":["Tờ khai đăng ký khai sinh"],"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 422, `"field":"components"`},
		{"submit online without a unit", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"1.001193","components":` + required("1.001193") + `,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 422, `"field":"unit_code"`},
		{"submit online deciding for the counter", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":` + required("1.001193") + `,"on_incomplete":"refuse","applicant":{"name":"A","id_number":"001090012345"}}`, 422, `"on_incomplete"`},
		{"submit incomplete at counter", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"components":["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"],"applicant":{"name":"A","id_number":"001090012345"}}`, 422, `"field":"components"`},
		{"submit incomplete at counter names what is missing", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"applicant":{"name":"A","id_number":"001090012345"}}`, 422, `Tờ khai cấp Giấy xác nhận tình trạng hôn nhân; Hộ chiếu`},
		{"submit incomplete, supplement requested", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"on_incomplete":"request_supplement","applicant":{"name":"A","id_number":"001090012345"}}`, 201, `"status":5`},
		{"submit incomplete, supplement list given", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"on_incomplete":"request_supplement","missing":["Bản chính tờ khai"],"applicant":{"name":"A","id_number":"001090012345"}}`, 201, `"missing":["Bản chính tờ khai"]`},
		{"submit incomplete, refused", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"on_incomplete":"refuse","reason":"Không thuộc thẩm quyền","applicant":{"name":"A","id_number":"001090012345"}}`, 201, `"status":3`},
		{"submit incomplete, refused without reason", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"on_incomplete":"refuse","applicant":{"name":"A","id_number":"001090012345"}}`, 422, `"field":"reason"`},
		{"submit with an unknown choice", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"on_incomplete":"ignore","applicant":{"name":"A","id_number":"001090012345"}}`, 422, `"on_incomplete"`},
		{"submit with an unreal province code", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"components":` + required("1.004873") + `,"applicant":{"name":"A","id_number":"003090012345"}}`, 422, `3 chữ số đầu (003)`},
		{"submit bad ID", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","applicant":{"name":"Lý Văn Phúc","id_number":"12345"}}`, 422, `định danh`},
		{"submit counter-only online", "congdan", "", P, "/api/v1/dossiers", `{"procedure_code":"2.000815","unit_code":"00004","applicant":{"name":"A","id_number":"001090012345"}}`, 422, `một cửa`},
		{"submit unknown procedure", "canbo", "", P, "/api/v1/dossiers", `{"procedure_code":"9.999999","channel":1,"applicant":{"name":"A","id_number":"001090012345"}}`, 404, `9.999999`},
		{"submit by specialist", "chuyenvien", "", P, "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"applicant":{"name":"A","id_number":"001090012345"}}`, 403, `"forbidden"`},
		{"stats ok", "lanhdao", "received", G, "/api/v1/stats?from=2026-01-01&to=2026-12-31", "", 200, `"received":`},
		{"stats applicant", "congdan", "", G, "/api/v1/stats", "", 403, `"forbidden"`},
		{"stats other unit", "lanhdao", "", G, "/api/v1/stats?unit=00008", "", 403, `"forbidden"`},
		{"stats province above", "lanhdao", "", G, "/api/v1/stats?unit=01", "", 403, `"forbidden"`},
		{"stats bad dates", "lanhdao", "", G, "/api/v1/stats?from=2026-12-31&to=2026-01-01", "", 422, `"to"`},
		{"procedures unaccented search", "", "", G, "/api/v1/procedures?q=dang%20ky%20ket%20hon", "", 200, `1.000894`},
		{"procedure not found", "", "", G, "/api/v1/procedures/0.000000", "", 404, `"not_found"`},
		{"calendar 2026", "", "", G, "/api/v1/calendar/2026", "", 200, `"2026-02-17"`},
		{"calendar bad year", "", "", G, "/api/v1/calendar/abc", "", 422, `"year"`},
		{"due same day after cut-off", "", "", G, "/api/v1/calendar/due?procedure=1.001193&from=2026-04-24T16:00:00%2B07:00", "", 200, `"due_at":"2026-04-28T17:00:00+07:00"`},
		{"due needs procedure", "", "", G, "/api/v1/calendar/due", "", 422, `"procedure"`},
		{"due from past 9999", "", "", G, "/api/v1/calendar/due?procedure=1.001193&from=9999-12-31T16:00:00%2B07:00", "", 422, `"from"`},
		{"due from year 0", "", "", G, "/api/v1/calendar/due?procedure=1.001193&from=0000-01-01T09:00:00Z", "", 422, `"from"`},
		{"unknown route", "", "", G, "/api/v1/nothing", "", 404, `"not_found"`},
		{"login wrong password", "", "", P, "/api/v1/login", `{"username":"canbo","password":"wrong"}`, 401, `Sai tên đăng nhập`},
	}
}

// TestBodyLimit checks that an oversized body is refused, not read whole.
func TestBodyLimit(t *testing.T) {
	e := newEnv(t, store.SQLite)
	big := `{"note":"` + strings.Repeat("a", 2<<20) + `"}`
	status, _, raw := e.do("canbo", http.MethodPost, "/api/v1/dossiers", big)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(raw, "too_large") {
		t.Fatalf("oversized body: %d %s", status, raw)
	}
}

// TestLoginSessionCookie signs in and uses the session as a cookie.
func TestLoginSessionCookie(t *testing.T) {
	e := newEnv(t, store.SQLite)
	res, err := http.Post(e.srv.URL+"/api/v1/login", "application/json", bytes.NewBufferString(`{"username":"canbo","password":"demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || len(res.Cookies()) == 0 {
		t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/me", nil)
	req.AddCookie(res.Cookies()[0])
	me, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(me.Body)
	me.Body.Close()
	if me.StatusCode != 200 || !strings.Contains(string(body), `"username":"canbo"`) {
		t.Fatalf("me: %d %s", me.StatusCode, body)
	}
	// A cross-site form post with the cookie is refused.
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/logout", nil)
	req.AddCookie(res.Cookies()[0])
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	cs, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cs.Body.Close()
	if cs.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", cs.StatusCode)
	}
}

// TestAllowedActionsInEveryAnswer: a submission and an action answer with
// what the caller may do next, as a read does, so a client follows the
// dossier from the answers alone.
func TestAllowedActionsInEveryAnswer(t *testing.T) {
	e := newEnv(t, store.SQLite)
	status, d, raw := e.do("canbo", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001612","channel":1,"components":`+required("1.001612")+
		`,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`)
	if status != 201 || !slices.Contains(asStrings(d["allowed_actions"]), "forward") {
		t.Fatalf("submission: %d %s", status, raw)
	}
	code := d["code"].(string)
	status, d, raw = e.do("canbo", "POST", "/api/v1/dossiers/"+code+"/actions/forward", "")
	if status != 200 || d["allowed_actions"] == nil || slices.Contains(asStrings(d["allowed_actions"]), "forward") {
		t.Fatalf("the counter, once the dossier left its step: %d %s", status, raw)
	}
	_, d, _ = e.do("chuyenvien", "GET", "/api/v1/dossiers/"+code, "")
	if !slices.Contains(asStrings(d["allowed_actions"]), "forward") {
		t.Fatalf("the specialist's read: %v", d["allowed_actions"])
	}
}

func asStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// TestResultFileTooLarge: a result file over 10 MB is refused with 413 and
// the too_large error code.
func TestResultFileTooLarge(t *testing.T) {
	e := newEnv(t, store.SQLite)
	_, d, raw := e.do("canbo", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001612","channel":1,"components":`+required("1.001612")+
		`,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`)
	code, _ := d["code"].(string)
	if st, _, raw := e.do("canbo", "POST", "/api/v1/dossiers/"+code+"/actions/forward", ""); st != 200 {
		t.Fatalf("forward: %d %s", st, raw)
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), 10<<20)...)
	if st, body := e.upload("canbo", "/api/v1/dossiers/"+code+"/result-file", "ket-qua.pdf", big); st != 413 || !strings.Contains(body, "too_large") {
		t.Fatalf("a result file over 10 MB: %d %.200s (submit %s)", st, body, raw)
	}
}
