package vntext

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

var testNow = time.Date(2025, 6, 15, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func TestValidatePersonalID(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"man born 1999 in Hà Nội", "001099012345", true},
		{"woman born 1999", "001199012345", true},
		{"man born 2003 in Hồ Chí Minh", "079203000123", true},
		{"born this year", "079225000123", true},
		{"last province code", "096085000001", true},
		{"born abroad, country code", "840090000001", true},
		{"born next year", "079226000123", false},
		{"2100s", "001400000001", false},
		{"2300s", "001800000001", false},
		{"place 000", "000099012345", false},
		{"003 is no province and no country", "003099012345", false},
		{"097 is past the last province and no country", "097099012345", false},
		{"999 is no country", "999099012345", false},
		{"born in Vietnam abroad list, 704", "704099012345", true},
		{"born in Japan, 392", "392099012345", true},
		{"withdrawn country code 891", "891099012345", false},
		{"too short", "0010990123", false},
		{"too long", "0010990123456", false},
		{"letter", "00109901234a", false},
		{"spaces", "001 099 012345", false},
		{"full-width digits", "００１０９９０１２３４５", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePersonalID(tt.in, testNow)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidatePersonalID(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && (apperr.Code(err) != apperr.EINVALID || apperr.As(err).Field != "personal_id") {
				t.Fatalf("error %v is not an invalid personal_id error", err)
			}
		})
	}
}

func TestPlaceCodeLists(t *testing.T) {
	if len(Provinces) != 63 {
		t.Errorf("%d province codes, want 63", len(Provinces))
	}
	if len(Countries) != 249 {
		t.Errorf("%d country codes, want 249", len(Countries))
	}
	for code, name := range map[string]string{"001": "Hà Nội", "079": "Hồ Chí Minh", "096": "Cà Mau", "046": "Thừa Thiên Huế"} {
		if Provinces[code] != name {
			t.Errorf("province %s = %q, want %q", code, Provinces[code], name)
		}
	}
	for code, name := range map[string]string{"704": "Vietnam", "840": "United States", "250": "France", "410": "South Korea"} {
		if Countries[code] != name {
			t.Errorf("country %s = %q, want %q", code, Countries[code], name)
		}
	}
	for _, code := range []string{"003", "005", "097", "098", "099", "000", "999"} {
		if _, ok := Provinces[code]; ok {
			t.Errorf("%s is listed as a province", code)
		}
	}
}

func TestPersonalIDPlaceMessage(t *testing.T) {
	err := ValidatePersonalID("003099012345", testNow)
	e := apperr.As(err)
	if e == nil || !strings.HasPrefix(e.Message, "Số định danh cá nhân không hợp lệ: 3 chữ số đầu (003)") || !strings.Contains(e.MessageEn, "first 3 digits (003)") {
		t.Fatalf("error = %v, want the Vietnamese message naming the first 3 digits", err)
	}
}

func TestPersonalIDInfo(t *testing.T) {
	tests := []struct {
		in             string
		year           int
		female, wantOK bool
	}{
		{"001099012345", 1999, false, true},
		{"001199012345", 1999, true, true},
		{"079203000123", 2003, false, true},
		{"079305000123", 2005, true, true},
		{"079450000123", 2150, false, true},
		{"079999000123", 2399, true, true},
		{"000099012345", 0, false, false},
		{"003099012345", 0, false, false},
		{"12345", 0, false, false},
	}
	for _, tt := range tests {
		year, female, ok := PersonalIDInfo(tt.in)
		if year != tt.year || female != tt.female || ok != tt.wantOK {
			t.Errorf("PersonalIDInfo(%q) = %d, %v, %v; want %d, %v, %v", tt.in, year, female, ok, tt.year, tt.female, tt.wantOK)
		}
	}
}

func TestValidateOldID(t *testing.T) {
	for in, ok := range map[string]bool{
		"012345678": true, "123456789": true, "000000000": false,
		"12345678": false, "1234567890": false, "12345678a": false, "": false,
	} {
		if err := ValidateOldID(in); (err == nil) != ok {
			t.Errorf("ValidateOldID(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}

func TestValidateIDNumber(t *testing.T) {
	for in, ok := range map[string]bool{
		"001099012345": true, "012345678": true, "079226000123": false,
		"000000000": false, "1234567890": false, "12-345-678": false, "": false,
	} {
		if err := ValidateIDNumber(in, testNow); (err == nil) != ok {
			t.Errorf("ValidateIDNumber(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}

func TestNormalizeIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{" 001 099 012345 ", "001099012345"},
		{"001.099.012.345", "001099012345"},
		{"012-345-678", "012345678"},
		{"0010 9901 234x", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeIDNumber(tt.in, testNow)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("NormalizeIDNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzValidatePersonalID(f *testing.F) {
	for _, s := range []string{"003099012345", "840090000001", "001099012345", "079225000123", "079226000123", "000099012345", "012345678", "001 099 012345", ""} {
		f.Add(s, uint16(2025))
	}
	f.Fuzz(func(t *testing.T, s string, year uint16) {
		now := time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC)
		if ValidatePersonalID(s, now) == nil {
			by, _, ok := PersonalIDInfo(s)
			if !ok || by > now.Year() || len(s) != PersonalIDLen || !isDigits(s) {
				t.Fatalf("accepted %q at %d but info = %d, %v", s, year, by, ok)
			}
			if ValidatePersonalID(s, now.AddDate(1, 0, 0)) != nil || ValidateIDNumber(s, now) != nil {
				t.Fatalf("accepted %q does not re-validate", s)
			}
		}
		if ValidateOldID(s) == nil && ValidateIDNumber(s, now) != nil {
			t.Fatalf("old ID %q accepted alone but not as an ID number", s)
		}
		if n, err := NormalizeIDNumber(s, now); err == nil {
			if again, err := NormalizeIDNumber(n, now); err != nil || again != n || ValidateIDNumber(n, now) != nil {
				t.Fatalf("normalised %q to %q, which does not re-validate: %v", s, n, err)
			}
		}
	})
}
