package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
)

// civilActors adds a second registrar to the fixture's unit (the verifier
// must differ from who entered) and returns the actors the tests use.
func civilActors(t *testing.T, f *storetest.Fixture) (entry, verifier auth.Actor) {
	t.Helper()
	u := auth.User{Username: "hotich2", FullName: "Phan Văn Hậu", Role: auth.RoleSpecialist, UnitCode: f.Users["hotich"].UnitCode, CivilRegistrar: true}
	if err := f.DB.CreateUser(context.Background(), &u, "x-test-password"); err != nil {
		t.Fatal(err)
	}
	return f.Actors["hotich"], u.Actor()
}

func civilBook(t *testing.T, svc *civil.Service, a auth.Actor, kind string, year int, number string) *civil.Book {
	t.Helper()
	b := &civil.Book{Kind: kind, Year: year, Number: number, Origin: civil.OriginPaper}
	if err := svc.CreateBook(context.Background(), a, b); err != nil {
		t.Fatal(err)
	}
	return b
}

// oneBirthRegister is a fixture whose ward's registrar opened a 1975 birth
// book and entered one record in it (Nguyễn Văn Đức, mother Trần Thị Hoà):
// the register a migration test takes back to an older schema.
func oneBirthRegister(t *testing.T, engine string) (*storetest.Fixture, auth.Actor, *civil.Book) {
	t.Helper()
	f := storetest.NewFixture(t, engine)
	reg, _ := civilActors(t, f)
	book := civilBook(t, f.Civil(), reg, civil.KindBirth, 1975, "01")
	if err := f.Civil().Enter(context.Background(), reg, birthRecord(book.ID, "Nguyễn Văn Đức", "12/03/1975", "Trần Thị Hoà", "1")); err != nil {
		t.Fatal(err)
	}
	return f, reg, book
}

func birthRecord(book int64, child, birth, mother, entry string) *civil.Record {
	r := &civil.Record{BookID: book, Page: "12", Entry: entry, RegisteredOn: "03/1975", Officer: "Nguyễn Văn Tư",
		Source: civil.SourceDigitised, Declarant: civil.Declarant{Name: mother, Relation: "mẹ"},
		People: []civil.Person{
			{Role: civil.RoleChild, FullName: child, Sex: "male", BirthDate: birth, BirthPlace: "Hà Nội", Ethnicity: "Kinh", Nationality: "Việt Nam"},
			{Role: civil.RoleMother, FullName: mother, BirthDate: "1950"},
		}}
	if mother == "" {
		r.People = r.People[:1]
	}
	return r
}

// TestCivilCreateGetBooks enters a digitised birth record from a paper
// book, reads it back with its people and history, finds it by an
// unaccented name in any word order, and counts it in the book, the unit
// and the province; on both engines.
func TestCivilCreateGetBooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1975, "01")
		if err := svc.CreateBook(ctx, reg, &civil.Book{Kind: civil.KindBirth, Year: 1975, Number: "01"}); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("same book twice: %v", err)
		}
		// Decomposed input (base letter + combining marks) is stored in NFC.
		r := birthRecord(book.ID, "Nguye\u0302\u0303n Va\u0306n Đức", "12/03/1975", "Trần Thị Hoà", "123")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, f.Actors["lanhdao"], r.ID, civil.ReasonCheck, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != civil.StatusEntered || got.People[0].FullName != "Nguyễn Văn Đức" || got.People[0].BirthDate != "1975-03-12" ||
			got.RegisteredOn != "1975-03" || len(got.Events) != 1 || got.EnteredBy != "hotich" {
			t.Fatalf("got %+v", got)
		}
		if civil.NoteDigest(got.Events[0].Note) != got.Digest() {
			t.Fatalf("digest of the first event %q, content %s", got.Events[0].Note, got.Digest())
		}
		hits, n, err := svc.Search(ctx, reg, civil.Query{Q: "duc nguyen"})
		if err != nil || n != 1 || len(hits) != 1 || hits[0].Record.ID != r.ID || hits[0].Matched != civil.RoleChild {
			t.Fatalf("search: %d %+v %v", n, hits, err)
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{Q: "hoa", Parent: "tran hoa"}); n != 1 {
			t.Fatalf("search by the mother: %d", n)
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{BirthYear: 1975, Q: "duc"}); n != 1 {
			t.Fatalf("search by year: %d", n)
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{Q: "01/123"}); n != 1 {
			t.Fatalf("search by book/entry: %d", n)
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{Q: "duc", BirthFrom: "1976-01-01"}); n != 0 {
			t.Fatalf("search out of the range: %d", n)
		}
		b, err := svc.Book(ctx, reg, book.ID)
		if err != nil || b.Entered != 1 || b.Verified != 0 {
			t.Fatalf("book %+v %v", b, err)
		}
		// Progress rolls up: the province's officers see the sum of its
		// wards (counts, no names); a ward does not see its province's.
		prov := auth.User{Username: "sotuphap", FullName: "Lương Văn Tỉnh", Role: auth.RoleLeader, UnitCode: demo.Province}
		if err := f.DB.CreateUser(ctx, &prov, "x-test-password"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  auth.Actor
			unit string
		}{{f.Actors["lanhdao"], demo.Ward}, {prov.Actor(), demo.Province}, {prov.Actor(), demo.Ward}} {
			if p, err := svc.Progress(ctx, c.who, c.unit); err != nil || p.Entered != 1 || p.Books != 1 || p.Verified != 0 {
				t.Fatalf("progress of %s for %s: %+v %v", c.unit, c.who.Username, p, err)
			}
		}
		if _, err := svc.Progress(ctx, f.Actors["lanhdao"], demo.Province); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a ward reads its province's progress: %v", err)
		}
		if _, err := svc.Get(ctx, prov.Actor(), r.ID, civil.ReasonCheck, ""); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("the province reads a record: %v", err)
		}
		// Nobody else reads records: not a counter officer, not an
		// administrator, not another unit.
		for _, who := range []string{"canbo", "quantri", "canbo.ngocha", "chuyenvien"} {
			if _, err := svc.Get(ctx, f.Actors[who], r.ID, civil.ReasonCheck, ""); apperr.Code(err) != apperr.ENOTFOUND {
				t.Fatalf("%s reads a record: %v", who, err)
			}
		}
		if _, err := svc.Get(ctx, reg, r.ID, "", ""); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("read without a reason: %v", err)
		}
		reads, n, err := svc.Reads(ctx, f.Actors["lanhdao"], 0, 0)
		if err != nil || n != 6 || reads[0].RecordID != 0 || reads[5].RecordID != r.ID || reads[5].Username != "lanhdao" {
			t.Fatalf("reads: %d %+v %v", n, reads, err)
		}
	})
}
