package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store"
)

type openAPIDoc struct {
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas   map[string]map[string]any `json:"schemas"`
		Responses map[string]struct {
			Content map[string]struct {
				Schema map[string]any `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"components"`
}

type operation struct {
	OperationID string                    `json:"operationId"`
	Responses   map[string]map[string]any `json:"responses"`
}

func loadDoc(t *testing.T) openAPIDoc {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var d openAPIDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
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
	for _, m := range regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		served[strings.ToLower(m[1])+" "+m[2]] = true
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

// TestOpenAPIResponsesMatch calls every operation of the document, in success
// and in failure, and checks each response against the schema the document
// gives for its status.
func TestOpenAPIResponsesMatch(t *testing.T) {
	doc := loadDoc(t)
	e := newEnv(t, store.SQLite)
	returned := e.prep("online-returned")
	received := e.prep("received")
	calls := map[string][]struct{ user, method, path, body string }{
		"health":            {{"", "GET", "/api/v1/healthz", ""}},
		"openapi":           {{"", "GET", "/api/v1/openapi.json", ""}},
		"login":             {{"", "POST", "/api/v1/login", `{"username":"canbo","password":"demo"}`}, {"", "POST", "/api/v1/login", `{"username":"canbo","password":"x"}`}},
		"logout":            {{"", "POST", "/api/v1/logout", ""}},
		"me":                {{"canbo", "GET", "/api/v1/me", ""}, {"", "GET", "/api/v1/me", ""}},
		"listSessions":      {{"canbo", "GET", "/api/v1/sessions", ""}, {"", "GET", "/api/v1/sessions", ""}},
		"revokeSession":     {{"canbo", "DELETE", "/api/v1/sessions/t000", ""}},
		"listUserSessions":  {{"quantri", "GET", "/api/v1/users/canbo/sessions", ""}, {"canbo", "GET", "/api/v1/users/canbo/sessions", ""}},
		"revokeUserSession": {{"quantri", "DELETE", "/api/v1/users/canbo/sessions/t000", ""}},
		"getUnit":           {{"", "GET", "/api/v1/units/00004", ""}, {"", "GET", "/api/v1/units/99999", ""}},
		"listProcedures":    {{"", "GET", "/api/v1/procedures?q=khai+sinh", ""}},
		"getProcedure":      {{"", "GET", "/api/v1/procedures/1.001193", ""}, {"", "GET", "/api/v1/procedures/1.999999", ""}},
		"submitDossier":     {{"canbo", "POST", "/api/v1/dossiers", `{"procedure_code":"1.004873","channel":1,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`}, {"canbo", "POST", "/api/v1/dossiers", `{}`}},
		"listDossiers":      {{"canbo", "GET", "/api/v1/dossiers?status=2", ""}, {"", "GET", "/api/v1/dossiers", ""}},
		"getDossier":        {{"canbo", "GET", "/api/v1/dossiers/" + received, ""}, {"canbo.ngocha", "GET", "/api/v1/dossiers/" + received, ""}},
		"actOnDossier":      {{"canbo", "POST", "/api/v1/dossiers/" + received + "/actions/forward", ""}, {"canbo", "POST", "/api/v1/dossiers/" + received + "/actions/receive", ""}},
		"rateDossier":       {{"congdan", "POST", "/api/v1/dossiers/" + returned + "/rating", `{"rating":1}`}, {"congdan", "POST", "/api/v1/dossiers/" + returned + "/rating", `{"rating":1}`}},
		"lookup":            {{"", "GET", "/api/v1/lookup?code=" + returned + "&id=001190012345", ""}, {"", "GET", "/api/v1/lookup?code=x", ""}},
		"stats":             {{"lanhdao", "GET", "/api/v1/stats?from=2026-01-01", ""}, {"congdan", "GET", "/api/v1/stats", ""}},
		"calendarYear":      {{"", "GET", "/api/v1/calendar/2025", ""}, {"", "GET", "/api/v1/calendar/x", ""}},
		"calendarDue":       {{"", "GET", "/api/v1/calendar/due?procedure=1.001612", ""}, {"", "GET", "/api/v1/calendar/due?procedure=1.001612&from=soon", ""}},
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			cs, ok := calls[op.OperationID]
			if !ok {
				t.Errorf("%s %s (%s): no sample call in this test", method, path, op.OperationID)
				continue
			}
			for _, c := range cs {
				status, body, raw := e.do(c.user, c.method, c.path, c.body)
				resp, ok := op.Responses[fmt.Sprint(status)]
				if !ok {
					t.Errorf("%s: status %d is not in the document (%s)", op.OperationID, status, raw)
					continue
				}
				schema := responseSchema(doc, resp)
				if err := validate(doc, schema, any(body), "$"); err != nil {
					t.Errorf("%s %d: %v\n%s", op.OperationID, status, err, raw)
				}
			}
		}
	}
	_ = http.MethodGet
}

func responseSchema(doc openAPIDoc, resp map[string]any) map[string]any {
	if ref, ok := resp["$ref"].(string); ok {
		return doc.Components.Responses[strings.TrimPrefix(ref, "#/components/responses/")].Content["application/json"].Schema
	}
	content, _ := resp["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	s, _ := js["schema"].(map[string]any)
	return s
}

// validate checks v against the subset of JSON Schema the document uses.
func validate(doc openAPIDoc, s map[string]any, v any, at string) error {
	if ref, ok := s["$ref"].(string); ok {
		return validate(doc, doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")], v, at)
	}
	if err := checkType(s["type"], v, at); err != nil {
		return err
	}
	if enum, ok := s["enum"].([]any); ok && v != nil && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range asList(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Errorf("%s: required %q missing", at, r)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, ps := range props {
			if val, ok := x[k]; ok {
				if err := validate(doc, ps.(map[string]any), val, at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range x {
				if err := validate(doc, items, it, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
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
		return nil
	}
	for _, ty := range types {
		if matchesType(ty, v) {
			return nil
		}
	}
	return fmt.Errorf("%s: %T is not %v", at, v, types)
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
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "number":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}
