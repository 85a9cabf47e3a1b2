package dossier

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

// SubmitRequest is a new dossier, online by an applicant or entered at the
// counter by an officer.
type SubmitRequest struct {
	ProcedureCode string    `json:"procedure_code"`
	UnitCode      string    `json:"unit_code"` // receiving unit; officers submit to their own
	Channel       int       `json:"channel"`   // 1 counter, 2 online, 3 post
	Applicant     Applicant `json:"applicant"`
	Subject       *Subject  `json:"subject,omitempty"` // who the dossier is about, when not the applicant
	// OnBehalf says the applicant files for another person (nộp hộ): the
	// subject, with its relation to the applicant, is then required.
	OnBehalf   bool     `json:"on_behalf,omitempty"`
	ReusedFrom string   `json:"reused_from,omitempty"` // code of the earlier dossier the details were taken from
	Components []string `json:"components,omitempty"`
	// Reuse hands in, for components, papers of the applicant's earlier
	// dossiers (their wallet) instead of new uploads: the same files.
	Reuse []ReuseRequest `json:"reuse,omitempty"`
	// ReuseConsent is the applicant's consent to hand their earlier papers
	// in again: a re-use without it is refused.
	ReuseConsent bool   `json:"reuse_consent,omitempty"`
	Note         string `json:"note,omitempty"`
	// Notify is how the applicant wants to hear of the dossier's progress:
	// email, sms, zalo or none (default: sms with a phone, else email with an
	// e-mail address, else none).
	Notify string `json:"notify,omitempty"`
	// OnIncomplete says what a counter officer does with a dossier that lacks
	// a required component: IncompleteSupplement (form 02) or IncompleteRefuse
	// (form 03). Left empty, such a dossier is refused with the missing
	// components named, so that it is never received silently.
	OnIncomplete string   `json:"on_incomplete,omitempty"`
	Missing      []string `json:"missing,omitempty"` // on_incomplete=request_supplement: what to bring (default: the missing required components)
	Reason       string   `json:"reason,omitempty"`  // on_incomplete=refuse: the written reason
}

// What a counter officer does with an incomplete dossier at reception.
const (
	IncompleteSupplement = "request_supplement"
	IncompleteRefuse     = "refuse"
)

// MissingRequired lists the procedure's required components that are not
// among the components handed in, in the procedure's order.
func MissingRequired(p *procedure.Procedure, handedIn []string) []string {
	var out []string
	for _, c := range p.Components {
		if c.Required && !slices.Contains(handedIn, vntext.Clean(c.Name)) {
			out = append(out, vntext.Clean(c.Name))
		}
	}
	return out
}

func errMissing(missing []string, vi, en string) error {
	list := strings.Join(missing, "; ")
	return apperr.Invalid("components", vi+": "+list, en+": "+list)
}

// Validate normalises the applicant's details and checks them.
func (r *SubmitRequest) Validate(now time.Time) error {
	a := &r.Applicant
	a.Name = vntext.Clean(a.Name)
	a.IDNumber = strings.TrimSpace(a.IDNumber)
	a.Address = vntext.Clean(a.Address)
	a.Email = strings.TrimSpace(a.Email)
	r.Note = vntext.Clean(r.Note)
	if r.ProcedureCode == "" {
		return apperr.Invalid("procedure_code", "Chưa chọn thủ tục", "choose a procedure")
	}
	if a.Name == "" || len(a.Name) > 200 {
		return apperr.Invalid("applicant.name", "Họ và tên người nộp không được để trống (tối đa 200 ký tự)", "applicant's name is required (200 characters at most)")
	}
	id, err := vntext.NormalizeIDNumber(a.IDNumber, now)
	if err != nil {
		return err
	}
	a.IDNumber = id
	if a.Phone != "" {
		p, err := vntext.NormalizePhone(a.Phone)
		if err != nil {
			return err
		}
		a.Phone = p
	}
	if a.Email != "" && (!strings.Contains(a.Email, "@") || len(a.Email) > 200) {
		return apperr.Invalid("applicant.email", "Địa chỉ thư điện tử không hợp lệ", "invalid e-mail address")
	}
	switch r.OnIncomplete {
	case "", IncompleteSupplement, IncompleteRefuse:
	default:
		return apperr.Invalid("on_incomplete", "on_incomplete phải là request_supplement hoặc refuse", "on_incomplete must be request_supplement or refuse")
	}
	if len(a.Address) > 500 || len(r.Note) > 2000 || len(r.Components) > 100 || len(r.Missing) > 100 {
		return apperr.Invalid("applicant.address", "Nội dung quá dài", "input is too long")
	}
	if r.Subject.Empty() {
		r.Subject = nil
		if r.OnBehalf {
			return ErrOnBehalfNoSubject
		}
	} else if err := r.Subject.Validate(now); err != nil {
		return err
	}
	if r.Notify, err = CheckNotify(strings.TrimSpace(r.Notify), *a); err != nil {
		return err
	}
	if r.ReusedFrom = strings.TrimSpace(r.ReusedFrom); r.ReusedFrom != "" && !ValidCode(r.ReusedFrom) {
		return apperr.Invalid("reused_from", "Mã hồ sơ được dùng lại thông tin không hợp lệ", "reused_from is not a dossier code")
	}
	return validateReuse(r.Reuse)
}

// New builds a dossier from a submission. Its code is set by the store, which
// owns the daily counter.
func New(req SubmitRequest, env Env) (*Dossier, Change, error) {
	if err := req.Validate(env.Now); err != nil {
		return nil, Change{}, err
	}
	env.Now = env.Now.UTC().Truncate(time.Microsecond)
	p, a := env.Proc, env.Actor
	if !p.Active {
		return nil, Change{}, apperr.Invalid("procedure_code", "Thủ tục này hiện không tiếp nhận hồ sơ", "this procedure does not accept dossiers now")
	}
	d := &Dossier{
		UnitCode: req.UnitCode, ProcedureCode: p.Code, ProcedureName: p.Name, Channel: req.Channel,
		Applicant: req.Applicant, Subject: req.Subject, OnBehalf: req.OnBehalf, ReusedFrom: req.ReusedFrom, Components: cleanList(req.Components), Note: req.Note,
		Notify:      req.Notify,
		SubmittedAt: env.Now, Version: 1,
	}
	if len(req.Reuse) > 0 {
		if a.Role != auth.RoleApplicant {
			return nil, Change{}, apperr.Invalid("reuse", "Chỉ người nộp dùng lại được giấy tờ của chính mình, qua tài khoản của mình",
				"only applicants re-use their own papers, through their own account")
		}
		if !req.ReuseConsent {
			return nil, Change{}, ErrNoConsent
		}
		var err error
		if d.Reused, err = reusedPapers(req.Reuse, env.Papers, p); err != nil {
			return nil, Change{}, err
		}
		for _, r := range d.Reused { // a paper handed in again hands its component in
			if !slices.Contains(d.Components, r.Component) {
				d.Components = append(d.Components, r.Component)
			}
		}
	}
	switch a.Role {
	case auth.RoleApplicant:
		if err := onlineAllowed(d, p); err != nil {
			return nil, Change{}, err
		}
		if req.OnIncomplete != "" {
			return nil, Change{}, apperr.Invalid("on_incomplete", "Chỉ cán bộ một cửa quyết định khi hồ sơ chưa đầy đủ", "only a counter officer decides what to do with an incomplete dossier")
		}
		if m := MissingRequired(p, d.Components); len(m) > 0 {
			return nil, Change{}, errMissing(m, "Chưa nộp đủ thành phần hồ sơ bắt buộc", "required components are missing")
		}
		d.ApplicantUserID = a.UserID
		d.Status = StatusSubmitted
		d.Step = 0
	case auth.RoleCounter:
		if d.Channel != ChannelCounter && d.Channel != ChannelPost {
			return nil, Change{}, apperr.Invalid("channel", "Hồ sơ nhập tại quầy phải là kênh trực tiếp (1) hoặc bưu chính (3)", "a counter entry must use channel 1 (counter) or 3 (post)")
		}
		if d.UnitCode == "" {
			d.UnitCode = a.UnitCode
		}
		if d.UnitCode != a.UnitCode {
			return nil, Change{}, errNotYourUnit
		}
		if err := atReception(d, req, env); err != nil {
			return nil, Change{}, err
		}
	default:
		return nil, Change{}, apperr.Forbidden("Chỉ công dân hoặc cán bộ một cửa được nộp hồ sơ", "only an applicant or a counter officer may submit a dossier")
	}
	if d.UnitCode == "" {
		return nil, Change{}, apperr.Invalid("unit_code", "Chưa chọn cơ quan tiếp nhận", "choose the receiving unit")
	}
	d.Units = []string{d.UnitCode}
	d.utc()
	ev := Event{Action: ActSubmit, Note: d.Note}
	if d.ReusedFrom != "" {
		ev.Note = reuseNote(d.ReusedFrom, d.Note)
	}
	if d.OnBehalf {
		ev.Note = joinNote(behalfNote(d), ev.Note)
	}
	ev.Note = joinNote(reusedNote(d.Reused), ev.Note)
	counts := map[string]int64{stats.Submitted: 1}
	switch d.Status {
	case StatusReceived:
		maps.Copy(counts, receivedCounts(d))
	case StatusSupplement:
		counts[stats.SupplementRequests] = 1
		ev.Note = joinNote(supplementNote(d.Missing), ev.Note)
	case StatusRefused:
		counts[stats.Refused] = 1
		ev.Note = joinNote(d.Reason, ev.Note)
	}
	fillEvent(&ev, d, env)
	return d, Change{Event: ev, Counts: counts}, nil
}

// atReception decides a counter entry (Decree 118/2025, art. 15–16): a
// complete dossier is received and its clock starts; an incomplete one is
// never received silently: the officer asks for the supplement (status 5,
// no clock until the supplement arrives) or refuses it with a reason.
func atReception(d *Dossier, req SubmitRequest, env Env) error {
	missing := MissingRequired(env.Proc, d.Components)
	switch req.OnIncomplete {
	case "":
		if len(missing) > 0 {
			return errMissing(missing, "Hồ sơ còn thiếu thành phần bắt buộc; hãy yêu cầu bổ sung hoặc từ chối tiếp nhận",
				"required components are missing; request a supplement or refuse the dossier")
		}
		d.Status = StatusReceived
		startClock(d, env)
	case IncompleteSupplement:
		if m := cleanList(req.Missing); len(m) > 0 {
			missing = m
		}
		if len(missing) == 0 {
			return apperr.Invalid("missing", "Cần ghi rõ các giấy tờ phải bổ sung", "list what the applicant must supplement")
		}
		d.Status = StatusSupplement
		d.Missing = missing
		d.SupplementCount = 1
		d.PausedAt = env.Now
		d.ResumeStatus = StatusReceived // received when the supplement arrives
	case IncompleteRefuse:
		r, err := requireReason(ActionRequest{Reason: req.Reason}, "Từ chối tiếp nhận phải nêu rõ lý do", "a refusal needs a written reason")
		if err != nil {
			return err
		}
		d.Status = StatusRefused
		d.Reason = r
		d.FinishedAt = env.Now
	}
	return nil
}

func supplementNote(missing []string) string {
	return "Cần bổ sung: " + strings.Join(missing, "; ")
}

func onlineAllowed(d *Dossier, p *procedure.Procedure) error {
	if d.Channel == 0 {
		d.Channel = ChannelOnline
	}
	if d.Channel != ChannelOnline {
		return apperr.Invalid("channel", "Công dân nộp hồ sơ qua kênh trực tuyến (2)", "applicants submit online (channel 2)")
	}
	if p.OnlineMode == procedure.OnlineNone {
		return apperr.Invalid("procedure_code", "Thủ tục này không nhận hồ sơ trực tuyến; vui lòng nộp tại bộ phận một cửa", "this procedure is not offered online; submit it at the counter")
	}
	return nil
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = vntext.Clean(s); s != "" && len(s) <= 300 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Recompute moves the due time of an open dossier after the calendar changed,
// keeping the working time already used: the due time is computed again from
// reception (with pauses) on the new calendar. It returns false when nothing
// moved.
func Recompute(d *Dossier, old, cal Calendar, now time.Time, why string) (Change, bool) {
	if !d.Status.Open() || d.DueAt.IsZero() || !d.ExtendedAt.IsZero() {
		return Change{}, false
	}
	// The working time between reception and the due time is the limit plus
	// any pauses, measured on the old calendar; laying it on the new one
	// gives the new due time.
	newDue := cal.Add(d.ReceivedAt, old.Between(d.ReceivedAt, d.DueAt))
	if newDue.Equal(d.DueAt) {
		return Change{}, false
	}
	if !d.StepDueAt.IsZero() {
		d.StepDueAt = cal.Add(d.StepStartedAt, old.Between(d.StepStartedAt, d.StepDueAt))
	}
	ev := Event{Action: ActRecompute, FromStatus: d.Status, Step: d.Step,
		Note: "Hạn xử lý thay đổi từ " + d.DueAt.In(stats.Zone).Format("15:04 02/01/2006") + " do " + why}
	d.DueAt = newDue
	d.utc()
	fillEvent(&ev, d, Env{Actor: auth.System, Now: now})
	d.Version++
	return Change{Event: ev}, true
}
