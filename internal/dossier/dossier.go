// Package dossier holds dossiers (hồ sơ) and the rules of their lifecycle:
// which action may move a dossier from which status, by which role of which
// unit, how the deadline moves, and what each action records.
package dossier

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// Status uses the national systems' codes so that dossiers can be exchanged.
type Status int

// Statuses.
const (
	StatusSubmitted  Status = 1  // Mới đăng ký: submitted online, not yet received
	StatusReceived   Status = 2  // Được tiếp nhận
	StatusRefused    Status = 3  // Không được tiếp nhận
	StatusProcessing Status = 4  // Đang xử lý
	StatusSupplement Status = 5  // Yêu cầu bổ sung giấy tờ
	StatusPayment    Status = 6  // Yêu cầu thực hiện nghĩa vụ tài chính
	StatusWithdrawn  Status = 7  // Công dân yêu cầu rút hồ sơ
	StatusStopped    Status = 8  // Dừng xử lý
	StatusDone       Status = 9  // Đã xử lý xong (result ready)
	StatusReturned   Status = 10 // Đã trả kết quả
)

var statusNames = map[Status][2]string{
	StatusSubmitted:  {"Mới đăng ký", "Submitted"},
	StatusReceived:   {"Được tiếp nhận", "Received"},
	StatusRefused:    {"Không được tiếp nhận", "Refused"},
	StatusProcessing: {"Đang xử lý", "Processing"},
	StatusSupplement: {"Yêu cầu bổ sung giấy tờ", "Waiting for supplement"},
	StatusPayment:    {"Yêu cầu thực hiện nghĩa vụ tài chính", "Waiting for payment"},
	StatusWithdrawn:  {"Công dân yêu cầu rút hồ sơ", "Withdrawn"},
	StatusStopped:    {"Dừng xử lý", "Stopped"},
	StatusDone:       {"Đã xử lý xong", "Result ready"},
	StatusReturned:   {"Đã trả kết quả", "Result returned"},
}

// Name is the Vietnamese name of the status.
func (s Status) Name() string { return statusNames[s][0] }

// NameEn is the English name of the status.
func (s Status) NameEn() string { return statusNames[s][1] }

// Valid tells whether s is one of the ten codes.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Stage is how a dossier's state is shown to people: the national status,
// refined where the status alone says too little. The status code itself is
// what the national systems exchange and stays one of the ten.
type Stage struct {
	Key    string `json:"stage"`
	Name   string `json:"stage_name"`
	NameEn string `json:"stage_name_en"`
}

// StageApproved is a dossier in processing (status 4) that the leader has
// approved: the result is signed and waits to be finished.
const StageApproved = "approved"

var stageKeys = map[Status]string{
	StatusSubmitted: "submitted", StatusReceived: "received", StatusRefused: "refused", StatusProcessing: "processing",
	StatusSupplement: "supplement", StatusPayment: "payment", StatusWithdrawn: "withdrawn", StatusStopped: "stopped",
	StatusDone: "done", StatusReturned: "returned",
}

// Stage derives the displayed stage from the status and the approval.
func (d *Dossier) Stage() Stage {
	if d.Status == StatusProcessing && d.Approved {
		return Stage{StageApproved, "Đã phê duyệt, chờ hoàn thành", "Approved, awaiting result"}
	}
	return Stage{stageKeys[d.Status], d.Status.Name(), d.Status.NameEn()}
}

// Open tells whether the dossier is still being handled (its deadline runs or
// is paused).
func (s Status) Open() bool {
	switch s {
	case StatusSubmitted, StatusReceived, StatusProcessing, StatusSupplement, StatusPayment:
		return true
	}
	return false
}

// Paused tells whether the dossier waits for the applicant, so its clock stops.
func (s Status) Paused() bool { return s == StatusSupplement || s == StatusPayment }

// Channels.
const (
	ChannelCounter = 1 // trực tiếp
	ChannelOnline  = 2 // trực tuyến
	ChannelPost    = 3 // bưu chính công ích
)

// ChannelName is the Vietnamese name of each channel.
var ChannelName = map[int]string{ChannelCounter: "Trực tiếp", ChannelOnline: "Trực tuyến", ChannelPost: "Bưu chính công ích"}

// Applicant is the person or business the dossier is for.
type Applicant struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Dossier is one application. Times are UTC; zero means "not yet".
type Dossier struct {
	ID              int64     `json:"-"`
	Code            string    `json:"code"`
	UnitCode        string    `json:"unit_code"` // receiving unit
	ProcedureCode   string    `json:"procedure_code"`
	ProcedureName   string    `json:"procedure_name,omitempty"`
	Channel         int       `json:"channel"`
	Status          Status    `json:"status"`
	Applicant       Applicant `json:"applicant"`
	Subject         *Subject  `json:"subject,omitempty"`     // who the dossier is about; nil: the applicant
	OnBehalf        bool      `json:"on_behalf"`             // the applicant filed for the subject (nộp hộ)
	ReusedFrom      string    `json:"reused_from,omitempty"` // the earlier dossier the applicant's details were taken from
	Notify          string    `json:"notify,omitempty"`      // how the applicant is told of progress: email, sms, zalo or none
	ApplicantUserID int64     `json:"-"`
	Components      []string  `json:"components,omitempty"` // names of the components handed in
	// Reused are the papers of earlier dossiers handed in again with this
	// one, set once at submission.
	Reused []ReusedPaper `json:"reused,omitempty"`
	Note   string        `json:"note,omitempty"`

	SubmittedAt time.Time `json:"submitted_at"`
	ReceivedAt  time.Time `json:"received_at,omitzero"`
	DueAt       time.Time `json:"due_at,omitzero"`
	FinishedAt  time.Time `json:"finished_at,omitzero"` // result ready, stopped or refused
	ReturnedAt  time.Time `json:"returned_at,omitzero"`
	Outcome     string    `json:"outcome,omitempty"` // early, on_time, late

	Step           int       `json:"step"` // index in the procedure's steps
	StepDepartment string    `json:"step_department,omitempty"`
	StepAssignee   string    `json:"step_assignee,omitempty"`
	StepStartedAt  time.Time `json:"step_started_at,omitzero"`
	StepDueAt      time.Time `json:"step_due_at,omitzero"`

	PausedAt        time.Time `json:"paused_at,omitzero"`
	ResumeStatus    Status    `json:"-"`
	SupplementCount int       `json:"supplement_count"`
	Missing         []string  `json:"missing,omitempty"` // what the applicant must supplement
	FeeAmount       int64     `json:"fee_amount"`
	PaidAt          time.Time `json:"paid_at,omitzero"`
	Approved        bool      `json:"approved"`
	ExtendedAt      time.Time `json:"extended_at,omitzero"`
	Reason          string    `json:"reason,omitempty"` // refusal, stop or withdrawal reason

	Rating        int       `json:"rating,omitempty"` // 3 Rất hài lòng, 2 Hài lòng, 1 Không hài lòng
	RatingComment string    `json:"rating_comment,omitempty"`
	RatedAt       time.Time `json:"rated_at,omitzero"`

	Result *ResultDoc `json:"result,omitempty"` // the result document, recorded by finish

	Units []string `json:"-"` // units the dossier passed through (receiving unit first)

	Version int `json:"version"` // bumped by every change; a stale version is a conflict

	// Archived: the dossier ended long ago and was moved to the archive; it is
	// shown as it was and no action changes it (see ErrArchived).
	Archived bool `json:"archived,omitempty"`

	History []Event `json:"history,omitempty"`
}

// Ratings: a higher number is better, which leaves room for a 5-level
// survey (adding Bình thường and Rất không hài lòng) without turning old
// answers around.
const (
	RatingBad  = 1 // Không hài lòng
	RatingOK   = 2 // Hài lòng
	RatingVery = 3 // Rất hài lòng
)

// RatingLevel is the name a client may send instead of the number.
var RatingLevel = map[int]string{RatingBad: "not_satisfied", RatingOK: "satisfied", RatingVery: "very_satisfied"}

// ParseRating reads a rating given by its level name or its number.
func ParseRating(s string) (int, bool) {
	for n, name := range RatingLevel {
		if s == name || s == fmt.Sprint(n) {
			return n, true
		}
	}
	return 0, false
}

// RatingName is the Vietnamese name of each rating.
var RatingName = map[int]string{RatingVery: "Rất hài lòng", RatingOK: "Hài lòng", RatingBad: "Không hài lòng"}

// FormatCode builds a dossier code: {agency}-{yyMMdd}-{NNNN}.
func FormatCode(agency string, day time.Time, n int) string {
	return fmt.Sprintf("%s-%s-%04d", agency, day.Format("060102"), n)
}

// ValidCode tells whether s looks like a dossier code, so that a lookup with
// garbage never reaches the database.
func ValidCode(s string) bool {
	if len(s) < 13 || len(s) > 64 {
		return false
	}
	i := strings.LastIndexByte(s, '-')
	j := strings.LastIndexByte(s[:max(i, 0)], '-')
	if i < 0 || j < 1 || i-j != 7 || len(s)-i-1 < 4 {
		return false
	}
	for _, c := range s[j+1:i] + s[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, c := range s[:j] {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Filter selects dossiers for a listing.
type Filter struct {
	Status        Status
	UnitCode      string
	ProcedureCode string
	DueBefore     time.Time
	DueAfter      time.Time // open dossiers due at or after (so "due soon" leaves out the late ones)
	Channel       int
	Outcome       string    // early, on_time, late
	ReceivedFrom  time.Time // received at or after (the tracking book's range)
	ReceivedTo    time.Time // received before
	Query         string    // words of the applicant's or subject's name (folded), part of a code or of an ID number
	ApplicantID   string    // the applicant's ID number, exactly (the counter's pre-fill)
	Limit         int
	Offset        int
}

// Validate checks and defaults a filter.
func (f *Filter) Validate() error {
	if f.Status != 0 && !f.Status.Valid() {
		return apperr.Invalid("status", "Trạng thái hồ sơ phải là số từ 1 đến 10", "status must be a number from 1 to 10")
	}
	if f.Channel != 0 && (f.Channel < ChannelCounter || f.Channel > ChannelPost) {
		return apperr.Invalid("channel", "Kênh nộp phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính)", "channel must be 1, 2 or 3")
	}
	switch f.Outcome {
	case "", "early", "on_time", "late":
	default:
		return apperr.Invalid("outcome", "Kết quả phải là early, on_time hoặc late", "outcome must be early, on_time or late")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return nil
}

// utc keeps every time in UTC with microsecond precision, as the store keeps
// them, so that a dossier reads the same before and after it is saved and
// its event hashes verify.
func (d *Dossier) utc() {
	for _, t := range []*time.Time{&d.SubmittedAt, &d.ReceivedAt, &d.DueAt, &d.FinishedAt, &d.ReturnedAt, &d.StepStartedAt,
		&d.StepDueAt, &d.PausedAt, &d.PaidAt, &d.ExtendedAt, &d.RatedAt} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Microsecond)
		}
	}
}
