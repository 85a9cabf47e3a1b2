package web_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store/storetest"
)

// TestOnBehalfAPI files on another's behalf through the API: without the
// person concerned it is refused, naming the field, and writes nothing;
// with them it is stored, returned, and written into the submit event.
func TestOnBehalfAPI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			before := e.total("canbo", "")
			for _, c := range []struct{ extra, field, msg string }{
				{`,"on_behalf":true`, "subject.name", "Nộp hộ người khác phải ghi họ tên người được nộp hộ"},
				{`,"on_behalf":true,"subject":{"kind":"person","name":"  ","relation":"con"}`, "subject.name", "Tên người được cấp kết quả không được để trống"},
				{`,"on_behalf":true,"subject":{"kind":"person","name":"Nguyễn Văn Bình"}`, "subject.relation", "Cần ghi quan hệ với người nộp"},
			} {
				status, m, raw := e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", c.extra)
				er, _ := m["error"].(map[string]any)
				if status != 422 || er["field"] != c.field || !strings.HasPrefix(er["message"].(string), c.msg) {
					t.Errorf("%s: %d %s, want 422 on %s saying %q", c.extra, status, raw, c.field, c.msg)
				}
			}
			if after := e.total("canbo", ""); after != before {
				t.Fatalf("refused filings on behalf wrote dossiers: %d then %d", before, after)
			}
			status, m, raw := e.submitJSON("canbo", "Nguyễn Văn An", "001090012345",
				`,"on_behalf":true,"note":"Mang bản chính","subject":{"kind":"person","name":"Nguyễn Văn Bình","birth_date":"2025-07-15","relation":"con"}`)
			if status != 201 || m["on_behalf"] != true {
				t.Fatalf("filing on behalf: %d %s", status, raw)
			}
			_, got, raw := e.do("canbo", "GET", "/api/v1/dossiers/"+m["code"].(string), "")
			h, _ := got["history"].([]any)
			if got["on_behalf"] != true || len(h) == 0 ||
				h[0].(map[string]any)["note"] != "Nộp hộ cho Nguyễn Văn Bình (con), người nộp: Nguyễn Văn An — Mang bản chính" {
				t.Fatalf("on behalf not recorded: %s", raw)
			}
			// A subject without on_behalf is not a filing on behalf.
			_, m, raw = e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", `,"subject":{"name":"Nguyễn Văn Bình","relation":"con"}`)
			if m["on_behalf"] != false {
				t.Fatalf("on_behalf without asking: %s", raw)
			}
			_, got, raw = e.do("canbo", "GET", "/api/v1/dossiers/"+m["code"].(string), "")
			if note, _ := got["history"].([]any)[0].(map[string]any)["note"].(string); strings.Contains(note, "Nộp hộ") {
				t.Fatalf("history says on behalf: %s", raw)
			}
		})
	}
}
