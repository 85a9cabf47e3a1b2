package vntext

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0912345678", "0912345678"},
		{" 091 234 5678 ", "0912345678"},
		{"091.234.5678", "0912345678"},
		{"091-234-5678", "0912345678"},
		{"0387654321", "0387654321"},
		{"0561234567", "0561234567"},
		{"0701234567", "0701234567"},
		{"0812345678", "0812345678"},
		{"+84 912 345 678", "0912345678"},
		{"+84912345678", "0912345678"},
		{"84912345678", "0912345678"},
		{"0084 912 345 678", "0912345678"},
		{"+84 (0) 912 345 678", "0912345678"},
		{"(024) 3825 1234", "02438251234"},
		{"+84 24 3825 1234", "02438251234"},
		{"0203.3825.123", "02033825123"},
		// errors
		{"", ""},
		{"   ", ""},
		{"abc", ""},
		{"091234567", ""},
		{"09123456789", ""},
		{"0243825123", ""},
		{"024382512345", ""},
		{"0612345678", ""},
		{"0112345678", ""},
		{"+1 212 555 1234", ""},
		{"001 212 555 1234", ""},
		{"912345678", ""},
		{"09+12345678", ""},
		{"1900 1234", ""},
		{"0", ""},
		{"+84", ""},
		{"+", ""},
		{"0912 345 678 ext 2", ""},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if tt.want == "" {
			e := apperr.As(err)
			if e == nil || e.Code != apperr.EINVALID || e.Field != "phone" || e.Message == "" || e.MessageEn == "" {
				t.Errorf("NormalizePhone(%q) error = %v, want a bilingual invalid phone error", tt.in, err)
			}
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0912345678", "+84 912 345 678", "(024) 3825 1234", "0084912345678", "84", "+1 212", "", "0.-()"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePhone(s)
		if err != nil {
			if got != "" || apperr.Code(err) != apperr.EINVALID {
				t.Fatalf("NormalizePhone(%q) = %q, %v", s, got, err)
			}
			return
		}
		if !isDigits(got) || got[0] != '0' || (len(got) != mobileLen && len(got) != landlineLen) {
			t.Fatalf("NormalizePhone(%q) = %q is not a national number", s, got)
		}
		if again, err := NormalizePhone(got); err != nil || again != got {
			t.Fatalf("NormalizePhone(%q) = %q re-normalises to %q, %v", s, got, again, err)
		}
		if intl, err := NormalizePhone("+84 " + strings.TrimPrefix(got, "0")); err != nil || intl != got {
			t.Fatalf("international form of %q gives %q, %v", got, intl, err)
		}
	})
}
