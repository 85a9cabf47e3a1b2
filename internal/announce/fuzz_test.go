package announce

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// FuzzNormalizeAddress: an address a resident types is kept only in its
// stored form (a national phone of ten digits, or a bare lower-case e-mail
// address), and stays the same when normalised again; anything else is an
// "invalid" naming the field.
func FuzzNormalizeAddress(f *testing.F) {
	for _, s := range []string{"0912 345 678", "+84 912 345 678", "84912345678", "Lan <lan@example.org>", "Lan@Example.ORG",
		"a@b", "0912-345-678", " 024 3823 4567 ", "", "\x00", "lan@ví-dụ.vn"} {
		for _, ch := range []string{ChannelSMS, ChannelZalo, ChannelEmail, "fax"} {
			f.Add(ch, s)
		}
	}
	f.Fuzz(func(t *testing.T, channel, addr string) {
		got, err := NormalizeAddress(channel, addr)
		if err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Field == "" || got != "" {
				t.Fatalf("%q %q: %q %#v", channel, addr, got, err)
			}
			return
		}
		again, err := NormalizeAddress(channel, got)
		if err != nil || again != got || !utf8.ValidString(got) {
			t.Fatalf("%q %q → %q → %q %v", channel, addr, got, again, err)
		}
		if channel != ChannelEmail && (len(got) != 10 || got[0] != '0' || strings.Trim(got, "0123456789") != "") {
			t.Fatalf("%q: phone %q", addr, got)
		}
		if channel == ChannelEmail && (got != strings.ToLower(got) || strings.ContainsAny(got, " <>")) {
			t.Fatalf("%q: e-mail %q", addr, got)
		}
	})
}

// FuzzAnnouncement: whatever is typed, a kept announcement has a clean
// title, a body without control characters but its line breaks, and only
// its commune's groups, each once.
func FuzzAnnouncement(f *testing.F) {
	f.Add("Lịch tiêm chủng", "Sáng thứ Bảy.\r\n\r\n\r\nMang sổ.", "00004-01,00004-01,00004-02", false)
	f.Add("  ", "x", "", true)
	f.Add("Họp", "\x00", "00008-01", false)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, body, groups string, all bool) {
		a := Announcement{UnitCode: "00004", Title: title, Body: body, AllGroups: all, PublishAt: now}
		if groups != "" {
			a.Groups = strings.Split(groups, ",")
		}
		if err := a.Normalize(); err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Field == "" {
				t.Fatalf("%#v", err)
			}
			return
		}
		if a.Title != vntext.Clean(a.Title) || a.Title == "" || strings.Contains(a.Body, "\n\n\n") {
			t.Fatalf("kept %q / %q", a.Title, a.Body)
		}
		for _, l := range strings.Split(a.Body, "\n") {
			if l != vntext.Clean(l) {
				t.Fatalf("body line %q", l)
			}
		}
		seen := map[string]bool{}
		for _, g := range a.Groups {
			if seen[g] || !strings.HasPrefix(g, "00004-") || !a.Targets(g) {
				t.Fatalf("groups %v", a.Groups)
			}
			seen[g] = true
		}
	})
}
