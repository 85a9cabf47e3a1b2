package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
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

// appendCanonical appends the text that the hash covers: each field as its length in
// bytes, a colon, the field and a bar. Times are in UTC with nanoseconds,
// so the database's rounding must keep them (they are stored as text or
// with microsecond precision: At is truncated to microseconds). The text
// must never change, or stored chains stop verifying; a test holds it.
// It is appended to b without building each field as a string first: a
// load seals millions of events.
func (e *Event) appendCanonical(b []byte, dossierCode string) []byte {
	var scratch [40]byte
	num := func(n int) []byte { return strconv.AppendInt(scratch[:0], int64(n), 10) }
	b = appendField(b, dossierCode)
	b = appendField(b, num(e.Seq))
	for _, s := range [...]string{e.Action, e.Actor, e.ActorRole, e.ActorUnit} {
		b = appendField(b, s)
	}
	b = appendField(b, e.At.UTC().AppendFormat(scratch[:0], time.RFC3339Nano))
	for _, n := range [...]int{int(e.FromStatus), int(e.ToStatus), e.Step, e.ToStep} {
		b = appendField(b, num(n))
	}
	for _, s := range [...]string{e.Assignee, e.Note, e.Outcome} {
		b = appendField(b, s)
	}
	due := scratch[:0]
	if !e.DueAt.IsZero() {
		due = e.DueAt.UTC().AppendFormat(due, time.RFC3339Nano)
	}
	b = appendField(b, due)
	return appendField(b, e.PrevHash)
}

func appendField[T string | []byte](b []byte, s T) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, '|')
}

// Seal sets the event's previous hash and computes its own.
func (e *Event) Seal(dossierCode, prevHash string) {
	e.PrevHash = prevHash
	e.Hash = e.computeHash(dossierCode)
}

func (e *Event) computeHash(dossierCode string) string {
	var buf [512]byte
	h := sha256.Sum256(e.appendCanonical(buf[:0], dossierCode))
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
