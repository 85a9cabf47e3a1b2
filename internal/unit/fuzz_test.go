package unit

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Seeds in the shape of the published lists (the real files are too large
// to be seeds; their tests read them whole).
const (
	seedUnitsJSON = "\ufeff[{\"Type\":\"province\",\"Code\":\"01\",\"Name\":\"Hà Nội\",\"NameEn\":\"Hanoi\",\"FullName\":\"Thành phố Hà Nội\"," +
		"\"AdministrativeUnitShortName\":\"Thành phố\",\"Wards\":[" +
		"{\"Type\":\"ward\",\"Code\":\"00004\",\"Name\":\"Ba Đình\",\"NameEn\":\"Ba Dinh\",\"FullName\":\"Phường Ba Đình\",\"ProvinceCode\":\"01\",\"AdministrativeUnitShortName\":\"Phường\"}," +
		"{\"Type\":\"ward\",\"Code\":\"09619\",\"Name\":\"Sóc Sơn\",\"FullName\":\"Xã Sóc Sơn\",\"ProvinceCode\":\"01\",\"AdministrativeUnitShortName\":\"Xã\"}]}," +
		"{\"Type\":\"province\",\"Code\":\"22\",\"Name\":\"Quảng Ninh\",\"FullName\":\"Tỉnh Quảng Ninh\",\"Wards\":[" +
		"{\"Type\":\"commune\",\"Code\":\"07192\",\"Name\":\"Cô Tô\",\"FullName\":\"Đặc khu Cô Tô\",\"AdministrativeUnitShortName\":\"Đặc khu\"}]}]"
	seedMerges = "{\"data\":[{\"level1_id\":\"01\",\"name\":\"Thành phố Hà Nội\",\"merges\":[{\"old_id\":\"01\",\"name\":\"Thành phố Hà Nội\",\"type\":\"full\"}]," +
		"\"level2s\":[{\"level2_id\":\"00004\",\"name\":\"Phường Ba Đình\",\"merges\":[" +
		"{\"old_id\":\"00004\",\"name\":\"Phường Trúc Bạch\",\"type\":\"full\"},{\"old_id\":\"00097\",\"name\":\"Phường Thụy Khuê\",\"type\":\"partial\"}]}]}," +
		"{\"level1_id\":\"22\",\"level2s\":[{\"level2_id\":\"07192\",\"merges\":[{\"old_id\":\"207\",\"name\":\"Huyện Cô Tô\",\"type\":\"full\"}]}]}]}"
)

// refused asserts what every parser promises of a refusal: nothing kept,
// an "invalid" error naming a field in Vietnamese and English.
func refused(t *testing.T, in string, got any, empty bool, err error) {
	t.Helper()
	if e := apperr.As(err); !empty || e == nil || e.Code != apperr.EINVALID || e.Field == "" || e.Message == "" || e.MessageEn == "" {
		t.Fatalf("%q: refusal keeps %v or is not an invalid with a field: %#v", in, got, err)
	}
}

// cleanNames asserts that every name a parser keeps is clean text.
func cleanNames(t *testing.T, in string, names ...string) {
	t.Helper()
	for _, n := range names {
		if vntext.Clean(n) != n {
			t.Fatalf("%q: kept a name that is not clean text: %q", in, n)
		}
	}
}

// FuzzParseJSON: the JSON list of units gives well-formed units with clean
// names, or an invalid error and nothing.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{seedUnitsJSON, `[]`, `{}`, `[{"Code":"01","Wards":[{"Code":"1"}]}]`, `[{"Type":"ward","Code":"01"}]`,
		`[{"Code":"01","Name":"A","Wards":[{"Code":"00004","Name":"B","ProvinceCode":"02","AdministrativeUnitShortName":"Xã"}]}]`,
		"[{\"Code\":\"01\",\"Name\":\"A\\u0000\\u202e\"}]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		units, err := ParseJSON(strings.NewReader(in))
		if err != nil {
			refused(t, in, units, units == nil, err)
			return
		}
		checkWellFormed(t, units)
		for _, u := range units {
			cleanNames(t, in, u.Name, u.FullName, u.NameEn)
		}
	})
}

// FuzzParse: the format is told by its first byte; whichever it is, the
// same promises hold.
func FuzzParse(f *testing.F) {
	for _, s := range []string{seedUnitsJSON, smallCSV, "", "\ufeff", "  \r\n{", "\ufeff\ufeff[]", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		units, err := Parse(strings.NewReader(in))
		if err != nil {
			refused(t, in, units, units == nil, err)
			return
		}
		checkWellFormed(t, units)
	})
}

// FuzzParseMerges: the old→new mapping gives only mappings that validate,
// with clean names, or an invalid error and nothing.
func FuzzParseMerges(f *testing.F) {
	for _, s := range []string{seedMerges, `[]`, `{"data":[]}`, `{"data":[{"level1_id":"01","merges":[{"old_id":"1","type":"full"}]}]}`,
		`{"data":[{"level1_id":" 01 ","merges":[{"old_id":" 01 ","name":" A\t B ","type":" partial "}]}]}`, `{"data":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		maps, err := ParseMerges(strings.NewReader(in))
		if err != nil {
			refused(t, in, maps, maps == nil, err)
			return
		}
		if len(maps) == 0 {
			t.Fatalf("%q: accepted with no mapping", in)
		}
		for _, m := range maps {
			if err := m.Validate(); err != nil {
				t.Fatalf("%q: kept %+v: %v", in, m, err)
			}
			cleanNames(t, in, m.OldName)
		}
	})
}
