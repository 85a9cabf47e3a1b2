// Package demo loads the demo dataset: Hà Nội, two of its wards with their
// departments, the real procedure catalogue in procedures.json, one user per
// role, and a few dossiers in different states, so a new installation shows a
// working one-stop shop at once.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

//go:embed procedures.json
var proceduresJSON []byte

// Procedures returns the demo catalogue.
func Procedures() ([]procedure.Procedure, error) {
	var ps []procedure.Procedure
	err := json.Unmarshal(proceduresJSON, &ps)
	return ps, err
}

//go:embed population.json
var populationJSON []byte

// PopulationPeople is the demo's stand-in for the national population
// database, in the registry's wire format: the applicants of the demo
// dossiers (one, Đặng Thu Hà, recorded under a fuller name, to show a
// mismatch) and the citizen of the examples.
func PopulationPeople() []byte { return populationJSON }

// Ward is the demo's receiving unit.
const (
	Province  = "01"
	Ward      = "00004" // Phường Ba Đình
	OtherWard = "00008" // Phường Ngọc Hà, to show that units do not see each other's dossiers
)

// Required lists the required components of a demo procedure, what a
// complete dossier of it hands in; nil for an unknown code.
func Required(code string) []string {
	ps, err := Procedures()
	if err != nil {
		return nil
	}
	for i := range ps {
		if ps[i].Code == code {
			return dossier.MissingRequired(&ps[i], nil)
		}
	}
	return nil
}

// Units returns the demo's units: Hà Nội and two wards (codes of the 2025
// list in force since 2025-07-01).
func Units() []unit.Unit {
	return []unit.Unit{
		{Code: Province, Name: "Hà Nội", FullName: "Thành phố Hà Nội", NameEn: "Hanoi", Kind: "province", ValidFrom: "2025-07-01"},
		{Code: Ward, Name: "Ba Đình", FullName: "Phường Ba Đình", NameEn: "Ba Dinh", Kind: "ward", ParentCode: Province, ValidFrom: "2025-07-01"},
		{Code: OtherWard, Name: "Ngọc Hà", FullName: "Phường Ngọc Hà", NameEn: "Ngoc Ha", Kind: "ward", ParentCode: Province, ValidFrom: "2025-07-01"},
	}
}

// WardContact is how the public reaches the demo ward's one-stop counter.
// The address is a plausible one (25 phố Đội Cấn, the seat of the former Ba
// Đình district's People's Committee), not checked against the ward's
// published seat; the hotline and e-mail are made up for the demo.
func WardContact() unit.Contact {
	return unit.Contact{Address: "Số 25 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", Hotline: "024 3823 4567",
		Email: "motcua@badinh.hanoi.gov.vn"}
}

// Departments of the demo ward; their codes are the ones procedures.json uses.
func Departments() []unit.Department {
	return []unit.Department{
		{UnitCode: Ward, Code: "TP-HT", Name: "Tư pháp - Hộ tịch"},
		{UnitCode: Ward, Code: "KT", Name: "Phòng Kinh tế"},
		{UnitCode: Ward, Code: "CA", Name: "Công an phường"},
		{UnitCode: Ward, Code: "LD", Name: "Lãnh đạo UBND phường"},
	}
}

// Users returns the demo users, one per role.
func Users() []auth.User {
	return []auth.User{
		{Username: "canbo", FullName: "Nguyễn Thị Hoà", Role: auth.RoleCounter, UnitCode: Ward},
		{Username: "chuyenvien", FullName: "Trần Văn Đức", Role: auth.RoleSpecialist, UnitCode: Ward, Department: "TP-HT"},
		{Username: "lanhdao", FullName: "Lê Quang Vinh", Role: auth.RoleLeader, UnitCode: Ward, Department: "LD"},
		{Username: "quantri", FullName: "Phạm Minh Tuấn", Role: auth.RoleAdmin, UnitCode: Ward},
		{Username: "congdan", FullName: "Hoàng Thị Lan", Role: auth.RoleApplicant, IDNumber: citizenIDNumber, Phone: "0912345678"},
		{Username: "canbo.ngocha", FullName: "Vũ Văn Nam", Role: auth.RoleCounter, UnitCode: OtherWard},
		{Username: "hotich", FullName: "Đỗ Thị Thu Hà", Role: auth.RoleSpecialist, UnitCode: Ward, Department: "TP-HT", CivilRegistrar: true},
	}
}

// Password is the demo users' password: $MOTCUA_DEMO_PASSWORD or "demo".
func Password() string {
	if p := os.Getenv("MOTCUA_DEMO_PASSWORD"); p != "" {
		return p
	}
	return "demo"
}

// citizenIDNumber is the demo citizen's ID number.
const citizenIDNumber = "001190012345"

// Load writes the demo dataset with a few sample dossiers. It refuses a
// database that already has users, so it never mixes demo accounts into a
// real installation.
func Load(ctx context.Context, db *store.DB, svc *dossier.Service) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database already has users: the demo is loaded only into an empty one")
	}
	users, err := Seed(ctx, db)
	if err != nil {
		return err
	}
	return sampleDossiers(ctx, svc, users)
}

// Seed writes the units, departments, procedures and users, and returns the
// users (with their ids).
func Seed(ctx context.Context, db *store.DB) ([]auth.User, error) {
	if _, err := db.ImportUnits(ctx, Units()); err != nil {
		return nil, err
	}
	if err := db.SetUnitContact(ctx, Ward, WardContact()); err != nil {
		return nil, err
	}
	for _, d := range Departments() {
		if err := db.SaveDepartment(ctx, d); err != nil {
			return nil, err
		}
	}
	ps, err := Procedures()
	if err != nil {
		return nil, err
	}
	if _, err := db.SaveProcedures(ctx, ps); err != nil {
		return nil, err
	}
	users := Users()
	for i := range users {
		if err := db.CreateUser(ctx, &users[i], Password()); err != nil {
			return nil, err
		}
	}
	return users, seedQueue(ctx, db)
}

// QueueGroups are the demo ward's counter service groups: civil status,
// certification, and business and residence.
func QueueGroups() []queue.Group {
	return []queue.Group{
		{UnitCode: Ward, Code: "A", Name: "Hộ tịch", Position: 1,
			Procedures: []string{"1.001193", "1.000894", "1.000656", "1.000689", "1.001022", "1.004884", "2.000635", "1.004873", "1.004837", "1.004859", "2.000986"}},
		{UnitCode: Ward, Code: "B", Name: "Chứng thực", Position: 2, Procedures: []string{"2.000815", "2.000884", "2.001035"}},
		{UnitCode: Ward, Code: "C", Name: "Kinh doanh, cư trú", Position: 3, Procedures: []string{"1.001612", "1.004222", "1.004194"}},
		{UnitCode: OtherWard, Code: "A", Name: "Hộ tịch, chứng thực", Position: 1, Procedures: []string{"1.001193", "2.000815"}},
	}
}

// QueueDesks are the demo's desks: three in the ward (desk 3 serves every
// group), one in the other ward.
func QueueDesks() []queue.Desk {
	return []queue.Desk{
		{UnitCode: Ward, Number: 1, Name: "Quầy 1", Groups: []string{"A"}},
		{UnitCode: Ward, Number: 2, Name: "Quầy 2", Groups: []string{"B", "C"}},
		{UnitCode: Ward, Number: 3, Name: "Quầy 3", Groups: []string{"A", "B", "C"}},
		{UnitCode: OtherWard, Number: 1, Name: "Quầy 1", Groups: []string{"A"}},
	}
}

func seedQueue(ctx context.Context, db *store.DB) error {
	q := store.Queue{DB: db, Cals: &store.Calendars{DB: db}}
	for _, g := range QueueGroups() {
		if _, err := q.SaveGroup(ctx, g); err != nil {
			return err
		}
	}
	for _, d := range QueueDesks() {
		if _, err := q.SaveDesk(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// sampleDossiers submits a few dossiers and moves them along, so that queues,
// look-ups and the dashboard have something to show.
func sampleDossiers(ctx context.Context, svc *dossier.Service, users []auth.User) error {
	actor := map[string]auth.Actor{}
	for _, u := range users {
		actor[u.Username] = u.Actor()
	}
	counter, citizen := actor["canbo"], actor["congdan"]
	type sample struct {
		proc, name, id string
		online         bool
		actions        []string
	}
	samples := []sample{
		{"1.001193", "Hoàng Thị Lan", "001190012345", true, nil},
		{"1.004873", "Nguyễn Văn Bình", "001087004321", false, []string{"forward"}},
		{"1.001612", "Đặng Thu Hà", "001192007788", false, []string{"forward", "forward"}},
		{"2.000635", "Bùi Quốc Khánh", "001075001122", false, []string{"forward", "forward", "approve", "finish", "return_result"}},
	}
	for _, s := range samples {
		p, err := svc.Procedures.ForUnit(ctx, s.proc, Ward)
		if err != nil {
			return fmt.Errorf("demo dossier %s: %w", s.proc, err)
		}
		req := dossier.SubmitRequest{ProcedureCode: s.proc, UnitCode: Ward, Channel: dossier.ChannelCounter,
			Applicant:  dossier.Applicant{Name: s.name, IDNumber: s.id, Phone: "0987654321"},
			Components: dossier.MissingRequired(p, nil)} // every required component handed in
		by := counter
		if s.online {
			req.Channel, by = dossier.ChannelOnline, citizen
		}
		d, err := svc.Submit(ctx, by, req)
		if err != nil {
			return fmt.Errorf("demo dossier %s: %w", s.proc, err)
		}
		for _, a := range s.actions {
			who := map[string]auth.Actor{"forward": counter, "approve": actor["lanhdao"], "finish": counter, "return_result": counter}[a]
			if a == "forward" && d.Step >= 1 {
				who = actor["chuyenvien"]
			}
			if d, err = svc.Act(ctx, who, d.Code, dossier.ActionRequest{Action: a}); err != nil {
				return fmt.Errorf("demo dossier %s %s: %w", s.proc, a, err)
			}
		}
	}
	return nil
}
