package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// civilExtractCalls prints a record's extract through the API: the ward's
// leader with a reason gets the PDF; without a reason nothing is read; the
// counter officer of the same ward finds no record.
func civilExtractCalls(t *testing.T, e *env, call func(user, method, path, body string, want int) map[string]any) {
	t.Helper()
	book := call("hotich", "POST", "/api/v1/civil/books", `{"kind":"death","year":1999,"number":"04"}`, 201)["id"]
	rec := call("hotich", "POST", "/api/v1/civil/records", fmt.Sprintf(`{"book_id":%v,"entry":"5","registered_on":"1999",
		"people":[{"role":"deceased","full_name":"Phạm Văn Ất"}],"fields":{"death_date":"09/01/1999"}}`, book), 201)["id"]
	path := fmt.Sprintf("/api/v1/civil/records/%v/extract.pdf", rec)
	if st, body := e.download("lanhdao", path+"?reason=issue_extract"); st != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("extract: %d %.40q", st, body)
	}
	if st, _ := e.download("lanhdao", path); st != 422 {
		t.Errorf("extract without a reason: %d", st)
	}
	if st, _ := e.download("canbo", path+"?reason=check"); st != 404 {
		t.Errorf("extract for the counter officer: %d", st)
	}
}
