package unit

import (
	"testing"

	"github.com/motcua/motcua/internal/apperr"
)

func TestGroupCode(t *testing.T) {
	for code, ok := range map[string]bool{"00004-01": true, "00004-123": true, "00004-1": false, "00004-1234": false,
		"0004-01": false, "00004_01": false, "00004-0a": false, "00004": false, "-01": false, "00004-01-02": false} {
		if ValidGroupCode(code) != ok {
			t.Errorf("%q: valid %v", code, !ok)
		}
	}
	g, err := NewGroup("00004", "05", "thon", " Đông  Hà ")
	if err != nil || g.Code != "00004-05" || g.FullName != "Thôn Đông Hà" || g.NameEn != "Village Dong Ha" || g.ParentCode != "00004" || GroupType(g.FullName) != "thon" {
		t.Fatalf("%+v %v", g, err)
	}
	for _, bad := range []struct{ commune, num, typ, name, field string }{
		{"00004", "5", "to", "5", "code"},
		{"00004", "05", "xom", "5", "type"},
		{"00004", "05", "to", " ", "name"},
		{"01", "05", "to", "5", "code"},
	} {
		_, err := NewGroup(bad.commune, bad.num, bad.typ, bad.name)
		if e := apperr.As(err); e == nil || e.Field != bad.field {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	// A group's parent is the commune its code names, nothing else.
	if err := (Unit{Code: "00004-01", Name: "1", Kind: KindGroup, ParentCode: "00008"}).Validate(); apperr.As(err) == nil || apperr.As(err).Field != "parent_code" {
		t.Errorf("another commune as parent: %v", err)
	}
}
