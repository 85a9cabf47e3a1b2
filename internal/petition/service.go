package petition

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Store keeps petitions. Every method is one transaction.
type Store interface {
	// Create assigns the code (a daily counter per unit) and writes the
	// petition, its files, its first event and its counts.
	Create(ctx context.Context, p *Petition, ch Change) error
	// Update loads the petition, lets fn change it and writes it with the
	// event and the counts, unless fn fails; a concurrent change makes it
	// fail with ECONFLICT.
	Update(ctx context.Context, code string, fn func(p *Petition) (Change, error)) (*Petition, error)
	// Get returns the petition with its files and history.
	Get(ctx context.Context, code string) (*Petition, error)
	// List returns a page of the petitions of f and their count.
	List(ctx context.Context, f Filter) ([]Petition, int, error)
	// Public returns a page of the published answers matching q (folded
	// words, each the start of a word) and their count.
	Public(ctx context.Context, q string, limit, offset int) ([]Petition, int, error)
	// Vote counts one reader's "useful" or "not useful" on a published
	// answer, once per voter key.
	Vote(ctx context.Context, code, voter string, useful bool) (*Petition, error)
	// DossierIn tells whether the dossier passed through the unit.
	DossierIn(ctx context.Context, dossierCode, unitCode string) (bool, error)
	// Settings returns the unit's petition setting.
	Settings(ctx context.Context, unitCode string) (Settings, error)
	// LateToEscalate lists up to limit codes of open petitions late at now
	// and not yet escalated, the most overdue first.
	LateToEscalate(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// Summary is a unit's petition numbers over some days, from the roll-ups:
// the leaders' dashboard and the monthly report.
type Summary struct {
	Received          int64 `json:"received"`
	Settled           int64 `json:"settled"` // answered, refused or merged
	OnTime            int64 `json:"on_time"`
	Late              int64 `json:"late"`
	Dissatisfied      int64 `json:"dissatisfied"`
	DossierComplaints int64 `json:"dossier_complaints"`
	LateNow           int64 `json:"late_now"` // open and late at the time of reading
}

// Settings is a unit's choice about petitions.
type Settings struct {
	// DirectAnswer lets the unit's officers answer without a leader's
	// approval; by default a leader approves every answer.
	DirectAnswer bool `json:"direct_answer"`
}

// Filter selects petitions for the officers' queue.
type Filter struct {
	UnitCode string
	Status   Status // 0: any
	Open     bool   // statuses 1–4 only
	Field    string
	Assignee string
	// LateAt lists the open petitions late at that instant.
	LateAt time.Time
	// DueFrom and DueTo list the open petitions whose answer is due in
	// that range, the clock running (not waiting for the sender).
	DueFrom, DueTo time.Time
	Limit, Offset  int
}

// Queue values of ListRequest.
const (
	QueueLate    = "late"
	QueueNearDue = "near_due"
)

// ListRequest is what an officer asks of the queue.
type ListRequest struct {
	Status   Status
	Open     bool
	Queue    string // late, near_due
	Field    string
	Assignee string
	Limit    int
	Offset   int
}

// Units finds units.
type Units interface {
	Unit(ctx context.Context, code string) (*unit.Unit, error)
}

// Officers finds an officer named as an assignee.
type Officers interface {
	Officer(ctx context.Context, username string) (*auth.User, error)
}

// Service applies the rules.
type Service struct {
	Store     Store
	Calendars dossier.Calendars
	Units     Units
	Officers  Officers
	Now       func() time.Time
	Deadlines Deadlines // zero: DefaultDeadlines
}

func (s *Service) deadlines() Deadlines {
	if s.Deadlines.Answer == 0 {
		return DefaultDeadlines
	}
	return s.Deadlines
}

// SubmitRequest is a petition as sent.
type SubmitRequest struct {
	Unit        string   `json:"unit"`
	Kind        string   `json:"kind,omitempty"` // feedback (default), proposal
	Field       string   `json:"field"`
	Subject     string   `json:"subject"`
	Text        string   `json:"text"`
	Address     string   `json:"address,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Long        *float64 `json:"long,omitempty"`
	DossierCode string   `json:"dossier_code,omitempty"`
	Name        string   `json:"name,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Email       string   `json:"email,omitempty"`
	MediaURL    string   `json:"media_url,omitempty"`
	Channel     string   `json:"-"`
}

var (
	errField   = apperr.Invalid("field", "Chọn lĩnh vực trong danh sách", "choose a field from the list")
	errKind    = apperr.Invalid("kind", "Loại phải là phản ánh (feedback) hoặc kiến nghị (proposal)", "kind must be feedback or proposal")
	errContact = apperr.Invalid("phone", "Cần số điện thoại hoặc thư điện tử để nhận trả lời", "a phone number or an e-mail address is needed for the answer")
)

// Vietnam's mainland and islands lie within these bounds: a point outside
// is a mistake of the form, not a report to a Vietnamese unit.
const (
	minLat, maxLat   = 6.0, 24.0
	minLong, maxLong = 102.0, 118.0
)

// Validate checks and cleans a request, except what needs the database
// (the unit, the dossier).
func (r *SubmitRequest) Validate() error {
	var err error
	if r.Unit, err = cleanLine("unit", r.Unit, 64); err != nil {
		return err
	}
	if r.Unit == "" {
		return apperr.Invalid("unit", "Chọn đơn vị nhận phản ánh", "choose the unit")
	}
	if r.Kind == "" {
		r.Kind = KindFeedback
	}
	if r.Kind != KindFeedback && r.Kind != KindProposal {
		return errKind
	}
	if _, ok := FieldByCode(r.Field); !ok {
		return errField
	}
	if r.Subject, err = cleanLine("subject", r.Subject, MaxSubject); err != nil {
		return err
	}
	if r.Subject == "" {
		return apperr.Invalid("subject", "Vui lòng nhập tiêu đề", "the subject is required")
	}
	if r.Text, err = cleanText("text", r.Text, MaxText); err != nil {
		return err
	}
	if r.Text == "" {
		return apperr.Invalid("text", "Vui lòng nhập nội dung phản ánh", "the text is required")
	}
	if r.Address, err = cleanLine("address", r.Address, MaxAddress); err != nil {
		return err
	}
	if err := validPoint(r.Lat, r.Long); err != nil {
		return err
	}
	if r.Name, err = cleanLine("name", r.Name, MaxName); err != nil {
		return err
	}
	if err := r.validContact(); err != nil {
		return err
	}
	if r.DossierCode = strings.TrimSpace(r.DossierCode); r.DossierCode != "" && !dossier.ValidCode(r.DossierCode) {
		return apperr.Invalid("dossier_code", "Mã hồ sơ không đúng dạng (ví dụ 000.00.22.H56-250715-0001)", "the dossier code is not valid (e.g. 000.00.22.H56-250715-0001)")
	}
	return r.validMedia()
}

func validPoint(lat, long *float64) error {
	if (lat == nil) != (long == nil) {
		return apperr.Invalid("lat", "Cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai", "give both latitude and longitude, or neither")
	}
	if lat == nil {
		return nil
	}
	if math.IsNaN(*lat) || *lat < minLat || *lat > maxLat {
		return apperr.Invalid("lat", "Vĩ độ phải trong lãnh thổ Việt Nam (từ 6 đến 24)", "the latitude must lie in Vietnam (6 to 24)")
	}
	if math.IsNaN(*long) || *long < minLong || *long > maxLong {
		return apperr.Invalid("long", "Kinh độ phải trong lãnh thổ Việt Nam (từ 102 đến 118)", "the longitude must lie in Vietnam (102 to 118)")
	}
	return nil
}

func (r *SubmitRequest) validContact() error {
	if strings.TrimSpace(r.Phone) == "" {
		r.Phone = ""
	} else {
		p, err := vntext.NormalizePhone(r.Phone)
		if err != nil {
			return err
		}
		r.Phone = p
	}
	if r.Email = strings.ToLower(strings.TrimSpace(r.Email)); r.Email != "" && !unit.ValidEmail(r.Email) {
		return apperr.Invalid("email", "Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@gmail.com)", "invalid e-mail address (e.g. name@gmail.com)")
	}
	if r.Phone == "" && r.Email == "" {
		return errContact
	}
	return nil
}

// validMedia keeps an Open311 media_url only as an https or http address:
// it is shown to officers as a link and never fetched by the server.
func (r *SubmitRequest) validMedia() error {
	if r.MediaURL = strings.TrimSpace(r.MediaURL); r.MediaURL == "" {
		return nil
	}
	if len(r.MediaURL) > 1000 || strings.ContainsAny(r.MediaURL, " \t\r\n\"<>") ||
		!(strings.HasPrefix(r.MediaURL, "https://") || strings.HasPrefix(r.MediaURL, "http://")) {
		return apperr.Invalid("media_url", "Địa chỉ ảnh phải là một địa chỉ http(s) hợp lệ", "media_url must be a valid http(s) address")
	}
	return nil
}

// ValidateFiles checks the files' count and sizes (their type is checked
// when they are stored).
func ValidateFiles(files []File) error {
	if len(files) > MaxFiles {
		return apperr.Invalid("file", "Gửi tối đa 5 tệp", "at most 5 files")
	}
	var total int64
	for _, f := range files {
		if f.Size > MaxFileBytes {
			return apperr.New(apperr.ETOOLARGE, "Tệp “"+f.Name+"” lớn hơn 10 MB", "the file “"+f.Name+"” is larger than 10 MB")
		}
		total += f.Size
	}
	if total > MaxFilesBytes {
		return apperr.New(apperr.ETOOLARGE, "Các tệp gửi kèm lớn hơn 20 MB", "the files add up to more than 20 MB")
	}
	return nil
}

// Submit creates a petition from anyone: signed in or not. The files are
// already in the blob store (the web layer checked their type).
func (s *Service) Submit(ctx context.Context, a auth.Actor, req SubmitRequest, files []File) (*Petition, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := ValidateFiles(files); err != nil {
		return nil, err
	}
	if u, err := s.Units.Unit(ctx, req.Unit); apperr.Code(err) == apperr.ENOTFOUND {
		return nil, apperr.Invalid("unit", "Không có đơn vị "+req.Unit, "no unit "+req.Unit)
	} else if err != nil {
		return nil, err
	} else if u.Kind == unit.KindGroup {
		// A residential group's leader passes petitions on to the commune,
		// which answers them: the group has no officers to handle one.
		return nil, apperr.Invalid("unit", "Tổ dân phố, thôn không tiếp nhận phản ánh: gửi đến xã, phường", "a residential group takes no petitions: send it to the commune or ward")
	}
	if req.DossierCode != "" {
		ok, err := s.Store.DossierIn(ctx, req.DossierCode, req.Unit)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.Invalid("dossier_code", "Không tìm thấy hồ sơ "+req.DossierCode+" tại đơn vị này", "no dossier "+req.DossierCode+" at this unit")
		}
	}
	cal, err := s.Calendars.For(ctx, req.Unit)
	if err != nil {
		return nil, err
	}
	now, dl := s.Now().UTC().Truncate(time.Microsecond), s.deadlines()
	p := &Petition{UnitCode: req.Unit, Kind: req.Kind, Field: req.Field, Subject: req.Subject, Text: req.Text, Address: req.Address,
		Lat: req.Lat, Long: req.Long, DossierCode: req.DossierCode, MediaURL: req.MediaURL, Channel: req.Channel,
		Sender: Sender{Name: req.Name, Phone: req.Phone, Email: req.Email}, Status: StatusReceived, ReceivedAt: now,
		RefuseDueAt: cal.Due(now, dl.Refuse).UTC(), InfoDueAt: cal.Due(now, dl.Info).UTC(), DueAt: cal.Due(now, dl.Answer).UTC(),
		Files: files, Version: 1}
	if p.Channel == "" {
		p.Channel = ChannelAPI
	}
	if a.Role == auth.RoleApplicant {
		p.Sender.UserID = a.UserID
	}
	actor := a
	if a.Username == "" {
		actor = auth.Actor{Username: "sender", FullName: "Người gửi", Role: "sender"}
	}
	counts := Counts{Received: 1}
	if p.DossierCode != "" {
		counts.DossierComplaints = 1
	}
	ev := Event{Action: ActSubmit, Actor: actor.Username, ActorName: actor.FullName, ActorRole: actor.Role, ActorUnit: actor.UnitCode,
		At: now, ToStatus: dossier.Status(StatusReceived), Note: p.Subject, DueAt: p.DueAt}
	if err := s.Store.Create(ctx, p, Change{Event: ev, Counts: counts}); err != nil {
		return nil, err
	}
	return p, nil
}

var errNotFound = apperr.NotFound("Không tìm thấy phản ánh, kiến nghị", "petition not found")

// CanView tells whether a signed-in caller sees the whole petition: an
// officer of its unit, or the account that sent it.
func CanView(a auth.Actor, p *Petition) bool {
	return (a.IsOfficer() && a.UnitCode == p.UnitCode) || (a.Role == auth.RoleApplicant && a.UserID != 0 && a.UserID == p.Sender.UserID)
}

// Get returns a petition to a caller who may see it; to anyone else it is
// "not found", so codes cannot be probed.
func (s *Service) Get(ctx context.Context, a auth.Actor, code string) (*Petition, error) {
	if !ValidCode(code) {
		return nil, errNotFound
	}
	p, err := s.Store.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	if !CanView(a, p) {
		return nil, errNotFound
	}
	return p, s.followMerge(ctx, p)
}

// followMerge gives a merged petition the answer of the one it was merged
// into: its sender reads that answer.
func (s *Service) followMerge(ctx context.Context, p *Petition) error {
	if p.Status != StatusMerged || p.MergedInto == "" {
		return nil
	}
	m, err := s.Store.Get(ctx, p.MergedInto)
	if err != nil {
		return err
	}
	if m.Status == StatusAnswered || m.Status == StatusClosed {
		p.Answer, p.AnsweredAt = m.Answer, m.AnsweredAt
	}
	return nil
}

// MatchesContact tells whether contact (a phone in any usual writing, or
// an e-mail) is the sender's.
func MatchesContact(p *Petition, contact string) bool {
	contact = strings.TrimSpace(contact)
	if contact == "" {
		return false
	}
	if strings.Contains(contact, "@") {
		return p.Sender.Email != "" && strings.EqualFold(contact, p.Sender.Email)
	}
	phone, err := vntext.NormalizePhone(contact)
	return err == nil && p.Sender.Phone != "" && phone == p.Sender.Phone
}

// ForSender returns the petition to whoever proves to be its sender with
// the code and the phone or e-mail it was sent with, like the dossier
// look-up; anything else is "not found".
func (s *Service) ForSender(ctx context.Context, code, contact string) (*Petition, error) {
	if !ValidCode(code) {
		return nil, errNotFound
	}
	p, err := s.Store.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	if !MatchesContact(p, contact) {
		return nil, errNotFound
	}
	return p, s.followMerge(ctx, p)
}

// Act applies an officer's action.
func (s *Service) Act(ctx context.Context, a auth.Actor, code string, req ActionRequest) (*Petition, error) {
	if !a.IsOfficer() || !ValidCode(code) {
		return nil, errNotFound
	}
	if !slices.Contains(OfficerActions, req.Action) {
		return nil, errUnknownAc
	}
	if err := s.checkAction(ctx, a, code, &req); err != nil {
		return nil, err
	}
	return s.apply(ctx, code, req, func(p *Petition) (Context, error) {
		if p.UnitCode != a.UnitCode {
			return Context{}, errNotFound
		}
		return s.context(ctx, p.UnitCode, a, false)
	})
}

// checkAction checks what an action names outside the petition: the
// assignee, an officer of the same unit; the petition merged into, one of
// the unit's, neither merged nor refused.
func (s *Service) checkAction(ctx context.Context, a auth.Actor, code string, req *ActionRequest) error {
	switch req.Action {
	case ActAssign:
		u, err := s.Officers.Officer(ctx, req.Assignee)
		if err != nil || u.UnitCode != a.UnitCode || !slices.Contains(handlers, u.Role) {
			return apperr.Invalid("assignee", "Không có cán bộ "+req.Assignee+" xử lý phản ánh tại đơn vị", "no officer "+req.Assignee+" handles petitions at the unit")
		}
	case ActMerge:
		req.Into = strings.TrimSpace(req.Into)
		if !ValidCode(req.Into) || req.Into == code {
			return apperr.Invalid("into", "Nhập mã phản ánh khác để gộp vào", "give another petition's code to merge into")
		}
		m, err := s.Store.Get(ctx, req.Into)
		if err != nil || m.UnitCode != a.UnitCode {
			return apperr.Invalid("into", "Không tìm thấy phản ánh "+req.Into+" của đơn vị", "no petition "+req.Into+" at the unit")
		}
		if m.Status == StatusMerged || m.Status == StatusRefused {
			return apperr.Invalid("into", "Phản ánh "+req.Into+" đã bị gộp hoặc từ chối", "petition "+req.Into+" was merged or refused")
		}
	}
	return nil
}

// SenderAct applies the sender's action (supply_info, rate), proven by the
// code and contact.
func (s *Service) SenderAct(ctx context.Context, code, contact string, req ActionRequest) (*Petition, error) {
	if !ValidCode(code) {
		return nil, errNotFound
	}
	if !slices.Contains(SenderActions, req.Action) {
		return nil, errUnknownAc
	}
	merged, err := s.mergedAnswered(ctx, code, req.Action)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, code, req, func(p *Petition) (Context, error) {
		if !MatchesContact(p, contact) {
			return Context{}, errNotFound
		}
		c, err := s.context(ctx, p.UnitCode, auth.Actor{}, true)
		c.MergedAnswered = merged
		return c, err
	})
}

// mergedAnswered tells, for a rating, whether the petition was merged into
// one that is answered: read before the change's transaction (an answer is
// never taken back, so the fact cannot turn false meanwhile).
func (s *Service) mergedAnswered(ctx context.Context, code, action string) (bool, error) {
	if action != ActRate {
		return false, nil
	}
	p, err := s.Store.Get(ctx, code)
	if apperr.Code(err) == apperr.ENOTFOUND || (err == nil && (p.Status != StatusMerged || p.MergedInto == "")) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	m, err := s.Store.Get(ctx, p.MergedInto)
	if err != nil {
		return false, err
	}
	return m.Status == StatusAnswered || m.Status == StatusClosed, nil
}

// Escalate marks a late petition as told to its unit's leader, in its
// history. It is the system's action: the leader reads the list (Late).
func (s *Service) Escalate(ctx context.Context, code string) (*Petition, error) {
	return s.apply(ctx, code, ActionRequest{Action: ActEscalate}, func(p *Petition) (Context, error) {
		return s.context(ctx, p.UnitCode, auth.System, false)
	})
}

// EscalateLate escalates every open petition late now and not yet told to
// its leaders, in batches; it returns how many it escalated. A petition
// changed meanwhile is left for the next run.
func (s *Service) EscalateLate(ctx context.Context) (int, error) {
	n := 0
	for {
		codes, err := s.Store.LateToEscalate(ctx, s.Now(), 200)
		if err != nil || len(codes) == 0 {
			return n, err
		}
		done := 0
		for _, code := range codes {
			if _, err := s.Escalate(ctx, code); err == nil {
				n, done = n+1, done+1
			} else if apperr.Code(err) != apperr.ECONFLICT {
				return n, err
			}
		}
		if done == 0 {
			return n, nil
		}
	}
}

func (s *Service) context(ctx context.Context, unitCode string, a auth.Actor, sender bool) (Context, error) {
	cal, err := s.Calendars.For(ctx, unitCode)
	if err != nil {
		return Context{}, err
	}
	set, err := s.Store.Settings(ctx, unitCode)
	if err != nil {
		return Context{}, err
	}
	return Context{Actor: a, Sender: sender, Now: s.Now().UTC().Truncate(time.Microsecond), Cal: cal, DirectAnswer: set.DirectAnswer,
		Deadlines: s.deadlines()}, nil
}

func (s *Service) apply(ctx context.Context, code string, req ActionRequest, who func(p *Petition) (Context, error)) (*Petition, error) {
	p, err := s.Store.Update(ctx, code, func(p *Petition) (Change, error) {
		c, err := who(p)
		if err != nil {
			return Change{}, err
		}
		return Apply(p, req, c)
	})
	if apperr.Code(err) == apperr.ENOTFOUND {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	return p, s.followMerge(ctx, p)
}

// List returns an officer's queue: the petitions of the officer's unit.
func (s *Service) List(ctx context.Context, a auth.Actor, req ListRequest) ([]Petition, int, error) {
	if !a.IsOfficer() {
		return nil, 0, apperr.Forbidden("Chỉ cán bộ của đơn vị xem được danh sách phản ánh", "only the unit's officers see its petitions")
	}
	f := Filter{UnitCode: a.UnitCode, Status: req.Status, Open: req.Open, Field: req.Field, Assignee: req.Assignee,
		Limit: req.Limit, Offset: req.Offset}
	f.Limit = PageLimit(req.Limit)
	if f.Offset < 0 {
		return nil, 0, apperr.Invalid("offset", "offset không được âm", "offset must not be negative")
	}
	if req.Status != 0 {
		if _, ok := StatusName[req.Status]; !ok {
			return nil, 0, apperr.Invalid("status", "Trạng thái không hợp lệ (1–8)", "status must be 1 to 8")
		}
	}
	if req.Field != "" {
		if _, ok := FieldByCode(req.Field); !ok {
			return nil, 0, errField
		}
	}
	now := s.Now().UTC()
	switch req.Queue {
	case "":
	case QueueLate:
		f.LateAt = now
	case QueueNearDue:
		cal, err := s.Calendars.For(ctx, a.UnitCode)
		if err != nil {
			return nil, 0, err
		}
		days := s.deadlines().NearDue
		f.DueFrom, f.DueTo = now, cal.Add(now, time.Duration(days*float64(cal.DayLength()))).UTC()
	default:
		return nil, 0, apperr.Invalid("queue", "queue phải là late hoặc near_due", "queue must be late or near_due")
	}
	return s.Store.List(ctx, f)
}

// PageLimit is the page size of the queue: 50 unless 1 to 200 is asked.
func PageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// NearDue tells whether an open petition's answer is due within the
// near-due working time from now, its clock running.
func (s *Service) NearDue(cal dossier.Calendar, p *Petition, now time.Time) bool {
	if !p.Status.Open() || p.Status == StatusWaiting || p.Late(now) {
		return false
	}
	return cal.Between(now, p.DueAt) <= time.Duration(s.deadlines().NearDue*float64(cal.DayLength()))
}

// Late lists the leader's unit's open petitions past their answer time,
// the most overdue first: the escalation list a leader reads.
func (s *Service) Late(ctx context.Context, a auth.Actor, limit, offset int) ([]Petition, int, error) {
	if a.Role != auth.RoleLeader {
		return nil, 0, apperr.Forbidden("Chỉ lãnh đạo đơn vị xem danh sách quá hạn", "only the unit's leaders see the late list")
	}
	return s.List(ctx, a, ListRequest{Queue: QueueLate, Limit: limit, Offset: offset})
}

// Public searches the published answers: anyone may read them, the
// sender hidden.
func (s *Service) Public(ctx context.Context, q string, limit, offset int) ([]Petition, int, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	if offset < 0 {
		return nil, 0, apperr.Invalid("offset", "offset không được âm", "offset must not be negative")
	}
	if r, bad := vntext.Unclean(q, false); bad {
		return nil, 0, errUnclean("q", r)
	}
	if len(q) > 200 {
		return nil, 0, errTooLong("q", 200)
	}
	return s.Store.Public(ctx, vntext.Fold(q), limit, offset)
}

// PublicGet returns one published answer, or "not found".
func (s *Service) PublicGet(ctx context.Context, code string) (*Petition, error) {
	if !ValidCode(code) {
		return nil, errNotFound
	}
	p, err := s.Store.Get(ctx, code)
	if err != nil || !p.Published {
		return nil, errNotFound
	}
	return p, nil
}

// Vote counts a reader's opinion of a published answer; voter is a key of
// the reader (a digest of the address), counted once per answer.
func (s *Service) Vote(ctx context.Context, code, voter string, useful bool) (*Petition, error) {
	if !ValidCode(code) || voter == "" {
		return nil, errNotFound
	}
	return s.Store.Vote(ctx, code, voter, useful)
}

// Allowed lists the officer actions a may take on p now, found by trying
// each on a copy with placeholder input: the pages' buttons and the API's
// allowed_actions offer exactly what Act would accept (but for what
// checkAction looks up: the assignee and the merge target).
func (s *Service) Allowed(ctx context.Context, a auth.Actor, p *Petition) []string {
	return s.Prober(ctx, a)(p)
}

// Prober returns Allowed for many petitions of the actor's unit, with the
// unit's calendar and setting read once (a page of the queue).
func (s *Service) Prober(ctx context.Context, a auth.Actor) func(p *Petition) []string {
	c, err := s.context(ctx, a.UnitCode, a, false)
	return func(p *Petition) []string {
		out := []string{}
		if err != nil || !a.IsOfficer() || a.UnitCode != p.UnitCode {
			return out
		}
		for _, act := range OfficerActions {
			cp := *p
			req := ActionRequest{Action: act, Text: "x", Field: "other", Assignee: a.Username, Into: "PA-probe"}
			if _, err := Apply(&cp, req, c); err == nil {
				out = append(out, act)
			}
		}
		return out
	}
}
