package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeSendsNotifications runs the built server with an SMS gateway
// configured (a local receiver) and walks a citizen's dossier: its
// reception reaches the gateway in the documented shape, and a Zalo
// choice, with no Zalo settings, stays pending instead of being lost.
func TestServeSendsNotifications(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]any
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		_, _ = io.WriteString(w, `{"CodeResult":"100","SMSID":"1"}`)
	}))
	defer gateway.Close()
	t.Setenv("MOTCUA_SMS_KEY", "khoa")
	t.Setenv("MOTCUA_SMS_SECRET", "bi-mat")
	data := t.TempDir()
	c := client{t: t, base: startServer(t, "--demo", "--data", data, "--sms-url", gateway.URL, "--sms-brandname", "UBND-XA",
		"--public-url", "https://dichvucong.xa.example")}
	citizen, counter := c.login("congdan"), c.login("canbo")
	submit := func(notify string) string {
		d := c.call(citizen, "POST", "/api/v1/dossiers", `{"procedure_code":"1.004873","unit_code":"00004","notify":"`+notify+`",
		"applicant":{"name":"Hoàng Thị Lan","id_number":"001190012345","phone":"0912345678"},"components":["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
		"Hộ chiếu, thẻ căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (hoặc tài khoản định danh điện tử mức 2 khi nộp trực tuyến)"]}`, 201)
		if d["notify"] != notify {
			t.Fatalf("the dossier's choice: %v", d["notify"])
		}
		code := d["code"].(string)
		c.call(counter, "POST", "/api/v1/dossiers/"+code+"/actions/receive", "", 200)
		return code
	}
	zalo := submit("zalo")
	code := submit("sms")
	var sms map[string]any
	for wait := time.Now().Add(60 * time.Second); sms == nil && time.Now().Before(wait); time.Sleep(200 * time.Millisecond) {
		mu.Lock()
		if len(got) > 0 {
			sms = got[0]
		}
		mu.Unlock()
	}
	if sms == nil {
		t.Fatal("no SMS reached the gateway")
	}
	content, _ := sms["Content"].(string)
	if sms["Phone"] != "84912345678" || sms["RequestId"] != "ntf_"+code+"_2" || sms["ApiKey"] != "khoa" || sms["SecretKey"] != "bi-mat" ||
		sms["Brandname"] != "UBND-XA" || !strings.Contains(content, code) || !strings.Contains(content, "https://dichvucong.xa.example/thong-bao/tat?t=") ||
		strings.Contains(content, "001190012345") {
		t.Errorf("SMS %v", sms)
	}
	out, _, err := runCLI(t, "outbox", "list", "--data", data, "--channel", "zalo", "--status", "pending")
	if err != nil || !strings.Contains(out, "notify.received") {
		t.Errorf("the Zalo message of %s is not pending: %v\n%s", zalo, err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Errorf("%d SMS; want 1 (the Zalo choice must not go by SMS)", len(got))
	}
}
