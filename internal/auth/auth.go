// Package auth holds users, roles and the rules of who may act for which unit.
// Passwords are hashed with argon2id; API tokens and session ids are random
// and stored only as SHA-256 digests.
package auth

import (
	"regexp"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
)

// Roles.
const (
	RoleApplicant  = "applicant"  // công dân, doanh nghiệp
	RoleCounter    = "counter"    // cán bộ một cửa
	RoleSpecialist = "specialist" // chuyên viên
	RoleLeader     = "leader"     // lãnh đạo
	RoleAdmin      = "admin"      // quản trị đơn vị
)

// Roles lists every role in display order.
var Roles = []string{RoleApplicant, RoleCounter, RoleSpecialist, RoleLeader, RoleAdmin}

// RoleName is the Vietnamese name of each role.
var RoleName = map[string]string{
	RoleApplicant:  "Công dân",
	RoleCounter:    "Cán bộ một cửa",
	RoleSpecialist: "Chuyên viên",
	RoleLeader:     "Lãnh đạo",
	RoleAdmin:      "Quản trị",
}

// User is an account. Officers belong to a unit (and maybe a department);
// applicants have no unit.
type User struct {
	ID           int64  `json:"id"`
	Username     string `json:"username"`
	FullName     string `json:"full_name"`
	Role         string `json:"role"`
	UnitCode     string `json:"unit_code,omitempty"`
	Department   string `json:"department,omitempty"`
	IDNumber     string `json:"id_number,omitempty"`
	Phone        string `json:"phone,omitempty"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
	// CivilRegistrar marks a justice and civil-status officer (công chức
	// tư pháp - hộ tịch): who keeps the unit's civil-status books.
	CivilRegistrar bool `json:"civil_registrar,omitempty"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if !usernameRE.MatchString(u.Username) {
		return apperr.Invalid("username", "Tên đăng nhập gồm 2–40 chữ cái thường không dấu, chữ số, dấu chấm, gạch ngang", "username must be 2–40 lower-case letters, digits, '.', '_' or '-'")
	}
	if !ValidRole(u.Role) {
		return apperr.Invalid("role", "Vai trò không hợp lệ", "invalid role")
	}
	if u.Role != RoleApplicant && u.UnitCode == "" {
		return apperr.Invalid("unit_code", "Cán bộ phải thuộc một đơn vị", "an officer must belong to a unit")
	}
	if u.CivilRegistrar && (u.Role == RoleApplicant || u.Role == RoleAdmin) {
		return apperr.Invalid("civil_registrar", "Công chức tư pháp - hộ tịch phải là cán bộ của đơn vị", "a civil registrar must be one of the unit's officers")
	}
	if strings.TrimSpace(u.FullName) == "" {
		u.FullName = u.Username
	}
	return nil
}

// ValidRole tells whether r is a known role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Actor is who performs a request: the signed-in user, as the domain sees it.
type Actor struct {
	UserID     int64
	Username   string
	FullName   string
	Role       string
	UnitCode   string
	Department string
	// CivilRegistrar: the user keeps the unit's civil-status books.
	CivilRegistrar bool
}

// Actor returns the user as an actor.
func (u *User) Actor() Actor {
	return Actor{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role, UnitCode: u.UnitCode, Department: u.Department, CivilRegistrar: u.CivilRegistrar}
}

// IsOfficer tells whether the actor works for a unit.
func (a Actor) IsOfficer() bool {
	return a.Role == RoleCounter || a.Role == RoleSpecialist || a.Role == RoleLeader || a.Role == RoleAdmin
}

// System is the actor of scheduled work (deadline recomputation, imports).
var System = Actor{Username: "system", FullName: "Hệ thống", Role: "system"}

// PaymentGateway is the actor that confirms fees paid online, after a
// verified notification from the payment gateway.
var PaymentGateway = Actor{Username: "payment-gateway", FullName: "Cổng thanh toán", Role: "system"}
