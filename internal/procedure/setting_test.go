package procedure

import "testing"

// TestEffective: the nearest layer wins field by field; inherited steps lose
// their departments; a national suspension stays whatever a unit says.
func TestEffective(t *testing.T) {
	national := &Procedure{Code: "1.000001", Active: true, Steps: DefaultSteps(), Limit: TimeLimit{Kind: LimitWorkingDays, Days: 3}}
	own := []Step{{Name: "Tiếp nhận", Role: RoleCounter, Share: 50}, {Name: "Ký", Role: RoleLeader, Department: "LD", Share: 50}}
	off, on := false, true
	province := Layer{UnitCode: "01", Setting: Setting{Steps: own, Active: &off}}
	ward := Layer{UnitCode: "00004", Setting: Setting{Active: &on}}

	p := Effective(national, "00004", []Layer{province, ward})
	if !p.Active || len(p.Steps) != 2 || p.Steps[1].Department != "" || p.Limit.Days != 3 {
		t.Errorf("ward under the province: %+v", p)
	}
	if p := Effective(national, "01", []Layer{province}); p.Active || p.Steps[1].Department != "LD" {
		t.Errorf("the province itself: %+v", p)
	}
	if national.Steps[1].Role != RoleSpecialist || len(national.Steps) != 4 {
		t.Errorf("the national definition was changed: %+v", national.Steps)
	}
	suspended := national.Clone()
	suspended.Active = false
	if p := Effective(suspended, "00004", []Layer{ward}); p.Active {
		t.Error("a unit revived a procedure the national catalogue suspends")
	}
	if steps, active := Sources([]Layer{province, ward}); steps != "01" || active != "00004" {
		t.Errorf("sources: steps %q, active %q", steps, active)
	}
}
