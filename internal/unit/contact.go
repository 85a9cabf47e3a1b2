package unit

import (
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Contact is how the public reaches a unit's one-stop counter: shown on the
// home page and kept by the unit's administrator. Every field may be empty.
type Contact struct {
	Address string // "Số 25 phố Đội Cấn, phường Ba Đình, Hà Nội"
	Hotline string // a Vietnamese phone number, stored as 0xxxxxxxxx
	Email   string
}

// Limits of the contact fields, in characters.
const (
	maxAddressLen = 300
	maxEmailLen   = 200
)

// Normalize returns the contact cleaned (white space, NFC, the hotline in
// its national form) or the first field at fault.
func (c Contact) Normalize() (Contact, error) {
	c.Address = vntext.Clean(c.Address)
	c.Email = strings.TrimSpace(c.Email)
	if utf8.RuneCountInString(c.Address) > maxAddressLen {
		return c, apperr.Invalid("address", "Địa chỉ dài quá 300 ký tự", "the address is longer than 300 characters")
	}
	if strings.TrimSpace(c.Hotline) == "" {
		c.Hotline = ""
	} else {
		h, err := vntext.NormalizePhone(c.Hotline)
		if err != nil {
			if e := apperr.As(err); e != nil {
				return c, apperr.Invalid("hotline", "Đường dây nóng: "+e.Message, "hotline: "+e.MessageEn)
			}
			return c, err
		}
		c.Hotline = h
	}
	if c.Email != "" && !ValidEmail(c.Email) {
		return c, apperr.Invalid("email", "Địa chỉ thư điện tử không hợp lệ (ví dụ: motcua@badinh.hanoi.gov.vn)",
			"invalid e-mail address (e.g. motcua@badinh.hanoi.gov.vn)")
	}
	return c, nil
}

// ValidEmail is a plain check: one @ with text on both sides, a dot in the
// domain, no spaces, not too long.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t\r\n<>,;") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		utf8.RuneCountInString(s) <= maxEmailLen
}
