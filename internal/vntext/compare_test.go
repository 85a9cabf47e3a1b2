package vntext_test

import (
	"testing"

	"github.com/motcua/motcua/internal/vntext"
)

func TestCompareKeyTonePlacement(t *testing.T) {
	for _, p := range [][2]string{{"hoà", "hòa"}, {"thuý", "thúy"}, {"khoẻ", "khỏe"}, {"Hoà Bình", "hòa  bình"}, {"quý", "qúy"}} {
		if vntext.CompareKey(p[0]) != vntext.CompareKey(p[1]) {
			t.Errorf("%q and %q differ", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"hoa", "hòa"}, {"Đức", "Dức"}, {"Lê", "Le"}, {"hoà", "hoá"}} {
		if vntext.CompareKey(p[0]) == vntext.CompareKey(p[1]) {
			t.Errorf("%q and %q are equal", p[0], p[1])
		}
	}
}
