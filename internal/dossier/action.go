package dossier

import (
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
)

// Actions.
const (
	ActSubmit            = "submit"
	ActReceive           = "receive"
	ActRequestSupplement = "request_supplement"
	ActSupplement        = "supplement"
	ActRefuse            = "refuse"
	ActForward           = "forward"
	ActSendBack          = "send_back"
	ActRequestPayment    = "request_payment"
	ActConfirmPayment    = "confirm_payment"
	ActApprove           = "approve"
	ActFinish            = "finish"
	ActReturnResult      = "return_result"
	ActWithdraw          = "withdraw"
	ActStop              = "stop"
	ActExtend            = "extend"
	ActRate              = "rate"
	ActRecompute         = "recompute_due" // the calendar changed under an open dossier
)

// Actions lists the lifecycle actions a client may request by name.
var Actions = []string{ActReceive, ActRequestSupplement, ActSupplement, ActRefuse, ActForward, ActSendBack,
	ActRequestPayment, ActConfirmPayment, ActApprove, ActFinish, ActReturnResult, ActWithdraw, ActStop, ActExtend}

// ActionName is the Vietnamese name of each action, for history and buttons.
var ActionName = map[string]string{
	ActSubmit: "Nộp hồ sơ", ActReceive: "Tiếp nhận", ActRequestSupplement: "Yêu cầu bổ sung",
	ActSupplement: "Bổ sung hồ sơ", ActRefuse: "Từ chối tiếp nhận", ActForward: "Chuyển xử lý",
	ActSendBack: "Trả lại bước trước", ActRequestPayment: "Yêu cầu nộp phí", ActConfirmPayment: "Xác nhận đã nộp phí",
	ActApprove: "Phê duyệt", ActFinish: "Hoàn thành, chờ trả kết quả", ActReturnResult: "Trả kết quả",
	ActWithdraw: "Rút hồ sơ", ActStop: "Dừng xử lý", ActExtend: "Gia hạn, xin lỗi", ActRate: "Đánh giá",
	ActRecompute: "Tính lại hạn xử lý", ActNotify: "Đổi cách nhận thông báo",
}

// Calendar is the working-time calendar the deadlines are computed with.
type Calendar interface {
	Due(start time.Time, days float64) time.Time
	DueSameDay(start time.Time, cutoffHour int) time.Time
	Add(t time.Time, d time.Duration) time.Time
	Between(a, b time.Time) time.Duration
	Resume(due, pausedAt, resumedAt time.Time) time.Time
	Classify(finished, due time.Time) string
	DayLength() time.Duration
	// NextOpening is t when t lies in office hours of a working day, else
	// the instant the office next opens.
	NextOpening(t time.Time) time.Time
}

// ActionRequest is an action asked of a dossier.
type ActionRequest struct {
	Action     string    `json:"-"`
	Version    int       `json:"version,omitempty"` // if set, the dossier must still be at this version
	Note       string    `json:"note,omitempty"`
	Reason     string    `json:"reason,omitempty"`     // refuse, stop, withdraw, extend (apology)
	Missing    []string  `json:"missing,omitempty"`    // request_supplement
	Department string    `json:"department,omitempty"` // forward
	Assignee   string    `json:"assignee,omitempty"`   // forward
	NewDueAt   time.Time `json:"new_due_at,omitzero"`  // extend
	Amount     int64     `json:"amount,omitempty"`     // request_payment, in đồng
	Components []string  `json:"components,omitempty"` // supplement: what was handed in
	Rating     int       `json:"-"`                    // rate: through the rating endpoint, not the actions one
	Comment    string    `json:"-"`                    // rate
	Notify     string    `json:"-"`                    // notify: through its own form, not the actions one

	Result *ResultRequest `json:"result,omitempty"` // finish: the result document
}

// Change is what an action did: the event to append and the roll-up counters
// to move, both written in the same transaction as the dossier.
type Change struct {
	Event    Event
	Counts   map[string]int64
	NewUnits []string // units the dossier now passes through
	// ResultFile is a pending upload of the actor's that becomes the
	// dossier's result file, in the same transaction.
	ResultFile *ResultFile
}

// Env is what an action needs besides the dossier.
type Env struct {
	Proc  *procedure.Procedure
	Cal   Calendar
	Actor auth.Actor
	Now   time.Time
	// Proven is set when an anonymous caller proved to be the applicant with
	// the dossier code and the applicant's ID number or phone (public lookup).
	Proven bool
	// Papers are the submitting applicant's papers that the submission
	// re-uses, read by the service (wallet.go).
	Papers []Paper
}

// ErrArchived answers any action on an archived dossier: the archive keeps
// dossiers that ended years ago as they were.
var ErrArchived = apperr.Conflict("Hồ sơ đã lưu trữ, không thể thay đổi", "the dossier is archived and cannot be changed")

// Apply performs req on d, mutating it, and returns the change to record.
// It never touches d when it returns an error.
func Apply(d *Dossier, req ActionRequest, env Env) (Change, error) {
	if d.Archived {
		return Change{}, ErrArchived
	}
	if req.Version != 0 && req.Version != d.Version {
		return Change{}, apperr.Conflict("Hồ sơ đã được người khác cập nhật, vui lòng tải lại", "the dossier was changed by someone else; reload it")
	}
	env.Now = env.Now.UTC().Truncate(time.Microsecond)
	rule, ok := rules[req.Action]
	if !ok {
		return Change{}, apperr.Invalid("action", "Thao tác không hợp lệ: "+req.Action, "unknown action: "+req.Action)
	}
	if d.Step < 0 || d.Step >= len(env.Proc.Steps) {
		// The procedure's steps were shortened under an open dossier.
		return Change{}, apperr.Conflict("Quy trình của thủ tục đã thay đổi, hồ sơ không còn ở bước hợp lệ; liên hệ quản trị",
			"the procedure's steps changed and the dossier's step no longer exists; ask the administrator")
	}
	if !slices.Contains(rule.from, d.Status) {
		return Change{}, apperr.Conflict(
			"Hồ sơ đang ở trạng thái \""+d.Status.Name()+"\", không thể "+strings.ToLower(ActionName[req.Action]),
			"the dossier is "+strings.ToLower(d.Status.NameEn())+"; "+req.Action+" is not possible now")
	}
	if err := rule.allowed(d, env); err != nil {
		return Change{}, err
	}
	next := *d
	next.Missing = slices.Clone(d.Missing)
	ev := Event{Action: req.Action, FromStatus: d.Status, Step: d.Step, Note: strings.TrimSpace(req.Note)}
	counts, err := rule.do(&next, req, env, &ev)
	if err != nil {
		return Change{}, err
	}
	next.utc()
	fillEvent(&ev, &next, env)
	next.Version++
	*d = next
	return Change{Event: ev, Counts: counts, ResultFile: resultFileOf(req.Action, &next)}, nil
}

func fillEvent(ev *Event, d *Dossier, env Env) {
	ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit = env.Actor.Username, env.Actor.FullName, env.Actor.Role, env.Actor.UnitCode
	ev.At = env.Now.UTC().Truncate(time.Microsecond)
	ev.ToStatus = d.Status
	ev.ToStep = d.Step
	ev.DueAt = d.DueAt
}

type rule struct {
	from    []Status
	allowed func(d *Dossier, env Env) error
	do      func(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error)
}

var rules map[string]rule

func init() {
	open := []Status{StatusReceived, StatusProcessing, StatusSupplement, StatusPayment}
	rules = map[string]rule{
		ActReceive:           {[]Status{StatusSubmitted}, role(auth.RoleCounter), doReceive},
		ActRequestSupplement: {[]Status{StatusSubmitted, StatusReceived, StatusProcessing}, notApproved(stepOrCounter), doRequestSupplement},
		ActSupplement:        {[]Status{StatusSupplement}, ownerOrCounter, doSupplement},
		ActRefuse:            {[]Status{StatusSubmitted, StatusSupplement}, refusable, doRefuse},
		ActForward:           {[]Status{StatusReceived, StatusProcessing}, atStep, doForward},
		ActSendBack:          {[]Status{StatusProcessing}, atStep, doSendBack},
		ActRequestPayment:    {[]Status{StatusReceived, StatusProcessing}, notApproved(stepOrCounter), doRequestPayment},
		ActConfirmPayment:    {[]Status{StatusPayment}, counterOrGateway, doConfirmPayment},
		ActApprove:           {[]Status{StatusProcessing}, atLeaderStep, doApprove},
		ActFinish:            {[]Status{StatusProcessing}, atLastStep, doFinish},
		ActReturnResult:      {[]Status{StatusDone}, role(auth.RoleCounter), doReturn},
		ActWithdraw:          {[]Status{StatusSubmitted, StatusReceived, StatusProcessing, StatusSupplement, StatusPayment}, notApproved(ownerOrCounter), doWithdraw},
		ActStop:              {open, notApproved(received(role(auth.RoleLeader))), doStop},
		ActExtend:            {open, role(auth.RoleLeader), doExtend},
		ActRate:              {[]Status{StatusDone, StatusReturned}, owner, doRate},
		ActNotify: {[]Status{StatusSubmitted, StatusReceived, StatusRefused, StatusProcessing, StatusSupplement, StatusPayment,
			StatusWithdrawn, StatusStopped, StatusDone, StatusReturned}, owner, doNotify},
		ActPopulationCheck: {[]Status{StatusSubmitted, StatusReceived, StatusRefused, StatusProcessing, StatusSupplement, StatusPayment,
			StatusWithdrawn, StatusStopped, StatusDone, StatusReturned}, officerOfUnit, doPopulationCheck},
	}
}

// notApproved: once the leader has signed, the result is settled; nothing
// may be asked of the applicant any more, and the dossier can no longer be
// withdrawn or stopped.
func notApproved(check func(*Dossier, Env) error) func(*Dossier, Env) error {
	return func(d *Dossier, env Env) error {
		if d.Approved {
			return apperr.Conflict("Hồ sơ đã được lãnh đạo phê duyệt, không thể thực hiện thao tác này; chỉ còn hoàn thành và trả kết quả",
				"the dossier is approved; only finishing and returning the result remain")
		}
		return check(d, env)
	}
}

// received: stopping is for a dossier being handled; one that was never
// received is refused instead.
func received(check func(*Dossier, Env) error) func(*Dossier, Env) error {
	return func(d *Dossier, env Env) error {
		if d.ReceivedAt.IsZero() {
			return apperr.Conflict("Hồ sơ chưa được tiếp nhận; hãy từ chối tiếp nhận thay vì dừng xử lý",
				"the dossier was never received; refuse it instead of stopping it")
		}
		return check(d, env)
	}
}

// --- who may act ---

var errNotYourUnit = apperr.Forbidden("Hồ sơ không thuộc đơn vị của bạn", "the dossier does not belong to your unit")

func inUnit(d *Dossier, a auth.Actor) bool {
	return a.IsOfficer() && (a.UnitCode == d.UnitCode || slices.Contains(d.Units, a.UnitCode))
}

func role(r string) func(*Dossier, Env) error {
	return func(d *Dossier, env Env) error {
		if env.Actor.Role != r {
			return apperr.Forbidden("Chỉ "+strings.ToLower(auth.RoleName[r])+" được thực hiện thao tác này", "only the "+r+" role may do this")
		}
		if !inUnit(d, env.Actor) {
			return errNotYourUnit
		}
		return nil
	}
}

// counterOrGateway: the counter confirms a fee paid in cash; the payment
// gateway's actor, which no user can be, confirms one paid online.
func counterOrGateway(d *Dossier, env Env) error {
	if env.Actor == auth.PaymentGateway {
		return nil
	}
	return role(auth.RoleCounter)(d, env)
}

func owner(d *Dossier, env Env) error {
	if env.Proven {
		return nil
	}
	if env.Actor.Role != auth.RoleApplicant || env.Actor.UserID == 0 || env.Actor.UserID != d.ApplicantUserID {
		return apperr.Forbidden("Chỉ người nộp hồ sơ được thực hiện thao tác này", "only the applicant may do this")
	}
	return nil
}

func ownerOrCounter(d *Dossier, env Env) error {
	if env.Actor.Role == auth.RoleApplicant {
		return owner(d, env)
	}
	return role(auth.RoleCounter)(d, env)
}

// refusable: refusal happens at reception, before the dossier is received:
// an online submission, or a dossier waiting for the supplement asked at
// reception. A received dossier is stopped instead.
func refusable(d *Dossier, env Env) error {
	if !d.ReceivedAt.IsZero() {
		return apperr.Conflict("Hồ sơ đã được tiếp nhận, không thể từ chối tiếp nhận; hãy dừng xử lý nếu cần", "the dossier was received: stop it instead of refusing it")
	}
	return role(auth.RoleCounter)(d, env)
}

// atStep: the actor holds the role of the dossier's current step (the counter
// at reception), and is its assignee when one was named.
func atStep(d *Dossier, env Env) error {
	steps := env.Proc.Steps
	if d.Step >= len(steps) {
		return apperr.New(apperr.EINTERNAL, "Bước xử lý không tồn tại", "step out of range")
	}
	if err := role(steps[d.Step].Role)(d, env); err != nil {
		return err
	}
	if d.StepAssignee != "" && d.StepAssignee != env.Actor.Username && env.Actor.Role != auth.RoleLeader {
		return apperr.Forbidden("Hồ sơ đã được giao cho cán bộ khác", "the dossier is assigned to another officer")
	}
	return nil
}

func stepOrCounter(d *Dossier, env Env) error {
	if d.Status != StatusProcessing {
		return role(auth.RoleCounter)(d, env)
	}
	return atStep(d, env)
}

func atLeaderStep(d *Dossier, env Env) error {
	if env.Proc.Steps[d.Step].Role != procedure.RoleLeader {
		return apperr.Conflict("Hồ sơ chưa đến bước phê duyệt của lãnh đạo", "the dossier is not at the leader's step")
	}
	return atStep(d, env)
}

func atLastStep(d *Dossier, env Env) error {
	if d.Step != len(env.Proc.Steps)-1 {
		return apperr.Conflict("Hồ sơ chưa xử lý xong các bước", "the dossier has not gone through every step")
	}
	return atStep(d, env)
}
