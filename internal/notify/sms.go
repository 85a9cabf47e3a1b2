package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/outbox"
)

// SMS sends the sms channel's messages through a brand-name SMS gateway,
// in the JSON shape most Vietnamese gateways take (docs/operations.md
// shows it whole):
//
//	POST URL
//	{"ApiKey": ..., "SecretKey": ..., "Brandname": ..., "SmsType": "2",
//	 "Phone": "84912345678", "Content": ..., "IsUnicode": "0", "RequestId": idempotency key}
//
// answered {"CodeResult": "100", "SMSID": ...} when accepted. RequestId
// lets the gateway drop a message it was already given.
type SMS struct {
	URL       string
	APIKey    string
	SecretKey string
	Brandname string
	Client    *http.Client
}

type smsRequest struct {
	APIKey    string `json:"ApiKey"`
	SecretKey string `json:"SecretKey"`
	Brandname string `json:"Brandname"`
	SmsType   string `json:"SmsType"` // 2: customer care by brand name
	Phone     string `json:"Phone"`
	Content   string `json:"Content"`
	IsUnicode string `json:"IsUnicode"` // 0: the text is sent without diacritics as written
	RequestID string `json:"RequestId"`
}

type smsAnswer struct {
	CodeResult   string `json:"CodeResult"`
	SMSID        string `json:"SMSID"`
	ErrorMessage string `json:"ErrorMessage"`
}

// Send implements outbox.Sender: CodeResult 100 is delivered; a 4xx or an
// answer that names the phone as invalid is permanent; anything else is
// tried again.
func (s *SMS) Send(ctx context.Context, m outbox.Message) error {
	p, err := decodePayload(m)
	if err != nil {
		return err
	}
	unicode := "0"
	for _, r := range p.Text {
		if r > 127 {
			unicode = "1" // an edited template kept its diacritics
			break
		}
	}
	_, body, err := postJSON(ctx, s.Client, s.URL, nil, smsRequest{APIKey: s.APIKey, SecretKey: s.SecretKey, Brandname: s.Brandname,
		SmsType: "2", Phone: intlPhone(m.Recipient), Content: p.Text, IsUnicode: unicode, RequestID: m.IdemKey})
	if err != nil {
		return fmt.Errorf("sms: %w", err)
	}
	var a smsAnswer
	if json.Unmarshal(body, &a) != nil {
		return fmt.Errorf("sms: the gateway's answer is not JSON: %.200s", body)
	}
	if a.CodeResult == "100" {
		return nil
	}
	err = fmt.Errorf("sms: gateway code %s: %s", a.CodeResult, a.ErrorMessage)
	if msg := strings.ToLower(a.ErrorMessage); strings.Contains(msg, "phone") || strings.Contains(msg, "số điện thoại") {
		return outbox.Permanent(err)
	}
	return err
}
