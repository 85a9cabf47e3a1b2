package vntext

import "testing"

func TestMaskIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		"001190012345":   "001******345", // CCCD, 12 digits
		"012345678":      "012***678",    // old CMND, 9 digits
		" 001190012345 ": "001******345",
		"123456":         "******",
		"":               "",
	} {
		if got := MaskIDNumber(in); got != want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskContact(t *testing.T) {
	for in, want := range map[string]string{
		"0912345678":          "09*****678",     // phone: first two, last three
		"nguyenvan@gmail.com": "n***@gmail.com", // e-mail: first letter and domain
		"ánh@mail.vn":         "á***@mail.vn",   // a multi-byte first letter stays whole
		"12345":               "*****",          // too short to keep any of
		"Đồng Nai 1":          "Đồ*****i 1",     // counted in characters, not bytes
		"":                    "",
	} {
		if got := MaskContact(in); got != want {
			t.Errorf("MaskContact(%q) = %q, want %q", in, got, want)
		}
	}
}
