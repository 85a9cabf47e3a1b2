package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Event is one entry of a dossier's history. Events are append-only and
// chained: each one's hash covers its fields and the previous hash, so an
// edited or deleted entry breaks every hash after it.
type Event struct {
	Seq        int       `json:"seq"`
	Action     string    `json:"action"`
	Actor      string    `json:"actor"`
	ActorName  string    `json:"actor_name,omitempty"`
	ActorRole  string    `json:"actor_role"`
	ActorUnit  string    `json:"actor_unit,omitempty"`
	At         time.Time `json:"at"`
	FromStatus Status    `json:"from_status"`
	ToStatus   Status    `json:"to_status"`
	Step       int       `json:"step"`
	ToStep     int       `json:"to_step"`
	Assignee   string    `json:"assignee,omitempty"` // who takes the dossier at a hand-off
	Note       string    `json:"note,omitempty"`
	Outcome    string    `json:"outcome,omitempty"` // the step's or the dossier's on-time result
	DueAt      time.Time `json:"due_at,omitzero"`   // the dossier's due time after the action
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// canonical is the text that the hash covers. Times are in UTC with
// nanoseconds, so the database's rounding must keep them (they are stored as
// text or with microsecond precision: At is truncated to microseconds).
func (e *Event) canonical(dossierCode string) string {
	var b strings.Builder
	for _, s := range []string{
		dossierCode, strconv.Itoa(e.Seq), e.Action, e.Actor, e.ActorRole, e.ActorUnit,
		e.At.UTC().Format(time.RFC3339Nano), strconv.Itoa(int(e.FromStatus)), strconv.Itoa(int(e.ToStatus)),
		strconv.Itoa(e.Step), strconv.Itoa(e.ToStep), e.Assignee, e.Note, e.Outcome,
		formatTime(e.DueAt), e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('|')
	}
	return b.String()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Seal sets the event's previous hash and computes its own.
func (e *Event) Seal(dossierCode, prevHash string) {
	e.PrevHash = prevHash
	e.Hash = e.computeHash(dossierCode)
}

func (e *Event) computeHash(dossierCode string) string {
	h := sha256.Sum256([]byte(e.canonical(dossierCode)))
	return hex.EncodeToString(h[:])
}

// VerifyChain checks a dossier's events in order and returns the sequence
// number of the first broken entry, or 0 when the chain is whole.
func VerifyChain(dossierCode string, events []Event) int {
	prev := ""
	for i := range events {
		e := &events[i]
		if e.Seq != i+1 || e.PrevHash != prev || e.computeHash(dossierCode) != e.Hash {
			return i + 1
		}
		prev = e.Hash
	}
	return 0
}
