// Package petition holds citizens' feedback and petitions (phản ánh, kiến
// nghị): their statuses, the handling rules and deadlines on the unit's
// working-time calendar, and the Store interface they need. A petition's
// history is the same hash-chained Event as a dossier's, so that
// `motcua audit verify` checks both with one rule.
package petition

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// Event is one entry of a petition's history: the dossier's hash-chained
// event (Seal, VerifyChain), with the petition's code as the chain's name
// and its statuses in FromStatus/ToStatus. Step and ToStep stay 0.
type Event = dossier.Event

// Status of a petition. The numbers are stored; never renumber them.
type Status int

// Statuses.
const (
	StatusReceived   Status = 1 // Đã tiếp nhận: waiting to be classified
	StatusProcessing Status = 2 // Đang xử lý: classified or assigned
	StatusWaiting    Status = 3 // Chờ người gửi bổ sung thông tin: the answer clock stops
	StatusDrafted    Status = 4 // Chờ lãnh đạo duyệt câu trả lời
	StatusAnswered   Status = 5 // Đã trả lời
	StatusRefused    Status = 6 // Từ chối (with a reason)
	StatusMerged     Status = 7 // Gộp vào phản ánh khác: follows its answer
	StatusClosed     Status = 8 // Đã kết thúc
)

// StatusName is each status in Vietnamese and English.
var StatusName = map[Status][2]string{
	StatusReceived:   {"Đã tiếp nhận", "Received"},
	StatusProcessing: {"Đang xử lý", "Being handled"},
	StatusWaiting:    {"Chờ bổ sung thông tin", "Waiting for more information"},
	StatusDrafted:    {"Chờ lãnh đạo duyệt trả lời", "Answer waiting for approval"},
	StatusAnswered:   {"Đã trả lời", "Answered"},
	StatusRefused:    {"Từ chối xử lý", "Refused"},
	StatusMerged:     {"Đã gộp vào phản ánh khác", "Merged into another"},
	StatusClosed:     {"Đã kết thúc", "Closed"},
}

// Open tells whether the petition still waits for the unit: its answer
// clock runs (or is paused, while waiting for the sender).
func (s Status) Open() bool {
	return s == StatusReceived || s == StatusProcessing || s == StatusWaiting || s == StatusDrafted
}

// OpenStatuses are the statuses of Open, for queries.
var OpenStatuses = []Status{StatusReceived, StatusProcessing, StatusWaiting, StatusDrafted}

// Kinds of petition.
const (
	KindFeedback = "feedback" // phản ánh: something seen (a broken light, rubbish)
	KindProposal = "proposal" // kiến nghị: something asked of the unit
)

// Channels a petition came through.
const (
	ChannelWeb     = "web"
	ChannelAPI     = "api"
	ChannelOpen311 = "open311"
)

// Deadlines in working days from receipt (DOMAIN §11) (verify): kept as
// configuration, not constants spread through the code.
type Deadlines struct {
	Refuse, Info, Answer float64
	// NearDue is how much working time left makes an open petition "due
	// soon" on the officers' queue.
	NearDue float64
}

// DefaultDeadlines: refuse within 2 working days, ask for more information
// within 5, answer within 15; due soon at 2 days or less.
var DefaultDeadlines = Deadlines{Refuse: 2, Info: 5, Answer: 15, NearDue: 2}

// Field is a subject area (lĩnh vực) a petition is filed under.
type Field struct {
	Code, Name, NameEn string
}

// Fields is the configured list (verify: a unit may want its own).
var Fields = []Field{
	{"urban", "Trật tự đô thị, xây dựng", "Urban order and building"},
	{"environment", "Môi trường, vệ sinh", "Environment and sanitation"},
	{"traffic", "Giao thông, đường sá, chiếu sáng", "Roads, traffic and street lights"},
	{"land", "Đất đai", "Land"},
	{"security", "An ninh, trật tự", "Public order"},
	{"procedure", "Thủ tục hành chính, hồ sơ", "Administrative procedures and dossiers"},
	{"social", "Văn hóa, y tế, giáo dục, xã hội", "Culture, health, education, welfare"},
	{"other", "Khác", "Other"},
}

// FieldByCode finds a field.
func FieldByCode(code string) (Field, bool) {
	for _, f := range Fields {
		if f.Code == code {
			return f, true
		}
	}
	return Field{}, false
}

// Sender is who sent a petition. Phone or e-mail is required for the
// answer; neither is shown on public pages nor to other units.
type Sender struct {
	Name   string `json:"name,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Email  string `json:"email,omitempty"`
	UserID int64  `json:"-"` // the account that sent it, 0 without one
}

// Masked returns the sender with phone and e-mail hidden (vntext.MaskContact).
func (s Sender) Masked() Sender {
	out := s
	if s.Phone != "" {
		out.Phone = vntext.MaskContact(s.Phone)
	}
	if s.Email != "" {
		out.Email = vntext.MaskContact(s.Email)
	}
	return out
}

// File is a photo or document sent with a petition; its content is in the
// blob store under SHA256.
type File struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Limits of the files sent with one petition.
const (
	MaxFiles      = 5
	MaxFileBytes  = 10 << 20
	MaxFilesBytes = 20 << 20
)

// Petition is one citizen's feedback or petition to a unit.
type Petition struct {
	ID          int64    `json:"-"`
	Code        string   `json:"code"`
	UnitCode    string   `json:"unit"`
	Kind        string   `json:"kind"`
	Field       string   `json:"field"`
	Department  string   `json:"department,omitempty"`
	Subject     string   `json:"subject"`
	Text        string   `json:"text"`
	Address     string   `json:"address,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Long        *float64 `json:"long,omitempty"`
	DossierCode string   `json:"dossier_code,omitempty"`
	MediaURL    string   `json:"media_url,omitempty"` // Open311: a picture kept elsewhere, shown as a link
	Channel     string   `json:"channel"`
	Sender      Sender   `json:"sender"`
	Status      Status   `json:"status"`
	Assignee    string   `json:"assignee,omitempty"`

	ReceivedAt  time.Time `json:"received_at"`
	RefuseDueAt time.Time `json:"refuse_due_at"`
	InfoDueAt   time.Time `json:"info_due_at"`
	DueAt       time.Time `json:"due_at"` // the answer's, moved on after a pause
	PausedAt    time.Time `json:"paused_at,omitzero"`
	SettledAt   time.Time `json:"settled_at,omitzero"` // answered, refused or merged
	Outcome     string    `json:"outcome,omitempty"`   // early, on_time, late: of the settlement
	EscalatedAt time.Time `json:"escalated_at,omitzero"`

	InfoRequest string    `json:"info_request,omitempty"`
	InfoReply   string    `json:"info_reply,omitempty"`
	Reason      string    `json:"reason,omitempty"` // of a refusal
	MergedInto  string    `json:"merged_into,omitempty"`
	Draft       string    `json:"draft,omitempty"`
	DraftBy     string    `json:"draft_by,omitempty"`
	Answer      string    `json:"answer,omitempty"`
	AnsweredBy  string    `json:"answered_by,omitempty"`
	AnsweredAt  time.Time `json:"answered_at,omitzero"`

	Published   bool      `json:"published"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	PublicText  string    `json:"public_text,omitempty"` // the question as published, when the officer reworded it
	Useful      int       `json:"useful"`
	NotUseful   int       `json:"not_useful"`

	Satisfaction string    `json:"satisfaction,omitempty"` // satisfied, not_satisfied
	RatedAt      time.Time `json:"rated_at,omitzero"`

	Files   []File  `json:"files,omitempty"`
	Events  []Event `json:"events,omitempty"`
	Version int     `json:"version"`
}

// Satisfaction values.
const (
	Satisfied    = "satisfied"
	NotSatisfied = "not_satisfied"
)

// Late tells whether an open petition is past its answer time at now; one
// waiting for its sender is late if it paused already late.
func (p *Petition) Late(now time.Time) bool {
	switch {
	case !p.Status.Open() || p.DueAt.IsZero():
		return false
	case p.Status == StatusWaiting:
		return p.DueAt.Before(p.PausedAt)
	}
	return p.DueAt.Before(now)
}

// FormatCode is a petition's code: PA-{yyMMdd}-{unit}-{NNNN}, a daily
// counter per unit like a dossier's. The date comes first so that a
// petition's code never contains a dossier's code ({agency}-{yyMMdd}-{NNNN},
// where the agency is often the unit's code).
func FormatCode(unitCode string, day time.Time, n int) string {
	return fmt.Sprintf("PA-%s-%s-%04d", day.Format("060102"), unitCode, n)
}

// ValidCode tells whether s looks like a petition code, so that garbage
// never reaches the database.
func ValidCode(s string) bool {
	parts := strings.Split(s, "-")
	if len(s) > 64 || len(parts) != 4 || parts[0] != "PA" || len(parts[1]) != 6 || parts[2] == "" || len(parts[3]) < 4 {
		return false
	}
	for _, p := range []string{parts[1], parts[3]} {
		if strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return strings.Trim(parts[2], "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// MentionedIn tells whether text gives the sender away: the phone (in any
// grouping, with or without the country code), the e-mail, or the full
// name of two words or more (accents and case aside, as whole words; a
// one-word name is too common a word to refuse a text for).
func (s Sender) MentionedIn(text string) bool {
	if s.Email != "" && strings.Contains(strings.ToLower(text), strings.ToLower(s.Email)) {
		return true
	}
	if s.Phone != "" && strings.Contains(digitRuns(text), strings.TrimPrefix(s.Phone, "0")) {
		return true
	}
	name := foldedWords(s.Name)
	return len(name) >= 2 && strings.Contains(" "+strings.Join(foldedWords(text), " ")+" ", " "+strings.Join(name, " ")+" ")
}

// digitRuns keeps the digits of text, joining those separated only by the
// usual phone grouping (spaces, dots, dashes, brackets, +) and cutting the
// others apart with '|'.
func digitRuns(text string) string {
	var b strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-()+", r):
		default:
			b.WriteByte('|')
		}
	}
	return b.String()
}

// foldedWords is text's words folded (vntext.Fold), punctuation dropped.
func foldedWords(text string) []string {
	return strings.FieldsFunc(vntext.Fold(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
