package vntext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"nguyen van duc", "nguyen van duc"},
		{"Nguyễn Văn Đức", "nguyen van duc"},
		{"NGUYỄN VĂN ĐỨC", "nguyen van duc"},
		{"  Nguyễn \t Văn\n\nĐức  ", "nguyen van duc"},
		{"hoà", "hoa"},
		{"hòa", "hoa"},
		{"ho\u0061\u0300", "hoa"}, // decomposed, new placement
		{"h\u006f\u0300a", "hoa"}, // decomposed, old placement
		{"Thuỵ", "thuy"},
		{"Thụy", "thuy"},
		{"Phường Ba Đình", "phuong ba dinh"},
		{"Đắk Lắk", "dak lak"},
		{"Thừa Thiên Huế", "thua thien hue"},
		{"ưƯơƠăĂâÂêÊôÔđĐ", "uuooaaaaeeoodd"},
		{"Quận\u00a0Bắc\u2003Từ Liêm", "quan bac tu liem"},
		{"Ăn 2 bát phở, 100%!", "an 2 bat pho, 100%!"},
		{"Ångström Ωhm", "angstrom ωhm"},
		{"東京", "東京"},
		{"\u0301\u0301 a", "a"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldToneMarkPlacementAndForm(t *testing.T) {
	words := [][]string{
		{"hoà", "hòa", "HOÀ", "Hòa"},
		{"thuỷ", "thủy"},
		{"khoẻ", "khỏe"},
		{"Nguyễn Văn Đức", "Nguyen Van Duc", "nguyen  van duc"},
	}
	for _, group := range words {
		want := Fold(group[0])
		for _, w := range group {
			for _, form := range []norm.Form{norm.NFC, norm.NFD, norm.NFKC, norm.NFKD} {
				if got := Fold(form.String(w)); got != want {
					t.Errorf("Fold(%v(%q)) = %q, want %q", form, w, got, want)
				}
			}
		}
	}
}

func TestUnaccent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn Đức", "Nguyen Van Duc"},
		{" Hồ  Chí Minh ", "Ho Chi Minh"},
		{"Thanh Hoá", "Thanh Hoa"},
		{"ĐẶC KHU", "DAC KHU"},
	}
	for _, tt := range tests {
		if got := Unaccent(tt.in); got != tt.want {
			t.Errorf("Unaccent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Phường   Ba\tĐình \n", "Phường Ba Đình"},
		{"Ho\u0300a", "Hòa"},
		{"Hoa\u0300", "Hoà"}, // tone placement is kept; only Fold unifies it
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Clean(tt.want); got != tt.want {
			t.Errorf("Clean not idempotent on %q: %q", tt.want, got)
		}
	}
	if NFC("e\u0302\u0303") != "ễ" {
		t.Errorf("NFC did not compose ễ")
	}
}

// TestFoldEveryRune checks, for every code point, that the cached tables
// agree with the slow path, that folding is idempotent, and that only white
// space folds to white space.
func TestFoldEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		for _, tab := range []*runeTable{&foldTable, &plainTable} {
			if m, ok := tab.lookup(r); ok {
				slow := appendFold(nil, r, tab.lower, 0)
				if (m == dropRune && len(slow) != 0) || (m >= 0 && (len(slow) != 1 || slow[0] != m)) {
					t.Fatalf("table for %U (lower=%v) = %d, slow path %q", r, tab.lower, m, string(slow))
				}
			}
		}
		f := Fold(s)
		if g := Fold(f); g != f {
			t.Fatalf("Fold not idempotent on %U: %q then %q", r, f, g)
		}
		if u := Unaccent(s); Unaccent(u) != u {
			t.Fatalf("Unaccent not idempotent on %U: %q", r, u)
		}
		if !unicode.IsSpace(r) && strings.ContainsFunc(f, unicode.IsSpace) {
			t.Fatalf("Fold(%U) = %q contains white space", r, f)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	inputs := map[string]string{
		"vietnamese": "Nguyễn Thị Thuỳ Dương, Phường Đông Ngạc, Thành phố Hà Nội",
		"decomposed": norm.NFD.String("Nguyễn Thị Thuỳ Dương, Phường Đông Ngạc, Thành phố Hà Nội"),
		"folded":     "nguyen thi thuy duong, phuong dong ngac, thanh pho ha noi",
	}
	for name, in := range inputs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				Fold(in)
			}
		})
	}
}

// vietnameseRunes are the letters of the Vietnamese alphabet beyond ASCII,
// and the combining marks that decomposed Vietnamese text carries.
var vietnameseRunes = func() string {
	lower := "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
	return lower + strings.ToUpper(lower) + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
}()

func isVietnamese(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && !strings.ContainsRune(vietnameseRunes, r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// refFold is the plain definition of Fold, used to check the fast one.
func refFold(s string) string {
	s = norm.NFD.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Mn, r):
			return -1
		case r == 'đ' || r == 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Nguyễn Văn Đức", "hoà hòa", norm.NFD.String("Thuỵ Khuê"), " \t\n ", "東京 Ωhm", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent: %q -> %q -> %q", s, got, again)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q has untidy spaces", s, got)
		}
		if !isVietnamese(s) {
			return
		}
		for i := 0; i < len(got); i++ {
			if got[i] >= utf8.RuneSelf {
				t.Fatalf("Fold(%q) = %q is not ASCII", s, got)
			}
		}
		if want := refFold(s); got != want {
			t.Fatalf("Fold(%q) = %q, reference %q", s, got, want)
		}
		if nfc := Fold(NFC(s)); nfc != got {
			t.Fatalf("Fold(NFC(%q)) = %q, Fold = %q", s, nfc, got)
		}
	})
}

// FuzzClean checks Clean, which returns text already clean as it is,
// against its plain definition.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " ", "Phường Ba Đình", "  Phường   Ba\tĐình \n", "Ho\u0300a", "a\u00a0b", "a\u3000b", "\xff\xfe a", "x "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), strings.Join(strings.Fields(NFC(s)), " "); got != want {
			t.Fatalf("Clean(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestUnclean(t *testing.T) {
	tests := []struct {
		in        string
		multiline bool
		bad       rune
		refused   bool
	}{
		{"", false, 0, false},
		{"Nguyễn Văn Đức", false, 0, false},
		{"Phường Ba Đình, Hà Nội 東京 Ωhm €", false, 0, false},
		{"a\u00a0b", false, 0, false}, // no-break space: white space, not a control
		{"a\x00b", false, 0, true},
		{"a\x00b", true, 0, true},
		{"chuông\u0007", true, 7, true},
		{"dòng\u0085mới", true, 0x85, true},
		{"\u009f", false, 0x9f, true},
		{"\x7f", true, 0x7f, true},
		{"\x1b[31m", true, 0x1b, true},
		{"a\tb", false, '\t', true},
		{"a\nb", false, '\n', true},
		{"a\rb", false, '\r', true},
		{"a\tb\r\nc\n", true, 0, false},
		{"a\xffb", false, ReplacementChar, true},
		{"a\xc3", true, ReplacementChar, true},        // cut in the middle of ã
		{"\xed\xa0\x80", true, ReplacementChar, true}, // a surrogate written as UTF-8
		{"a\ufffdb", false, ReplacementChar, true},
	}
	for _, tt := range tests {
		bad, refused := Unclean(tt.in, tt.multiline)
		if refused != tt.refused || bad != tt.bad {
			t.Errorf("Unclean(%q, %v) = %U, %v; want %U, %v", tt.in, tt.multiline, bad, refused, tt.bad, tt.refused)
		}
	}
}

// FuzzUnclean checks Unclean against its plain definition, and that what
// it accepts stays free of control characters once cleaned.
func FuzzUnclean(f *testing.F) {
	for _, s := range []string{"", "Nguyễn Văn Đức", "a\x00b", "a\tb\r\nc", "\u0085", "\xff\xfe", "\ufffd", "\x7f", "Ho\u0300a"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		bad, refused := Unclean(s, multiline)
		want := !utf8.ValidString(s)
		for _, r := range s {
			kept := multiline && (r == '\t' || r == '\n' || r == '\r')
			if (unicode.IsControl(r) && !kept) || r == utf8.RuneError {
				want = true
			}
		}
		if refused != want {
			t.Fatalf("Unclean(%q, %v) refused = %v, want %v", s, multiline, refused, want)
		}
		if refused {
			if !strings.ContainsRune(s, bad) && bad != ReplacementChar {
				t.Fatalf("Unclean(%q, %v) names %U, which is not in the text", s, multiline, bad)
			}
			return
		}
		for _, r := range Clean(s) {
			if unicode.IsControl(r) {
				t.Fatalf("Clean(%q) = %q keeps the control %U", s, Clean(s), r)
			}
		}
	})
}

// TestTruncate: a cut never splits a character and never exceeds n bytes;
// what fits is left whole.
func TestTruncate(t *testing.T) {
	s := "Không gửi được: máy chủ từ chối"
	for n := 0; n <= len(s); n++ {
		if got := Truncate(s, n); !utf8.ValidString(got) || len(got) > n || !strings.HasPrefix(s, got) || len(got) < n-3 {
			t.Fatalf("Truncate(%d) = %q", n, got)
		}
	}
	if got := Truncate(s, len(s)+5); got != s {
		t.Errorf("Truncate of a short string = %q, want it whole", got)
	}
	if got := Truncate("ữ", 2); got != "" { // ữ is 3 bytes
		t.Errorf("Truncate(ữ, 2) = %q, want empty", got)
	}
}
