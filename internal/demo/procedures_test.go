package demo

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/motcua/motcua/internal/procedure"
)

// loadProcedures decodes procedures.json strictly: a key that procedure.Procedure
// does not know is an error, so a typo in the catalogue cannot go unnoticed.
func loadProcedures(t *testing.T) []procedure.Procedure {
	t.Helper()
	data, err := os.ReadFile("procedures.json")
	if err != nil {
		t.Fatalf("read procedures.json: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ps []procedure.Procedure
	if err := dec.Decode(&ps); err != nil {
		t.Fatalf("decode procedures.json: %v", err)
	}
	if dec.More() {
		t.Fatal("procedures.json has trailing data after the array")
	}
	return ps
}

func byCode(t *testing.T, ps []procedure.Procedure) map[string]procedure.Procedure {
	t.Helper()
	m := make(map[string]procedure.Procedure, len(ps))
	for _, p := range ps {
		m[p.Code] = p
	}
	return m
}

func TestProceduresValidate(t *testing.T) {
	ps := loadProcedures(t)
	if len(ps) < 10 {
		t.Fatalf("catalogue has %d procedures, want at least 10", len(ps))
	}
	seen := make(map[string]bool)
	for i := range ps {
		p := &ps[i]
		// Check the steps as written in the file, before Validate could fill in defaults.
		if len(p.Steps) == 0 {
			t.Errorf("%s: no steps", p.Code)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s (%s): Validate: %v", p.Code, p.Name, err)
			continue
		}
		if seen[p.Code] {
			t.Errorf("duplicate code %s", p.Code)
		}
		seen[p.Code] = true

		if !p.Active {
			t.Errorf("%s: not active", p.Code)
		}
		if p.Level != procedure.LevelCommune {
			t.Errorf("%s: level %q, want commune", p.Code, p.Level)
		}
		if p.Agency == "" || p.ApplicantType == "" || p.Result == "" || p.Source == "" || p.LegalBasis == "" {
			t.Errorf("%s: agency, applicant type, result, source and legal basis are all required", p.Code)
		}
		if len(p.Components) == 0 {
			t.Errorf("%s: no dossier components", p.Code)
		}
		if len(p.Fees) == 0 {
			t.Errorf("%s: no fee line (a free procedure has a 0 line with a note)", p.Code)
		}
		for _, f := range p.Fees {
			if f.Amount == 0 && f.Note == "" {
				t.Errorf("%s: free fee line %q has no note", p.Code, f.Name)
			}
		}

		first, last := p.Steps[0], p.Steps[len(p.Steps)-1]
		if first.Role != procedure.RoleCounter {
			t.Errorf("%s: first step role %q, want counter", p.Code, first.Role)
		}
		if last.Role != procedure.RoleCounter {
			t.Errorf("%s: last step role %q, want counter", p.Code, last.Role)
		}
		if len(p.Steps) < 3 {
			t.Errorf("%s: %d steps, want reception, processing and return", p.Code, len(p.Steps))
		}
		for _, s := range p.Steps[1 : len(p.Steps)-1] {
			if s.Role == procedure.RoleCounter {
				t.Errorf("%s: middle step %q is at the counter", p.Code, s.Name)
			}
			if s.Department == "" {
				t.Errorf("%s: middle step %q has no department", p.Code, s.Name)
			}
		}
	}
}

func TestProceduresRealFacts(t *testing.T) {
	m := byCode(t, loadProcedures(t))

	// Đăng ký khai sinh: returned the same day, next working day after 15:00.
	ks, ok := m["1.001193"]
	if !ok {
		t.Fatal("1.001193 (đăng ký khai sinh) missing")
	}
	if ks.Limit.Kind != procedure.LimitSameDay || ks.Limit.CutoffHour != 15 {
		t.Errorf("1.001193: limit %+v, want same_day with cut-off 15", ks.Limit)
	}
	if ks.Field != "Hộ tịch" {
		t.Errorf("1.001193: field %q, want Hộ tịch", ks.Field)
	}

	// Đăng ký thành lập hộ kinh doanh: 3 working days.
	hkd, ok := m["1.001612"]
	if !ok {
		t.Fatal("1.001612 (thành lập hộ kinh doanh) missing")
	}
	if hkd.Limit.Kind != procedure.LimitWorkingDays || hkd.Limit.Days != 3 {
		t.Errorf("1.001612: limit %+v, want 3 working days", hkd.Limit)
	}

	// Chứng thực bản sao từ bản chính: at the counter only.
	cts, ok := m["2.000815"]
	if !ok {
		t.Fatal("2.000815 (chứng thực bản sao) missing")
	}
	if cts.OnlineMode != procedure.OnlineNone {
		t.Errorf("2.000815: online mode %q, want none", cts.OnlineMode)
	}
	if cts.Field != "Chứng thực" {
		t.Errorf("2.000815: field %q, want Chứng thực", cts.Field)
	}

	// Kết hôn needs both parties in person: online at most partial.
	if kh, ok := m["1.000894"]; !ok {
		t.Error("1.000894 (đăng ký kết hôn) missing")
	} else if kh.OnlineMode == procedure.OnlineFull {
		t.Error("1.000894: both parties sign in person, online mode cannot be full")
	}

	// Bản sao trích lục hộ tịch costs 8,000 đồng per copy.
	if tl, ok := m["2.000635"]; !ok {
		t.Error("2.000635 (bản sao trích lục) missing")
	} else if tl.DefaultFee() != 8000 {
		t.Errorf("2.000635: fee %d, want 8000", tl.DefaultFee())
	}
}
