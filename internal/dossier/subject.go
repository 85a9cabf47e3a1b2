package dossier

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/vntext"
)

// Subject kinds.
const (
	SubjectPerson   = "person"
	SubjectBusiness = "business"
)

// Subject is the person or business a dossier is about (đối tượng, người
// được cấp kết quả) when it is not the applicant who submits it: the child
// of a birth registration, the household head, a business. A dossier
// without one is about its applicant.
type Subject struct {
	Kind      string `json:"kind"`                // person or business
	Name      string `json:"name"`                // full name, or the business's registered name
	IDNumber  string `json:"id_number,omitempty"` // personal ID (12 digits) or old card (9); a business's enterprise/tax code
	BirthDate string `json:"birth_date,omitempty"`
	Address   string `json:"address,omitempty"`
	Relation  string `json:"relation"` // to the applicant: "con", "chủ hộ", "người đại diện theo pháp luật", ...
}

// Empty tells whether nothing was given.
func (s *Subject) Empty() bool {
	return s == nil || *s == (Subject{Kind: s.Kind})
}

// ValidTaxCode tells whether s is an enterprise/tax code: 10 digits, or 10
// digits, a dash and 3 digits for a branch ("0123456789-001").
func ValidTaxCode(s string) bool {
	digits := func(x string) bool {
		for _, c := range x {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	switch len(s) {
	case 10:
		return digits(s)
	case 14:
		return s[10] == '-' && digits(s[:10]) && digits(s[11:])
	}
	return false
}

// Validate normalises the subject and checks it; each error names its field
// (subject.kind, subject.name, ...). A person's ID number may be missing (a
// newborn has none before the registration); a business's code may not.
func (s *Subject) Validate(now time.Time) error {
	s.Kind = strings.TrimSpace(s.Kind)
	s.Name = vntext.Clean(s.Name)
	s.IDNumber = strings.TrimSpace(s.IDNumber)
	s.BirthDate = strings.TrimSpace(s.BirthDate)
	s.Address = vntext.Clean(s.Address)
	s.Relation = vntext.Clean(s.Relation)
	if s.Kind == "" {
		s.Kind = SubjectPerson
	}
	if s.Kind != SubjectPerson && s.Kind != SubjectBusiness {
		return apperr.Invalid("subject.kind", "Loại đối tượng phải là person (cá nhân) hoặc business (tổ chức, doanh nghiệp)",
			"subject kind must be person or business")
	}
	if s.Name == "" || len(s.Name) > 200 {
		return apperr.Invalid("subject.name", "Tên người được cấp kết quả không được để trống (tối đa 200 ký tự)",
			"the subject's name is required (200 characters at most)")
	}
	switch s.Kind {
	case SubjectPerson:
		if s.IDNumber != "" {
			id, err := vntext.NormalizeIDNumber(s.IDNumber, now)
			if err != nil {
				e := apperr.As(err)
				return apperr.Invalid("subject.id_number", "Người được cấp kết quả: "+lowerFirst(e.Message), "subject: "+e.MessageEn)
			}
			s.IDNumber = id
		}
	case SubjectBusiness:
		if !ValidTaxCode(s.IDNumber) {
			return apperr.Invalid("subject.id_number", "Mã số doanh nghiệp (mã số thuế) phải có 10 chữ số, hoặc 13 chữ số dạng 0123456789-001 cho chi nhánh",
				"the enterprise (tax) code must have 10 digits, or 13 digits written 0123456789-001 for a branch")
		}
		if s.BirthDate != "" {
			return apperr.Invalid("subject.birth_date", "Tổ chức, doanh nghiệp không có ngày sinh", "a business has no date of birth")
		}
	}
	if s.BirthDate != "" {
		day, err := time.Parse("2006-01-02", s.BirthDate)
		if err != nil {
			return apperr.Invalid("subject.birth_date", "Ngày sinh phải có dạng năm-tháng-ngày (ví dụ 2025-07-15)", "the date of birth must be written YYYY-MM-DD")
		}
		if day.After(now) {
			return apperr.Invalid("subject.birth_date", "Ngày sinh không thể ở tương lai", "the date of birth cannot be in the future")
		}
		if err := vntext.CheckIDAgainst(s.IDNumber, "", s.BirthDate); err != nil {
			e := apperr.As(err)
			return apperr.Invalid("subject.birth_date", "Người được cấp kết quả: "+lowerFirst(e.Message), "subject: "+e.MessageEn)
		}
	}
	if len(s.Address) > 500 {
		return apperr.Invalid("subject.address", "Địa chỉ quá dài (tối đa 500 ký tự)", "the address is too long (500 characters at most)")
	}
	if s.Relation == "" || len(s.Relation) > 100 {
		return apperr.Invalid("subject.relation", "Cần ghi quan hệ với người nộp hồ sơ (ví dụ: con, chủ hộ, người đại diện theo pháp luật; tối đa 100 ký tự)",
			"state the relation to the applicant (e.g. child, household head, legal representative; 100 characters at most)")
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// reuseNote is written into the submit event when the applicant's details
// were taken from an earlier dossier.
func reuseNote(code, note string) string {
	n := "Dùng lại thông tin từ hồ sơ " + code
	if note != "" {
		n += ". " + note
	}
	return n
}

// checkReuse refuses a submission that claims to re-use the details of a
// dossier its author may not see, or of another person's dossier.
func (s *Service) checkReuse(ctx context.Context, actor auth.Actor, req SubmitRequest) error {
	code := strings.TrimSpace(req.ReusedFrom)
	if code == "" {
		return nil
	}
	// The typed number as stored: "001 090.012345" is the stored 001090012345.
	id, idErr := vntext.NormalizeIDNumber(req.Applicant.IDNumber, s.Now())
	if idErr != nil {
		id = strings.TrimSpace(req.Applicant.IDNumber)
	}
	prev, err := s.Get(ctx, actor, code)
	if err != nil || prev.Applicant.IDNumber != id {
		return apperr.Invalid("reused_from", "Không tìm thấy hồ sơ trước của người nộp này để dùng lại thông tin",
			"no earlier dossier of this applicant to re-use the details of")
	}
	return nil
}

// LastOf returns the most recent dossier of the applicant with this ID
// number that actor may see, for the counter to fill in the details again
// instead of asking for them (Đề án 06). It reads through the listing, so
// it sees exactly what the actor's listings show; none is "not found".
func (s *Service) LastOf(ctx context.Context, actor auth.Actor, idNumber string) (*Dossier, error) {
	if !actor.IsOfficer() {
		return nil, apperr.Forbidden("Chỉ cán bộ được tra cứu thông tin người nộp", "only officers may look people up")
	}
	id, err := vntext.NormalizeIDNumber(idNumber, s.Now())
	if err != nil {
		return nil, err
	}
	ds, _, err := s.List(ctx, actor, Filter{ApplicantID: id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, apperr.NotFound("Chưa có hồ sơ nào của người này", "no dossier of this person")
	}
	return &ds[0], nil
}

// ErrOnBehalfNoSubject refuses a filing on another's behalf that does not
// say for whom.
var ErrOnBehalfNoSubject = apperr.Invalid("subject.name",
	"Nộp hộ người khác phải ghi họ tên người được nộp hộ và quan hệ với người nộp",
	"filing on behalf of another person requires that person's name and relation to the applicant")

// behalfNote is written into the submit event of a dossier filed on the
// subject's behalf: "Nộp hộ cho Nguyễn Văn Bình (con), người nộp: Nguyễn Văn An".
func behalfNote(d *Dossier) string {
	n := "Nộp hộ cho " + d.Subject.Name
	if d.Subject.Relation != "" {
		n += " (" + d.Subject.Relation + ")"
	}
	return n + ", người nộp: " + d.Applicant.Name
}
