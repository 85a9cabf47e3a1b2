package unit

import (
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

func TestContactNormalize(t *testing.T) {
	c, err := Contact{Address: "  Số 25  phố Đội Cấn,\n phường Ba Đình ", Hotline: "024 3823 4567", Email: " motcua@badinh.hanoi.gov.vn "}.Normalize()
	if err != nil || c.Address != "Số 25 phố Đội Cấn, phường Ba Đình" || c.Hotline != "02438234567" || c.Email != "motcua@badinh.hanoi.gov.vn" {
		t.Fatalf("normalized: %+v %v", c, err)
	}
	if c, err := (Contact{}).Normalize(); err != nil || c != (Contact{}) {
		t.Errorf("empty contact: %+v %v", c, err)
	}
	long := make([]rune, 301)
	for i := range long {
		long[i] = 'đ'
	}
	for _, bad := range []struct {
		c     Contact
		field string
	}{
		{Contact{Hotline: "1900 1234"}, "hotline"},
		{Contact{Hotline: "024 3823"}, "hotline"},
		{Contact{Hotline: "hotline"}, "hotline"},
		{Contact{Email: "motcua.badinh"}, "email"},
		{Contact{Email: "a@b"}, "email"},
		{Contact{Email: "a b@c.vn"}, "email"},
		{Contact{Address: string(long)}, "address"},
	} {
		_, err := bad.c.Normalize()
		if e := apperr.As(err); e == nil || e.Field != bad.field || e.Message == "" || e.MessageEn == "" {
			t.Errorf("%+v: %v, want an error on %s", bad.c, err, bad.field)
		}
	}
}
