package unit

import (
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

func TestUnitValidate(t *testing.T) {
	ward := Unit{Code: "00004", Name: "Ba Đình", FullName: "Phường Ba Đình", NameEn: "Ba Dinh",
		Kind: KindWard, ParentCode: "01", ValidFrom: ReformDate}
	tests := []struct {
		name  string
		edit  func(*Unit)
		field string // "" = valid
	}{
		{"valid ward", func(*Unit) {}, ""},
		{"province", func(u *Unit) { u.Code, u.Kind, u.ParentCode = "01", KindProvince, "" }, ""},
		{"old district", func(u *Unit) { u.Code, u.Kind, u.ValidFrom, u.ValidTo = "021", KindDistrict, "", ReformDate }, ""},
		{"old commune under a district", func(u *Unit) { u.Kind, u.ParentCode, u.ValidFrom, u.ValidTo = KindCommune, "021", "", ReformDate }, ""},
		{"special zone", func(u *Unit) { u.Kind = KindSpecialZone }, ""},
		{"agency code", func(u *Unit) { u.AgencyCode = "000.00.01.H26" }, ""},
		{"unknown kind", func(u *Unit) { u.Kind = "village" }, "kind"},
		{"short code", func(u *Unit) { u.Code = "0004" }, "code"},
		{"letters in code", func(u *Unit) { u.Code = "0000A" }, "code"},
		{"province code of 5 digits", func(u *Unit) { u.Kind, u.ParentCode = KindProvince, "" }, "code"},
		{"no name", func(u *Unit) { u.Name = "  " }, "name"},
		{"broken name", func(u *Unit) { u.Name = "Ba \xff" }, "name"},
		{"province with parent", func(u *Unit) { u.Code, u.Kind = "01", KindProvince }, "parent_code"},
		{"ward without parent", func(u *Unit) { u.ParentCode = "" }, "parent_code"},
		{"ward under a ward", func(u *Unit) { u.ParentCode = "00001" }, "parent_code"},
		{"district under a district", func(u *Unit) { u.Code, u.Kind, u.ParentCode = "021", KindDistrict, "020" }, "parent_code"},
		{"bad date", func(u *Unit) { u.ValidFrom = "01/07/2025" }, "valid_from"},
		{"bad end date", func(u *Unit) { u.ValidTo = "2025-13-01" }, "valid_to"},
		{"ends before it starts", func(u *Unit) { u.ValidTo = "2025-06-30" }, "valid_to"},
		{"ends the day it starts", func(u *Unit) { u.ValidTo = ReformDate }, "valid_to"},
		{"bad agency code", func(u *Unit) { u.AgencyCode = "mã số" }, "agency_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := ward
			tt.edit(&u)
			assertField(t, u.Validate(), tt.field)
		})
	}
}

// assertField checks that err is nil when field is "", else a bilingual
// invalid error about field.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	e := apperr.As(err)
	if e == nil || e.Code != apperr.EINVALID || e.Field != field || e.Message == "" || e.MessageEn == "" {
		t.Fatalf("error = %v, want an invalid %s error in both languages", err, field)
	}
}

func TestInForceOn(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	old := Unit{ValidTo: ReformDate}
	current := Unit{ValidFrom: ReformDate}
	lastOldDay := time.Date(2025, 6, 30, 23, 59, 0, 0, ict)
	firstNewDay := time.Date(2025, 7, 1, 0, 0, 0, 0, ict)
	if !old.InForceOn(lastOldDay) || old.InForceOn(firstNewDay) {
		t.Errorf("old unit in force wrongly around the reform")
	}
	if current.InForceOn(lastOldDay) || !current.InForceOn(firstNewDay) {
		t.Errorf("current unit in force wrongly around the reform")
	}
	if !(Unit{}).InForceOn(firstNewDay) {
		t.Errorf("a unit without dates should always be in force")
	}
}

func TestDepartmentValidate(t *testing.T) {
	ok := Department{UnitCode: "00004", Code: "VHXH", Name: "Phòng Văn hoá - Xã hội"}
	tests := []struct {
		name  string
		edit  func(*Department)
		field string
	}{
		{"valid", func(*Department) {}, ""},
		{"of a province", func(d *Department) { d.UnitCode = "01" }, ""},
		{"no unit", func(d *Department) { d.UnitCode = "" }, "unit_code"},
		{"bad unit", func(d *Department) { d.UnitCode = "0004" }, "unit_code"},
		{"no code", func(d *Department) { d.Code = "" }, "code"},
		{"code with space", func(d *Department) { d.Code = "VH XH" }, "code"},
		{"no name", func(d *Department) { d.Name = " " }, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.edit(&d)
			assertField(t, d.Validate(), tt.field)
		})
	}
}

func TestMappingValidate(t *testing.T) {
	tests := []struct {
		m     Mapping
		field string
	}{
		{Mapping{"00013", "Phường Quán Thánh", "00004", MergeFull}, ""},
		{Mapping{"755", "Huyện Côn Đảo", "26732", MergeFull}, ""},
		{Mapping{"02", "Tỉnh Hà Giang", "08", MergeFull}, ""},
		{Mapping{"0001", "", "00004", MergeFull}, "old_code"},
		{Mapping{"00013", "", "004", MergePartial}, "new_code"},
		{Mapping{"00013", "", "00004", "some"}, "type"},
	}
	for _, tt := range tests {
		assertField(t, tt.m.Validate(), tt.field)
	}
}
