package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

// badText is what a string field must never store: JSON escapes of
// control characters (C0, C1), a lone surrogate, and raw bytes that are not
// UTF-8. Each is written into the body as it stands, between quotes.
var badText = []struct{ name, raw string }{
	{"NUL", `Nguy\u0000ễn`},
	{"BEL", `chú\u0007`},
	{"NEL", `dòng\u0085mới`},
	{"ESC", `\u001b[31m`},
	{"invalid UTF-8", "a\xff\xfeb"},
	{"cut UTF-8", "Nguy\xe1\xbb"},
	{"lone surrogate", `\ud800x`},
}

// hygieneBodies are the API's JSON bodies, each with every string field
// it has: the field is set to "@@" and then replaced by a bad text.
type hygieneBody struct {
	name, user, state, path string
	base                    map[string]any
	fields                  []string
	long                    map[string]bool // fields that keep a tab and line breaks
}

func hygieneBodies() []hygieneBody {
	return []hygieneBody{
		{"submit", "canbo", "", "/api/v1/dossiers",
			map[string]any{"procedure_code": "1.004873", "unit_code": demo.Ward, "channel": 1, "components": demo.Required("1.004873"),
				"applicant":   map[string]any{"name": "Lý Văn Phúc", "id_number": "001090012345", "phone": "0912345678", "email": "phuc@example.vn", "address": "Thôn 1"},
				"subject":     map[string]any{"kind": "person", "name": "Lý Văn An", "id_number": "001220012345", "birth_date": "2020-01-02", "address": "Thôn 1", "relation": "con"},
				"reused_from": "", "note": "", "on_incomplete": "", "missing": []any{"x"}, "reason": ""},
			[]string{"procedure_code", "unit_code", "components[0]", "applicant.name", "applicant.id_number", "applicant.phone", "applicant.email",
				"applicant.address", "subject.kind", "subject.name", "subject.id_number", "subject.birth_date", "subject.address", "subject.relation",
				"reused_from", "note", "on_incomplete", "missing[0]", "reason"},
			map[string]bool{"applicant.address": true, "subject.address": true, "note": true, "missing[0]": true, "reason": true}},
		{"action", "canbo", "received", "/api/v1/dossiers/{code}/actions/finish",
			map[string]any{"note": "", "reason": "", "missing": []any{"x"}, "department": "", "assignee": "", "components": []any{"x"},
				"result": map[string]any{"number": "12/QĐ", "signed_on": "2026-01-05", "signer": "Trần Văn Ba", "signer_title": "Chủ tịch", "file": ""}},
			[]string{"note", "reason", "missing[0]", "department", "assignee", "components[0]", "result.number", "result.signed_on",
				"result.signer", "result.signer_title", "result.file"},
			map[string]bool{"note": true, "reason": true, "missing[0]": true}},
		{"rating", "", "returned", "/api/v1/dossiers/{code}/rating",
			map[string]any{"rating": 2, "comment": "", "proof": "001190012345"},
			[]string{"comment", "proof"}, map[string]bool{"comment": true}},
		{"login", "", "", "/api/v1/login",
			map[string]any{"username": "canbo", "password": demo.Password()},
			[]string{"username", "password"}, nil},
	}
}

// withMarker returns body as JSON with the field at path set to "@@".
func withMarker(t *testing.T, base map[string]any, path string) string {
	t.Helper()
	raw, _ := json.Marshal(base)
	var m map[string]any
	_ = json.Unmarshal(raw, &m) // a deep copy
	var cur any = m
	parts := strings.Split(path, ".")
	for i, p := range parts {
		obj := cur.(map[string]any)
		name, list := strings.CutSuffix(p, "[0]")
		switch {
		case list:
			obj[name].([]any)[0] = "@@"
		case i == len(parts)-1:
			obj[name] = "@@"
		default:
			cur = obj[name]
		}
	}
	out, _ := json.Marshal(m)
	if strings.Count(string(out), `"@@"`) != 1 {
		t.Fatalf("no field %s in %s", path, out)
	}
	return string(out)
}

// TestJSONRefusesControlCharacters sends every string field of every JSON
// body of the API with each bad text: 422 naming the field, and nothing
// written (dossiers and events counted before and after). A tab or a line
// break is refused in a short field and kept in a long text.
func TestJSONRefusesControlCharacters(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			ctx := context.Background()
			codes := map[string]string{"received": e.prep("received"), "returned": e.prep("returned")}
			before, err := e.f.DB.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range hygieneBodies() {
				path := strings.ReplaceAll(b.path, "{code}", codes[b.state])
				for _, field := range b.fields {
					body := withMarker(t, b.base, field)
					bad := badText
					if !b.long[field] {
						bad = append(bad[:len(bad):len(bad)], struct{ name, raw string }{"tab", `Nguyễn\tVăn`}, struct{ name, raw string }{"line feed", `a\nb`})
					}
					for _, x := range bad {
						t.Run(b.name+"/"+field+"/"+x.name, func(t *testing.T) {
							e.t = t
							status, m, raw := e.do(b.user, http.MethodPost, path, strings.Replace(body, `"@@"`, `"`+x.raw+`"`, 1))
							errObj, _ := m["error"].(map[string]any)
							if status != http.StatusUnprocessableEntity || errObj["field"] != field || !strings.Contains(errObj["message"].(string), field) {
								t.Fatalf("%s with %s in %s: %d %s", b.name, x.name, field, status, raw)
							}
						})
					}
				}
			}
			after, err := e.f.DB.VerifyAudit(ctx)
			if err != nil || after != before {
				t.Fatalf("refused bodies wrote: before %+v, after %+v, %v", before, after, err)
			}
			// The long texts keep their tab and line breaks.
			e.t = t
			sub := hygieneBodies()[0]
			body := strings.Replace(withMarker(t, sub.base, "note"), `"@@"`, `"Bản sao\tcó chứng thực\r\nnộp sau"`, 1)
			body = strings.Replace(body, `"on_incomplete":"",`, "", 1)
			body = strings.Replace(body, `"missing":["x"],`, "", 1)
			if status, _, raw := e.do("canbo", http.MethodPost, "/api/v1/dossiers", body); status != http.StatusCreated {
				t.Fatalf("a note with a tab and a line break: %d %s", status, raw)
			}
		})
	}
}
