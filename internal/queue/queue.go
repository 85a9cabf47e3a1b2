// Package queue is the modern counter (quầy một cửa hiện đại): a unit's
// service groups and desks, the numbered tickets a kiosk hands out, the
// appointments citizens book online, and the rules that decide who is
// called next. No SQL, no HTTP: the store keeps the rows, the web layer
// serves the kiosk, the desks, the calling board and the rating tablet.
//
// Ticket changes are operational, not legal evidence: they go to a simple
// event log (no hash chain). A dossier created from a ticket carries the
// legal history from then on.
package queue

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Group is a service group (nhóm dịch vụ) of a unit: the letter its
// tickets start with, a name for the kiosk's button, the procedures it
// covers (what an appointment for a procedure books into), and how its
// appointments are cut: slot length, places per desk and slot, and how
// long a booked place waits for a late citizen before it is freed.
type Group struct {
	ID         int64    `json:"id"`
	UnitCode   string   `json:"unit"`
	Code       string   `json:"code"` // one capital letter: A, B, ...
	Name       string   `json:"name"`
	Procedures []string `json:"procedures"` // procedure codes
	SlotMin    int      `json:"slot_minutes"`
	PerDesk    int      `json:"slot_capacity"` // appointments per desk and slot
	GraceMin   int      `json:"grace_minutes"`
	Position   int      `json:"position"`
}

// Defaults of a group's appointment settings.
const (
	DefaultSlotMin  = 30
	DefaultPerDesk  = 2
	DefaultGraceMin = 15
)

// Validate checks and normalises a group.
func (g *Group) Validate() error {
	g.Code = strings.ToUpper(strings.TrimSpace(g.Code))
	g.Name = vntext.Clean(g.Name)
	if g.SlotMin == 0 {
		g.SlotMin = DefaultSlotMin
	}
	if g.PerDesk == 0 {
		g.PerDesk = DefaultPerDesk
	}
	if g.GraceMin == 0 {
		g.GraceMin = DefaultGraceMin
	}
	procs := make([]string, 0, len(g.Procedures))
	for _, p := range g.Procedures {
		if p = strings.TrimSpace(p); p != "" {
			procs = append(procs, p)
		}
	}
	g.Procedures = procs
	switch {
	case len(g.Code) != 1 || g.Code[0] < 'A' || g.Code[0] > 'Z':
		return apperr.Invalid("code", "Mã nhóm dịch vụ là một chữ cái in hoa (A–Z)", "the group code is one capital letter (A–Z)")
	case g.Name == "" || utf8.RuneCountInString(g.Name) > 100:
		return apperr.Invalid("name", "Tên nhóm dịch vụ không được để trống và dài tối đa 100 ký tự", "the group name is required, 100 characters at most")
	case len(g.Procedures) > 200:
		return apperr.Invalid("procedures", "Một nhóm dịch vụ có tối đa 200 thủ tục", "a group covers 200 procedures at most")
	case g.SlotMin < 5 || g.SlotMin > 240:
		return apperr.Invalid("slot_minutes", "Thời lượng một khung hẹn từ 5 đến 240 phút", "a slot lasts 5 to 240 minutes")
	case g.PerDesk < 1 || g.PerDesk > 50:
		return apperr.Invalid("slot_capacity", "Số lịch hẹn mỗi quầy trong một khung từ 1 đến 50", "appointments per desk and slot: 1 to 50")
	case g.GraceMin < 0 || g.GraceMin > g.SlotMin:
		return apperr.Invalid("grace_minutes", "Thời gian chờ người hẹn đến muộn từ 0 đến hết khung hẹn", "the grace time runs from 0 to the slot's length")
	}
	return nil
}

// Covers tells whether the group serves procedure code.
func (g Group) Covers(code string) bool {
	for _, p := range g.Procedures {
		if p == code {
			return true
		}
	}
	return false
}

// Desk is a counter desk (quầy): its number on the board, a name, the
// groups it serves, and the officer signed in at it ("" = closed).
type Desk struct {
	ID       int64    `json:"id"`
	UnitCode string   `json:"unit"`
	Number   int      `json:"number"`
	Name     string   `json:"name"`
	Groups   []string `json:"groups"` // group codes
	Officer  string   `json:"officer"`
	// OfficerDay is the local day the officer signed in: a sign-in lasts
	// that day, so a desk left signed in overnight is free the next
	// morning and does not count as open.
	OfficerDay string `json:"officer_day,omitempty"`
	// TicketID is the ticket the desk is serving now, 0 when none.
	TicketID int64 `json:"ticket_id"`
}

// HeldOn tells the officer at the desk on the local day ("" when none).
func (d Desk) HeldOn(day string) string {
	if d.OfficerDay != day {
		return ""
	}
	return d.Officer
}

// Validate checks and normalises a desk.
func (d *Desk) Validate() error {
	d.Name = vntext.Clean(d.Name)
	if d.Name == "" {
		d.Name = fmt.Sprintf("Quầy %d", d.Number)
	}
	seen := map[string]bool{}
	var gs []string
	for _, g := range d.Groups {
		g = strings.ToUpper(strings.TrimSpace(g))
		if g != "" && !seen[g] {
			seen[g] = true
			gs = append(gs, g)
		}
	}
	d.Groups = gs
	switch {
	case d.Number < 1 || d.Number > 999:
		return apperr.Invalid("number", "Số quầy từ 1 đến 999", "the desk number runs from 1 to 999")
	case utf8.RuneCountInString(d.Name) > 100:
		return apperr.Invalid("name", "Tên quầy dài tối đa 100 ký tự", "the desk name is 100 characters at most")
	case len(d.Groups) == 0:
		return apperr.Invalid("groups", "Quầy phải phục vụ ít nhất một nhóm dịch vụ", "a desk serves at least one group")
	}
	return nil
}

// Serves tells whether the desk serves group code.
func (d Desk) Serves(code string) bool {
	for _, g := range d.Groups {
		if g == code {
			return true
		}
	}
	return false
}

// Ticket statuses.
const (
	Waiting = "waiting" // in the queue
	Called  = "called"  // called to a desk, being served
	Served  = "served"  // done
	Skipped = "skipped" // called and did not come (no-show)
)

// Priority reasons: the law puts these people first (Decree 118/2025/NĐ-CP
// on receiving at the one-stop shop; the Law on the Elderly and the Law
// on Persons with Disabilities).
const (
	Elderly  = "elderly"
	Disabled = "disabled"
	Pregnant = "pregnant"
	SmallKid = "small_child"
)

// PriorityReasons lists the reasons in the kiosk's order, with their names.
var PriorityReasons = []string{Elderly, Disabled, Pregnant, SmallKid}

// PriorityName is the Vietnamese name of each reason.
var PriorityName = map[string]string{
	Elderly:  "Người cao tuổi",
	Disabled: "Người khuyết tật",
	Pregnant: "Phụ nữ mang thai",
	SmallKid: "Người đi cùng trẻ nhỏ",
}

// Ticket is one number handed out: A001 is the first ticket of group A on
// a working day of its unit.
type Ticket struct {
	ID       int64  `json:"id"`
	UnitCode string `json:"unit"`
	Day      string `json:"day"` // YYYY-MM-DD, local: the numbering day
	Group    string `json:"group"`
	Seq      int    `json:"seq"`
	Number   string `json:"number"` // A001
	// Token is the secret of the ticket's public page (follow one's place
	// on a phone; rate without an account). Shown only to the kiosk that
	// issued it and to the unit's officers.
	Token          string    `json:"token,omitempty"`
	Priority       bool      `json:"priority"`
	PriorityReason string    `json:"priority_reason,omitempty"`
	Appointment    string    `json:"appointment,omitempty"` // booking code
	DueAt          time.Time `json:"due_at,omitzero"`       // an appointment's slot start
	Status         string    `json:"status"`
	TargetDesk     int64     `json:"target_desk,omitempty"` // transferred to this desk only
	DeskID         int64     `json:"desk_id,omitempty"`
	Officer        string    `json:"officer,omitempty"`
	Calls          int       `json:"calls"`
	Person         Person    `json:"person"`
	DossierCode    string    `json:"dossier_code,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	WaitingSince   time.Time `json:"waiting_since"`
	CalledAt       time.Time `json:"called_at,omitzero"`
	FinishedAt     time.Time `json:"finished_at,omitzero"`
	Rating         int       `json:"rating,omitempty"`
	// RankAt is the time a waiting ticket ranks by among the walk-ins: its
	// issue, or for an appointment its slot's start (see Before).
	RankAt time.Time `json:"-"`
}

// Person is who holds a ticket, all optional: a counter officer opening a
// dossier from the ticket finds them filled in.
type Person struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

// Validate normalises the person's fields; each is optional but, when
// given, must be right.
func (p *Person) Validate(now time.Time) error {
	p.Name = vntext.Clean(p.Name)
	if utf8.RuneCountInString(p.Name) > 100 {
		return apperr.Invalid("name", "Họ tên dài tối đa 100 ký tự", "the name is 100 characters at most")
	}
	if p.Phone = strings.TrimSpace(p.Phone); p.Phone != "" {
		n, err := vntext.NormalizePhone(p.Phone)
		if err != nil {
			return err
		}
		p.Phone = n
	}
	if p.IDNumber = strings.TrimSpace(p.IDNumber); p.IDNumber != "" {
		n, err := vntext.NormalizeIDNumber(p.IDNumber, now)
		if err != nil {
			return err
		}
		p.IDNumber = n
	}
	return nil
}

// ValidPriority checks a priority reason ("" = none).
func ValidPriority(reason string) error {
	if reason == "" {
		return nil
	}
	if _, ok := PriorityName[reason]; !ok {
		return apperr.Invalid("priority_reason", "Lý do ưu tiên phải là elderly (người cao tuổi), disabled (người khuyết tật), pregnant (phụ nữ mang thai) hoặc small_child (đi cùng trẻ nhỏ)",
			"priority_reason must be elderly, disabled, pregnant or small_child")
	}
	return nil
}

// FormatNumber writes a ticket's number: the group letter and the day's
// sequence, three digits at least (A001 … A999, A1000).
func FormatNumber(group string, seq int) string { return fmt.Sprintf("%s%03d", group, seq) }

// DayOf is the numbering day of an instant: its local date.
func DayOf(t time.Time, zone *time.Location) string { return t.In(zone).Format("2006-01-02") }
