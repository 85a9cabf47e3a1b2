package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/motcua/motcua/internal/outbox"
)

// receiver is a local gateway: it records each request's headers and JSON
// body and answers with the status and body the test sets.
func receiver(t *testing.T, status int, answer string) (*httptest.Server, *[]map[string]any, *[]http.Header) {
	var bodies []map[string]any
	var headers []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s with %q: %s", r.Method, r.Header.Get("Content-Type"), b)
		}
		bodies, headers = append(bodies, m), append(headers, r.Header.Clone())
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies, &headers
}

func gatewayMessage() outbox.Message {
	p := Payload{Kind: KindReady, Text: "Ho so H01-260101-0001 da co ket qua",
		Fields: Fields{Code: "H01-260101-0001", Procedure: "Đăng ký khai sinh", Status: "Đã xử lý xong", Due: "05/01/2026 16:30",
			Link: "https://motcua.example/tra-cuu?code=H01-260101-0001"}}
	b, _ := json.Marshal(p)
	return outbox.Message{Recipient: "0912345678", Payload: b, IdemKey: "ntf_H01-260101-0001_7"}
}

func TestSMSRequestShape(t *testing.T) {
	srv, bodies, _ := receiver(t, 200, `{"CodeResult":"100","SMSID":"abc"}`)
	s := &SMS{URL: srv.URL, APIKey: "k", SecretKey: "s", Brandname: "UBND-XA"}
	if err := s.Send(context.Background(), gatewayMessage()); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"ApiKey": "k", "SecretKey": "s", "Brandname": "UBND-XA", "SmsType": "2", "Phone": "84912345678",
		"Content": "Ho so H01-260101-0001 da co ket qua", "IsUnicode": "0", "RequestId": "ntf_H01-260101-0001_7"}
	if len(*bodies) != 1 || !reflect.DeepEqual((*bodies)[0], want) {
		t.Errorf("request %v\nwant    %v", *bodies, want)
	}
}

func TestSMSAnswers(t *testing.T) {
	for _, c := range []struct {
		name, answer  string
		status        int
		ok, permanent bool
	}{
		{"accepted", `{"CodeResult":"100"}`, 200, true, false},
		{"invalid phone", `{"CodeResult":"99","ErrorMessage":"Phone not valid"}`, 200, false, true},
		{"balance", `{"CodeResult":"103","ErrorMessage":"Balance not enough"}`, 200, false, false},
		{"bad request", `{}`, 400, false, true},
		{"gateway down", ``, 502, false, false},
		{"throttled", ``, 429, false, false},
	} {
		srv, _, _ := receiver(t, c.status, c.answer)
		err := (&SMS{URL: srv.URL}).Send(context.Background(), gatewayMessage())
		if (err == nil) != c.ok || outbox.IsPermanent(err) != c.permanent {
			t.Errorf("%s: %v; want ok %v, permanent %v", c.name, err, c.ok, c.permanent)
		}
	}
}

func TestZaloRequestShape(t *testing.T) {
	srv, bodies, headers := receiver(t, 200, `{"error":0,"message":"Success","data":{"msg_id":"1"}}`)
	z := &Zalo{URL: srv.URL, Token: "tok", TemplateID: "231234"}
	if err := z.Send(context.Background(), gatewayMessage()); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"phone": "84912345678", "template_id": "231234", "tracking_id": "ntf_H01-260101-0001_7",
		"template_data": map[string]any{"ma_ho_so": "H01-260101-0001", "thu_tuc": "Đăng ký khai sinh", "trang_thai": "Đã xử lý xong",
			"han_tra": "05/01/2026 16:30", "tra_cuu": "https://motcua.example/tra-cuu?code=H01-260101-0001"}}
	if len(*bodies) != 1 || !reflect.DeepEqual((*bodies)[0], want) {
		t.Errorf("request %v\nwant    %v", *bodies, want)
	}
	if got := (*headers)[0].Get("access_token"); got != "tok" {
		t.Errorf("access_token header %q", got)
	}
}

func TestZaloAnswers(t *testing.T) {
	for _, c := range []struct {
		name, answer  string
		status        int
		ok, permanent bool
	}{
		{"sent", `{"error":0,"message":"Success"}`, 200, true, false},
		{"invalid phone", `{"error":-108,"message":"Phone number is invalid"}`, 200, false, true},
		{"no zalo account", `{"error":-118,"message":"Zalo account not existed"}`, 200, false, true},
		{"token expired", `{"error":-124,"message":"Access token is invalid"}`, 200, false, false},
		{"no code", `{}`, 200, false, false},
		{"server error", ``, 500, false, false},
	} {
		srv, _, _ := receiver(t, c.status, c.answer)
		err := (&Zalo{URL: srv.URL}).Send(context.Background(), gatewayMessage())
		if (err == nil) != c.ok || outbox.IsPermanent(err) != c.permanent {
			t.Errorf("%s: %v; want ok %v, permanent %v", c.name, err, c.ok, c.permanent)
		}
	}
}
