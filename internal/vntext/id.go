package vntext

import (
	_ "embed"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// Lengths of the two identity numbers in use.
const (
	PersonalIDLen = 12 // số định danh cá nhân, printed on the CCCD card
	OldIDLen      = 9  // số chứng minh nhân dân (CMND), the card it replaced
)

// ValidatePersonalID checks a 12-digit personal ID number: three digits of
// place, one digit of sex and century, two digits of the year of birth and
// six serial digits.
//
// The place is the province of birth registration, one of the 63 codes of
// the Ministry of Public Security's list (001 Hà Nội … 096 Cà Mau; numbers
// issued before the 2025 merges keep their code), or, for people whose birth
// was registered abroad, the ISO 3166-1 numeric code of the country. Both
// lists are embedded (provinces.txt, countries.txt, with their sources); a
// code on neither is refused. The two lists overlap (004 is Cao Bằng and
// Afghanistan), so the number alone cannot always tell which one is meant.
//
// The sex and century digit is 0/1 for men/women born in the 1900s, 2/3 for
// the 2000s, 4/5 for the 2100s, 6/7 for the 2200s and 8/9 for the 2300s. The
// scheme has no value for the 1800s, so nothing needs refusing for them; the
// far-future centuries are refused by the rule that the year of birth must
// not be after now, which also catches a 2000s code with a year still to
// come. now is a parameter so that the rule is testable and so that a
// record is judged on the day it is checked.
func ValidatePersonalID(s string, now time.Time) error {
	if !isDigits(s) || len(s) != PersonalIDLen {
		return apperr.Invalid("personal_id",
			"Số định danh cá nhân phải có 12 chữ số",
			"the personal ID number must have 12 digits")
	}
	if !KnownPlaceCode(s[:3]) {
		return apperr.Invalid("personal_id",
			"Số định danh cá nhân không hợp lệ: 3 chữ số đầu ("+s[:3]+") không phải mã tỉnh nơi đăng ký khai sinh hay mã quốc gia",
			"invalid personal ID number: the first 3 digits ("+s[:3]+") are neither a province code of birth registration nor a country code")
	}
	if year, _, _ := PersonalIDInfo(s); year > now.Year() {
		return apperr.Invalid("personal_id",
			"Số định danh cá nhân không hợp lệ: năm sinh (chữ số thứ 4 đến thứ 6) ở tương lai",
			"invalid personal ID number: the year of birth (digits 4 to 6) is in the future")
	}
	return nil
}

//go:embed provinces.txt
var provincesTxt string

//go:embed countries.txt
var countriesTxt string

// Provinces maps the province codes of birth registration to their names;
// Countries maps the ISO 3166-1 numeric country codes to their English
// names.
var Provinces, Countries = placeCodes(provincesTxt, false), placeCodes(countriesTxt, true)

// placeCodes reads a list of "code name" lines ("code alpha-2 name" for
// countries), skipping comments.
func placeCodes(txt string, alpha2 bool) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(txt, "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		code, name, _ := strings.Cut(l, " ")
		if alpha2 {
			_, name, _ = strings.Cut(name, " ")
		}
		out[code] = name
	}
	return out
}

// KnownPlaceCode tells whether code (three digits) is a province code of
// birth registration or a country code.
func KnownPlaceCode(code string) bool {
	_, p := Provinces[code]
	_, c := Countries[code]
	return p || c
}

// PersonalIDInfo reads the year of birth and the sex from a personal ID
// number. ok is false when s is not 12 digits with a known place code; the
// year is not compared with today (ValidatePersonalID does that).
func PersonalIDInfo(s string) (birthYear int, female bool, ok bool) {
	if !isDigits(s) || len(s) != PersonalIDLen || !KnownPlaceCode(s[:3]) {
		return 0, false, false
	}
	code := int(s[3] - '0')
	century := 1900 + 100*(code/2)
	return century + int(s[4]-'0')*10 + int(s[5]-'0'), code%2 == 1, true
}

// ValidateOldID checks a 9-digit identity card number (CMND). Its first two
// digits were a province code under a numbering that has since been
// reorganised, so only the shape is checked; all zeros is refused because no
// card carried it and forms use it as a placeholder.
func ValidateOldID(s string) error {
	if !isDigits(s) || len(s) != OldIDLen {
		return apperr.Invalid("old_id",
			"Số chứng minh nhân dân phải có 9 chữ số",
			"the old identity card number must have 9 digits")
	}
	if strings.Count(s, "0") == OldIDLen {
		return apperr.Invalid("old_id",
			"Số chứng minh nhân dân không hợp lệ",
			"invalid old identity card number")
	}
	return nil
}

// ValidateIDNumber accepts either a 12-digit personal ID number or a 9-digit
// old identity card number: citizens who have not renewed their card still
// present the old one.
func ValidateIDNumber(s string, now time.Time) error {
	switch {
	case !isDigits(s):
		return apperr.Invalid("id_number",
			"Số giấy tờ tùy thân chỉ gồm chữ số",
			"the identity number must contain digits only")
	case len(s) == PersonalIDLen:
		return ValidatePersonalID(s, now)
	case len(s) == OldIDLen:
		return ValidateOldID(s)
	}
	return apperr.Invalid("id_number",
		"Số giấy tờ tùy thân phải là số định danh cá nhân (12 chữ số) hoặc số chứng minh nhân dân (9 chữ số)",
		"the identity number must be a personal ID number (12 digits) or an old identity card number (9 digits)")
}

// NormalizeIDNumber removes the spaces, dots and dashes that people type to
// group the digits, then validates the result with ValidateIDNumber.
func NormalizeIDNumber(s string, now time.Time) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if err := ValidateIDNumber(s, now); err != nil {
		return "", err
	}
	return s, nil
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

// Sexes as forms and records write them.
const (
	SexMale   = "male"
	SexFemale = "female"
)

// CheckIDAgainst cross-checks a personal ID number with the sex and the
// date of birth declared beside it on the same form: the number's fourth
// digit tells the sex and the century, the fifth and sixth the year. sex is
// "male", "female" or empty; birthDate starts with the four digits of the
// year (YYYY, YYYY-MM or YYYY-MM-DD) or is empty. Whatever is missing is not
// checked, and a number the rule cannot read (an old 9-digit card, a number
// ValidateIDNumber refuses) passes: its own validation reports it. The error
// names the declared field (sex or birth_date), since a number is more often
// typed right than a date, and says what the number tells.
func CheckIDAgainst(id, sex, birthDate string) error {
	year, female, ok := PersonalIDInfo(id)
	if !ok {
		return nil
	}
	if len(birthDate) >= 4 && isDigits(birthDate[:4]) {
		declared := int(birthDate[0]-'0')*1000 + int(birthDate[1]-'0')*100 + int(birthDate[2]-'0')*10 + int(birthDate[3]-'0')
		if declared != year {
			y, d := strconv.Itoa(year), strconv.Itoa(declared)
			return apperr.Invalid("birth_date",
				"Số định danh cho biết năm sinh "+y+", khác năm sinh đã khai "+d,
				"the ID number says the person was born in "+y+", not in "+d+" as declared")
		}
	}
	if sex == SexMale || sex == SexFemale {
		if told := sexName(female); (sex == SexFemale) != female {
			return apperr.Invalid("sex",
				"Số định danh cho biết giới tính "+told[0]+", khác giới tính đã khai ("+sexName(!female)[0]+")",
				"the ID number says the person is "+told[1]+", not "+sexName(!female)[1]+" as declared")
		}
	}
	return nil
}

// sexName is the Vietnamese and the English word for a sex.
func sexName(female bool) [2]string {
	if female {
		return [2]string{"nữ", "female"}
	}
	return [2]string{"nam", "male"}
}
