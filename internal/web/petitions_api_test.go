package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// pngBytes is a picture as a PNG's first bytes show it.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)

const petitionJSON = `{"unit":"00004","field":"traffic","subject":"Đèn đường hỏng ở ngõ 12","text":"Đèn trước số 5 ngõ 12 đã hỏng.\nBuổi tối rất tối.","address":"Ngõ 12 Đội Cấn","lat":21.0358,"long":105.8342,"name":"Nguyễn Văn An","phone":"0912 345 678"}`

// petitionCalls drives every petition operation of the API through a
// petition's life, for the contract test (TestOpenAPILifecycle).
func petitionCalls(t *testing.T, e *env, call func(user, method, path, body string, want int) map[string]any) {
	t.Helper()
	st, raw := e.postPetition("", petitionJSON, map[string][]byte{"anh.png": pngBytes})
	var withPhoto map[string]any
	if err := json.Unmarshal([]byte(raw), &withPhoto); st != 201 || err != nil {
		t.Fatalf("with a photo: %d %s", st, raw)
	}
	photo := withPhoto["files"].([]any)[0].(map[string]any)["id"]
	if st, _ := e.download("canbo", "/api/v1/petitions/"+withPhoto["code"].(string)+"/files/"+jsonNumber(photo)); st != 200 {
		t.Fatalf("the photo: %d", st)
	}
	code := call("", "POST", "/api/v1/petitions", petitionJSON, 201)["code"].(string)
	act := func(user, action, body string, want int) map[string]any {
		return call(user, "POST", "/api/v1/petitions/"+code+"/actions/"+action, body, want)
	}
	call("canbo", "GET", "/api/v1/petitions?open=true", "", 200)
	call("canbo", "GET", "/api/v1/petitions/"+code, "", 200)
	call("", "GET", "/api/v1/petitions/"+code+"?phone=0912345678", "", 200)
	call("canbo.ngocha", "GET", "/api/v1/petitions/"+code, "", 404)
	act("canbo", "classify", `{"field":"urban","department":"Phòng Kinh tế"}`, 200)
	act("canbo", "request_info", `{"text":"Xin cho biết số cột đèn."}`, 200)
	act("", "supply_info", `{"text":"Cột số 17.","contact":"0912345678"}`, 200)
	act("canbo", "draft_answer", `{"text":"Đã thay bóng đèn cột số 17."}`, 200)
	act("canbo", "answer", `{"text":"x"}`, 403)
	act("lanhdao", "approve", "", 200)
	act("lanhdao", "publish", "", 422)
	act("lanhdao", "publish", `{"text":"Đèn cột 17, người gửi 0912.345.678"}`, 422)
	act("lanhdao", "publish", `{"text":"Đèn đường ngõ 12 hỏng, cột số 17."}`, 200)
	act("", "vote", `{"useful":true}`, 200)
	act("", "rate", `{"satisfaction":"satisfied","contact":"0912345678"}`, 200)
	act("", "rate", `{"satisfaction":"satisfied","contact":"0912345678"}`, 409)
	if found := call("", "GET", "/api/v1/petitions/public?q=den+duong+cot", "", 200); found["total"] != float64(1) {
		t.Errorf("public search: %v", found)
	}
	if late := call("lanhdao", "GET", "/api/v1/petitions?queue=late", "", 200); late["total"] != float64(0) {
		t.Errorf("late: %v", late)
	}
	// The leaders' numbers, from the roll-ups: received, answered on time.
	pet, _ := call("lanhdao", "GET", "/api/v1/stats", "", 200)["petitions"].(map[string]any)
	if pet["received"] != float64(2) || pet["settled"] != float64(1) || pet["on_time"] != float64(1) {
		t.Errorf("stats: %v", pet)
	}
}

// TestPetitionsAPI: a petition with a photo, the files' checks, the
// scoping of the sender's phone, and the limit on anonymous sending.
func TestPetitionsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{1}, 600)...)
		st, raw := e.postPetition("", petitionJSON, map[string][]byte{"anh.jpg": jpeg})
		if st != 201 {
			t.Fatalf("with a photo: %d %s", st, raw)
		}
		var p map[string]any
		_ = json.Unmarshal([]byte(raw), &p)
		code := p["code"].(string)
		files, _ := p["files"].([]any)
		if len(files) != 1 || strings.Contains(raw, "0912345678") {
			t.Fatalf("receipt: %s", raw)
		}
		// The photo, to the sender with the phone and to the unit's officer;
		// to another unit's officer, nothing.
		file := "/api/v1/petitions/" + code + "/files/" + jsonNumber(files[0].(map[string]any)["id"])
		for _, c := range []struct {
			user, query string
			want        int
		}{{"", "?phone=0912345678", 200}, {"canbo", "", 200}, {"canbo.ngocha", "", 404}, {"", "", 404}} {
			if st, body := e.download(c.user, file+c.query); st != c.want || (st == 200 && body != string(jpeg)) {
				t.Fatalf("the photo as %q%s: %d", c.user, c.query, st)
			}
		}
		if st, raw := e.postPetition("", petitionJSON, map[string][]byte{"anh.jpg": []byte("not a picture at all")}); st != 422 {
			t.Fatalf("a text named .jpg: %d %s", st, raw)
		}
		six := map[string][]byte{}
		for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
			six[n+".jpg"] = jpeg
		}
		if st, raw := e.postPetition("", petitionJSON, six); st != 422 {
			t.Fatalf("six files: %d %s", st, raw)
		}
		// The unit's officer reads the phone; another unit's does not even
		// find the petition, in its queue or by code.
		if _, _, raw := e.do("canbo", "GET", "/api/v1/petitions/"+code, ""); !strings.Contains(raw, "0912345678") {
			t.Fatalf("the unit's officer: %s", raw)
		}
		if st, _, raw := e.do("canbo.ngocha", "GET", "/api/v1/petitions/"+code, ""); st != 404 || strings.Contains(raw, "0912345678") {
			t.Fatalf("another unit's officer: %d %s", st, raw)
		}
		if _, _, raw := e.do("canbo.ngocha", "GET", "/api/v1/petitions", ""); strings.Contains(raw, code) || strings.Contains(raw, "0912345678") {
			t.Fatalf("another unit's queue: %s", raw)
		}
		if st, _, _ := e.do("", "GET", "/api/v1/petitions/"+code+"?phone=0912345679", ""); st != 404 {
			t.Fatalf("a wrong phone: %d", st)
		}
		for _, bad := range []string{
			`{"unit":"00004","field":"traffic","subject":"X","text":"Y"}`,                                            // no contact
			`{"unit":"00004","field":"traffic","subject":"X","text":"Y","phone":"0912345678","lat":48.8}`,            // lat without long
			`{"unit":"00004","field":"traffic","subject":"X","text":"Y","phone":"0912345678","lat":48.8,"long":2.3}`, // Paris
			`{"unit":"00004","field":"traffic","subject":"X","text":"Y","phone":"0912345678","dossier_code":"00004-260302-9999"}`,
			`{"unit":"00004","field":"weather","subject":"X","text":"Y","phone":"0912345678"}`,
		} {
			if st, _, raw := e.do("", "POST", "/api/v1/petitions", bad); st != 422 || !strings.Contains(raw, `"message_en"`) {
				t.Errorf("%s: %d %s", bad, st, raw)
			}
		}
		// Anonymous sending is bounded per address: 10 an hour by default
		// (the refused ones above count too).
		var last int
		for range 10 {
			last, _, _ = e.do("", "POST", "/api/v1/petitions", petitionJSON)
		}
		if last != 429 {
			t.Fatalf("the 11th and later petitions from one address: %d, want 429", last)
		}
		// A signed-in citizen counts on the account, not the address.
		if st, _, raw := e.do("congdan", "POST", "/api/v1/petitions", petitionJSON); st != 201 {
			t.Fatalf("signed in: %d %s", st, raw)
		}
	})
}

// postPetition sends a petition as multipart: the JSON part, then files.
func (e *env) postPetition(user, body string, files map[string][]byte) (int, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("petition", body)
	for name, b := range files {
		w, _ := mw.CreateFormFile("file", name)
		_, _ = w.Write(b)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/petitions", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.send(user, req, "")
}

// TestOpen311 drives the GeoReport v2 endpoints with requests shaped as
// the specification shows: the services, a form-encoded POST, the request
// by id and in lists, its status open then closed with the answer in
// status_notes, and errors as arrays of {code, description}.
func TestOpen311(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		get := func(path string, want int) []map[string]any {
			t.Helper()
			res, err := http.Get(e.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out []map[string]any
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != want {
				t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
			}
			return out
		}
		if s := get("/open311/v2/services.json?jurisdiction_id=00004", 200); len(s) != len(petition.Fields) || s[0]["service_code"] != "urban" ||
			s[0]["type"] != "realtime" || s[0]["metadata"] != false {
			t.Fatalf("services: %v", s)
		}
		get("/open311/v2/services.json?jurisdiction_id=99999", 404)
		post := func(form url.Values, want int) []map[string]any {
			t.Helper()
			res, err := http.PostForm(e.srv.URL+"/open311/v2/requests.json", form)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out []map[string]any
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != want {
				t.Fatalf("POST %v: %d %v %v", form, res.StatusCode, out, err)
			}
			return out
		}
		form := url.Values{"jurisdiction_id": {"00004"}, "service_code": {"environment"}, "lat": {"21.0358"}, "long": {"105.8342"},
			"address_string": {"Ngõ 5 Đội Cấn, Ba Đình"}, "description": {"Rác thải để ba ngày chưa thu gom,\nbốc mùi."},
			"email": {"an.nguyen@example.org"}, "phone": {"0987 654 321"}, "first_name": {"An"}, "last_name": {"Nguyễn Văn"},
			"media_url": {"https://example.org/anh/123.jpg"}, "device_id": {"abc"}, "api_key": {""}}
		created := post(form, 200)
		id, _ := created[0]["service_request_id"].(string)
		if len(created) != 1 || !petition.ValidCode(id) || created[0]["service_notice"] == "" {
			t.Fatalf("created: %v", created)
		}
		one := get("/open311/v2/requests/"+id+".json", 200)
		if len(one) != 1 || one[0]["status"] != "open" || one[0]["description"] != nil || one[0]["service_code"] != "environment" {
			t.Fatalf("before publication, to anyone: %v", one)
		}
		if one = get("/open311/v2/requests/"+id+".json?email=an.nguyen@example.org", 200); one[0]["description"] != "Rác thải để ba ngày chưa thu gom,\nbốc mùi." ||
			one[0]["lat"] != 21.0358 || one[0]["media_url"] != "https://example.org/anh/123.jpg" {
			t.Fatalf("to the sender: %v", one)
		}
		// A wrong phone or e-mail is "not found", as on the sender's
		// look-up, and counts against the address's limit: guessing a
		// sender's contact costs as much as guessing a code.
		misses := func() int {
			n, err := e.f.DB.Counts(context.Background(), e.f.Clock.Now(), store.Counter{Kind: "public", Key: "127.0.0.1", Window: 10 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			return n[0]
		}
		before := misses()
		get("/open311/v2/requests/"+id+".json?phone=0987654320", 404)
		get("/open311/v2/requests/"+id+".json?email=an@example.org", 404)
		if list := get("/open311/v2/requests.json?service_request_id="+id+"&phone=0987654320", 200); len(list) != 0 {
			t.Fatalf("by id with a wrong phone: %v", list)
		}
		get("/open311/v2/requests/"+id+".json?phone=0987654321", 200)
		if n := misses() - before; n != 3 {
			t.Fatalf("%d misses counted, want 3", n)
		}
		p, err := e.f.Petitions().Get(context.Background(), e.f.Actors["canbo"], id)
		if err != nil || p.Sender.Name != "Nguyễn Văn An" || p.Channel != petition.ChannelOpen311 || p.Subject == "" {
			t.Fatalf("the petition: %+v %v", p, err)
		}
		published := "Rác ở ngõ 5 Đội Cấn chưa được thu gom."
		for _, req := range []petition.ActionRequest{{Action: petition.ActAnswer, Text: "Đã thu gom rác ngày 3/3."}, {Action: petition.ActPublish, Text: published}} {
			if _, err := e.f.Petitions().Act(context.Background(), e.f.Actors["lanhdao"], id, req); err != nil {
				t.Fatal(err)
			}
		}
		// Published: the public reads the question as the leader wrote it
		// and the answer, as on the public page; neither the sender's own
		// words, nor the address, the place or the picture.
		public := func(v map[string]any) bool {
			return v["status"] == "closed" && v["status_notes"] == "Đã thu gom rác ngày 3/3." && v["description"] == published &&
				v["address"] == nil && v["lat"] == nil && v["long"] == nil && v["media_url"] == nil
		}
		if one = get("/open311/v2/requests/"+id+".json", 200); !public(one[0]) {
			t.Fatalf("answered and published: %v", one)
		}
		if list := get("/open311/v2/requests.json?jurisdiction_id=00004&status=closed&service_code=environment", 200); len(list) != 1 || !public(list[0]) {
			t.Fatalf("closed list: %v", list)
		}
		if one = get("/open311/v2/requests/"+id+".json?phone=0987654321", 200); one[0]["description"] != "Rác thải để ba ngày chưa thu gom,\nbốc mùi." ||
			one[0]["address"] != "Ngõ 5 Đội Cấn, Ba Đình" {
			t.Fatalf("to the sender once published: %v", one)
		}
		if list := get("/open311/v2/requests.json?status=open", 200); len(list) != 0 {
			t.Fatalf("open list shows unpublished requests: %v", list)
		}
		if list := get("/open311/v2/requests.json?service_request_id="+id+",PA-260302-00004-9999", 200); len(list) != 1 {
			t.Fatalf("by ids: %v", list)
		}
		// Errors: arrays of {code, description}.
		for _, f := range []url.Values{
			{"service_code": {"environment"}, "description": {"X"}, "phone": {"0987654321"}, "lat": {"21"}, "long": {"105.8"}},
			{"jurisdiction_id": {"00004"}, "service_code": {"environment"}, "description": {"X"}, "phone": {"0987654321"}},
			{"jurisdiction_id": {"00004"}, "service_code": {"environment"}, "description": {"X\x07"}, "phone": {"0987654321"}, "address_string": {"Ngõ 5"}},
		} {
			if errs := post(f, 400); len(errs) != 1 || errs[0]["code"] != float64(400) || errs[0]["description"] == "" {
				t.Fatalf("error: %v", errs)
			}
		}
		get("/open311/v2/requests/PA-260302-00004-9999.json", 404)
		get("/open311/v2/requests/"+id+".xml", 404)
		get("/open311/v2/services/weather.json", 404)
	})
}
