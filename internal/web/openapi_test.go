package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// The API document is the contract: every JSON answer of every API test
// (env.do) is checked against the schema the document gives for its route
// and status, strictly: each field sent must be declared with its type,
// each required field present, and an object schema must declare its
// fields. TestOpenAPILifecycle drives a server through dossiers' lives so
// that every operation is checked at least once.

type openAPIDoc struct {
	raw   map[string]any
	Paths map[string]map[string]map[string]any
	re    []pathRE
}

type pathRE struct {
	template string
	re       *regexp.Regexp
}

var (
	docOnce sync.Once
	docVal  *openAPIDoc
	docErr  error
)

func loadDoc(t testing.TB) *openAPIDoc {
	t.Helper()
	docOnce.Do(func() {
		b, err := os.ReadFile("openapi.json")
		if err != nil {
			docErr = err
			return
		}
		d := &openAPIDoc{}
		if err := json.Unmarshal(b, &d.raw); err != nil {
			docErr = err
			return
		}
		if err := json.Unmarshal(b, &struct {
			Paths *map[string]map[string]map[string]any `json:"paths"`
		}{&d.Paths}); err != nil {
			docErr = err
			return
		}
		for p := range d.Paths {
			d.re = append(d.re, pathRE{p, regexp.MustCompile("^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`) + "$")})
		}
		// Literal paths before templates: /calendar/due before /calendar/{year}.
		sort.Slice(d.re, func(i, j int) bool {
			return strings.Count(d.re[i].template, "{") < strings.Count(d.re[j].template, "{")
		})
		docVal = d
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return docVal
}

// route finds the document's path template for a request path.
func (d *openAPIDoc) route(path string) string {
	path, _, _ = strings.Cut(path, "?")
	for _, p := range d.re {
		if p.re.MatchString(path) {
			return p.template
		}
	}
	return ""
}

// covered records which operation answered which status in this test
// binary, for the coverage check of TestOpenAPILifecycle.
var covered sync.Map // "get /api/v1/me 200" → true

// checkContract checks one exchange against the document.
func checkContract(method, path string, reqBody string, status int, h http.Header, raw []byte, t testing.TB) error {
	d := loadDoc(t)
	if !strings.HasPrefix(path, "/api/v1/") {
		return nil
	}
	tmpl := d.route(path)
	if tmpl == "" {
		if status != http.StatusNotFound {
			return fmt.Errorf("%s %s: no such path in the document, yet answered %d", method, path, status)
		}
		return checkBody(d, d.schemaOf("#/components/responses/Error"), raw)
	}
	ops := d.Paths[tmpl]
	op, ok := ops[strings.ToLower(method)]
	if !ok {
		if method == http.MethodHead && ops["get"] != nil {
			return nil
		}
		if status != http.StatusMethodNotAllowed {
			return fmt.Errorf("%s %s: method not in the document, yet answered %d", method, tmpl, status)
		}
		var allow []string
		for m := range ops {
			allow = append(allow, strings.ToUpper(m))
		}
		for _, m := range allow {
			if !strings.Contains(h.Get("Allow"), m) {
				return fmt.Errorf("%s %s: 405 with Allow %q, missing %s", method, tmpl, h.Get("Allow"), m)
			}
		}
		for m, o := range ops {
			if _, ok := responses(o)["405"]; !ok {
				return fmt.Errorf("%s %s: 405 is not documented", m, tmpl)
			}
		}
		return checkBody(d, d.schemaOf("#/components/responses/MethodNotAllowed"), raw)
	}
	covered.Store(fmt.Sprintf("%s %s %d", strings.ToLower(method), tmpl, status), true)
	resp, ok := responses(op)[fmt.Sprint(status)]
	if !ok {
		return fmt.Errorf("%s %s: status %d is not in the document (%.300s)", method, tmpl, status, raw)
	}
	schema := d.responseSchema(resp.(map[string]any))
	if content, _ := resp.(map[string]any)["content"].(map[string]any); schema == nil && len(content) > 0 {
		// A file, not JSON: the type sent must be one the document names.
		ct, _, _ := strings.Cut(h.Get("Content-Type"), ";")
		if _, ok := content[ct]; !ok {
			return fmt.Errorf("%s %s %d: Content-Type %q is not in the document", method, tmpl, status, ct)
		}
		return nil
	}
	if schema == nil {
		if len(bytes.TrimSpace(raw)) != 0 {
			return fmt.Errorf("%s %s %d: the document gives no body, the server sent %.200s", method, tmpl, status, raw)
		}
		return nil
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s %d: Content-Type %q", method, tmpl, status, ct)
	}
	if err := checkBody(d, schema, raw); err != nil {
		return fmt.Errorf("%s %s %d: %v\n%.600s", method, tmpl, status, err, raw)
	}
	// Query parameters of an accepted request must be documented.
	if _, q, ok := strings.Cut(path, "?"); ok && status < 300 {
		params, _ := url.ParseQuery(q)
		for name := range params {
			if !slices.ContainsFunc(asList(op["parameters"]), func(p any) bool {
				m, _ := p.(map[string]any)
				return m["in"] == "query" && m["name"] == name
			}) {
				return fmt.Errorf("%s %s: query parameter %q is not in the document", method, tmpl, name)
			}
		}
	}
	// A body the server accepted must be one the document describes.
	if status < 300 && reqBody != "" {
		if rs := d.requestSchema(op, path); rs != nil {
			if err := checkBody(d, rs, []byte(reqBody)); err != nil {
				return fmt.Errorf("%s %s: request body accepted but not as documented: %v\n%s", method, tmpl, err, reqBody)
			}
		}
	}
	return nil
}

func responses(op map[string]any) map[string]any {
	r, _ := op["responses"].(map[string]any)
	return r
}

// schemaOf resolves a reference to a response or a schema.
func (d *openAPIDoc) schemaOf(ref string) map[string]any {
	var cur any = d.raw
	for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := cur.(map[string]any)
		cur = m[p]
	}
	m, _ := cur.(map[string]any)
	if strings.HasPrefix(ref, "#/components/responses/") {
		return d.responseSchema(m)
	}
	return m
}

func (d *openAPIDoc) responseSchema(resp map[string]any) map[string]any {
	if ref, ok := resp["$ref"].(string); ok {
		return d.schemaOf(ref)
	}
	content, _ := resp["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	s, _ := js["schema"].(map[string]any)
	return s
}

// requestSchema is the operation's body schema; for a lifecycle action,
// the body of that action (x-action-bodies).
func (d *openAPIDoc) requestSchema(op map[string]any, path string) map[string]any {
	if bodies, ok := op["x-action-bodies"].(map[string]any); ok {
		action := path[strings.LastIndexByte(path, '/')+1:]
		s, _ := bodies[action].(map[string]any)
		return s
	}
	rb, _ := op["requestBody"].(map[string]any)
	if rb == nil {
		return nil
	}
	return d.responseSchema(rb)
}

func checkBody(d *openAPIDoc, schema map[string]any, raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return validate(d, schema, v, "$")
}

// validate checks v against the subset of JSON Schema the document uses,
// strictly: undeclared fields are errors, objects and arrays must say what
// they hold.
func validate(d *openAPIDoc, s map[string]any, v any, at string) error {
	if s == nil {
		return fmt.Errorf("%s: no schema", at)
	}
	if ref, ok := s["$ref"].(string); ok {
		return validate(d, d.schemaOf(ref), v, at)
	}
	if alts, ok := s["oneOf"].([]any); ok {
		n := 0
		var errs []string
		for _, a := range alts {
			if err := validate(d, a.(map[string]any), v, at); err == nil {
				n++
			} else {
				errs = append(errs, err.Error())
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: matches %d of oneOf (%s)", at, n, strings.Join(errs, "; "))
		}
		return nil
	}
	if err := checkType(s["type"], v, at); err != nil {
		return err
	}
	if enum, ok := s["enum"].([]any); ok && v != nil && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		if m, ok := s["minimum"].(float64); ok && f < m {
			return fmt.Errorf("%s: %v < minimum %v", at, f, m)
		}
		if m, ok := s["maximum"].(float64); ok && f > m {
			return fmt.Errorf("%s: %v > maximum %v", at, f, m)
		}
	}
	if str, ok := v.(string); ok && s["format"] == "date-time" {
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			return fmt.Errorf("%s: %q is not a date-time", at, str)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, hasProps := s["properties"].(map[string]any)
		extra, hasExtra := s["additionalProperties"]
		if !hasProps && !hasExtra {
			return fmt.Errorf("%s: the schema of this object declares no fields", at)
		}
		for _, r := range asList(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Errorf("%s: required %q missing", at, r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, declared := props[k].(map[string]any)
			switch {
			case declared:
			case extra == true:
				continue
			case hasExtra && extra != false:
				ps, _ = extra.(map[string]any)
			default:
				return fmt.Errorf("%s: field %q is not in the document", at, k)
			}
			if err := validate(d, ps, x[k], at+"."+k); err != nil {
				return err
			}
		}
	case []any:
		items, ok := s["items"].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: the schema of this array does not say what it holds", at)
		}
		for i, it := range x {
			if err := validate(d, items, it, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func asList(v any) []any { l, _ := v.([]any); return l }

func checkType(t any, v any, at string) error {
	var types []string
	switch x := t.(type) {
	case string:
		types = []string{x}
	case []any:
		for _, y := range x {
			types = append(types, y.(string))
		}
	default:
		return fmt.Errorf("%s: the schema gives no type", at)
	}
	for _, ty := range types {
		if matchesType(ty, v) {
			return nil
		}
	}
	return fmt.Errorf("%s: %T %v is not %v", at, v, v, types)
}

func matchesType(ty string, v any) bool {
	switch ty {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}

// TestOpenAPIRoutesServed checks both ways that the document and routes.go
// name the same API routes.
func TestOpenAPIRoutesServed(t *testing.T) {
	doc := loadDoc(t)
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(GET|HEAD|POST|PUT|PATCH|DELETE) (/api/v1/[^"]+|/auth/oidc/[^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		served[strings.ToLower(m[1])+" "+m[2]] = true
	}
	if regexp.MustCompile(`HandleFunc\("/api/v1/[^"]+"`).Match(src) {
		t.Errorf("routes.go has an API route without a method")
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("%s %s is in openapi.json but not served", method, path)
			}
			delete(served, method+" "+path)
		}
	}
	for r := range served {
		t.Errorf("%s is served but not in openapi.json", r)
	}
}

// lifecycleMatrix finds, by trying dossier.Apply (the rules table itself),
// which role may take which action from which status: for each status,
// action and role, some step of the demo's four-step procedure (counter →
// specialist → leader → counter) at which the rule accepts the action.
func lifecycleMatrix(t *testing.T, e *env) []any {
	ctx := context.Background()
	p, err := store.Procedures{DB: e.f.DB}.Get(ctx, "1.001612")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := e.f.Cals.For(ctx, "00004")
	if err != nil {
		t.Fatal(err)
	}
	roles := []struct{ role, user string }{{auth.RoleApplicant, "congdan"}, {auth.RoleCounter, "canbo"},
		{auth.RoleSpecialist, "chuyenvien"}, {auth.RoleLeader, "lanhdao"}, {auth.RoleAdmin, "quantri"}}
	actions := append(slices.Clone(dossier.Actions), dossier.ActRate)
	now := e.f.Clock.Now()
	var out []any
	for s := dossier.Status(1); s <= 10; s++ {
		allowed := map[string]any{}
		for _, act := range actions {
			var who []any
			for _, r := range roles {
				ok := false
				for step := 0; step < len(p.Steps) && !ok; step++ {
					// Approved or not; received, or waiting at reception (not yet received).
					for _, v := range []struct{ approved, received bool }{{false, true}, {true, true}, {false, false}} {
						d := &dossier.Dossier{Code: "X", UnitCode: "00004", Units: []string{"00004"}, Status: s, Step: step, Approved: v.approved,
							ApplicantUserID: e.f.Users["congdan"].ID, Components: dossier.MissingRequired(p, nil)}
						if v.received {
							d.ReceivedAt, d.DueAt, d.StepDueAt = now, now.Add(48*time.Hour), now.Add(8*time.Hour)
						}
						if s.Paused() {
							d.ResumeStatus, d.PausedAt = dossier.StatusReceived, now
						}
						req := dossier.ActionRequest{Action: act, Note: "-", Reason: "-", Missing: []string{"-"}, Amount: 1,
							Rating: dossier.RatingOK, NewDueAt: now.Add(72 * time.Hour)}
						if _, err := dossier.Apply(d, req, dossier.Env{Proc: p, Cal: cal, Actor: e.f.Actors[r.user], Now: now}); err == nil {
							ok = true
							break
						}
					}
				}
				if ok {
					who = append(who, r.role)
				}
			}
			if len(who) > 0 {
				allowed[act] = who
			}
		}
		out = append(out, map[string]any{"code": float64(s), "name": s.Name(), "name_en": s.NameEn(), "actions": allowed})
	}
	return out
}

// TestOpenAPILifecycleRules: the document lists every status with its
// Vietnamese and English names, and the actions allowed from each with the
// roles that may take them, as the rules table decides them.
func TestOpenAPILifecycleRules(t *testing.T) {
	doc := loadDoc(t)
	e := newEnv(t, store.SQLite)
	want := lifecycleMatrix(t, e)
	lc, _ := doc.raw["x-lifecycle"].(map[string]any)
	got, _ := lc["statuses"].([]any)
	// Compare as JSON, so that numbers and lists compare alike.
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	var wv, gv any
	_ = json.Unmarshal(w, &wv)
	_ = json.Unmarshal(g, &gv)
	if !reflect.DeepEqual(wv, gv) {
		pretty, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("x-lifecycle.statuses in openapi.json differs from the rules; it should be:\n%s", pretty)
	}
	// Every action has a documented body, and the status schema names all ten.
	bodies, _ := doc.Paths["/api/v1/dossiers/{code}/actions/{action}"]["post"]["x-action-bodies"].(map[string]any)
	for _, a := range dossier.Actions {
		if _, ok := bodies[a]; !ok {
			t.Errorf("x-action-bodies: no body for %s", a)
		}
	}
	if len(bodies) != len(dossier.Actions) {
		t.Errorf("x-action-bodies lists %d actions, the API takes %d", len(bodies), len(dossier.Actions))
	}
	st := doc.schemaOf("#/components/schemas/Status")
	if enum := asList(st["enum"]); len(enum) != 10 {
		t.Errorf("Status schema: enum %v", enum)
	}
	for s := dossier.Status(1); s <= 10; s++ {
		if desc, _ := st["description"].(string); !strings.Contains(desc, fmt.Sprintf("%d %s (%s)", s, s.Name(), s.NameEn())) {
			t.Errorf("Status schema description does not name %d %s (%s)", s, s.Name(), s.NameEn())
		}
	}
	// The rating scale, as the domain has it.
	levels := asList(doc.schemaOf("#/components/schemas/Rating")["x-levels"])
	if len(levels) != len(dossier.RatingLevel) {
		t.Fatalf("Rating x-levels: %v", levels)
	}
	for _, l := range levels {
		m := l.(map[string]any)
		n := int(m["value"].(float64))
		if dossier.RatingLevel[n] != m["name"] || dossier.RatingName[n] != m["vi"] {
			t.Errorf("Rating level %v does not match the domain's %d %s %s", m, n, dossier.RatingLevel[n], dossier.RatingName[n])
		}
	}
}

// TestOpenAPILifecycle drives a real server through dossiers' lives, every
// answer checked against the document by env.do, then checks that every
// operation of the document answered with its success status.
func TestOpenAPILifecycle(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine, withPopulation(t))
			call := func(user, method, path, body string, want int) map[string]any {
				t.Helper()
				status, m, raw := e.do(user, method, path, body)
				if status != want {
					t.Fatalf("%s %s as %q: %d %s, want %d", method, path, user, status, raw, want)
				}
				return m
			}
			call("", "GET", "/api/v1/healthz", "", 200)
			call("", "GET", "/api/v1/openapi.json", "", 200)
			e.tokens["s"] = call("", "POST", "/api/v1/login", `{"username":"canbo","password":"demo"}`, 200)["token"].(string)
			call("", "POST", "/api/v1/login", `{"username":"canbo","password":"sai"}`, 401)
			call("s", "GET", "/api/v1/me", "", 200)
			call("", "GET", "/api/v1/me", "", 401)
			call("", "GET", "/api/v1/units/00004", "", 200)
			call("", "GET", "/api/v1/units/99999", "", 404)
			call("", "GET", "/api/v1/procedures?q=khai+sinh", "", 200)
			call("", "GET", "/api/v1/procedures/1.001193", "", 200)
			call("", "GET", "/api/v1/calendar/2026", "", 200)
			call("", "GET", "/api/v1/calendar/due?procedure=1.001612", "", 200)
			// The gateway's notification, unsigned: answered in the gateway's terms.
			if m := call("", "GET", "/api/v1/payments/ipn?vnp_TxnRef=X&vnp_Amount=100&vnp_SecureHash=00", "", 200); m["RspCode"] != "97" {
				t.Errorf("unsigned IPN: %v, want RspCode 97", m)
			}

			// At the counter, through to the result and its rating.
			d := call("s", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001612","channel":1,"components":`+required("1.001612")+`,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345","phone":"0912345678"},"subject":{"kind":"business","name":"Hộ kinh doanh Phúc An","id_number":"0109876543","relation":"chủ hộ"}}`, 201)
			code := d["code"].(string)
			act := func(user, action, body string, want int) map[string]any {
				return call(user, "POST", "/api/v1/dossiers/"+code+"/actions/"+action, body, want)
			}
			call("s", "GET", "/api/v1/dossiers/"+code, "", 200)
			call("s", "GET", "/api/v1/dossiers?status=2", "", 200)
			act("s", "forward", `{"note":"Đủ giấy tờ"}`, 200)
			act("chuyenvien", "forward", "", 200)
			act("lanhdao", "approve", "", 200)
			call("s", "GET", "/api/v1/people/001090012345", "", 200)
			call("chuyenvien", "GET", "/api/v1/my-work", "", 200)
			call("congdan", "GET", "/api/v1/me/dossiers?limit=5", "", 200)
			call("congdan", "GET", "/api/v1/me/documents", "", 200)
			call("canbo", "GET", "/api/v1/me/documents", "", 403)
			if st, raw := e.upload("canbo", "/api/v1/dossiers/"+code+"/result-file", "ket-qua.pdf", []byte("%PDF-1.4\n%%EOF\n")); st != 201 {
				t.Fatalf("result file: %d %s", st, raw)
			} else {
				var up map[string]any
				_ = json.Unmarshal([]byte(raw), &up)
				act("canbo", "finish", `{"result":{"number":"12/GCN","signer":"Trần Văn Lãnh","file":"`+up["ref"].(string)+`"}}`, 200)
			}
			act("canbo", "finish", "", 409)
			act("canbo", "return_result", "", 200)
			if st, raw := e.download("s", "/api/v1/dossiers/"+code+"/result-file"); st != 200 || !strings.HasPrefix(raw, "%PDF-") {
				t.Fatalf("result file download: %d %.40q", st, raw)
			}
			call("", "GET", "/api/v1/lookup?code="+code+"&id=001090012345", "", 200)
			call("", "POST", "/api/v1/dossiers/"+code+"/rating", `{"rating":"very_satisfied","comment":"Nhanh","proof":"0912345678"}`, 200)
			call("", "POST", "/api/v1/dossiers/"+code+"/rating", `{"rating":3,"proof":"0912345678"}`, 409)
			if d := call("s", "GET", "/api/v1/dossiers/"+code, "", 200); d["rating"] != float64(dossier.RatingVery) {
				t.Fatalf("named rating stored as %v", d["rating"])
			}

			// Online: supplement, payment, apology, stop.
			call("congdan", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001193","applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345"}}`, 422)
			d = call("congdan", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":`+required("1.001193")+`,"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345"}}`, 201)
			code = d["code"].(string)
			act("canbo", "receive", "", 200)
			act("canbo", "request_supplement", `{"missing":["Bản sao giấy chứng sinh"]}`, 200)
			act("congdan", "supplement", `{"components":["Bản sao giấy chứng sinh"]}`, 200)
			call("s", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001612","channel":1,"on_incomplete":"request_supplement","applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 201)
			act("canbo", "request_payment", `{"amount":8000}`, 200)
			act("canbo", "confirm_payment", "", 200)
			act("canbo", "forward", "", 200)
			act("chuyenvien", "forward", "", 200)
			act("lanhdao", "send_back", `{"reason":"Thiếu chữ ký"}`, 200)
			due := call("congdan", "GET", "/api/v1/dossiers/"+code, "", 200)["due_at"].(string)
			at, _ := time.Parse(time.RFC3339, due)
			act("lanhdao", "extend", `{"reason":"Cần xác minh","new_due_at":"`+at.Add(72*time.Hour).Format(time.RFC3339)+`"}`, 200)
			act("lanhdao", "extend", `{"reason":"Cần xác minh","new_due_at":"31/12/2026"}`, 422)
			act("lanhdao", "stop", `{"reason":"Có tranh chấp"}`, 200)

			// Refused and withdrawn.
			code = call("congdan", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":`+required("1.001193")+`,"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345"}}`, 201)["code"].(string)
			act("canbo", "refuse", `{"reason":"Không thuộc thẩm quyền"}`, 200)
			code = call("congdan", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001193","unit_code":"00004","components":`+required("1.001193")+`,"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345"}}`, 201)["code"].(string)
			act("congdan", "withdraw", `{"reason":"Nộp nhầm"}`, 200)
			act("canbo", "receive", "", 409)
			act("canbo.ngocha", "receive", "", 404)
			act("canbo", "receive", `{"reasn":"x"}`, 422)
			act("canbo", "refuse", `{"reason":"`+strings.Repeat("x", 1<<20)+`"}`, 413)

			call("lanhdao", "GET", "/api/v1/stats?from=2026-01-01", "", 200)
			// A unit's own calendar, by its administrator only.
			call("quantri", "POST", "/api/v1/units/00004/calendar", `{"date":"2026-12-24","kind":"holiday","name":"Nghỉ bù","reason":"Thông báo 9/TB-UBND"}`, 200)
			// The service index and the evaluations.
			call("lanhdao", "POST", "/api/v1/index/entries", `{"unit":"00004","period":"2026-02","indicator":"5.2","numerator":3,"denominator":4}`, 201)
			call("lanhdao", "GET", "/api/v1/index?from=2026-01-01", "", 200)
			call("lanhdao", "GET", "/api/v1/index/ranking?from=2026-01-01", "", 200)
			call("lanhdao", "GET", "/api/v1/index/explain?indicator=2.1&from=2026-01-01", "", 200)
			call("lanhdao", "POST", "/api/v1/evaluations/entries", `{"unit":"00004","period":"2026-03","criterion":"publicity","points":2,"reason":"Niêm yết đủ"}`, 201)
			call("lanhdao", "GET", "/api/v1/evaluations?period=2026-03", "", 200)
			call("congdan", "GET", "/api/v1/stats", "", 403)
			call("s", "GET", "/api/v1/sessions", "", 200)
			call("quantri", "GET", "/api/v1/users/canbo/sessions", "", 200)
			id := call("quantri", "GET", "/api/v1/users/chuyenvien/sessions", "", 200)["sessions"].([]any)[0].(map[string]any)["id"].(string)
			call("quantri", "DELETE", "/api/v1/users/chuyenvien/sessions/"+id, "", 204)
			// The outbox and the webhooks.
			dead := failMessage(t, e, "00004", "sms", "0912345678", "sms:"+code)
			call("quantri", "GET", "/api/v1/outbox?status=dead&limit=1", "", 200)
			call("quantri", "POST", fmt.Sprintf("/api/v1/outbox/%d/retry", dead), "", 200)
			hook := call("quantri", "POST", "/api/v1/webhooks", `{"url":"https://example.org/motcua","events":["*"]}`, 201)
			call("quantri", "GET", "/api/v1/webhooks", "", 200)
			call("quantri", "POST", fmt.Sprintf("/api/v1/webhooks/%d/active", int64(hook["id"].(float64))), `{"active":false}`, 200)
			e.tokens["s2"] = call("", "POST", "/api/v1/login", `{"username":"canbo","password":"demo"}`, 200)["token"].(string)
			for _, s := range call("s", "GET", "/api/v1/sessions", "", 200)["sessions"].([]any) {
				if s := s.(map[string]any); s["current"] == false && s["kind"] == "session" {
					call("s", "DELETE", "/api/v1/sessions/"+s["id"].(string), "", 204)
				}
			}
			call("s2", "GET", "/api/v1/me", "", 401)
			call("s2", "GET", "/api/v1/procedures", "", 401) // a revoked token is refused even where none is needed

			// Wrong methods on known paths: 405 with Allow; unknown paths 404.
			for _, c := range []struct{ method, path, allow string }{
				{"DELETE", "/api/v1/dossiers", "GET, HEAD, POST"}, {"PUT", "/api/v1/login", "POST"},
				{"GET", "/api/v1/dossiers/" + code + "/actions/forward", "POST"}, {"POST", "/api/v1/sessions", "GET, HEAD"},
				{"PATCH", "/api/v1/sessions/x", "DELETE"},
			} {
				req, _ := http.NewRequest(c.method, e.srv.URL+c.path, nil)
				req.Header.Set("Authorization", "Bearer "+e.tokens["canbo"])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 405 || res.Header.Get("Allow") != c.allow || !strings.Contains(string(raw), `"method_not_allowed"`) {
					t.Errorf("%s %s: %d Allow %q %s", c.method, c.path, res.StatusCode, res.Header.Get("Allow"), raw)
				}
				if err := checkContract(c.method, c.path, "", res.StatusCode, res.Header, raw, t); err != nil {
					t.Error(err)
				}
			}
			targetCalls(t, call)
			petitionCalls(t, e, call)
			// The specialist's session was revoked above; the queue's calls
			// need a second officer of the ward again.
			tok, err := e.f.DB.CreateToken(context.Background(), e.f.Users["chuyenvien"].ID, store.TokenAPI, 0)
			if err != nil {
				t.Fatal(err)
			}
			e.tokens["chuyenvien"] = tok
			queueCalls(t, call, code)
			civilCalls(t, e, call)
			civilExtractCalls(t, e, call)
			newsCalls(t, call)
			groupCalls(t, e, call)
			populationCalls(t, call, code)
			call("canbo", "GET", "/api/v1/nothing", "", 404)
			call("s", "POST", "/api/v1/logout", "", 200)
			call("s", "GET", "/api/v1/me", "", 401)

			// Every operation answered with its success status.
			for path, ops := range loadDoc(t).Paths {
				for method, op := range ops {
					if op["x-browser"] == true {
						continue // a browser's redirect, tested by its own flow (oidc_test.go)
					}
					ok := false
					for st := range responses(op) {
						if st < "300" {
							if _, seen := covered.Load(method + " " + path + " " + st); seen {
								ok = true
							}
						}
					}
					if !ok {
						t.Errorf("%s %s: never answered with success in this test", method, path)
					}
				}
			}
		})
	}
}

// TestOpenAPIRequestBodies: each request body the document describes has
// exactly the fields of the Go type the server decodes it into, nested
// objects included; an operation with a body must name its Go type in
// RequestTypes.
func TestOpenAPIRequestBodies(t *testing.T) {
	doc := loadDoc(t)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op["requestBody"] == nil {
				continue
			}
			if content, _ := op["requestBody"].(map[string]any)["content"].(map[string]any); content["application/json"] == nil {
				continue // a file upload (multipart): no Go type decodes it
			}
			id, _ := op["operationId"].(string)
			goType, ok := web.RequestTypes[id]
			if !ok {
				t.Errorf("%s %s (%s): add the Go type of its body to RequestTypes", method, path, id)
				continue
			}
			schema := doc.requestSchema(op, "")
			if bodies, ok := op["x-action-bodies"].(map[string]any); ok {
				// The union of the actions' bodies.
				union := map[string]any{}
				for _, b := range bodies {
					for k, v := range b.(map[string]any)["properties"].(map[string]any) {
						union[k] = v
					}
				}
				schema = map[string]any{"properties": union}
			}
			compareFields(t, doc, id, schema, reflect.TypeOf(goType))
		}
	}
}

func compareFields(t *testing.T, doc *openAPIDoc, at string, schema map[string]any, ty reflect.Type) {
	t.Helper()
	if ref, ok := schema["$ref"].(string); ok {
		schema = doc.schemaOf(ref)
	}
	props, _ := schema["properties"].(map[string]any)
	fields := map[string]reflect.Type{}
	for f := range ty.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "-" && f.IsExported() {
			fields[name] = f.Type
		}
	}
	for name, ft := range fields {
		ps, ok := props[name].(map[string]any)
		if !ok {
			t.Errorf("%s: the server takes %q, the document does not say so", at, name)
			continue
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
			compareFields(t, doc, at+"."+name, ps, ft)
		}
	}
	for name := range props {
		if _, ok := fields[name]; !ok {
			t.Errorf("%s: the document lists %q, the server refuses it", at, name)
		}
	}
}

// upload posts one file as multipart to an API path as user, the answer
// checked against the document like every other.
func (e *env) upload(user, path, name string, content []byte) (int, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", name)
	_, _ = w.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.send(user, req, "")
}

// download gets a file from an API path as user, checked against the document.
func (e *env) download(user, path string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	return e.send(user, req, "")
}

func (e *env) send(user string, req *http.Request, body string) (int, string) {
	e.t.Helper()
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if err := checkContract(req.Method, req.URL.RequestURI(), body, res.StatusCode, res.Header, raw, e.t); err != nil {
		e.t.Errorf("openapi.json: %v", err)
	}
	return res.StatusCode, string(raw)
}
