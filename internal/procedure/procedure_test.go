package procedure

import "testing"

func valid() Procedure {
	return Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Field: "Hộ tịch",
		Limit: TimeLimit{Kind: LimitSameDay}, Fees: []Fee{{Name: "Lệ phí", Amount: 0}, {Name: "Quá hạn", Amount: 5000}}}
}

func TestValidateDefaults(t *testing.T) {
	p := valid()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Level != LevelCommune || p.OnlineMode != OnlineNone || p.Limit.CutoffHour != 15 || len(p.Steps) != 4 {
		t.Fatalf("defaults not applied: %+v", p)
	}
	if p.DefaultFee() != 5000 {
		t.Fatalf("default fee %d, want the first non-zero line", p.DefaultFee())
	}
}

func TestValidateRefuses(t *testing.T) {
	cases := map[string]func(p *Procedure){
		"bad code":       func(p *Procedure) { p.Code = "x" },
		"no name":        func(p *Procedure) { p.Name = " " },
		"no field":       func(p *Procedure) { p.Field = "" },
		"bad mode":       func(p *Procedure) { p.OnlineMode = "level4" },
		"zero days":      func(p *Procedure) { p.Limit = TimeLimit{Kind: LimitWorkingDays} },
		"bad limit kind": func(p *Procedure) { p.Limit = TimeLimit{Kind: "weeks", Days: 2} },
		"negative fee":   func(p *Procedure) { p.Fees = []Fee{{Amount: -1}} },
		"shares not 100": func(p *Procedure) { p.Steps = []Step{{Role: RoleCounter, Share: 50}} },
		"first not counter": func(p *Procedure) {
			p.Steps = []Step{{Role: RoleSpecialist, Share: 50}, {Role: RoleCounter, Share: 50}}
		},
		"bad role": func(p *Procedure) { p.Steps = []Step{{Role: RoleCounter, Share: 50}, {Role: "judge", Share: 50}} },
	}
	for name, mutate := range cases {
		p := valid()
		mutate(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCloneSharesNothing(t *testing.T) {
	p := &Procedure{Code: "1.000001", Fees: []Fee{{Name: "Lệ phí", Amount: 10000}},
		Components: []Component{{Name: "Tờ khai"}}, Steps: []Step{{Name: "Tiếp nhận", Role: "counter", Share: 100}}}
	c := p.Clone()
	c.Fees[0].Amount, c.Components[0].Name, c.Steps[0].Name, c.Code = 1, "x", "y", "z"
	if p.Fees[0].Amount != 10000 || p.Components[0].Name != "Tờ khai" || p.Steps[0].Name != "Tiếp nhận" || p.Code != "1.000001" {
		t.Errorf("changing the clone changed the original: %+v", p)
	}
}
