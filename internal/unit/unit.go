// Package unit holds the administrative units (đơn vị hành chính) of Viet
// Nam and their departments, and reads the published lists of units.
//
// Units form a tree of any depth through ParentCode: before 2025-07-01
// province → district → commune, since then province → commune, ward or
// special zone. Units change (merges, splits, renames), so every unit carries
// the period in which it is in force, and a record keeps the code of the unit
// it was filed in even after that unit is gone.
package unit

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
)

// Kinds of unit.
const (
	KindProvince    = "province"     // tỉnh, thành phố trực thuộc trung ương
	KindDistrict    = "district"     // quận, huyện, thị xã, thành phố thuộc tỉnh: only before 2025-07-01
	KindWard        = "ward"         // phường
	KindCommune     = "commune"      // xã (and thị trấn before 2025-07-01)
	KindSpecialZone = "special_zone" // đặc khu
	// KindGroup is a residential group (tổ dân phố, thôn, ấp, bản) under a
	// commune, ward or special zone. It is not an administrative unit of the
	// statistics office's list: it receives no dossier and no petition and
	// is never ranked; it exists so that its leader has an account scoped
	// to it and residents can follow its announcements.
	KindGroup = "group"
)

// ReformDate is the day the district level was abolished and the 2025 list
// of 34 provinces and 3,321 communes came into force. Lists that carry no
// dates of their own are read as in force from this day.
const ReformDate = "2025-07-01"

// DateLayout is the layout of ValidFrom and ValidTo.
const DateLayout = "2006-01-02"

// Unit is one administrative unit, as the General Statistics Office codes it.
type Unit struct {
	Code       string `json:"code"`        // 2 digits for a province, 3 for a district, 5 for a commune
	Name       string `json:"name"`        // "Ba Đình"
	FullName   string `json:"full_name"`   // "Phường Ba Đình"
	NameEn     string `json:"name_en"`     // "Ba Dinh"
	Kind       string `json:"kind"`        // one of the Kind constants
	ParentCode string `json:"parent_code"` // empty for a province
	// ValidFrom and ValidTo bound the period in force as YYYY-MM-DD, ValidTo
	// excluded, so that a unit merged away has the ValidTo its successor
	// has as ValidFrom. Empty ValidFrom means in force since before the
	// records begin; empty ValidTo means in force today.
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidTo    string `json:"valid_to,omitempty"`
	AgencyCode string `json:"agency_code,omitempty"` // code of the unit's agency in the national directory, if known
}

// maxNameLen bounds names, in characters; the longest real name is far below.
const maxNameLen = 200

var agencyCodeRE = regexp.MustCompile(`^[0-9A-Za-z.\-]{1,40}$`)

// codeLen is the length of the code of each kind.
var codeLen = map[string]int{
	KindProvince:    2,
	KindDistrict:    3,
	KindWard:        5,
	KindCommune:     5,
	KindSpecialZone: 5,
}

// Validate checks that the unit is complete and consistent.
func (u Unit) Validate() error {
	if err := u.validateCode(); err != nil {
		return err
	}
	if err := u.validateNames(); err != nil {
		return err
	}
	if err := u.validateParent(); err != nil {
		return err
	}
	if err := validatePeriod(u.ValidFrom, u.ValidTo); err != nil {
		return err
	}
	if u.AgencyCode != "" && !agencyCodeRE.MatchString(u.AgencyCode) {
		return apperr.Invalid("agency_code",
			"Mã cơ quan chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang (tối đa 40 ký tự)",
			"the agency code may contain only letters, digits, '.' and '-' (at most 40 characters)")
	}
	return nil
}

func (u Unit) validateCode() error {
	if u.Kind == KindGroup {
		if !ValidGroupCode(u.Code) {
			return apperr.Invalid("code",
				"Mã tổ dân phố, thôn gồm mã xã (5 chữ số), dấu gạch ngang và 2–3 chữ số, ví dụ 00004-01",
				"a residential group's code is the commune's code (5 digits), '-' and 2–3 digits, e.g. 00004-01")
		}
		return nil
	}
	n, ok := codeLen[u.Kind]
	if !ok {
		return apperr.Invalid("kind",
			"Loại đơn vị phải là tỉnh, huyện, phường, xã, đặc khu hoặc tổ dân phố (group)",
			"the kind must be province, district, ward, commune, special_zone or group")
	}
	if len(u.Code) != n || !isDigits(u.Code) {
		vi, en := codeMessage(u.Kind)
		return apperr.Invalid("code", vi, en)
	}
	return nil
}

// codeMessage returns the two messages that say how long the code of a kind
// is.
func codeMessage(kind string) (vi, en string) {
	switch kind {
	case KindProvince:
		return "Mã tỉnh phải có 2 chữ số", "a province code must have 2 digits"
	case KindDistrict:
		return "Mã quận, huyện phải có 3 chữ số", "a district code must have 3 digits"
	}
	return "Mã xã, phường, đặc khu phải có 5 chữ số", "a commune, ward or special zone code must have 5 digits"
}

func (u Unit) validateNames() error {
	if strings.TrimSpace(u.Name) == "" {
		return apperr.Invalid("name", "Tên đơn vị hành chính không được để trống", "the unit name is required")
	}
	for _, s := range []string{u.Name, u.FullName, u.NameEn} {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxNameLen {
			return apperr.Invalid("name",
				"Tên đơn vị hành chính quá dài hoặc chứa ký tự lỗi",
				"the unit name is too long or has broken characters")
		}
	}
	return nil
}

func (u Unit) validateParent() error {
	switch {
	case u.Kind == KindProvince && u.ParentCode != "":
		return apperr.Invalid("parent_code", "Tỉnh, thành phố không có đơn vị cấp trên", "a province has no parent unit")
	case u.Kind == KindProvince:
		return nil
	case u.Kind == KindGroup:
		if u.ParentCode != GroupCommune(u.Code) {
			return apperr.Invalid("parent_code",
				"Tổ dân phố, thôn phải thuộc xã, phường có mã là phần đầu mã của nó",
				"a residential group belongs to the commune whose code begins its own")
		}
		return nil
	case u.Kind == KindDistrict && !(len(u.ParentCode) == 2 && isDigits(u.ParentCode)):
		return apperr.Invalid("parent_code",
			"Quận, huyện phải thuộc một tỉnh (mã 2 chữ số)",
			"a district must belong to a province (2-digit code)")
	case !isDigits(u.ParentCode) || (len(u.ParentCode) != 2 && len(u.ParentCode) != 3):
		return apperr.Invalid("parent_code",
			"Xã, phường, đặc khu phải thuộc một tỉnh (mã 2 chữ số) hoặc, với dữ liệu cũ, một huyện (mã 3 chữ số)",
			"a commune, ward or special zone must belong to a province (2-digit code) or, in old data, a district (3 digits)")
	}
	return nil
}

// validatePeriod checks the two dates of a period in force.
func validatePeriod(from, to string) error {
	if err := checkDate("valid_from", from); err != nil {
		return err
	}
	if err := checkDate("valid_to", to); err != nil {
		return err
	}
	if from != "" && to != "" && to <= from {
		return apperr.Invalid("valid_to",
			"Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực",
			"valid_to must be after valid_from")
	}
	return nil
}

// checkDate checks that d is empty or a YYYY-MM-DD date.
func checkDate(field, d string) error {
	if _, err := time.Parse(DateLayout, d); d != "" && err != nil {
		return apperr.Invalid(field, "Ngày hiệu lực phải có dạng YYYY-MM-DD", "dates must be YYYY-MM-DD")
	}
	return nil
}

// InForceOn reports whether the unit is in force on the calendar day of t,
// read in t's own time zone (give a time in Viet Nam's).
func (u Unit) InForceOn(t time.Time) bool {
	day := t.Format(DateLayout)
	return (u.ValidFrom == "" || u.ValidFrom <= day) && (u.ValidTo == "" || day < u.ValidTo)
}

// Department is a phòng ban of a unit: the place a specialist examines a
// dossier.
type Department struct {
	UnitCode string `json:"unit_code"`
	Code     string `json:"code"` // chosen by the unit, e.g. "VHXH"
	Name     string `json:"name"` // "Phòng Văn hoá - Xã hội"
}

var deptCodeRE = regexp.MustCompile(`^[0-9A-Za-z._\-]{1,40}$`)

// Validate checks that the department names its unit, a code and a name.
func (d Department) Validate() error {
	if !isDigits(d.UnitCode) || (len(d.UnitCode) != 2 && len(d.UnitCode) != 3 && len(d.UnitCode) != 5) {
		return apperr.Invalid("unit_code", "Phòng ban phải thuộc một đơn vị hành chính", "a department must belong to an administrative unit")
	}
	if !deptCodeRE.MatchString(d.Code) {
		return apperr.Invalid("code",
			"Mã phòng ban gồm 1–40 chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang",
			"the department code must be 1–40 letters, digits, '.', '_' or '-'")
	}
	if strings.TrimSpace(d.Name) == "" || !utf8.ValidString(d.Name) || utf8.RuneCountInString(d.Name) > maxNameLen {
		return apperr.Invalid("name", "Tên phòng ban không được để trống và không quá 200 ký tự", "the department name is required and at most 200 characters")
	}
	return nil
}

// isDigits reports whether s is non-empty and only ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
