package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/vntext"
)

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestConfigValidate(t *testing.T) {
	c := Config{Issuer: "https://vneid.example.vn", ClientID: "motcua", ClientSecret: "s", RedirectURL: "https://motcua.example.vn/auth/oidc/callback"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.IDClaim != "personal_id" || c.NameClaim != "name" || len(c.Scopes) != 1 || c.Scopes[0] != "profile" {
		t.Fatalf("defaults: %+v", c)
	}
	for _, bad := range []Config{
		{Issuer: "vneid.example.vn", ClientID: "a", ClientSecret: "s", RedirectURL: c.RedirectURL},
		{Issuer: c.Issuer, ClientID: "a", ClientSecret: "s", RedirectURL: "/auth/oidc/callback"},
		{Issuer: c.Issuer, ClientID: "", ClientSecret: "s", RedirectURL: c.RedirectURL},
		{Issuer: c.Issuer, ClientID: "a", ClientSecret: "", RedirectURL: c.RedirectURL},
	} {
		if err := bad.Validate(); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestLoginCheck(t *testing.T) {
	_, l, err := NewLogin("/ho-so", day)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(l.State, day.Add(LoginTTL-time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := l.Check("x"+l.State, day); err != ErrNoLogin {
		t.Fatalf("wrong state: %v", err)
	}
	if err := l.Check("", day); err != ErrNoLogin {
		t.Fatalf("no state: %v", err)
	}
	if err := l.Check(l.State, day.Add(LoginTTL)); err != ErrExpired {
		t.Fatalf("expired: %v", err)
	}
}

func TestIDNumberOf(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
		msg  string
	}{
		{"001090012345", "001090012345", ""},
		{" 001 090 012 345 ", "001090012345", ""},
		{nil, "", "không gửi số định danh"},
		{42.0, "", "không gửi số định danh"},
		{"", "", "không gửi số định danh"},
		{"012345678", "", "9 chữ số không dùng để đăng nhập"},
		{"999090012345", "", "không hợp lệ"},
		{"001290012345", "", "ở tương lai"}, // born in 2090
		{"abc", "", "không hợp lệ"},
	} {
		got, err := IDNumberOf(c.in, day)
		if c.msg == "" {
			if err != nil || got != c.want {
				t.Errorf("%v: %q %v", c.in, got, err)
			}
			continue
		}
		if e := apperr.As(err); e == nil || !strings.Contains(e.Message, c.msg) || e.MessageEn == "" {
			t.Errorf("%v: %v, want %q", c.in, err, c.msg)
		}
	}
}

// FuzzIDNumberOf: whatever the provider sends, an accepted number is a
// valid 12-digit personal ID number.
func FuzzIDNumberOf(f *testing.F) {
	for _, s := range []string{"001090012345", "012345678", "", " 001.090-012 345", "999090012345", "0010900123456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := IDNumberOf(s, day)
		if err != nil {
			if apperr.Code(err) != apperr.EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(got) != vntext.PersonalIDLen || vntext.ValidatePersonalID(got, day) != nil {
			t.Fatalf("%q accepted as %q", s, got)
		}
	})
}

func TestDecide(t *testing.T) {
	id := Identity{Issuer: "i", Subject: "s", IDNumber: "001090012345", Name: "  "}
	citizen := &auth.User{ID: 1, Username: "congdan", Role: auth.RoleApplicant, IDNumber: id.IDNumber}
	officer := &auth.User{ID: 2, Username: "cv", Role: auth.RoleSpecialist, UnitCode: "00004", IDNumber: id.IDNumber}
	officer2 := &auth.User{ID: 3, Username: "cv2", Role: auth.RoleCounter, UnitCode: "00004", IDNumber: id.IDNumber}

	d, err := Decide(id, nil, nil, nil)
	if err != nil || d.Create == nil || d.Create.Username != "cd001090012345" || d.Create.FullName != "cd001090012345" || d.Create.Role != auth.RoleApplicant {
		t.Fatalf("new: %+v %v", d, err)
	}
	if d, err := Decide(id, &Linked{User: citizen, IDNumber: id.IDNumber}, nil, nil); err != nil || d.User != citizen || d.Bind {
		t.Fatalf("linked: %+v %v", d, err)
	}
	if _, err := Decide(id, &Linked{User: citizen, IDNumber: "001090099999"}, nil, nil); apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("linked with another number: %v", err)
	}
	if d, err := Decide(id, nil, []*auth.User{citizen, officer}, nil); err != nil || d.User != officer || !d.Bind {
		t.Fatalf("officer first: %+v %v", d, err)
	}
	if _, err := Decide(id, nil, []*auth.User{officer, officer2}, nil); apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("two officers: %v", err)
	}
	if _, err := Decide(id, nil, []*auth.User{citizen}, map[int64]bool{1: true}); apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("bound elsewhere: %v", err)
	}
	off := *citizen
	off.Disabled = true
	if _, err := Decide(id, nil, []*auth.User{&off}, nil); apperr.Code(err) != apperr.EFORBIDDEN {
		t.Fatalf("disabled: %v", err)
	}
	if _, err := Decide(id, &Linked{User: &off, IDNumber: id.IDNumber}, nil, nil); apperr.Code(err) != apperr.EFORBIDDEN {
		t.Fatalf("disabled, linked: %v", err)
	}
}
