// Package portal keeps the National Public Service Portal (Cổng Dịch vụ công
// quốc gia) told of every dossier's state, in the portal's vocabulary:
// a status change becomes an outbox message whose delivery is retried until
// the portal acknowledges it. The share of dossiers the portal acknowledged
// is indicator 1.4 of Decision 766.
//
// The request shape is that of the portal's dossier-synchronisation service
// as documented in docs/operations.md: one JSON object per update, posted
// with the unit's access token, answered {"error_code": 0} when taken.
package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
)

// Channel is the outbox channel of the portal.
const Channel = "portal"

// timeFormat is the portal's date-time: yyyyMMddHHmmss in Việt Nam's time.
const timeFormat = "20060102150405"

func portalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format(timeFormat)
}

// Update is one dossier's state as the portal records it. It names the
// applicant (ChuHoSo), which the portal shows the citizen, and nothing
// else personal: no ID number, address or phone.
type Update struct {
	MaHoSo        string `json:"MaHoSo"`
	MaTTHC        string `json:"MaTTHC"`
	TenTTHC       string `json:"TenTTHC,omitempty"`
	MaDonVi       string `json:"MaDonVi"`
	KenhThucHien  int    `json:"KenhThucHien"` // 1 counter, 2 online, 3 postal
	ChuHoSo       string `json:"ChuHoSo"`
	TrangThaiHoSo int    `json:"TrangThaiHoSo"` // the national status code, 1–10
	NgayNopHoSo   string `json:"NgayNopHoSo"`
	NgayTiepNhan  string `json:"NgayTiepNhan,omitempty"`
	NgayHenTra    string `json:"NgayHenTra,omitempty"`
	NgayCoKetQua  string `json:"NgayCoKetQua,omitempty"`
	NgayTra       string `json:"NgayTra,omitempty"`
	PhienBan      int    `json:"PhienBan"` // the history's sequence number: the portal keeps the highest
	NgayCapNhat   string `json:"NgayCapNhat"`
}

// Moves tells whether an event changes what the portal shows: a new
// dossier, a new status, or a new due date.
func Moves(ev *dossier.Event) bool {
	return ev.Seq == 1 || ev.FromStatus != ev.ToStatus || ev.Action == dossier.ActExtend || ev.Action == dossier.ActRecompute
}

// UpdateOf is the dossier's state after ev, in the portal's words.
func UpdateOf(d *dossier.Dossier, ev *dossier.Event) Update {
	u := Update{MaHoSo: d.Code, MaTTHC: d.ProcedureCode, TenTTHC: d.ProcedureName, MaDonVi: d.UnitCode,
		KenhThucHien: d.Channel, ChuHoSo: d.Applicant.Name, TrangThaiHoSo: int(d.Status),
		NgayNopHoSo: portalTime(d.SubmittedAt), NgayTiepNhan: portalTime(d.ReceivedAt), NgayHenTra: portalTime(d.DueAt),
		NgayTra: portalTime(d.ReturnedAt), PhienBan: ev.Seq, NgayCapNhat: portalTime(ev.At)}
	if d.Status == dossier.StatusDone || d.Status == dossier.StatusReturned {
		u.NgayCoKetQua = portalTime(d.FinishedAt)
	}
	return u
}

// Message is the outbox message for a dossier's event, or false when the
// event does not concern the portal.
func Message(d *dossier.Dossier, ev *dossier.Event) (outbox.Message, bool) {
	if !Moves(ev) {
		return outbox.Message{}, false
	}
	b, _ := json.Marshal(UpdateOf(d, ev))
	return outbox.Message{Channel: Channel, Topic: "dossier." + ev.Action, UnitCode: d.UnitCode,
		OrderKey: "portal:" + d.Code, Recipient: d.Code, Payload: b,
		IdemKey: "portal_" + d.Code + "_" + strconv.Itoa(ev.Seq)}, true
}

// Synced records that the portal acknowledged a dossier's update, for
// indicator 1.4.
type Synced interface {
	PortalSynced(ctx context.Context, code, unitCode string, status, seq int, at time.Time) error
}

// Sender posts the updates to the portal.
type Sender struct {
	URL    string
	Token  string
	Client *http.Client
	Synced Synced
	Now    func() time.Time
}

// answer is the portal's reply.
type answer struct {
	ErrorCode json.Number `json:"error_code"`
	Message   string      `json:"message"`
}

// Send implements outbox.Sender.
func (s *Sender) Send(ctx context.Context, m outbox.Message) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(m.Payload))
	if err != nil {
		return outbox.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Idempotency-Key", m.IdemKey)
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		err := fmt.Errorf("portal answered %s: %.200s", resp.Status, body)
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnprocessableEntity {
			return outbox.Permanent(err) // the update itself is wrong: retrying will not help
		}
		return err // 401/403 (a token to renew), 429, 5xx: try again later
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("portal answered something that is not JSON: %.200s", body)
	}
	if a.ErrorCode != "" && a.ErrorCode != "0" {
		return fmt.Errorf("portal refused the update: error_code %s: %s", a.ErrorCode, a.Message)
	}
	if s.Synced == nil {
		return nil
	}
	var u Update
	if err := json.Unmarshal(m.Payload, &u); err != nil {
		return outbox.Permanent(err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return s.Synced.PortalSynced(ctx, u.MaHoSo, m.UnitCode, u.TrangThaiHoSo, u.PhienBan, now())
}
