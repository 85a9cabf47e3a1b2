package webhook

import (
	"encoding/json"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Topic is the event type a dossier's action is published under.
func Topic(action string) string { return "dossier." + action }

// ValidTopic tells whether a subscriber may ask for topic.
func ValidTopic(topic string) bool {
	_, ok := dossier.ActionName[topic[min(len(topic), len("dossier.")):]]
	return ok && topic[:min(len(topic), len("dossier."))] == "dossier."
}

// event is the body of a webhook: what moved, when, and where it stands.
// It names the dossier by its code and carries no personal data: a
// subscriber that needs more asks the API with its own token.
type event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      eventData `json:"data"`
}

type eventData struct {
	Code          string    `json:"code"`
	ProcedureCode string    `json:"procedure_code"`
	UnitCode      string    `json:"unit_code"`
	Seq           int       `json:"seq"`
	Action        string    `json:"action"`
	FromStatus    int       `json:"from_status"`
	Status        int       `json:"status"`
	StatusName    string    `json:"status_name"`
	DueAt         time.Time `json:"due_at,omitzero"`
	Outcome       string    `json:"outcome,omitempty"`
}

// Payload is the body sent for a dossier's event.
func Payload(d *dossier.Dossier, ev *dossier.Event) []byte {
	b, _ := json.Marshal(event{Type: Topic(ev.Action), Timestamp: ev.At.UTC(), Data: eventData{
		Code: d.Code, ProcedureCode: d.ProcedureCode, UnitCode: d.UnitCode, Seq: ev.Seq, Action: ev.Action,
		FromStatus: int(ev.FromStatus), Status: int(ev.ToStatus), StatusName: ev.ToStatus.Name(),
		DueAt: d.DueAt.UTC(), Outcome: ev.Outcome,
	}})
	return b
}
