package web

import (
	"bytes"
	"context"
	"fmt"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
)

// The civil-status registry: the unit's civil registrars (the ward's
// specialist is made one here, and the other ward's) enter, verify,
// correct and merge; the unit's leader reads, searches and lists the
// duplicates and the read log; nobody else reads a record — not the
// counter officer, not the administrator, not another unit. Progress is
// counts without names, for the unit's officers (and those above it).
var registrars = []string{specialist}

func init() {
	readers := []string{specialist, leader}
	const rec = "/api/v1/civil/records/{civil_record}"
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/civil/books":        {{"/api/v1/civil/books", "", slices2(readers, specialistX, leaderX)}},
		"POST /api/v1/civil/books":       {{"/api/v1/civil/books", `{"kind":"death","year":2001,"number":"07"}`, []string{specialist, specialistX}}},
		"GET /api/v1/civil/books/{id}":   {{"/api/v1/civil/books/{civil_book}", "", readers}},
		"GET /api/v1/civil/records":      {{"/api/v1/civil/records?q=khanh", "", slices2(readers, specialistX, leaderX)}},
		"POST /api/v1/civil/records":     {{"/api/v1/civil/records", `{"book_id":{civil_book},"entry":"99","people":[{"role":"child","full_name":"Tạ Văn Bảo"}]}`, registrars}},
		"GET /api/v1/civil/records/{id}": {{rec + "?reason=check", "", readers}},
		"PUT /api/v1/civil/records/{id}": {{"/api/v1/civil/records/{civil_draft}",
			`{"book_id":{civil_book},"entry":"98","people":[{"role":"child","full_name":"Tạ Thị Bình"}]}`, registrars}},
		"POST /api/v1/civil/records/{id}/verify":      {{rec + "/verify", `{"fields":{"entry":"1"}}`, registrars}},
		"POST /api/v1/civil/records/{id}/resolve":     {{rec + "/resolve", `{"fields":{"entry":"1"},"choices":{}}`, registrars}},
		"POST /api/v1/civil/records/{id}/corrections": {{rec + "/corrections", `{"book_id":{civil_change_book},"changes":{"child.full_name":"Lạc Văn Khanh"}}`, registrars}},
		"POST /api/v1/civil/records/{id}/scan":        {{rec + "/scan", `{}`, registrars}},
		"GET /api/v1/civil/records/{id}/scan":         {{rec + "/scan?reason=verify", "", readers}},
		"GET /api/v1/civil/duplicates":                {{"/api/v1/civil/duplicates", "", slices2(readers, specialistX, leaderX)}},
		"POST /api/v1/civil/duplicates/{id}/merge":    {{"/api/v1/civil/duplicates/{civil_dup}/merge", `{"keep":{civil_record}}`, registrars}},
		"POST /api/v1/civil/duplicates/{id}/dismiss":  {{"/api/v1/civil/duplicates/{civil_dup2}/dismiss", "", registrars}},
		"GET /api/v1/civil/progress":                  {{"/api/v1/civil/progress?unit=" + demo.Ward, "", unitStaff}},
		"GET /api/v1/civil/reads":                     {{"/api/v1/civil/reads", "", []string{leader, leaderX}}},
	} {
		authzMatrix[p] = cases
	}
	// Names in the records reach the ward's readers only.
	authzSecrets["/api/v1/civil/records?q=khanh "] = []authzSecret{{"Lạc Văn Khánh", readers}}
	authzSecrets["/api/v1/civil/duplicates "] = []authzSecret{{"Lạc Văn Khánh", readers}}
}

func slices2(a []string, more ...string) []string { return append(append([]string{}, a...), more...) }

// civilObjects makes the ward's specialist and the other ward's civil
// registrars, and adds, entered by a third registrar of the ward, a birth
// book ({civil_book}) with a record with a scanned page ({civil_record}),
// a draft ({civil_draft}), two likely duplicates of the record
// ({civil_dup}, {civil_dup2}), and a change book ({civil_change_book}).
func (m *authzEnv) civilObjects(files blob.Store) {
	m.t.Helper()
	ctx, f := context.Background(), m.f
	for _, who := range []string{specialist, specialistX} {
		u := f.Users[who]
		if err := f.DB.SetUserRole(ctx, u.UnitCode, who, u.Role, u.Department, true); err != nil {
			m.t.Fatal(err)
		}
	}
	svc, reg := f.Civil(), f.Actors["hotich"]
	book := &civil.Book{Kind: civil.KindBirth, Year: 1985, Number: "01"}
	changes := &civil.Book{Kind: civil.KindChange, Year: 2026, Number: "01"}
	for _, b := range []*civil.Book{book, changes} {
		if err := svc.CreateBook(ctx, reg, b); err != nil {
			m.t.Fatal(err)
		}
	}
	enter := func(name, entry string, status civil.Status) *civil.Record {
		r := &civil.Record{BookID: book.ID, Entry: entry, Source: civil.SourceDigitised, Status: status, People: []civil.Person{
			{Role: civil.RoleChild, FullName: name, BirthDate: "1985-04-30"}, {Role: civil.RoleMother, FullName: "Mạc Thị Hằng"}}}
		if err := svc.Enter(ctx, reg, r); err != nil {
			m.t.Fatal(err)
		}
		return r
	}
	rec := enter("Lạc Văn Khánh", "1", 0)
	draft := enter("Lạc Văn Khang", "2", civil.StatusDraft)
	enter("Lac Van Khanh", "3", 0)
	enter("Lạc Văn Khanh", "4", 0)
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte("x"), 64)...)
	info, err := files.Put(ctx, bytes.NewReader(jpeg), 1<<20)
	if err != nil {
		m.t.Fatal(err)
	}
	if _, err := svc.AttachScan(ctx, reg, rec.ID, info.SHA256); err != nil {
		m.t.Fatal(err)
	}
	dups, _, err := svc.Duplicates(ctx, reg, civil.DupOpen, 10, 0)
	if err != nil || len(dups) < 2 {
		m.t.Fatalf("duplicates %v %v", dups, err)
	}
	m.objects["{civil_book}"] = fmt.Sprint(book.ID)
	m.objects["{civil_change_book}"] = fmt.Sprint(changes.ID)
	m.objects["{civil_record}"] = fmt.Sprint(rec.ID)
	m.objects["{civil_draft}"] = fmt.Sprint(draft.ID)
	m.objects["{civil_dup}"] = fmt.Sprint(dups[0].ID)
	m.objects["{civil_dup2}"] = fmt.Sprint(dups[1].ID)
}

func init() {
	for id, body := range map[string]any{"addCivilBook": civilBookRequest{}, "addCivilRecord": civilRecordInput{}, "editCivilRecord": civilRecordInput{},
		"verifyCivilRecord": civilVerifyRequest{}, "resolveCivilRecord": civilVerifyRequest{}, "correctCivilRecord": civil.CorrectionRequest{},
		"mergeCivilDuplicate": civilMergeRequest{}} {
		RequestTypes[id] = body
	}
}
