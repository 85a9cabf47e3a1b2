package calendar

import "testing"

func TestParseSpans(t *testing.T) {
	got, err := ParseSpans("07:30-11:30, 13:30-17:00")
	if err != nil || len(got) != 2 || got[0] != (Span{450, 690}) || got[1] != (Span{810, 1020}) {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"8-12", "08:00", "08:00-25:00", "sáng"} {
		if _, err := ParseSpans(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := ParseSpans(""); err != nil || got != nil {
		t.Fatalf("empty: %v %v", got, err)
	}
}
