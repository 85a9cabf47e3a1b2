package petition

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// Actions.
const (
	ActSubmit      = "submit"
	ActClassify    = "classify"     // field, kind, department
	ActAssign      = "assign"       // to an officer of the unit
	ActRequestInfo = "request_info" // within 5 working days; pauses the answer clock
	ActSupplyInfo  = "supply_info"  // the sender's reply (or an officer writing it down); the clock goes on
	ActRefuse      = "refuse"       // within 2 working days, with a reason
	ActMerge       = "merge"        // a duplicate follows another petition's answer
	ActDraft       = "draft_answer" // an officer drafts, a leader approves
	ActApprove     = "approve"      // the leader sends the draft as the answer
	ActAnswer      = "answer"       // a leader, or an officer where the unit allows it
	ActPublish     = "publish"      // the answer on the public page, the sender hidden
	ActUnpublish   = "unpublish"
	ActClose       = "close"
	ActRate        = "rate"     // the sender: satisfied or not
	ActEscalate    = "escalate" // the system: late, told to the leader
)

// OfficerActions are the actions an officer may request by name.
var OfficerActions = []string{ActClassify, ActAssign, ActRequestInfo, ActSupplyInfo, ActRefuse, ActMerge, ActDraft,
	ActApprove, ActAnswer, ActPublish, ActUnpublish, ActClose}

// SenderActions are the actions the sender takes with the code and contact.
var SenderActions = []string{ActSupplyInfo, ActRate}

// ActionName is each action's name in Vietnamese and English.
var ActionName = map[string][2]string{
	ActSubmit: {"Gửi phản ánh, kiến nghị", "Sent"}, ActClassify: {"Phân loại", "Classified"}, ActAssign: {"Giao xử lý", "Assigned"},
	ActRequestInfo: {"Đề nghị bổ sung thông tin", "More information asked"}, ActSupplyInfo: {"Bổ sung thông tin", "Information supplied"},
	ActRefuse: {"Từ chối xử lý", "Refused"}, ActMerge: {"Gộp vào phản ánh khác", "Merged"}, ActDraft: {"Dự thảo trả lời", "Answer drafted"},
	ActApprove: {"Duyệt trả lời", "Answer approved"}, ActAnswer: {"Trả lời", "Answered"}, ActPublish: {"Công khai trả lời", "Answer published"},
	ActUnpublish: {"Thôi công khai", "Unpublished"}, ActClose: {"Kết thúc", "Closed"}, ActRate: {"Đánh giá sự hài lòng", "Satisfaction given"},
	ActEscalate: {"Quá hạn, báo lãnh đạo", "Late, escalated to the leader"}, ActRecompute: {"Tính lại hạn trả lời", "Answer time recomputed"},
}

// ActionRequest is what a caller asks of a petition. Text is the question
// asked, the information supplied, the reason of a refusal, the draft or
// the answer, or the question as published (required, without the
// sender's details), by action.
type ActionRequest struct {
	Action       string `json:"-"`
	Text         string `json:"text,omitempty"`
	Field        string `json:"field,omitempty"`
	Kind         string `json:"kind,omitempty"`
	Department   string `json:"department,omitempty"`
	Assignee     string `json:"assignee,omitempty"`
	Into         string `json:"into,omitempty"`         // merge: the code of the petition kept
	Satisfaction string `json:"satisfaction,omitempty"` // rate: satisfied, not_satisfied
}

// Counts are a change's roll-up moves, on the day of the change.
type Counts struct {
	Received, Answered, AnsweredOnTime, Late, Dissatisfied, DossierComplaints int
}

// Change is what an action did: the event to chain, the counts to add and
// whether the public search index must be rewritten.
type Change struct {
	Event   Event
	Counts  Counts
	Reindex bool
	// Escalated: the store tells the unit's leaders, through the outbox,
	// in the same transaction.
	Escalated bool
}

// Context is what the rules need besides the petition: the actor, the
// time, the unit's calendar and setting, and for an officer whether the
// assignee or the merge target passed the service's checks.
type Context struct {
	Actor        auth.Actor
	Sender       bool // the sender, proven by code and contact
	Now          time.Time
	Cal          dossier.Calendar
	DirectAnswer bool // the unit lets officers answer without approval
	// MergedAnswered: the petition a merged one follows is answered, so
	// the merged one's sender may rate that answer.
	MergedAnswered bool
	Deadlines      Deadlines
}

// Text bounds, in characters.
const (
	MaxSubject = 200
	MaxText    = 5000
	MaxAddress = 300
	MaxName    = 100
)

var (
	errStatus    = apperr.Conflict("Phản ánh không ở trạng thái cho phép thao tác này", "the petition is not in a state that allows this action")
	errRole      = apperr.Forbidden("Vai trò của bạn không được thực hiện thao tác này", "your role may not take this action")
	errNeedText  = apperr.Invalid("text", "Vui lòng nhập nội dung", "text is required")
	errUnknownAc = apperr.Invalid("action", "Thao tác không hợp lệ", "unknown action")
)

// handlers are the officer roles that handle petitions.
var handlers = []string{auth.RoleCounter, auth.RoleSpecialist, auth.RoleLeader}

// rule is one action: from which statuses, by whom, and what it does.
type rule struct {
	from  []Status
	roles []string // officers allowed; nil for the sender's and the system's actions
	apply func(p *Petition, req ActionRequest, c Context) (Counts, error)
}

var rules = map[string]rule{
	ActClassify:    {[]Status{StatusReceived, StatusProcessing}, handlers, classify},
	ActAssign:      {[]Status{StatusReceived, StatusProcessing}, []string{auth.RoleCounter, auth.RoleLeader}, assign},
	ActRequestInfo: {[]Status{StatusReceived, StatusProcessing}, handlers, requestInfo},
	ActSupplyInfo:  {[]Status{StatusWaiting}, handlers, supplyInfo},
	ActRefuse:      {[]Status{StatusReceived, StatusProcessing, StatusWaiting}, handlers, refuse},
	ActMerge:       {[]Status{StatusReceived, StatusProcessing, StatusWaiting}, handlers, merge},
	ActDraft:       {[]Status{StatusReceived, StatusProcessing, StatusDrafted}, handlers, draft},
	ActApprove:     {[]Status{StatusDrafted}, []string{auth.RoleLeader}, approve},
	ActAnswer:      {[]Status{StatusReceived, StatusProcessing, StatusDrafted}, handlers, answer},
	ActPublish:     {[]Status{StatusAnswered, StatusClosed}, []string{auth.RoleLeader}, publish},
	ActUnpublish:   {[]Status{StatusAnswered, StatusClosed}, []string{auth.RoleLeader}, unpublish},
	ActClose:       {[]Status{StatusAnswered}, handlers, closeP},
	ActRate:        {[]Status{StatusAnswered, StatusClosed, StatusMerged}, nil, rate},
	ActEscalate:    {OpenStatuses, nil, escalate},
}

// Apply checks and applies an action to p (changed in place) and returns
// the change to record. Visibility (the actor's unit) is checked by the
// service before; Apply checks the status, the role and the input.
func Apply(p *Petition, req ActionRequest, c Context) (Change, error) {
	r, ok := rules[req.Action]
	if !ok {
		return Change{}, errUnknownAc
	}
	switch {
	case c.Sender:
		if !slices.Contains(SenderActions, req.Action) {
			return Change{}, errRole
		}
	case req.Action == ActEscalate:
		if c.Actor.Role != auth.System.Role {
			return Change{}, errRole
		}
	case !slices.Contains(r.roles, c.Actor.Role):
		return Change{}, errRole
	}
	if !slices.Contains(r.from, p.Status) {
		return Change{}, errStatus
	}
	text, err := cleanText("text", req.Text, MaxText)
	if err != nil {
		return Change{}, err
	}
	req.Text = text
	from := p.Status
	counts, err := r.apply(p, req, c)
	if err != nil {
		return Change{}, err
	}
	p.Version++
	ev := Event{Action: req.Action, Actor: c.Actor.Username, ActorName: c.Actor.FullName, ActorRole: c.Actor.Role,
		ActorUnit: c.Actor.UnitCode, At: c.Now.UTC().Truncate(time.Microsecond), FromStatus: dossier.Status(from),
		ToStatus: dossier.Status(p.Status), Note: noteOf(p, req), DueAt: p.DueAt}
	if c.Sender {
		ev.Actor, ev.ActorName, ev.ActorRole, ev.ActorUnit = "sender", "Người gửi", "sender", ""
	}
	if counts.Answered > 0 || req.Action == ActRequestInfo {
		ev.Outcome = p.Outcome
		if req.Action == ActRequestInfo {
			ev.Outcome = calendar.Classify(c.Now, p.InfoDueAt)
		}
	}
	reindex := req.Action == ActPublish || req.Action == ActUnpublish
	return Change{Event: ev, Counts: counts, Reindex: reindex, Escalated: req.Action == ActEscalate}, nil
}

// noteOf is what the history says of the action: its text, and what it set.
func noteOf(p *Petition, req ActionRequest) string {
	switch req.Action {
	case ActClassify:
		return "lĩnh vực: " + p.Field + "; loại: " + p.Kind + "; phòng ban: " + p.Department
	case ActAssign:
		return p.Assignee
	case ActMerge:
		return p.MergedInto
	case ActRate:
		return p.Satisfaction
	case ActApprove:
		return p.Answer
	}
	return req.Text
}

func classify(p *Petition, req ActionRequest, _ Context) (Counts, error) {
	if req.Field == "" && req.Kind == "" && req.Department == "" {
		return Counts{}, apperr.Invalid("field", "Chọn lĩnh vực, loại hoặc phòng ban", "give a field, a kind or a department")
	}
	if req.Field != "" {
		if _, ok := FieldByCode(req.Field); !ok {
			return Counts{}, errField
		}
		p.Field = req.Field
	}
	if req.Kind != "" {
		if req.Kind != KindFeedback && req.Kind != KindProposal {
			return Counts{}, errKind
		}
		p.Kind = req.Kind
	}
	if req.Department != "" {
		d, err := cleanLine("department", req.Department, 100)
		if err != nil {
			return Counts{}, err
		}
		p.Department = d
	}
	p.Status = StatusProcessing
	return Counts{}, nil
}

// assign: the service has checked that the assignee is an officer of the unit.
func assign(p *Petition, req ActionRequest, _ Context) (Counts, error) {
	if req.Assignee == "" {
		return Counts{}, apperr.Invalid("assignee", "Chọn cán bộ được giao", "choose the officer")
	}
	p.Assignee, p.Status = req.Assignee, StatusProcessing
	return Counts{}, nil
}

func requestInfo(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if req.Text == "" {
		return Counts{}, apperr.Invalid("text", "Nêu rõ thông tin cần người gửi bổ sung", "say what the sender must add")
	}
	if p.InfoRequest != "" {
		return Counts{}, apperr.Conflict("Chỉ đề nghị bổ sung thông tin một lần", "more information may be asked only once")
	}
	p.InfoRequest, p.Status, p.PausedAt = req.Text, StatusWaiting, c.Now
	return Counts{}, nil
}

func supplyInfo(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if req.Text == "" {
		return Counts{}, errNeedText
	}
	p.InfoReply, p.Status = req.Text, StatusProcessing
	p.DueAt = c.Cal.Resume(p.DueAt, p.PausedAt, c.Now).UTC()
	p.PausedAt = time.Time{}
	return Counts{}, nil
}

// settle ends the unit's handling: the counts of indicator 5.2 and 5.3.
// While the petition waits for its sender the clock is stopped at the
// pause.
func settle(p *Petition, due time.Time, c Context) Counts {
	at := c.Now
	if p.Status == StatusWaiting && !p.PausedAt.IsZero() {
		at = p.PausedAt
	}
	p.SettledAt, p.Outcome = c.Now, calendar.Classify(at, due)
	if p.Outcome == calendar.Late {
		return Counts{Answered: 1, Late: 1}
	}
	return Counts{Answered: 1, AnsweredOnTime: 1}
}

func refuse(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if req.Text == "" {
		return Counts{}, apperr.Invalid("text", "Từ chối phải nêu rõ lý do", "a refusal must give its reason")
	}
	counts := settle(p, p.RefuseDueAt, c)
	p.Reason, p.Status, p.PausedAt = req.Text, StatusRefused, time.Time{}
	return counts, nil
}

// merge: the service has checked the petition kept (same unit, not merged
// itself, not refused).
func merge(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if req.Into == "" || req.Into == p.Code {
		return Counts{}, apperr.Invalid("into", "Chọn phản ánh khác để gộp vào", "choose another petition to merge into")
	}
	counts := settle(p, p.DueAt, c)
	p.MergedInto, p.Status, p.PausedAt = req.Into, StatusMerged, time.Time{}
	return counts, nil
}

func draft(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if req.Text == "" {
		return Counts{}, errNeedText
	}
	p.Draft, p.DraftBy, p.Status = req.Text, c.Actor.Username, StatusDrafted
	return Counts{}, nil
}

func approve(p *Petition, req ActionRequest, c Context) (Counts, error) {
	text := p.Draft
	if req.Text != "" {
		text = req.Text // the leader's edit
	}
	return sendAnswer(p, text, c), nil
}

func answer(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if c.Actor.Role != auth.RoleLeader && !c.DirectAnswer {
		return Counts{}, apperr.Forbidden("Câu trả lời cần lãnh đạo duyệt: hãy dự thảo trả lời", "the answer needs a leader's approval: draft it")
	}
	if req.Text == "" {
		return Counts{}, errNeedText
	}
	return sendAnswer(p, req.Text, c), nil
}

func sendAnswer(p *Petition, text string, c Context) Counts {
	counts := settle(p, p.DueAt, c)
	p.Answer, p.AnsweredBy, p.AnsweredAt, p.Status = text, c.Actor.Username, c.Now, StatusAnswered
	return counts
}

func publish(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if p.Published {
		return Counts{}, apperr.Conflict("Câu trả lời đã được công khai", "the answer is already published")
	}
	if req.Text == "" {
		return Counts{}, apperr.Invalid("text", "Nhập câu hỏi sẽ công khai, viết lại không có thông tin người gửi",
			"give the question as it will be published, reworded without the sender's details")
	}
	if p.Sender.MentionedIn(req.Text) {
		return Counts{}, apperr.Invalid("text", "Câu hỏi công khai không được chứa họ tên, số điện thoại hoặc thư điện tử của người gửi",
			"the published question must not contain the sender's name, phone or e-mail")
	}
	p.Published, p.PublishedAt, p.PublicText = true, c.Now, req.Text
	return Counts{}, nil
}

func unpublish(p *Petition, _ ActionRequest, _ Context) (Counts, error) {
	if !p.Published {
		return Counts{}, apperr.Conflict("Câu trả lời chưa được công khai", "the answer is not published")
	}
	p.Published, p.PublishedAt = false, time.Time{}
	return Counts{}, nil
}

func closeP(p *Petition, _ ActionRequest, _ Context) (Counts, error) {
	p.Status = StatusClosed
	return Counts{}, nil
}

func rate(p *Petition, req ActionRequest, c Context) (Counts, error) {
	if p.Satisfaction != "" {
		return Counts{}, apperr.Conflict("Bạn đã đánh giá câu trả lời này", "you have already rated this answer")
	}
	if p.Status == StatusMerged && !c.MergedAnswered {
		return Counts{}, apperr.Conflict("Phản ánh đã gộp vào phản ánh khác chưa được trả lời: chưa đánh giá được",
			"the petition this one was merged into is not answered yet: it cannot be rated")
	}
	if req.Satisfaction != Satisfied && req.Satisfaction != NotSatisfied {
		return Counts{}, apperr.Invalid("satisfaction", "Chọn hài lòng (satisfied) hoặc không hài lòng (not_satisfied)",
			"choose satisfied or not_satisfied")
	}
	p.Satisfaction, p.RatedAt = req.Satisfaction, c.Now
	if p.Satisfaction == NotSatisfied {
		return Counts{Dissatisfied: 1}, nil
	}
	return Counts{}, nil
}

func escalate(p *Petition, _ ActionRequest, c Context) (Counts, error) {
	if !p.EscalatedAt.IsZero() || !p.Late(c.Now) {
		return Counts{}, apperr.Conflict("Phản ánh chưa quá hạn hoặc đã báo lãnh đạo", "the petition is not late or was already escalated")
	}
	p.EscalatedAt = c.Now
	return Counts{}, nil
}

// cleanText checks a long free text (line breaks kept): clean, at most max
// characters.
func cleanText(field, s string, max int) (string, error) {
	if r, bad := vntext.Unclean(s, true); bad {
		return "", errUnclean(field, r)
	}
	s = strings.TrimSpace(vntext.NFC(s))
	if utf8.RuneCountInString(s) > max {
		return "", errTooLong(field, max)
	}
	return s, nil
}

// cleanLine checks a one-line text: clean, white space collapsed.
func cleanLine(field, s string, max int) (string, error) {
	if r, bad := vntext.Unclean(s, false); bad {
		return "", errUnclean(field, r)
	}
	s = vntext.Clean(s)
	if utf8.RuneCountInString(s) > max {
		return "", errTooLong(field, max)
	}
	return s, nil
}

func errUnclean(field string, r rune) error {
	return apperr.Invalid(field, fmt.Sprintf("Trường %s chứa ký tự không hợp lệ U+%04X", field, r),
		fmt.Sprintf("field %s holds an invalid character U+%04X", field, r))
}

func errTooLong(field string, max int) error {
	return apperr.Invalid(field, fmt.Sprintf("Trường %s dài quá %d ký tự", field, max), fmt.Sprintf("field %s is longer than %d characters", field, max))
}
