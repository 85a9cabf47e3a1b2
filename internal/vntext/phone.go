package vntext

import (
	"strings"

	"github.com/motcua/motcua/internal/apperr"
)

// Lengths of Vietnamese numbers written with the leading 0: mobiles have 10
// digits; landlines have 11 since area codes became 02x in 2017.
const (
	mobileLen   = 10
	landlineLen = 11
)

// NormalizePhone returns a Vietnamese mobile or landline number in the form
// 0xxxxxxxxx. It accepts the spaces, dots, dashes and brackets people use to
// group digits, and the country code written as +84, 0084 or 84 (with or
// without the trunk 0 after it, which people often keep). Mobiles start with
// 03, 05, 07, 08 or 09 and have 10 digits; landlines start with 02 and have 11.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", phoneErr("Vui lòng nhập số điện thoại", "the phone number is required")
	}
	digits, plus, ok := phoneDigits(s)
	if !ok {
		return "", phoneErr(
			"Số điện thoại chỉ gồm chữ số và có thể có dấu cách, dấu chấm, gạch ngang, dấu ngoặc, dấu + ở đầu",
			"the phone number may contain only digits, spaces, dots, dashes, brackets and a leading +")
	}
	national, err := nationalNumber(digits, plus)
	if err != nil {
		return "", err
	}
	if err := checkNational(national); err != nil {
		return "", err
	}
	return national, nil
}

// phoneDigits strips the grouping characters from s and reports whether it
// began with +. ok is false for any other character or a + elsewhere.
func phoneDigits(s string) (digits string, plus bool, ok bool) {
	plus = strings.HasPrefix(s, "+")
	var b strings.Builder
	for _, r := range strings.TrimPrefix(s, "+") {
		switch {
		case '0' <= r && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false, false
		}
	}
	return b.String(), plus, b.Len() > 0
}

// nationalNumber removes the country code and returns the number with its
// leading 0. A number with + or 00 must be Vietnamese (84); a bare number
// starting with 84 is read as the country code because national numbers
// start with 0.
func nationalNumber(digits string, plus bool) (string, error) {
	intl := plus || strings.HasPrefix(digits, "00")
	if !plus {
		digits = strings.TrimPrefix(digits, "00")
	}
	switch {
	case strings.HasPrefix(digits, "84"):
		digits = strings.TrimPrefix(digits[2:], "0")
	case intl:
		return "", phoneErr(
			"Chỉ chấp nhận số điện thoại Việt Nam (mã quốc gia +84)",
			"only Vietnamese phone numbers (country code +84) are accepted")
	case strings.HasPrefix(digits, "0"):
		return digits, nil
	default:
		return "", phoneErr(
			"Số điện thoại phải bắt đầu bằng 0 hoặc +84",
			"the phone number must start with 0 or +84")
	}
	return "0" + digits, nil
}

// checkNational checks the prefix and length of a number written with its
// leading 0.
func checkNational(n string) error {
	if len(n) < 2 {
		return phoneErr("Số điện thoại quá ngắn", "the phone number is too short")
	}
	switch n[1] {
	case '3', '5', '7', '8', '9':
		if len(n) != mobileLen {
			return phoneErr("Số điện thoại di động phải có 10 chữ số (kể cả số 0 ở đầu)",
				"a mobile number must have 10 digits including the leading 0")
		}
	case '2':
		if len(n) != landlineLen {
			return phoneErr("Số điện thoại cố định phải có 11 chữ số (kể cả mã vùng 02x)",
				"a landline number must have 11 digits including the 02x area code")
		}
	default:
		return phoneErr(
			"Đầu số không hợp lệ: số di động bắt đầu bằng 03, 05, 07, 08, 09; số cố định bắt đầu bằng 02",
			"invalid prefix: mobile numbers start with 03, 05, 07, 08 or 09, landlines with 02")
	}
	return nil
}

func phoneErr(vi, en string) error { return apperr.Invalid("phone", vi, en) }
