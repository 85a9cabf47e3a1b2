package civil

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

func statusD(s Status) dossier.Status { return dossier.Status(s) }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

// Resolution choices for a differing field.
const (
	KeepRecord = "record" // the record's value stands
	TakeBlind  = "blind"  // the blind entry's value replaces it
)

// Blank is what a verifier types for a key field the book leaves empty:
// every key field is typed again, so an empty value is never taken as an
// entry.
const Blank = "-"

// Verify is the second officer's blind entry of a record's key fields.
// The verifier must not be who entered or edited the record. Every key
// field must be typed (Blank for one the book leaves empty), else nothing
// of the record is shown. When the entries differ and choices do not
// settle every difference, nothing is verified and the differences are
// returned, logged as a read. Choices name only fields that differ in this
// blind entry. Otherwise each field taken from the blind entry is changed
// (an event each) and the record is verified.
func (s *Service) Verify(ctx context.Context, a auth.Actor, id int64, blind map[string]string, choices map[string]string) (*Record, []Difference, error) {
	var diffs []Difference
	var resolved []FieldChange
	unit := ""
	rec, err := s.update(ctx, a, id, func(r *Record, now time.Time, step func(Event)) (Event, error) {
		if r.Status != StatusEntered {
			return Event{}, apperr.Invalid("status", "Chỉ đối chiếu bản ghi đã nhập, chưa đối chiếu", "only an entered record that is not yet verified can be verified")
		}
		if Typist(r, a.Username) {
			return Event{}, apperr.New(apperr.EFORBIDDEN, "Người đối chiếu phải khác người đã nhập hoặc sửa bản ghi", "the verifier must not be an officer who entered or edited the record")
		}
		typed, err := blindEntry(r, blind)
		if err != nil {
			return Event{}, err
		}
		diffs = Diff(r, typed)
		open, err := settle(diffs, choices)
		if err != nil {
			return Event{}, err
		}
		if len(open) > 0 {
			diffs, unit = open, r.UnitCode
			return Event{}, errDiffers
		}
		resolved = resolved[:0]
		for _, d := range diffs {
			if choices[d.Field] == TakeBlind {
				resolved = append(resolved, FieldChange{Field: d.Field, Old: d.Record, New: d.Blind})
			}
		}
		// Each value taken from the blind entry is its own event.
		for _, c := range resolved {
			if err := r.SetField(c.Field, c.New); err != nil {
				return Event{}, err
			}
			if err := r.Validate(now); err != nil {
				return Event{}, err
			}
			step(event(a, "resolve", now, StatusEntered, StatusEntered, resolvedNote([]FieldChange{c})))
		}
		r.Status, r.VerifiedBy, r.VerifiedAt = StatusVerified, a.Username, now
		return event(a, "verify", now, StatusEntered, StatusVerified, ""), nil
	})
	if err == errDiffers {
		// The differences show the record's values: a read like any other.
		fields := make([]string, len(diffs))
		for i, d := range diffs {
			fields[i] = d.Field
		}
		note := "Khác: " + strings.Join(fields, ", ")
		return nil, diffs, s.Store.LogRead(ctx, &Read{UnitCode: unit, Username: a.Username, RecordID: id, Reason: ReasonVerify, Note: note, At: s.now()})
	}
	if err != nil {
		return nil, nil, err
	}
	return rec, nil, nil
}

// typingActions are the events whose actor typed the record's content.
var typingActions = map[string]bool{"enter": true, "edit": true, "correct": true, "import": true}

// Typist tells whether the user entered or edited the record: such an
// officer may not verify it.
func Typist(r *Record, username string) bool {
	if r.EnteredBy == username {
		return true
	}
	for _, e := range r.Events {
		if e.Actor == username && typingActions[e.Action] {
			return true
		}
	}
	return false
}

// blindEntry checks that every key field of the record was typed again
// and returns the entry with Blank read as empty. The missing keys are
// named; no value of the record is.
func blindEntry(r *Record, blind map[string]string) (map[string]string, error) {
	typed := make(map[string]string, len(blind))
	var missing []string
	for _, k := range KeyFields(r) {
		v := blind[k]
		if err := cleanText(k, &v, maxPlace); err != nil {
			return nil, err
		}
		switch v {
		case "":
			missing = append(missing, k)
		case Blank, "—", "–":
			v = ""
		}
		typed[k] = v
	}
	if len(missing) > 0 {
		return nil, apperr.Invalid("fields", "Chưa nhập lại các trường: "+strings.Join(missing, ", ")+" (ghi \"-\" nếu sổ để trống)",
			"the blind entry misses: "+strings.Join(missing, ", ")+` (type "-" where the book is blank)`)
	}
	return typed, nil
}

// settle checks the choices against this entry's differences: each names
// a differing field with a known choice. It returns the differences no
// choice settles.
func settle(diffs []Difference, choices map[string]string) ([]Difference, error) {
	differ := make(map[string]bool, len(diffs))
	for _, d := range diffs {
		differ[d.Field] = true
	}
	keys := make([]string, 0, len(choices))
	for k := range choices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c := choices[k]; !differ[k] || (c != KeepRecord && c != TakeBlind) {
			return nil, apperr.Invalid("choices."+k, "Chỉ chọn cho trường khác nhau trong lần nhập lại này (record hoặc blind): "+k,
				"a choice is only for a field that differs in this blind entry (record or blind): "+k)
		}
	}
	var open []Difference
	for _, d := range diffs {
		if choices[d.Field] == "" {
			open = append(open, d)
		}
	}
	return open, nil
}

// errDiffers rolls back a verification whose entries differ.
var errDiffers = apperr.Invalid("fields", "Dữ liệu nhập lại khác bản ghi", "the blind entry differs from the record")

// resolvedNote tells which fields the verifier took from the blind entry.
func resolvedNote(ch []FieldChange) string {
	if len(ch) == 0 {
		return ""
	}
	parts := make([]string, len(ch))
	for i, c := range ch {
		parts[i] = c.Field + ": " + c.Old + " → " + c.New
	}
	return "Lấy theo dữ liệu nhập lại: " + strings.Join(parts, "; ")
}

// CorrectionRequest registers a change or correction (thay đổi, cải chính)
// of a record: the new values by field key, and the registration's own
// book entry.
type CorrectionRequest struct {
	BookID       int64             `json:"book_id"` // a change book of the unit
	Page         string            `json:"page"`
	Entry        string            `json:"entry"`
	RegisteredOn string            `json:"registered_on"`
	Basis        string            `json:"basis"` // why: the papers it rests on
	Declarant    Declarant         `json:"declarant"`
	Changes      map[string]string `json:"changes"`
}

// Correct registers a change of a verified or entered record as a new
// record of kind change that amends it; the original is never
// overwritten, its current values are read through its corrections.
func (s *Service) Correct(ctx context.Context, a auth.Actor, id int64, req CorrectionRequest) (*Record, error) {
	if !Registrar(a, a.UnitCode) {
		return nil, errNoWrite
	}
	orig, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Reader(a, orig.UnitCode) || orig.Kind == KindChange {
		return nil, errNotFound
	}
	if orig.Status == StatusMerged || orig.Status == StatusDraft {
		return nil, apperr.Invalid("status", "Không cải chính bản ghi nháp hoặc đã gộp", "a draft or merged record is not corrected")
	}
	book, err := s.Book(ctx, a, req.BookID)
	if err != nil {
		return nil, err
	}
	if book.Kind != KindChange {
		return nil, apperr.Invalid("book_id", "Cần sổ thay đổi, cải chính hộ tịch", "a change and correction book is required")
	}
	changes, err := correctionChanges(orig, req.Changes)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &Record{UnitCode: a.UnitCode, BookID: book.ID, Kind: KindChange, Page: req.Page, Entry: req.Entry, RegisteredOn: req.RegisteredOn,
		Officer: a.FullName, Declarant: req.Declarant, Status: StatusEntered, Source: SourceDirect, EnteredBy: a.Username, EnteredAt: now,
		Amends: orig.ID, Changes: changes, CreatedAt: now, Version: 1}
	if req.Basis != "" {
		r.Fields = map[string]string{"basis": req.Basis}
	}
	// The new values are checked as the original would hold them, on a
	// copy: the original's people are never written over.
	trial := orig.Current()
	for _, c := range changes {
		_ = trial.SetField(c.Field, c.New)
	}
	if err := trial.Validate(now); err != nil {
		return nil, err
	}
	// The registration names its subject as corrected, so that a search
	// by the new name finds it (and through it the original).
	if p := trial.Principal(); p != nil {
		r.People = []Person{*p}
		r.People[0].Role = RoleSubject
	}
	if err := r.Validate(now); err != nil {
		return nil, err
	}
	if err := s.Store.Create(ctx, r, event(a, "correct", now, 0, StatusEntered, "Cải chính bản ghi "+ChainName(orig.ID))); err != nil {
		return nil, err
	}
	return r, nil
}

// correctionChanges turns the requested new values into changes from the
// record's current values, in key order.
func correctionChanges(orig *Record, in map[string]string) ([]FieldChange, error) {
	cur := orig.Current()
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []FieldChange
	for _, k := range keys {
		if !ValidKey(orig.Kind, k) {
			return nil, apperr.Invalid("changes."+k, "Trường không hợp lệ: "+k, "unknown field: "+k)
		}
		v := in[k]
		if err := cleanText("changes."+k, &v, maxPlace); err != nil {
			return nil, err
		}
		if old := cur.Field(k); old != v {
			out = append(out, FieldChange{Field: k, Old: old, New: v})
		}
	}
	if len(out) == 0 {
		return nil, apperr.Invalid("changes", "Không có nội dung thay đổi", "nothing is changed")
	}
	return out, nil
}

// Merge closes a flagged pair by merging: the record merged is marked
// merged into the other, both histories told; no record is deleted.
func (s *Service) Merge(ctx context.Context, a auth.Actor, dupID, keep int64) (*Duplicate, error) {
	d, err := s.openDup(ctx, a, dupID)
	if err != nil {
		return nil, err
	}
	merged := d.A
	switch keep {
	case d.A:
		merged = d.B
	case d.B:
	default:
		return nil, apperr.Invalid("keep", "Bản ghi giữ lại phải là một trong hai bản ghi", "the record kept must be one of the pair")
	}
	now := s.now()
	return s.Store.Decide(ctx, dupID, DupMerged, merged, event(a, "merge", now, 0, StatusMerged, "Gộp vào "+ChainName(keep)))
}

// Dismiss closes a flagged pair as not a duplicate.
func (s *Service) Dismiss(ctx context.Context, a auth.Actor, dupID int64) (*Duplicate, error) {
	if _, err := s.openDup(ctx, a, dupID); err != nil {
		return nil, err
	}
	return s.Store.Decide(ctx, dupID, DupDismissed, 0, event(a, "dismiss", s.now(), 0, 0, ""))
}

func (s *Service) openDup(ctx context.Context, a auth.Actor, id int64) (*Duplicate, error) {
	d, err := s.Store.Duplicate(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Reader(a, d.UnitCode) {
		return nil, apperr.NotFound("Không tìm thấy cặp trùng lặp", "duplicate pair not found")
	}
	if !Registrar(a, d.UnitCode) {
		return nil, errNoWrite
	}
	if d.Status != DupOpen {
		return nil, apperr.Conflict("Cặp này đã được xử lý", "this pair was already decided")
	}
	return d, nil
}

// Duplicates lists the unit's flagged pairs.
func (s *Service) Duplicates(ctx context.Context, a auth.Actor, status string, limit, offset int) ([]Duplicate, int, error) {
	if !Reader(a, a.UnitCode) {
		return nil, 0, errNoWrite
	}
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	dups, n, err := s.Store.Duplicates(ctx, a.UnitCode, status, limit, max(offset, 0))
	if err != nil || len(dups) == 0 {
		return dups, n, err
	}
	// The list shows names: a read of the records it names.
	var ids []int64
	for _, d := range dups {
		ids = append(ids, d.A, d.B)
	}
	err = s.Store.LogRead(ctx, &Read{UnitCode: a.UnitCode, Username: a.Username, Reason: ReasonDuplicates, Note: "status=" + status + idsNote(ids), At: s.now()})
	return dups, n, err
}

// Issue records an extract or copy issued from a record of the actor's unit.
func (s *Service) Issue(ctx context.Context, a auth.Actor, iss *Issuance) error {
	if !Registrar(a, a.UnitCode) {
		return errNoWrite
	}
	r, err := s.Store.Get(ctx, iss.RecordID)
	if err != nil || r.UnitCode != a.UnitCode {
		return errNotFound
	}
	if iss.Copies <= 0 || iss.Copies > 50 {
		return apperr.Invalid("copies", "Số bản từ 1 đến 50", "copies from 1 to 50")
	}
	iss.UnitCode, iss.IssuedBy, iss.IssuedAt = a.UnitCode, a.Username, s.now()
	return s.Store.Issue(ctx, iss)
}
