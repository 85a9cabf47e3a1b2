package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/motcua/motcua/internal/outbox"
)

// Zalo sends the zalo channel's messages as Zalo Notification Service
// (ZNS) template messages:
//
//	POST URL (https://business.openapi.zalo.me/message/template)
//	access_token: the official account's token
//	{"phone": "84912345678", "template_id": ..., "template_data": {...}, "tracking_id": idempotency key}
//
// answered {"error": 0, "message": "Success", "data": {"msg_id": ...}}.
// The text is the template registered with Zalo; template_data fills it
// with the dossier's code, procedure, status, due date and look-up link.
type Zalo struct {
	URL        string
	Token      string
	TemplateID string
	Client     *http.Client
}

type znsRequest struct {
	Phone        string            `json:"phone"`
	TemplateID   string            `json:"template_id"`
	TemplateData map[string]string `json:"template_data"`
	TrackingID   string            `json:"tracking_id"`
}

type znsAnswer struct {
	Error   *int   `json:"error"`
	Message string `json:"message"`
}

// znsPermanent are ZNS's codes for a refusal about the recipient: an
// invalid phone (-108), no Zalo account on it (-118), an account that
// cannot receive ZNS (-119).
var znsPermanent = []int{-108, -118, -119}

// Send implements outbox.Sender: error 0 is delivered; a 4xx or a code
// about the recipient is permanent; anything else (an expired token, a
// quota) is tried again.
func (z *Zalo) Send(ctx context.Context, m outbox.Message) error {
	p, err := decodePayload(m)
	if err != nil {
		return err
	}
	f := p.Fields
	data := map[string]string{"ma_ho_so": f.Code, "thu_tuc": f.Procedure, "trang_thai": f.Status, "han_tra": f.Due, "tra_cuu": f.Link}
	_, body, err := postJSON(ctx, z.Client, z.URL, http.Header{"Access_token": {z.Token}},
		znsRequest{Phone: intlPhone(m.Recipient), TemplateID: z.TemplateID, TemplateData: data, TrackingID: m.IdemKey})
	if err != nil {
		return fmt.Errorf("zalo: %w", err)
	}
	var a znsAnswer
	if json.Unmarshal(body, &a) != nil || a.Error == nil {
		return fmt.Errorf("zalo: the answer has no error code: %.200s", body)
	}
	if *a.Error == 0 {
		return nil
	}
	err = fmt.Errorf("zalo: error %d: %s", *a.Error, a.Message)
	if slices.Contains(znsPermanent, *a.Error) {
		return outbox.Permanent(err)
	}
	return err
}
