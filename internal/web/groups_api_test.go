package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// groupCalls drives the residential groups' API through the lifecycle
// test's server (every answer checked against openapi.json): groups made
// and named by the administrator, a resident subscribed and confirmed, an
// announcement to one group reaching only its confirmed subscriber, the
// one-step unsubscribe and the public statistics.
func groupCalls(t *testing.T, e *env, call func(user, method, path, body string, want int) map[string]any) {
	t.Helper()
	e.f.SeedGroups(t)
	call("quantri", "POST", "/api/v1/groups", `{"number":"03","type":"thon","name":"Đông"}`, 201)
	call("quantri", "POST", "/api/v1/groups", `{"number":"03","type":"thon","name":"Tây"}`, 409)
	call("quantri", "POST", "/api/v1/groups", `{"number":"3","type":"thon","name":"Tây"}`, 422)
	call("canbo", "POST", "/api/v1/groups", `{"number":"04","type":"to","name":"4"}`, 403)
	if g := call("quantri", "PUT", "/api/v1/groups/00004-03", `{"name":"Đông Hà"}`, 200); g["full_name"] != "Thôn Đông Hà" {
		t.Errorf("renamed: %v", g)
	}
	call("quantri", "POST", "/api/v1/groups/00004-02/leader", `{"username":"totruong2","full_name":"Vũ Văn Hai","password":"mat-khau-dai-2"}`, 201)
	call("quantri", "POST", "/api/v1/groups/00008-01/leader", `{"username":"totruong9","full_name":"X","password":"mat-khau-dai-2"}`, 403)
	groups := call("", "GET", "/api/v1/groups?unit=00004", "", 200)["groups"].([]any)
	if len(groups) != 3 || groups[1].(map[string]any)["leader"] != "Vũ Văn Hai" {
		t.Errorf("groups: %v", groups)
	}
	// Groups are no administrative units: not among the ward's children,
	// not ranked, no dossier filed at one.
	for _, path := range []string{"/api/v1/units/00004", "/api/v1/index/ranking?unit=00004", "/api/v1/index/ranking?unit=01"} {
		if st, _, raw := e.do("lanhdao", "GET", path, ""); st == 200 && strings.Contains(raw, "00004-0") {
			t.Errorf("%s names a group: %s", path, raw)
		}
	}
	if m := call("canbo", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001612","unit_code":"00004-01","channel":1,"applicant":{"name":"Lý Văn Phúc","id_number":"001090012345"}}`, 422); !strings.Contains(fmt.Sprint(m), "unit_code") {
		t.Errorf("a dossier at a group: %v", m)
	}
	call("quantri", "PUT", "/api/v1/groups/00004-03", `{"close":true}`, 200)
	if groups := call("", "GET", "/api/v1/groups?unit=00004", "", 200)["groups"].([]any); len(groups) != 2 {
		t.Errorf("after closing: %v", groups)
	}
	// A resident of group 1 subscribes and confirms; one of group 2 too;
	// another of group 1 never confirms.
	for _, s := range []struct{ group, phone string }{{"00004-01", "0912000111"}, {"00004-02", "0912000222"}, {"00004-01", "0912000333"}} {
		call("", "POST", "/api/v1/groups/"+s.group+"/subscriptions", `{"channel":"sms","address":"`+s.phone+`"}`, 202)
	}
	_, codes := storetest.GroupMessages(t, e.f.DB, "group.confirm", "")
	wrong := "000000"
	if codes[0].Fields.Status == wrong {
		wrong = "111111"
	}
	call("", "POST", "/api/v1/groups/00004-01/subscriptions/confirm", `{"channel":"sms","address":"0912000111","code":"`+wrong+`"}`, 404)
	call("", "POST", "/api/v1/groups/00004-02/subscriptions/confirm", `{"channel":"sms","address":"0912000111","code":"`+codes[0].Fields.Status+`"}`, 404)
	call("", "POST", "/api/v1/groups/00004-01/subscriptions/confirm", `{"channel":"sms","address":"0912000111","code":"`+codes[0].Fields.Status+`"}`, 200)
	call("", "POST", "/api/v1/groups/00004-02/subscriptions/confirm", `{"channel":"sms","address":"0912 000 222","code":"`+codes[1].Fields.Status+`"}`, 200)
	call("", "POST", "/api/v1/groups/00004-01/subscriptions", `{"channel":"fax","address":"1"}`, 422)
	call("", "POST", "/api/v1/groups/00004-99/subscriptions", `{"channel":"sms","address":"0912000444"}`, 404)

	call("lanhdao", "POST", "/api/v1/announcements", `{"title":"Lịch tiêm chủng","body":"Sáng thứ Bảy.","groups":["00004-01"]}`, 201)
	call("lanhdao", "POST", "/api/v1/announcements", `{"title":"x","body":"y","groups":["00008-01"]}`, 422)
	call("lanhdao", "POST", "/api/v1/announcements", `{"unit":"00008","title":"x","body":"y","all_groups":true}`, 403)
	call("canbo", "POST", "/api/v1/announcements", `{"title":"x","body":"y","all_groups":true}`, 403)
	if l := call("", "GET", "/api/v1/announcements?group=00004-01", "", 200)["announcements"].([]any); len(l) != 1 {
		t.Errorf("group 1: %v", l)
	}
	if l := call("", "GET", "/api/v1/announcements?group=00004-02", "", 200)["announcements"].([]any); len(l) != 0 {
		t.Errorf("group 2: %v", l)
	}
	call("lanhdao", "GET", "/api/v1/announcements", "", 200)
	call("canbo.ngocha", "GET", "/api/v1/announcements?unit=00004", "", 403)
	msgs, pays := storetest.GroupMessages(t, e.f.DB, "group.announcement", "")
	if len(msgs) != 1 || msgs[0].Recipient != "0912000111" {
		t.Fatalf("announcement messages: %+v", msgs)
	}
	off, err := url.Parse(pays[0].Fields.Unsubscribe)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := json.Marshal(map[string]string{"token": off.Query().Get("t")})
	if m := call("", "POST", "/api/v1/subscriptions/unsubscribe", string(tok), 200); m["group"] != "00004-01" || strings.Contains(fmt.Sprint(m), "0912000111") {
		t.Errorf("unsubscribed: %v", m)
	}
	call("", "POST", "/api/v1/subscriptions/unsubscribe", string(tok), 404)
	call("", "GET", "/api/v1/stats/public?unit=00004", "", 200)
	call("", "GET", "/api/v1/stats/public?unit=00004&year=1999", "", 422)
	call("", "GET", "/api/v1/stats/public?unit=00004-01", "", 404)
}

// TestPublicStatsMatchDashboard: the public statistics of a unit give the
// numbers the leaders' dashboard (GET /api/v1/stats from 1 January, the
// dashboard page's default period)
// gives, month by month adding up to the year; the pages answer 304 to a
// browser that has them, and only the widget may be framed.
func TestPublicStatsMatchDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		a := e.f.Actors
		// Two dossiers at the counter and one online, received: a third
		// of them online.
		for i, by := range []string{"canbo", "canbo", "congdan"} {
			ch := dossier.ChannelCounter
			if by == "congdan" {
				ch = dossier.ChannelOnline
			}
			d, err := e.f.Svc.Submit(ctx, a[by], dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: "00004", Channel: ch,
				Components: demo.Required("1.001193"), Applicant: dossier.Applicant{Name: "Lê Thị Cúc", IDNumber: fmt.Sprintf("00118500665%d", i), Phone: "0903111222"}})
			if err != nil {
				t.Fatal(err)
			}
			if ch == dossier.ChannelOnline {
				if _, err := e.f.Svc.Act(ctx, a["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
					t.Fatal(err)
				}
			}
		}
		call := e.caller(t)
		// The dashboard's default period: the year so far.
		full := call("lanhdao", "GET", "/api/v1/stats?from=2026-01-01", "", 200)
		dash := full["summary"].(map[string]any)
		pub := call("", "GET", "/api/v1/stats/public?unit=00004", "", 200)
		tot := pub["totals"].(map[string]any)
		dt := dash["totals"].(map[string]any)
		if tot["received"] != dt["received"] || tot["online_rate"] != dash["online_rate"] || tot["on_time_rate"] != dash["on_time_rate"] ||
			tot["satisfaction"] != dash["satisfaction"] || tot["received"] != float64(3) || tot["online_received"] != float64(1) {
			t.Errorf("public %v\ndashboard %v", tot, dash)
		}
		if pp, dp := pub["petitions"].(map[string]any), full["petitions"].(map[string]any); pp["settled"] != dp["settled"] || pp["received"] != dp["received"] {
			t.Errorf("petitions: public %v, dashboard %v", pp, dp)
		}
		var sum float64
		for _, m := range pub["months"].([]any) {
			sum += m.(map[string]any)["received"].(float64)
		}
		if sum != tot["received"] || len(pub["months"].([]any)) != 3 { // the fixture's clock: 2 March
			t.Errorf("months add up to %v of %v: %v", sum, tot["received"], pub["months"])
		}
		for _, path := range []string{"/thong-ke/cong-khai/00004", "/thong-ke/cong-khai/00004/widget", "/api/v1/stats/public?unit=00004"} {
			res, err := http.Get(e.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			tag, csp := res.Header.Get("ETag"), res.Header.Get("Content-Security-Policy")
			if res.StatusCode != 200 || tag == "" {
				t.Fatalf("%s: %d, ETag %q", path, res.StatusCode, tag)
			}
			if framed := strings.Contains(csp, "frame-ancestors *"); framed != strings.HasSuffix(path, "/widget") {
				t.Errorf("%s: CSP %q", path, csp)
			}
			req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
			req.Header.Set("If-None-Match", tag)
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNotModified {
				t.Errorf("%s with If-None-Match: %d", path, res.StatusCode)
			}
		}
	})
}
