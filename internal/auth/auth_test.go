package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashAndCheck(t *testing.T) {
	h, err := HashPassword("mật khẩu đúng")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("hash %q is not argon2id with the expected parameters", h)
	}
	if !CheckPassword(h, "mật khẩu đúng") {
		t.Fatal("the right password was refused")
	}
	for _, wrong := range []string{"mật khẩu sai", "", "mat khau dung"} {
		if CheckPassword(h, wrong) {
			t.Fatalf("%q was accepted", wrong)
		}
	}
	h2, _ := HashPassword("mật khẩu đúng")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=x$a$b", "$bcrypt$..."} {
		if CheckPassword(bad, "x") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("abc"); err == nil {
		t.Fatal("a 3-character password was accepted")
	}
}

func TestTokens(t *testing.T) {
	s1, d1, err := NewToken("mc_")
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewToken("mc_")
	if s1 == s2 || !strings.HasPrefix(s1, "mc_") || len(s1) < 30 {
		t.Fatalf("tokens %q %q", s1, s2)
	}
	if TokenDigest(s1) != d1 || d1 == s1 {
		t.Fatal("the stored digest must be derived from, and differ from, the secret")
	}
}

func TestUserValidate(t *testing.T) {
	ok := User{Username: " CanBo ", Role: RoleCounter, UnitCode: "00004"}
	if err := ok.Validate(); err != nil || ok.Username != "canbo" {
		t.Fatalf("%v %q", err, ok.Username)
	}
	for _, u := range []User{
		{Username: "x y", Role: RoleCounter, UnitCode: "00004"},
		{Username: "ab", Role: "boss", UnitCode: "00004"},
		{Username: "ab", Role: RoleLeader},
	} {
		if err := u.Validate(); err == nil {
			t.Errorf("%+v accepted", u)
		}
	}
}
