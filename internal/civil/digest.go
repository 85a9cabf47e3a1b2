package civil

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// DigestPrefix starts the note of every event of a record's history: the
// SHA-256 of the record's content after the change, so that a row edited
// behind the chain no longer matches its last event.
const DigestPrefix = "content:sha256:"

// content is what a record's digest covers: everything stored about it
// except its history and version.
type content struct {
	ID           int64             `json:"id"`
	UnitCode     string            `json:"unit"`
	BookID       int64             `json:"book"`
	Kind         string            `json:"kind"`
	Page         string            `json:"page"`
	Entry        string            `json:"entry"`
	RegisteredOn string            `json:"registered_on"`
	Officer      string            `json:"officer"`
	Declarant    Declarant         `json:"declarant"`
	Status       Status            `json:"status"`
	Source       string            `json:"source"`
	DossierCode  string            `json:"dossier"`
	ScanSHA256   string            `json:"scan"`
	EnteredBy    string            `json:"entered_by"`
	EnteredAt    int64             `json:"entered_at"`
	VerifiedBy   string            `json:"verified_by"`
	VerifiedAt   int64             `json:"verified_at"`
	Amends       int64             `json:"amends"`
	MergedInto   int64             `json:"merged_into"`
	People       []Person          `json:"people"`
	Fields       map[string]string `json:"fields"`
	Changes      []FieldChange     `json:"changes"`
}

// Digest is the hex SHA-256 of the record's stored content. Times count in
// microseconds, as stored.
func (r *Record) Digest() string {
	c := content{r.ID, r.UnitCode, r.BookID, r.Kind, r.Page, r.Entry, r.RegisteredOn, r.Officer, r.Declarant, r.Status, r.Source,
		r.DossierCode, r.ScanSHA256, r.EnteredBy, micros(r.EnteredAt), r.VerifiedBy, micros(r.VerifiedAt), r.Amends, r.MergedInto,
		r.People, r.Fields, r.Changes}
	if len(c.Fields) == 0 {
		c.Fields = nil
	}
	if len(c.People) == 0 {
		c.People = nil
	}
	if len(c.Changes) == 0 {
		c.Changes = nil
	}
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DigestNote is an event's note: the content digest, then the human note.
func DigestNote(digest, note string) string {
	if note == "" {
		return DigestPrefix + digest
	}
	return DigestPrefix + digest + " " + note
}

// NoteDigest reads the digest back from an event's note; "" without one.
func NoteDigest(note string) string {
	rest, ok := strings.CutPrefix(note, DigestPrefix)
	if !ok {
		return ""
	}
	d, _, _ := strings.Cut(rest, " ")
	return d
}

// HumanNote is an event's note without the digest.
func HumanNote(note string) string {
	if !strings.HasPrefix(note, DigestPrefix) {
		return note
	}
	_, rest, _ := strings.Cut(note, " ")
	return rest
}
