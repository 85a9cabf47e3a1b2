package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

// badForm are the values no form field may store: control characters (C0,
// DEL, C1) and bytes that are not UTF-8.
var badForm = []struct{ name, val string }{
	{"NUL", "Nguy\x00ễn"},
	{"BEL", "chú\a"},
	{"DEL", "a\x7f"},
	{"NEL", "dòng\u0085mới"},
	{"invalid UTF-8", "a\xff\xfeb"},
	{"replacement character", "a\ufffdb"},
}

// TestFormsRefuseControlCharacters posts the counter form and the online
// form (URL-encoded, and multipart with a file) with each bad value in
// each field: 422 naming the field, and no dossier nor event written. A
// tab is refused in a short field and kept in the note.
func TestFormsRefuseControlCharacters(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newPagesEnvOn(t, engine)
			ctx := context.Background()
			counter := url.Values{"procedure": {"1.001193"}, "name": {"Lý Văn Phúc"}, "id_number": {"001090012345"}, "phone": {"0987654321"},
				"email": {"phuc@example.vn"}, "address": {"Thôn 1"}, "note": {"Ghi chú"}, "channel": {"1"}, "components": demo.Required("1.001193"),
				"subject_kind": {"person"}, "subject_name": {"Lý Văn An"}, "subject_id_number": {"001220012345"}, "subject_birth_date": {"2020-01-02"},
				"subject_address": {"Thôn 1"}, "subject_relation": {"con"}, "reused_from": {""}}
			online := url.Values{"step": {"send"}, "unit": {"00004"}, "name": {"Hoàng Thị Lan"}, "id_number": {"001190012345"},
				"email": {"lan@example.vn"}, "address": {"Thôn 2"}, "note": {""}, "components": {"x"}}
			forms := []struct {
				name, path string
				form       url.Values
				multipart  bool
			}{
				{"counter", "/tiep-nhan", counter, false},
				{"counter multipart", "/tiep-nhan?procedure=1.001193", counter, true},
				{"online", "/thu-tuc/1.000894/nop", online, false},
				{"online multipart", "/thu-tuc/1.000894/nop", online, true},
			}
			user := map[string]string{"counter": "canbo", "counter multipart": "canbo", "online": "congdan", "online multipart": "congdan"}
			before, err := e.f.DB.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range forms {
				for field := range f.form {
					bad := badForm
					if !longText(field) {
						bad = append(bad[:len(bad):len(bad)], struct{ name, val string }{"tab", "Nguyễn\tVăn"})
					}
					for _, x := range bad {
						t.Run(f.name+"/"+field+"/"+x.name, func(t *testing.T) {
							e.t = t
							form := url.Values{}
							for k, v := range f.form {
								form[k] = append([]string(nil), v...)
							}
							form[field][0] = x.val
							var res *http.Response
							var body string
							if f.multipart {
								res, body = e.post(user[f.name], f.path, form, filePart{"file-0", "tờ khai.pdf", tinyPDF})
							} else {
								res, body = e.do(user[f.name], http.MethodPost, f.path, form)
							}
							if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "Trường "+field+" chứa") {
								t.Fatalf("%s with %s in %s: %d %s", f.name, x.name, field, res.StatusCode, body)
							}
						})
					}
				}
			}
			after, err := e.f.DB.VerifyAudit(ctx)
			if err != nil || after != before {
				t.Fatalf("refused forms wrote: before %+v, after %+v, %v", before, after, err)
			}
			// A note keeps its tab and line breaks: the counter entry goes through.
			e.t = t
			counter.Set("note", "Bản sao\tcó chứng thực\r\nnộp sau")
			if res, body := e.do("canbo", http.MethodPost, "/tiep-nhan", counter); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("a note with a tab and a line break: %d %s", res.StatusCode, body)
			}
		})
	}
}

// TestQueryRefusesControlCharacters sends the search and the filters of
// the API's lists and of the pages with control characters or bytes that
// are not UTF-8: 422 naming the parameter, before any query reaches the
// store.
func TestQueryRefusesControlCharacters(t *testing.T) {
	e := newPagesEnv(t)
	tests := []struct{ user, path, field string }{
		{"canbo", "/api/v1/dossiers?q=Nguy%00n", "q"},
		{"canbo", "/api/v1/dossiers?status=2%07", "status"},
		{"canbo", "/api/v1/dossiers?q=%FF%FE", "q"},
		{"", "/api/v1/procedures?q=khai%C2%85sinh", "q"},
		{"", "/api/v1/lookup?code=%00&id=001190012345", "code"},
		{"canbo", "/api/v1/my-work?x%00=1", `x\\x00`},
		{"canbo", "/ho-so?q=Nguy%00n", "q"},
		{"canbo", "/ho-so?q=a%09b", "q"},
		{"", "/thu-tuc?q=%1B%5B31m", "q"},
		{"", "/tra-cuu?code=%FF", "code"},
	}
	for _, tt := range tests {
		res, body := e.do(tt.user, http.MethodGet, tt.path, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), tt.field) {
			t.Errorf("GET %s: %d %s", tt.path, res.StatusCode, body)
		}
	}
	if code, body := e.get("canbo", "/ho-so?q="+url.QueryEscape("Nguyễn Thị")); code != http.StatusOK {
		t.Errorf("a plain search: %d %s", code, body)
	}
}

// TestNosniffEverywhere checks that every kind of response carries
// X-Content-Type-Options: nosniff: API data and errors, pages, errors of
// pages, static files, and the refusal of a cross-site request.
func TestNosniffEverywhere(t *testing.T) {
	e := newPagesEnv(t)
	cross := func(req *http.Request) { req.Header.Set("Sec-Fetch-Site", "cross-site") }
	tests := []struct {
		method, user, path string
		status             int
		edit               func(*http.Request)
	}{
		{"GET", "", "/api/v1/healthz", 200, nil},
		{"GET", "", "/api/v1/procedures", 200, nil},
		{"GET", "", "/api/v1/me", 401, nil},
		{"GET", "", "/api/v1/nothing-here", 404, nil},
		{"POST", "", "/api/v1/login", 422, nil},
		{"GET", "", "/", 200, nil},
		{"GET", "", "/khong-co", 404, nil},
		{"GET", "", "/healthz", 200, nil},
		{"GET", "", "/static/app.css", 200, nil},
		{"POST", "canbo", "/tiep-nhan", 403, cross},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, e.srv.URL+tt.path, nil)
		if tt.user != "" {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session[tt.user]})
		}
		if tt.edit != nil {
			tt.edit(req)
		}
		res, _ := e.send(req)
		if res.StatusCode != tt.status || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: %d, X-Content-Type-Options %q", tt.method, tt.path, res.StatusCode, res.Header.Get("X-Content-Type-Options"))
		}
	}
}
