package vntext

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

func TestCheckIDAgainst(t *testing.T) {
	tests := []struct {
		id, sex, birth string
		field, msg     string // the error's field and a part of its message; empty field: accepted
	}{
		{"001090012345", "male", "1990-05-02", "", ""},
		{"001190012345", "female", "1990", "", ""},
		{"079203000123", "male", "2003-11", "", ""},
		{"079303000123", "female", "2003-11-30", "", ""},
		{"001090012345", "", "", "", ""},
		{"012345678", "female", "1991-01-01", "", ""}, // an old card tells neither
		{"0010900", "male", "1991", "", ""},           // not a number the rule reads
		{"001090012345", "male", "1991-05-02", "birth_date", "Số định danh cho biết năm sinh 1990, khác năm sinh đã khai 1991"},
		{"079203000123", "male", "1903", "birth_date", "năm sinh 2003, khác năm sinh đã khai 1903"},
		{"001090012345", "female", "1990-05-02", "sex", "Số định danh cho biết giới tính nam, khác giới tính đã khai (nữ)"},
		{"001190012345", "male", "", "sex", "giới tính nữ, khác giới tính đã khai (nam)"},
		{"001190012345", "male", "1989", "birth_date", "năm sinh 1990"}, // the year is told first
		{"001190012345", "other", "19xx", "", ""},                       // neither readable: its own validation speaks
	}
	for _, tt := range tests {
		err := CheckIDAgainst(tt.id, tt.sex, tt.birth)
		if tt.field == "" {
			if err != nil {
				t.Errorf("CheckIDAgainst(%q, %q, %q) = %v, want nil", tt.id, tt.sex, tt.birth, err)
			}
			continue
		}
		e := apperr.As(err)
		if e == nil || e.Code != apperr.EINVALID || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) || e.MessageEn == "" {
			t.Errorf("CheckIDAgainst(%q, %q, %q) = %#v, want field %s with %q", tt.id, tt.sex, tt.birth, e, tt.field, tt.msg)
		}
	}
}

// FuzzIDNumber holds the ID number rules together: whatever is typed, a
// normalised number is 9 or 12 digits that normalise to themselves, and the
// cross-check accepts the sex and the year the number itself tells and
// refuses any other year.
func FuzzIDNumber(f *testing.F) {
	for _, s := range []string{"001 090 012345", "001.190.012.345", "012-345-678", "079203000123", "000000000", "84009000000１", "", "0010900123456"} {
		f.Add(s, "female", "1990-05-02")
	}
	f.Add("001090012345", "male", "1991")
	f.Add("001090012345", "", "19")
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, typed, sex, birth string) {
		_ = CheckIDAgainst(typed, sex, birth) // never panics, whatever it is given
		id, err := NormalizeIDNumber(typed, now)
		if err != nil {
			if apperr.As(err) == nil {
				t.Fatalf("NormalizeIDNumber(%q): %v is not an application error", typed, err)
			}
			return
		}
		if (len(id) != PersonalIDLen && len(id) != OldIDLen) || !isDigits(id) {
			t.Fatalf("NormalizeIDNumber(%q) = %q", typed, id)
		}
		if again, err := NormalizeIDNumber(id, now); err != nil || again != id {
			t.Fatalf("%q normalises to %q, then to %q, %v", typed, id, again, err)
		}
		year, female, ok := PersonalIDInfo(id)
		if !ok {
			if len(id) == PersonalIDLen {
				t.Fatalf("accepted %q but cannot read it", id)
			}
			if CheckIDAgainst(id, sex, birth) != nil {
				t.Fatalf("an old card %q was cross-checked", id)
			}
			return
		}
		told := "male"
		if female {
			told = "female"
		}
		y := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
		if err := CheckIDAgainst(id, told, y+birthTail(birth)); err != nil {
			t.Fatalf("%q refused with what it tells (%s, %s): %v", id, told, y, err)
		}
		other := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
		if e := apperr.As(CheckIDAgainst(id, sex, other)); e == nil || e.Field != "birth_date" {
			t.Fatalf("%q accepted the year %s: %v", id, other, e)
		}
	})
}

// birthTail is what follows the year in a fuzzed date, so that any month and
// day ride along with the number's year.
func birthTail(s string) string {
	if len(s) >= 4 {
		return s[4:]
	}
	return ""
}
