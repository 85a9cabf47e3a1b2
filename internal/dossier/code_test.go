package dossier

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
)

func TestValidCode(t *testing.T) {
	day := time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC)
	for _, agency := range []string{"000.00.22.H56", "00004", "G01.H26"} {
		if c := FormatCode(agency, day, 1); !ValidCode(c) {
			t.Errorf("%s is not valid", c)
		}
	}
	if FormatCode("000.00.22.H56", day, 1) != "000.00.22.H56-250715-0001" {
		t.Fatal("code format differs from DOMAIN §5")
	}
	for _, bad := range []string{"", "x", "00004-2507-0001", "00004-250715-01", "0000 4-250715-0001", "00004-25071a-0001", "'; DROP-250715-0001", strings.Repeat("9", 70)} {
		if ValidCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzValidCode: the check never panics, and every code it accepts has the
// shape agency-yyMMdd-NNNN with a safe agency part.
func FuzzValidCode(f *testing.F) {
	f.Add("000.00.22.H56-250715-0001")
	f.Add("00004-261123-0004")
	f.Add("-250715-0001")
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidCode(s) {
			return
		}
		parts := strings.Split(s, "-")
		n := len(parts)
		if n < 3 || len(parts[n-2]) != 6 || len(parts[n-1]) < 4 || strings.ContainsAny(s, " '\";%") {
			t.Fatalf("accepted %q", s)
		}
	})
}

// TestApplyStepOutOfRange: a workflow shortened under an open dossier gives a
// conflict, not a crash.
func TestApplyStepOutOfRange(t *testing.T) {
	p := &procedure.Procedure{Code: "1.001612", Name: "x", Field: "y", Limit: procedure.TimeLimit{Kind: procedure.LimitWorkingDays, Days: 3}, Active: true}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	d := &Dossier{Status: StatusProcessing, Step: 9, UnitCode: "00004", Version: 3}
	_, err := Apply(d, ActionRequest{Action: ActApprove}, Env{Proc: p, Actor: auth.Actor{Role: auth.RoleLeader, UnitCode: "00004", Username: "l"}, Now: time.Now()})
	if apperr.Code(err) != apperr.ECONFLICT || d.Version != 3 {
		t.Fatalf("got %v, version %d", err, d.Version)
	}
}
