package dossier

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

func TestValidTaxCode(t *testing.T) {
	for s, want := range map[string]bool{"0123456789": true, "0123456789-001": true, "012345678": false, "01234567890": false,
		"0123456789001": false, "0123456789-01": false, "0123456789_001": false, "012345678a": false, "0123456789-00a": false, "": false} {
		if ValidTaxCode(s) != want {
			t.Errorf("ValidTaxCode(%q) = %v", s, !want)
		}
	}
}

func TestSubjectValidate(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := Subject{Name: "  Nguyễn   Văn Bình ", IDNumber: " 001 225 012 345 ", BirthDate: "2025-07-15", Relation: " con "}
	if err := s.Validate(now); err != nil {
		t.Fatal(err)
	}
	if s.Kind != SubjectPerson || s.Name != "Nguyễn Văn Bình" || s.IDNumber != "001225012345" || s.Relation != "con" {
		t.Fatalf("normalised: %+v", s)
	}
	for _, c := range []struct {
		s     Subject
		field string
	}{
		{Subject{Kind: "business", Name: "Công ty A", IDNumber: "0123456789", BirthDate: "2020-01-01", Relation: "giám đốc"}, "subject.birth_date"},
		{Subject{Kind: "business", Name: "Công ty A", Relation: "giám đốc"}, "subject.id_number"},
		{Subject{Name: "Bé B", IDNumber: "001225012345", BirthDate: "2026-03-03", Relation: "con"}, "subject.birth_date"},
		{Subject{Name: "Bé B", IDNumber: "001225012345", BirthDate: "2024-03-01", Relation: "con"}, "subject.birth_date"},
		{Subject{Name: "Bé B", IDNumber: "001 225 012 345", BirthDate: "2024-03-01", Relation: "con"}, "subject.birth_date"},
		{Subject{Name: "Bé B", IDNumber: "001225012345", Relation: strings.Repeat("c", 101)}, "subject.relation"},
	} {
		err := c.s.Validate(now)
		if e := apperr.As(err); e == nil || e.Field != c.field || e.Code != apperr.EINVALID {
			t.Errorf("%+v: %v, want invalid %s", c.s, err, c.field)
		}
	}
	if !(&Subject{Kind: "business"}).Empty() || (&Subject{Relation: "con"}).Empty() || !(*Subject)(nil).Empty() {
		t.Error("Empty")
	}
}

// TestOnBehalfNeedsSubject: a filing on another's behalf names the person
// concerned, and the note written into the submit event says who filed for
// whom.
func TestOnBehalfNeedsSubject(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	req := SubmitRequest{ProcedureCode: "1.001193", OnBehalf: true, Applicant: Applicant{Name: "Nguyễn Văn An", IDNumber: "001090012345"}}
	if e := apperr.As(req.Validate(now)); e == nil || e.Field != "subject.name" || !strings.HasPrefix(e.Message, "Nộp hộ người khác") {
		t.Fatalf("on behalf without a subject: %v", e)
	}
	req.Subject = &Subject{Name: "Nguyễn Văn Bình", Relation: "con"}
	if err := req.Validate(now); err != nil {
		t.Fatal(err)
	}
	d := &Dossier{Applicant: req.Applicant, Subject: req.Subject, OnBehalf: true}
	if got := behalfNote(d); got != "Nộp hộ cho Nguyễn Văn Bình (con), người nộp: Nguyễn Văn An" {
		t.Fatalf("note: %q", got)
	}
}
