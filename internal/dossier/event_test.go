package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

// TestCanonicalText holds the text an event's hash covers to the exact
// bytes of the first version: a change to it would break every stored chain.
func TestCanonicalText(t *testing.T) {
	tests := []struct {
		e    Event
		code string
		want string
	}{
		{Event{Seq: 3, Action: ActForward, Actor: "chuyenvien.00004", ActorName: "not covered", ActorRole: "specialist", ActorUnit: "00004",
			At: time.Date(2026, 3, 2, 8, 30, 15, 123456000, time.FixedZone("ICT", 7*3600)), FromStatus: 2, ToStatus: 4, Step: 1, ToStep: 2,
			Assignee: "lanhdao.00004", Note: "Chuyển | 5:x", DueAt: time.Date(2026, 3, 9, 17, 0, 0, 0, time.UTC), PrevHash: "ab12"},
			"H26.01-260302-0001",
			"18:H26.01-260302-0001|1:3|7:forward|16:chuyenvien.00004|10:specialist|5:00004|27:2026-03-02T01:30:15.123456Z|1:2|1:4|1:1|1:2|13:lanhdao.00004|14:Chuyển | 5:x|0:|20:2026-03-09T17:00:00Z|4:ab12|"},
		{Event{Seq: 1, Action: ActSubmit, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, "X",
			"1:X|1:1|6:submit|0:|0:|0:|20:2026-01-01T00:00:00Z|1:0|1:0|1:0|1:0|0:|0:|0:|0:|0:|"},
	}
	for _, tt := range tests {
		if got := string(tt.e.appendCanonical(nil, tt.code)); got != tt.want {
			t.Errorf("canonical text\n got %q\nwant %q", got, tt.want)
		}
		e := tt.e
		e.Seal(tt.code, e.PrevHash)
		if sum := sha256.Sum256([]byte(tt.want)); e.Hash != hex.EncodeToString(sum[:]) {
			t.Errorf("hash %s is not the SHA-256 of the canonical text", e.Hash)
		}
	}
}
