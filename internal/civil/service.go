package civil

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/vntext"
)

// Units tells where units lie (for progress over a unit's subtree).
type Units interface {
	UnitWithin(ctx context.Context, code, ancestor string) (bool, error)
}

// Service applies the registry's rules: who may do what, validation,
// double entry and corrections.
type Service struct {
	Store Store
	Units Units
	Now   func() time.Time
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Registrar tells whether the actor keeps the unit's books: a civil
// registrar (công chức tư pháp - hộ tịch) of that unit. Administrators are
// not registrars of anything.
func Registrar(a auth.Actor, unitCode string) bool {
	return a.CivilRegistrar && a.UnitCode == unitCode && a.UnitCode != "" && a.IsOfficer() && a.Role != auth.RoleAdmin
}

// Reader tells whether the actor may read the unit's records: its
// registrars and its leaders. Nobody else — not the province, not
// administrators, not other units.
func Reader(a auth.Actor, unitCode string) bool {
	return Registrar(a, unitCode) || (a.Role == auth.RoleLeader && a.UnitCode == unitCode && unitCode != "")
}

var (
	errNotFound = apperr.NotFound("Không tìm thấy bản ghi hộ tịch", "civil-status record not found")
	errBookNF   = apperr.NotFound("Không tìm thấy sổ hộ tịch", "register book not found")
	errNoWrite  = apperr.New(apperr.EFORBIDDEN, "Chỉ công chức tư pháp - hộ tịch của đơn vị được thực hiện", "only the unit's civil registrars may do this")
)

func event(a auth.Actor, action string, at time.Time, from, to Status, note string) Event {
	return Event{Action: action, Actor: a.Username, ActorName: a.FullName, ActorRole: a.Role, ActorUnit: a.UnitCode, At: at,
		FromStatus: statusD(from), ToStatus: statusD(to), Note: note}
}

// CreateBook opens a register book of the actor's unit.
func (s *Service) CreateBook(ctx context.Context, a auth.Actor, b *Book) error {
	if !Registrar(a, a.UnitCode) {
		return errNoWrite
	}
	b.UnitCode, b.Created = a.UnitCode, s.now()
	if err := b.Validate(b.Created); err != nil {
		return err
	}
	return s.Store.CreateBook(ctx, b)
}

// Books lists the actor's unit's books.
func (s *Service) Books(ctx context.Context, a auth.Actor, kind string, year int) ([]Book, error) {
	if !Reader(a, a.UnitCode) {
		return nil, errNoWrite
	}
	return s.Store.Books(ctx, a.UnitCode, kind, year)
}

// Book returns one of the actor's unit's books.
func (s *Service) Book(ctx context.Context, a auth.Actor, id int64) (*Book, error) {
	b, err := s.Store.Book(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Reader(a, b.UnitCode) {
		return nil, errBookNF
	}
	return b, nil
}

// Enter stores a new record in one of the unit's books: entered (or a
// draft when r.Status is StatusDraft), by a registrar of the unit.
func (s *Service) Enter(ctx context.Context, a auth.Actor, r *Record) error {
	if !Registrar(a, a.UnitCode) {
		return errNoWrite
	}
	b, err := s.Book(ctx, a, r.BookID)
	if err != nil {
		return err
	}
	now := s.now()
	r.ID, r.UnitCode, r.Kind, r.CreatedAt, r.Version, r.Amends, r.MergedInto = 0, a.UnitCode, b.Kind, now, 1, 0, 0
	r.VerifiedBy, r.VerifiedAt, r.DossierCode, r.Changes = "", time.Time{}, "", nil
	if r.Source == "" || r.Source == SourceDossier {
		r.Source = SourceDirect
	}
	if r.Status != StatusDraft {
		r.Status, r.EnteredBy, r.EnteredAt = StatusEntered, a.Username, now
	}
	if err := r.Validate(now); err != nil {
		return err
	}
	return s.Store.Create(ctx, r, event(a, "enter", now, 0, r.Status, ""))
}

// Edit replaces the content of a record not yet verified (a draft from a
// dossier, or an entry the registrar fixes) and marks it entered.
func (s *Service) Edit(ctx context.Context, a auth.Actor, id int64, in Record) (*Record, error) {
	return s.update(ctx, a, id, func(r *Record, now time.Time, _ func(Event)) (Event, error) {
		if r.Status != StatusDraft && r.Status != StatusEntered {
			return Event{}, apperr.Invalid("status", "Bản ghi đã đối chiếu không sửa được; hãy đăng ký thay đổi, cải chính", "a verified record is not edited: register a change or correction")
		}
		from := r.Status
		r.Page, r.Entry, r.RegisteredOn, r.Officer, r.Declarant, r.People, r.Fields = in.Page, in.Entry, in.RegisteredOn, in.Officer, in.Declarant, in.People, in.Fields
		// Who first entered it stays; the editors are told by the
		// history's edit events, and neither may verify it.
		if r.EnteredBy == "" {
			r.EnteredBy, r.EnteredAt = a.Username, now
		}
		r.Status = StatusEntered
		if err := r.Validate(now); err != nil {
			return Event{}, err
		}
		return event(a, "edit", now, from, r.Status, ""), nil
	})
}

// update runs fn on a record of the actor's unit, as a registrar.
func (s *Service) update(ctx context.Context, a auth.Actor, id int64, fn func(r *Record, now time.Time, step func(Event)) (Event, error)) (*Record, error) {
	now := s.now()
	return s.Store.Update(ctx, id, func(r *Record, step func(Event)) (Event, error) {
		if !Reader(a, r.UnitCode) {
			return Event{}, errNotFound
		}
		if !Registrar(a, r.UnitCode) {
			return Event{}, errNoWrite
		}
		if r.Status == StatusMerged {
			return Event{}, apperr.Invalid("status", "Bản ghi đã được gộp vào bản ghi khác", "the record was merged into another")
		}
		return fn(r, now, step)
	})
}

// Get returns a record of the actor's unit, with its current values, and
// logs the read with its reason (ReadReasons) and note.
func (s *Service) Get(ctx context.Context, a auth.Actor, id int64, reason, note string) (*Record, error) {
	r, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Reader(a, r.UnitCode) {
		return nil, errNotFound
	}
	if _, ok := ReadReasons[reason]; !ok {
		return nil, apperr.Invalid("reason", "Cần chọn lý do xem bản ghi", "a reason for reading the record is required")
	}
	if err := cleanText("note", &note, 300); err != nil {
		return nil, err
	}
	if reason == ReasonOther && note == "" {
		return nil, apperr.Invalid("note", "Lý do khác cần ghi rõ", "the other reason needs a note")
	}
	if err := s.Store.LogRead(ctx, &Read{UnitCode: r.UnitCode, Username: a.Username, RecordID: id, Reason: reason, Note: note, At: s.now()}); err != nil {
		return nil, err
	}
	return r, nil
}

// Search finds the actor's unit's records and logs the search with its query.
func (s *Service) Search(ctx context.Context, a auth.Actor, q Query) ([]Hit, int, error) {
	if !Reader(a, a.UnitCode) {
		return nil, 0, errNoWrite
	}
	q.Unit = a.UnitCode
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	q.Offset = max(q.Offset, 0)
	for _, f := range []*string{&q.Q, &q.Parent, &q.Entry, &q.IDNumber} {
		if err := cleanText("q", f, 200); err != nil {
			return nil, 0, err
		}
	}
	// An ID number, in the filter or as the query, is the stored one: typed
	// with spaces, dots or dashes, and valid.
	if q.IDNumber != "" {
		id, err := vntext.NormalizeIDNumber(q.IDNumber, s.now())
		if err != nil {
			e := apperr.As(err)
			return nil, 0, apperr.Invalid("id_number", e.Message, e.MessageEn)
		}
		q.IDNumber = id
	}
	if looksLikeIDNumber(q.Q) {
		id, err := vntext.NormalizeIDNumber(q.Q, s.now())
		if err != nil {
			e := apperr.As(err)
			return nil, 0, apperr.Invalid("q", e.Message, e.MessageEn)
		}
		q.Q = id
	}
	if q.Kind != "" && !ValidKind(q.Kind) {
		return nil, 0, apperr.Invalid("kind", "Loại việc hộ tịch không hợp lệ", "invalid kind of registration")
	}
	for _, d := range []*string{&q.BirthDate, &q.BirthFrom, &q.BirthTo} {
		v, err := ParseDate(*d, farFuture)
		if err != nil {
			return nil, 0, apperr.Invalid("birth_date", "Ngày sinh tìm kiếm không hợp lệ", "invalid birth date in the search")
		}
		*d = v
	}
	if !q.HasCriteria() {
		return nil, 0, errNoCriteria
	}
	hits, n, err := s.Store.Search(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	// The log says what was sought and which records were shown.
	ids := make([]int64, len(hits))
	for i := range hits {
		hits[i].trim()
		ids[i] = hits[i].Record.ID
	}
	return hits, n, s.Store.LogRead(ctx, &Read{UnitCode: a.UnitCode, Username: a.Username, Reason: ReasonSearch, Note: describe(q) + idsNote(ids), At: s.now()})
}

// BookRecords lists a page of a book's records, newest first, for the
// unit's readers going through the register (the book's page): summaries
// as a search answers them, and logged like a search, with the records shown.
func (s *Service) BookRecords(ctx context.Context, a auth.Actor, b *Book, limit, offset int) ([]Hit, int, error) {
	if !Reader(a, b.UnitCode) {
		return nil, 0, errNoWrite
	}
	hits, n, err := s.Store.BookRecords(ctx, b.ID, min(max(limit, 1), 100), max(offset, 0))
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(hits))
	for i := range hits {
		hits[i].trim()
		ids[i] = hits[i].Record.ID
	}
	return hits, n, s.Store.LogRead(ctx, &Read{UnitCode: b.UnitCode, Username: a.Username, Reason: ReasonSearch, Note: "book=" + itoa(b.ID) + idsNote(ids), At: s.now()})
}

// idsNote lists the records a search or a list showed, for the read log.
func idsNote(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = itoa(id)
	}
	return " → [" + strings.Join(parts, ",") + "]"
}

var errNoCriteria = apperr.Invalid("q", "Cần nhập ít nhất một tiêu chí tìm kiếm: họ tên, cha mẹ, ngày hoặc năm sinh, số định danh, hoặc sổ và số đăng ký",
	"a search needs a criterion: a name, a parent, a birth date or year, an ID number, or a book and an entry number")

// describe writes a query for the read log.
func describe(q Query) string {
	var parts []string
	add := func(k, v string) {
		if v != "" && v != "0" {
			parts = append(parts, k+"="+v)
		}
	}
	add("q", q.Q)
	add("parent", q.Parent)
	add("birth_date", q.BirthDate)
	if q.BirthYear != 0 {
		add("birth_year", itoa(int64(q.BirthYear)))
	}
	add("birth_from", q.BirthFrom)
	add("birth_to", q.BirthTo)
	add("id_number", q.IDNumber)
	add("kind", q.Kind)
	if q.BookID != 0 {
		add("book", itoa(q.BookID))
	}
	add("entry", q.Entry)
	return strings.Join(parts, " ")
}

// Progress returns digitisation counts of a unit and everything under
// it. Officers of the unit and of the units above it see them: counts,
// never names.
func (s *Service) Progress(ctx context.Context, a auth.Actor, unitCode string) (Progress, error) {
	if unitCode == "" {
		unitCode = a.UnitCode
	}
	within := false
	if a.IsOfficer() && a.UnitCode != "" {
		var err error
		if within, err = s.Units.UnitWithin(ctx, unitCode, a.UnitCode); err != nil {
			return Progress{}, err
		}
	}
	if !within {
		return Progress{}, apperr.New(apperr.EFORBIDDEN, "Chỉ cán bộ của đơn vị hoặc đơn vị cấp trên được xem", "only officers of the unit or of a unit above it may see this")
	}
	return s.Store.Progress(ctx, unitCode)
}

// Reads lists the unit's read log, for its leaders.
func (s *Service) Reads(ctx context.Context, a auth.Actor, limit, offset int) ([]Read, int, error) {
	if a.Role != auth.RoleLeader || a.UnitCode == "" {
		return nil, 0, apperr.New(apperr.EFORBIDDEN, "Chỉ lãnh đạo đơn vị được xem nhật ký truy cập", "only the unit's leaders may see the read log")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return s.Store.Reads(ctx, a.UnitCode, limit, max(offset, 0))
}

// CheckRegistrar tells whether the actor may change the record: not found
// outside the unit's readers, forbidden to its leaders.
func (s *Service) CheckRegistrar(ctx context.Context, a auth.Actor, id int64) error {
	r, err := s.Store.Get(ctx, id)
	switch {
	case err != nil:
		return err
	case !Reader(a, r.UnitCode):
		return errNotFound
	case !Registrar(a, r.UnitCode):
		return errNoWrite
	}
	return nil
}

// AttachScan records the page image (already in the blob store under sha)
// a record was entered from. A verified record's scan is evidence of what
// was verified: it is not replaced (a change goes through a correction).
// The event tells the old and new checksums, so no image is lost.
func (s *Service) AttachScan(ctx context.Context, a auth.Actor, id int64, sha string) (*Record, error) {
	return s.update(ctx, a, id, func(r *Record, now time.Time, _ func(Event)) (Event, error) {
		if r.Status == StatusVerified {
			return Event{}, apperr.Invalid("status", "Bản ghi đã đối chiếu không thay ảnh trang sổ; hãy đăng ký thay đổi, cải chính",
				"a verified record's scan is not replaced: register a change or correction")
		}
		old := r.ScanSHA256
		if old == "" {
			old = "—"
		}
		r.ScanSHA256 = sha
		return event(a, "scan", now, r.Status, r.Status, "scan: "+old+" → "+sha), nil
	})
}

func itoa(n int64) string { return strconvFormat(n) }

// looksLikeIDNumber tells whether a query is an ID number: 9 or 12 digits
// once the spaces, dots and dashes that group them are left out.
func looksLikeIDNumber(q string) bool {
	n := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r != ' ' && r != '.' && r != '-':
			return false
		}
	}
	return n == vntext.OldIDLen || n == vntext.PersonalIDLen
}
