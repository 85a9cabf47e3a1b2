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
