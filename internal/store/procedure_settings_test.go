package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// settingProc is the procedure the settings tests change: three working
// days, a specialist of KT, then a leader.
const settingProc = "1.001612"

// threeSteps is a workflow whose examination goes to department dept.
func threeSteps(dept string) []procedure.Step {
	return []procedure.Step{{Name: "Tiếp nhận", Role: procedure.RoleCounter, Share: 10},
		{Name: "Thẩm định", Role: procedure.RoleSpecialist, Department: dept, Share: 70},
		{Name: "Ký, trả kết quả", Role: procedure.RoleLeader, Share: 20}}
}

// forwarded submits a dossier at the unit of the counter officer and sends
// it on to the second step.
func forwarded(t *testing.T, f *storetest.Fixture, officer string) *dossier.Dossier {
	t.Helper()
	ctx := context.Background()
	d, err := f.Svc.Submit(ctx, f.Actors[officer], dossier.SubmitRequest{ProcedureCode: settingProc, Components: demo.Required(settingProc),
		Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = f.Svc.Act(ctx, f.Actors[officer], d.Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestProcedureSettingsPerUnit: a ward's steps change that ward's new
// dossiers and no other's; the province's steps reach both wards unless a
// ward sets its own, without the province's departments; going back to
// inherited removes the ward's setting; a ward that stops taking the
// procedure refuses its dossiers while the other ward still takes them.
func TestProcedureSettingsPerUnit(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := storetest.NewFixture(t, engine)
			ctx := context.Background()
			ps := store.Procedures{DB: f.DB}
			steps := func(unit string) []procedure.Step {
				t.Helper()
				p, err := ps.ForUnit(ctx, settingProc, unit)
				if err != nil {
					t.Fatal(err)
				}
				return p.Steps
			}
			national := steps(demo.Ward)
			if err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{Steps: threeSteps("TP-HT")}, "quantri"); err != nil {
				t.Fatal(err)
			}
			if got := steps(demo.Ward); len(got) != 3 || got[1].Department != "TP-HT" {
				t.Errorf("the ward's own steps: %+v", got)
			}
			if got := steps(demo.OtherWard); len(got) != len(national) || got[1].Department != national[1].Department {
				t.Errorf("the other ward took the ward's steps: %+v", got)
			}
			if d := forwarded(t, f, "canbo"); d.StepDepartment != "TP-HT" {
				t.Errorf("a new dossier of the ward is at department %q, want its own TP-HT", d.StepDepartment)
			}
			if d := forwarded(t, f, "canbo.ngocha"); d.StepDepartment != national[1].Department {
				t.Errorf("a new dossier of the other ward is at department %q, want the national %q", d.StepDepartment, national[1].Department)
			}

			// The province's steps: both wards inherit them unless they set
			// their own, with the province's departments dropped.
			if err := ps.SaveSetting(ctx, demo.Province, settingProc, procedure.Setting{Steps: threeSteps("SO-TP")}, "quantri.hanoi"); err != nil {
				t.Fatal(err)
			}
			if got := steps(demo.Province); got[1].Department != "SO-TP" {
				t.Errorf("the province's own steps: %+v", got)
			}
			if got := steps(demo.OtherWard); len(got) != 3 || got[1].Department != "" {
				t.Errorf("the other ward should inherit the province's steps without its department: %+v", got)
			}
			if got := steps(demo.Ward); got[1].Department != "TP-HT" {
				t.Errorf("the ward's own steps gave way to the province's: %+v", got)
			}
			layers, err := ps.Layers(ctx, settingProc, demo.Ward)
			if l := layers[settingProc]; err != nil || len(l) != 2 || l[0].UnitCode != demo.Province || l[1].UnitCode != demo.Ward || l[1].ChangedBy != "quantri" {
				t.Errorf("layers of the ward, province first: %+v %v", l, err)
			}
			if err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{}, "quantri"); err != nil {
				t.Fatal(err)
			}
			if got := steps(demo.Ward); len(got) != 3 || got[1].Department != "" {
				t.Errorf("back to inherited, the ward should follow the province: %+v", got)
			}

			// The ward stops taking the procedure; the other ward does not.
			off := false
			if err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{Active: &off}, "quantri"); err != nil {
				t.Fatal(err)
			}
			_, err = f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: settingProc, Components: demo.Required(settingProc),
				Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
			if e := apperr.As(err); e == nil || e.Field != "procedure_code" {
				t.Errorf("the ward took a dossier of a procedure it stopped: %v", err)
			}
			forwarded(t, f, "canbo.ngocha")

			// A setting that breaks the procedure's rules is refused and
			// writes nothing.
			bad := threeSteps("")
			bad[0].Share = 50
			if err := ps.SaveSetting(ctx, demo.OtherWard, settingProc, procedure.Setting{Steps: bad}, "x"); err == nil {
				t.Error("steps adding up to 140 % were taken")
			}
			if got := steps(demo.OtherWard); got[0].Share != 10 {
				t.Errorf("a refused setting changed the steps: %+v", got)
			}
		})
	}
}

// TestMaxOpenStep: the furthest step of open dossiers counts the dossiers
// that follow the unit's steps: its own and those below it, except below a
// unit with its own steps.
func TestMaxOpenStep(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := storetest.NewFixture(t, engine)
			ctx := context.Background()
			open := func(unit string) int {
				t.Helper()
				n, err := f.DB.MaxOpenStep(ctx, settingProc, unit)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := open(demo.Ward); n != -1 {
				t.Fatalf("no dossier: %d", n)
			}
			forwarded(t, f, "canbo")
			if w, o, p := open(demo.Ward), open(demo.OtherWard), open(demo.Province); w != 1 || o != -1 || p != 1 {
				t.Errorf("one dossier of the ward at the second step: ward %d, other ward %d, province %d", w, o, p)
			}
			ps := store.Procedures{DB: f.DB}
			if err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{Steps: threeSteps("")}, "quantri"); err != nil {
				t.Fatal(err)
			}
			if p := open(demo.Province); p != -1 {
				t.Errorf("the ward's own steps shield its dossiers from the province's change: %d", p)
			}
		})
	}
}

// TestSaveSettingKeepsOpenSteps: the save itself refuses, in the same
// transaction as the write, steps that would leave an open dossier at a
// step that no longer exists, whatever the caller checked before; the
// setting is not written, and a change that keeps enough steps is saved.
func TestSaveSettingKeepsOpenSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		ps := store.Procedures{DB: f.DB}
		d := forwarded(t, f, "canbo")
		if _, err := f.Svc.Act(ctx, f.Actors["chuyenvien"], d.Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
			t.Fatal(err) // at the third step
		}
		two := []procedure.Step{{Name: "Tiếp nhận", Role: procedure.RoleCounter, Share: 10}, {Name: "Giải quyết", Role: procedure.RoleLeader, Share: 90}}
		err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{Steps: two}, "quantri")
		if e := apperr.As(err); e == nil || e.Code != apperr.ECONFLICT || !strings.Contains(e.Message, "bước 3") {
			t.Fatalf("two steps with a dossier at the third: %v, want a conflict naming step 3", err)
		}
		err = ps.SaveSetting(ctx, demo.Province, settingProc, procedure.Setting{Steps: two}, "quantri.hanoi")
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("the province's one step reaching the ward's dossier: %v, want a conflict", err)
		}
		if layers, err := ps.Layers(ctx, settingProc, demo.Ward); err != nil || len(layers[settingProc]) != 0 {
			t.Fatalf("settings after the refusals: %v %v, want none written", layers, err)
		}
		if err := ps.SaveSetting(ctx, demo.Ward, settingProc, procedure.Setting{Steps: threeSteps("")}, "quantri"); err != nil {
			t.Fatalf("three steps with a dossier at the third: %v", err)
		}
	})
}
