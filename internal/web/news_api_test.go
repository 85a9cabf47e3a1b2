package web_test

import (
	"strings"
	"testing"
)

// newsCalls walks the news API for TestOpenAPILifecycle: categories, an
// administrator's article with a hostile body, its review by a leader, the
// public list and search, a picture.
func newsCalls(t *testing.T, call func(user, method, path, body string, want int) map[string]any) {
	t.Helper()
	call("quantri", "POST", "/api/v1/news/categories", `{"name":"Thông báo"}`, 201)
	call("quantri", "POST", "/api/v1/news/categories", `{"name":"Thông  báo"}`, 409)
	call("canbo", "POST", "/api/v1/news/categories", `{"name":"Tin"}`, 403)
	call("", "GET", "/api/v1/news/categories?unit=00004", "", 200)
	body := `{"title":"Lịch tiếp công dân","body":"Lịch: <script>alert(1)</script> **Thứ Năm** [x](javascript:alert(1))","category":"thong-bao","submit":true}`
	call("canbo", "POST", "/api/v1/news", body, 403)
	call("quantri", "POST", "/api/v1/news", `{"title":"x","body":"y","category":"khong-co"}`, 422)
	a := call("quantri", "POST", "/api/v1/news", body, 201)
	if html, _ := a["html"].(string); strings.Contains(html, "<script") || strings.Contains(html, "javascript:") || !strings.Contains(html, "<strong>Thứ Năm</strong>") {
		t.Errorf("rendered body: %q", html)
	}
	id := jsonNumber(a["id"])
	call("", "GET", "/api/v1/news/lich-tiep-cong-dan?unit=00004", "", 404) // in review: readers do not see it
	if m := call("quantri", "PUT", "/api/v1/news/"+id, `{"title":"Lịch tiếp công dân","body":"Thứ Năm hằng tuần","category":"thong-bao"}`, 200); m["status"] != "draft" {
		t.Errorf("an administrator's edit of an article in review: %v", m["status"])
	}
	call("quantri", "POST", "/api/v1/news/"+id+"/review", `{"action":"submit"}`, 200)
	call("quantri", "POST", "/api/v1/news/"+id+"/review", `{"action":"approve"}`, 403)
	call("lanhdao", "POST", "/api/v1/news/"+id+"/review", `{"action":"reject"}`, 422)
	call("lanhdao", "POST", "/api/v1/news/lich-tiep-cong-dan/review?unit=00004", `{"action":"approve"}`, 200)
	if m := call("", "GET", "/api/v1/news?unit=00004&q=TIEP+cong", "", 200); m["total"] != float64(1) {
		t.Errorf("search without accents: %v", m)
	}
	call("", "GET", "/api/v1/news/lich-tiep-cong-dan?unit=00004", "", 200)
	call("lanhdao", "GET", "/api/v1/news?editor=true&status=published", "", 200)
	call("", "GET", "/api/v1/news?editor=true", "", 401)
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 32)
	if m := call("quantri", "POST", "/api/v1/news/images", png, 201); !strings.HasPrefix(m["url"].(string), "/tin-tuc/anh/") {
		t.Errorf("picture: %v", m)
	}
	call("quantri", "POST", "/api/v1/news/images", "<svg onload=alert(1)>", 422)
}
