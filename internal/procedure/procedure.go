// Package procedure holds the catalogue of administrative procedures (thủ tục
// hành chính): what a citizen must bring, how long the unit may take, what it
// costs, and the steps the dossier goes through inside the unit.
package procedure

import (
	"regexp"
	"slices"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
)

// Online modes (Decree 42/2022/NĐ-CP).
const (
	OnlineNone    = "none"    // counter or post only
	OnlinePartial = "partial" // một phần
	OnlineFull    = "full"    // toàn trình
)

// Limit kinds.
const (
	LimitWorkingDays = "working_days" // N working days
	LimitSameDay     = "same_day"     // trong ngày, with a cut-off hour
)

// Levels that handle a procedure.
const (
	LevelCommune  = "commune"
	LevelProvince = "province"
)

// Roles a step may be given to; they match auth roles.
const (
	RoleCounter    = "counter"
	RoleSpecialist = "specialist"
	RoleLeader     = "leader"
)

// Procedure is one entry of the catalogue.
type Procedure struct {
	ID            int64       `json:"-"`
	Code          string      `json:"code"` // national code, e.g. 1.001193
	Name          string      `json:"name"`
	Field         string      `json:"field"` // lĩnh vực
	Level         string      `json:"level"`
	OnlineMode    string      `json:"online_mode"`
	Limit         TimeLimit   `json:"time_limit"`
	Fees          []Fee       `json:"fees"`
	Components    []Component `json:"components"`
	ApplicantType string      `json:"applicant_type"` // e.g. "Công dân Việt Nam"
	Result        string      `json:"result"`         // e.g. "Giấy khai sinh"
	Agency        string      `json:"agency"`         // cơ quan thực hiện
	Steps         []Step      `json:"steps"`
	LegalBasis    string      `json:"legal_basis,omitempty"`
	Source        string      `json:"source,omitempty"` // where the data came from
	Active        bool        `json:"active"`
}

// TimeLimit is the legal processing time.
type TimeLimit struct {
	Kind       string  `json:"kind"`                  // working_days or same_day
	Days       float64 `json:"days,omitempty"`        // for working_days; 0.5 is half a day
	CutoffHour int     `json:"cutoff_hour,omitempty"` // for same_day: received after it → next working day (default 15)
	Note       string  `json:"note,omitempty"`        // e.g. "+5 ngày làm việc nếu cần xác minh"
}

// Fee is one line of the fee table, in đồng.
type Fee struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
	Note   string `json:"note,omitempty"`
}

// Component forms.
const (
	FormOriginal      = "original"       // bản chính
	FormCertifiedCopy = "certified_copy" // bản sao chứng thực
	FormPhotocopy     = "photocopy"      // bản chụp / bản sao
	FormShown         = "shown"          // xuất trình
)

// Component is one document the dossier must contain.
type Component struct {
	Name     string `json:"name"`
	Form     string `json:"form"`
	Quantity int    `json:"quantity"`
	Required bool   `json:"required"`
	Template string `json:"template,omitempty"` // name of the blank form, e.g. "Tờ khai đăng ký khai sinh"
}

// Step is one stage of the processing inside the unit.
type Step struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	Department string `json:"department,omitempty"` // phòng ban code; empty = any of the unit
	Share      int    `json:"share"`                // percent of the time limit
}

// Clone returns a copy that shares nothing with p.
func (p *Procedure) Clone() *Procedure {
	c := *p
	c.Fees, c.Components, c.Steps = slices.Clone(p.Fees), slices.Clone(p.Components), slices.Clone(p.Steps)
	return &c
}

var codeRE = regexp.MustCompile(`^[0-9]\.[0-9]{6}$|^[0-9A-Za-z.\-]{3,32}$`)

// Validate checks a procedure before it is stored.
func (p *Procedure) Validate() error {
	p.Code = strings.TrimSpace(p.Code)
	p.Name = strings.TrimSpace(p.Name)
	if !codeRE.MatchString(p.Code) {
		return apperr.Invalid("code", "Mã thủ tục không hợp lệ (ví dụ 1.001193)", "invalid procedure code (e.g. 1.001193)")
	}
	if p.Name == "" {
		return apperr.Invalid("name", "Tên thủ tục không được để trống", "procedure name is required")
	}
	if p.Field == "" {
		return apperr.Invalid("field", "Lĩnh vực không được để trống", "field is required")
	}
	switch p.Level {
	case LevelCommune, LevelProvince:
	case "":
		p.Level = LevelCommune
	default:
		return apperr.Invalid("level", "Cấp thực hiện phải là commune hoặc province", "level must be commune or province")
	}
	switch p.OnlineMode {
	case OnlineNone, OnlinePartial, OnlineFull:
	case "":
		p.OnlineMode = OnlineNone
	default:
		return apperr.Invalid("online_mode", "Mức độ trực tuyến phải là none, partial hoặc full", "online_mode must be none, partial or full")
	}
	if err := p.Limit.Validate(); err != nil {
		return err
	}
	for _, f := range p.Fees {
		if f.Amount < 0 {
			return apperr.Invalid("fees", "Lệ phí không được âm", "fee must not be negative")
		}
	}
	for i := range p.Components {
		c := &p.Components[i]
		if strings.TrimSpace(c.Name) == "" {
			return apperr.Invalid("components", "Thành phần hồ sơ phải có tên", "every component needs a name")
		}
		if c.Quantity <= 0 {
			c.Quantity = 1
		}
		switch c.Form {
		case FormOriginal, FormCertifiedCopy, FormPhotocopy, FormShown:
		case "":
			c.Form = FormOriginal
		default:
			return apperr.Invalid("components", "Hình thức giấy tờ không hợp lệ: "+c.Form, "invalid component form: "+c.Form)
		}
	}
	return p.validateSteps()
}

func (p *Procedure) validateSteps() error {
	if len(p.Steps) == 0 {
		p.Steps = DefaultSteps()
	}
	total := 0
	for _, s := range p.Steps {
		switch s.Role {
		case RoleCounter, RoleSpecialist, RoleLeader:
		default:
			return apperr.Invalid("steps", "Vai trò của bước xử lý không hợp lệ: "+s.Role, "invalid step role: "+s.Role)
		}
		if s.Share < 0 {
			return apperr.Invalid("steps", "Tỷ lệ thời gian của bước không được âm", "step share must not be negative")
		}
		total += s.Share
	}
	if total != 100 {
		return apperr.Invalid("steps", "Tổng tỷ lệ thời gian các bước phải bằng 100%", "step shares must add up to 100%")
	}
	if p.Steps[0].Role != RoleCounter {
		return apperr.Invalid("steps", "Bước đầu tiên phải là tiếp nhận tại bộ phận một cửa", "the first step must be reception at the counter")
	}
	return nil
}

// Validate checks a time limit.
func (l *TimeLimit) Validate() error {
	switch l.Kind {
	case LimitWorkingDays:
		if l.Days <= 0 || l.Days > 365 {
			return apperr.Invalid("time_limit", "Thời hạn giải quyết phải từ 0,5 đến 365 ngày làm việc", "time limit must be between 0.5 and 365 working days")
		}
	case LimitSameDay:
		if l.CutoffHour == 0 {
			l.CutoffHour = 15
		}
		if l.CutoffHour < 1 || l.CutoffHour > 23 {
			return apperr.Invalid("time_limit", "Giờ tiếp nhận cuối cùng trong ngày không hợp lệ", "invalid cut-off hour")
		}
	default:
		return apperr.Invalid("time_limit", "Loại thời hạn phải là working_days hoặc same_day", "time limit kind must be working_days or same_day")
	}
	return nil
}

// DefaultSteps is the usual path in a commune: reception, examination by a
// specialist, signature by a leader, and the result handed back at the counter.
func DefaultSteps() []Step {
	return []Step{
		{Name: "Tiếp nhận hồ sơ", Role: RoleCounter, Share: 10},
		{Name: "Thẩm định, xử lý", Role: RoleSpecialist, Share: 60},
		{Name: "Phê duyệt, ký kết quả", Role: RoleLeader, Share: 20},
		{Name: "Trả kết quả", Role: RoleCounter, Share: 10},
	}
}

// DefaultFee is the amount asked when the officer names none: the first
// fee line with an amount. Lines are alternatives (counter or online rate,
// on-time or late registration), so they are never added up.
func (p *Procedure) DefaultFee() int64 {
	for _, f := range p.Fees {
		if f.Amount > 0 {
			return f.Amount
		}
	}
	return 0
}
