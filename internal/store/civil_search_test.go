package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// searchBook creates a book of the unit and kind.
func searchBook(t *testing.T, st store.Civil, unit, kind string, year int, number string) int64 {
	t.Helper()
	b := &civil.Book{UnitCode: unit, Kind: kind, Year: year, Number: number, Origin: civil.OriginPaper, Created: storetest.Start}
	if err := st.CreateBook(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// searchRecord stores an entered record of the book with the people
// given as role, name, birth date and ID number.
func searchRecord(t *testing.T, st store.Civil, book int64, unit, kind, entry, registered string, people ...[4]string) int64 {
	t.Helper()
	r := &civil.Record{UnitCode: unit, BookID: book, Kind: kind, Entry: entry, RegisteredOn: registered, Status: civil.StatusEntered,
		Source: civil.SourceDigitised, EnteredBy: "test", EnteredAt: storetest.Start, CreatedAt: storetest.Start}
	for _, p := range people {
		r.People = append(r.People, civil.Person{Role: p[0], FullName: p[1], BirthDate: p[2], IDNumber: p[3]})
	}
	if kind == civil.KindDeath {
		r.Fields = map[string]string{"death_date": registered}
	}
	if err := r.Validate(storetest.Start); err != nil {
		t.Fatalf("record %s: %v", entry, err)
	}
	ev := civil.Event{Action: "enter", Actor: "test", ActorRole: "officer", At: storetest.Start, ToStatus: 2}
	if err := st.Create(context.Background(), r, ev); err != nil {
		t.Fatalf("create %s: %v", entry, err)
	}
	return r.ID
}

// civilSearchFixture is a small register: the demo ward's births,
// a marriage and a death, and a namesake in the other ward.
type civilSearchFixture struct {
	st                                     store.Civil
	duc1990, hoa, marriage, death, duc2005 int64
	otherWardDuc, book                     int64
}

func newCivilSearchFixture(t *testing.T, engine string) civilSearchFixture {
	f := storetest.NewFixture(t, engine)
	st := store.Civil{DB: f.DB}
	births := searchBook(t, st, demo.Ward, civil.KindBirth, 1990, "01")
	x := civilSearchFixture{st: st, book: births}
	x.duc1990 = searchRecord(t, st, births, demo.Ward, civil.KindBirth, "12", "1990-06-01",
		[4]string{civil.RoleChild, "Nguyễn Văn Đức", "1990-05-12", ""},
		[4]string{civil.RoleMother, "Trần Thị Hoà", "1965", ""},
		[4]string{civil.RoleFather, "Nguyễn Văn Hùng", "1962", ""})
	x.hoa = searchRecord(t, st, births, demo.Ward, civil.KindBirth, "13", "1990-07-02",
		[4]string{civil.RoleChild, "Lê Thị Hòa", "1990-07-01", ""},
		[4]string{civil.RoleMother, "Phạm Thị Lan", "", ""})
	marriages := searchBook(t, st, demo.Ward, civil.KindMarriage, 2010, "01")
	x.marriage = searchRecord(t, st, marriages, demo.Ward, civil.KindMarriage, "3", "2010-09-15",
		[4]string{civil.RoleHusband, "Nguyễn Đức Anh", "1985-02-03", ""},
		[4]string{civil.RoleWife, "Đỗ Thị Duyên", "1987", ""})
	deaths := searchBook(t, st, demo.Ward, civil.KindDeath, 2020, "01")
	x.death = searchRecord(t, st, deaths, demo.Ward, civil.KindDeath, "7", "2020-01-20",
		[4]string{civil.RoleDeceased, "Nguyễn Văn Đức Anh", "1940", ""})
	births2005 := searchBook(t, st, demo.Ward, civil.KindBirth, 2005, "02")
	x.duc2005 = searchRecord(t, st, births2005, demo.Ward, civil.KindBirth, "44", "2005-03-04",
		[4]string{civil.RoleChild, "Nguyễn Văn Đức", "2005-03-01", "001205012345"},
		[4]string{civil.RoleMother, "Vũ Thị Mai", "1980", ""})
	other := searchBook(t, st, demo.OtherWard, civil.KindBirth, 1990, "01")
	x.otherWardDuc = searchRecord(t, st, other, demo.OtherWard, civil.KindBirth, "1", "1990-01-01",
		[4]string{civil.RoleChild, "Nguyễn Văn Đức", "1990-05-12", ""})
	return x
}

// search runs a query of the demo ward and returns the records' ids in
// rank order with the total.
func (x civilSearchFixture) search(t *testing.T, q civil.Query) ([]int64, int, []civil.Hit) {
	t.Helper()
	if q.Unit == "" {
		q.Unit = demo.Ward
	}
	hits, total, err := x.st.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Record.ID
		if h.Record.UnitCode != q.Unit {
			t.Errorf("search %+v: record %d of unit %s", q, h.Record.ID, h.Record.UnitCode)
		}
		if len(h.Record.People) == 0 {
			t.Errorf("search %+v: record %d without its people", q, h.Record.ID)
		}
	}
	return ids, total, hits
}

// TestCivilSearchNames finds names however they are typed: without
// accents, in any order, in capitals, decomposed, with extra spaces, with
// the old or new tone placement; ranks whole words and the principal
// person first, then the newest registration; never shows another unit's.
func TestCivilSearchNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		x := newCivilSearchFixture(t, engine)
		want := []int64{x.death, x.duc2005, x.duc1990} // all three exact and principal: newest registration first
		for _, q := range []string{"van duc nguyen", "Nguyễn Văn Đức", "NGUYEN  VAN   DUC", norm.NFD.String("nguyễn văn đức"),
			" đức   nguyễn văn ", "Nguyen Van Duc"} {
			ids, total, _ := x.search(t, civil.Query{Q: q})
			if !slices.Equal(ids, want) || total != 3 {
				t.Errorf("%q: %v (%d), want %v", q, ids, total, want)
			}
		}
		// Prefixes: every word the start of a word, in any order. The
		// marriage's husband (no "v…" word) is not one.
		if ids, _, _ := x.search(t, civil.Query{Q: "ng v d"}); !slices.Equal(ids, want) {
			t.Errorf("prefixes: %v, want %v", ids, want)
		}
		// hoà = hòa; the child named Hòa before the mother named Hoà.
		for _, q := range []string{"hoà", "hòa", "HOA", "thi hoa", "Thị Hoà"} {
			ids, _, hits := x.search(t, civil.Query{Q: q})
			if !slices.Equal(ids, []int64{x.hoa, x.duc1990}) || hits[0].Matched != civil.RoleChild || hits[1].Matched != civil.RoleMother {
				t.Errorf("%q: %v %+v", q, ids, hits)
			}
		}
		// A whole-word match before a prefix match: "duc anh" is the whole
		// of Nguyễn Đức Anh and of Nguyễn Văn Đức Anh, not of the others.
		if ids, _, _ := x.search(t, civil.Query{Q: "duc anh"}); !slices.Equal(ids, []int64{x.death, x.marriage}) {
			t.Errorf("duc anh: %v", ids)
		}
		if ids, _, _ := x.search(t, civil.Query{Q: "duc an"}); !slices.Equal(ids, []int64{x.death, x.marriage}) {
			t.Errorf("duc an: %v", ids)
		}
		// D is not Đ only in the query: "dung" finds nothing, "duyen" the wife.
		if ids, _, hits := x.search(t, civil.Query{Q: "duyen"}); !slices.Equal(ids, []int64{x.marriage}) || hits[0].Matched != civil.RoleWife {
			t.Errorf("duyen: %v", ids)
		}
		if ids, total, _ := x.search(t, civil.Query{Q: "dung"}); len(ids) != 0 || total != 0 {
			t.Errorf("dung: %v", ids)
		}
		// The other ward sees only its own namesake.
		if ids, _, _ := x.search(t, civil.Query{Unit: demo.OtherWard, Q: "nguyen van duc"}); !slices.Equal(ids, []int64{x.otherWardDuc}) {
			t.Errorf("other ward: %v", ids)
		}
	})
}

// TestCivilSearchFilters narrows a search by birth date, year and range,
// a parent's name, ID number, kind, book and entry, and pages it.
func TestCivilSearchFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		x := newCivilSearchFixture(t, engine)
		for _, c := range []struct {
			name string
			q    civil.Query
			want []int64
		}{
			{"birth year", civil.Query{Q: "nguyen van duc", BirthYear: 1990}, []int64{x.duc1990}},
			{"birth date", civil.Query{Q: "duc", BirthDate: "12/05/1990"}, []int64{x.duc1990}},
			{"birth date alone", civil.Query{BirthDate: "1990-05-12"}, []int64{x.duc1990}},
			{"birth range", civil.Query{Q: "nguyen", BirthFrom: "1980", BirthTo: "1999"}, []int64{x.marriage, x.duc1990}},
			{"birth year alone", civil.Query{BirthYear: 1987}, []int64{x.marriage}},
			// Partial dates are periods: "1965" (the mother) and "1987"
			// (the wife) overlap the dates and ranges that touch them.
			{"partial in exact date", civil.Query{Q: "tran hoa", BirthDate: "1965-03-04"}, []int64{x.duc1990}},
			{"partial in month", civil.Query{Q: "duyen", BirthDate: "1987-11"}, []int64{x.marriage}},
			{"partial in range", civil.Query{Q: "thi", BirthFrom: "1965-06-01", BirthTo: "1987-01-31"}, []int64{x.marriage, x.duc2005, x.duc1990}},
			{"partial in a year's range", civil.Query{Q: "hoa", BirthFrom: "1965-02-01", BirthTo: "1965-11-30"}, []int64{x.duc1990}},
			{"partial out of range", civil.Query{Q: "hoa", BirthFrom: "1966-01-01", BirthTo: "1989"}, nil},
			{"month within a day's range", civil.Query{Q: "duyen", BirthTo: "1987-01-01"}, []int64{x.marriage}},
			{"unknown date out of a range", civil.Query{Q: "lan", BirthTo: "2000"}, nil},
			{"parent", civil.Query{Parent: "tran hoa"}, []int64{x.duc1990}},
			{"name and parent", civil.Query{Q: "duc", Parent: "hung nguyen"}, []int64{x.duc1990}},
			{"parent no match", civil.Query{Q: "duc", Parent: "lan"}, nil},
			{"id number in q", civil.Query{Q: "001 205 012 345"}, []int64{x.duc2005}},
			{"id number", civil.Query{IDNumber: "001205012345"}, []int64{x.duc2005}},
			{"kind", civil.Query{Kind: civil.KindMarriage}, []int64{x.marriage}},
			{"kind and name", civil.Query{Q: "nguyen", Kind: civil.KindDeath}, []int64{x.death}},
			{"book", civil.Query{BookID: x.book}, []int64{x.hoa, x.duc1990}},
			{"book and entry", civil.Query{BookID: x.book, Entry: "12"}, []int64{x.duc1990}},
			{"book/entry in q", civil.Query{Q: "02/44"}, []int64{x.duc2005}},
			{"page", civil.Query{Q: "nguyen van duc", Limit: 1, Offset: 1}, []int64{x.duc2005}},
		} {
			if ids, _, _ := x.search(t, c.q); !slices.Equal(ids, c.want) {
				t.Errorf("%s: %v, want %v", c.name, ids, c.want)
			}
		}
		if _, total, _ := x.search(t, civil.Query{Q: "nguyen van duc", Limit: 1}); total != 3 {
			t.Errorf("total of a page: %d", total)
		}
		for _, q := range []civil.Query{{Unit: ""}, {Unit: demo.Ward, BirthDate: "31/02/1990"}, {Unit: demo.Ward, Kind: "wedding"},
			{Unit: demo.Ward, Limit: 101}, {Unit: demo.Ward, Offset: 995, Limit: 10}, {Unit: demo.Ward, Q: "a b c d e f g h i"}} {
			if _, _, err := x.st.Search(context.Background(), q); err == nil {
				t.Errorf("%+v accepted", q)
			}
		}
	})
}

// TestCivilSearchCap counts up to the cap and says "more" past it, with
// the exact-word matches ranked first even when the prefix matches alone
// would fill the cap.
func TestCivilSearchCap(t *testing.T) {
	if testing.Short() {
		t.Skip("writes more records than the cap")
	}
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		book := searchBook(t, st, demo.Ward, civil.KindBirth, 2000, "01")
		exact := searchRecord(t, st, book, demo.Ward, civil.KindBirth, "0", "2000-01-01",
			[4]string{civil.RoleChild, "Phan Thanh Bình", "2000-01-01", ""})
		for i := range store.CivilSearchCap + 5 {
			searchRecord(t, st, book, demo.Ward, civil.KindBirth, fmt.Sprint(i+1), "2000-02-01",
				[4]string{civil.RoleChild, "Phan Thanh Bình" + string(rune('a'+i%26)) + "x", "2000-01-01", ""})
		}
		hits, total, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "phan thanh binh"})
		if err != nil {
			t.Fatal(err)
		}
		if !store.CivilTotalCapped(total) || len(hits) == 0 || hits[0].Record.ID != exact {
			t.Fatalf("total %d, first %+v", total, hits[0].Record)
		}
	})
}

// TestCivilSearchPlan shows that a name search reads the unit's terms in
// the full-text index on SQLite (PostgreSQL's planner picks the GIN index
// only on tables larger than a test's: the benchmark prints its plan).
func TestCivilSearchPlan(t *testing.T) {
	x := newCivilSearchFixture(t, store.SQLite)
	plan, err := x.st.ExplainSearch(context.Background(), civil.Query{Unit: demo.Ward, Q: "nguyen van d", BirthYear: 1990})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "VIRTUAL TABLE INDEX") || !strings.Contains(plan, "civil_names") || strings.Contains(plan, "SCAN p") {
		t.Fatalf("plan:\n%s", plan)
	}
}

// TestCivilSearchPunctuatedNames finds names whose words are joined by a
// curly apostrophe (Ê Đê and Jrai names), a hyphen of either kind or a
// slash, however the query writes the joint, whether the record was
// entered or imported: the index and the query split names alike.
func TestCivilSearchPunctuatedNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		x := newCivilSearchFixture(t, engine)
		book := searchBook(t, x.st, demo.Ward, civil.KindBirth, 2015, "09")
		hhen := searchRecord(t, x.st, book, demo.Ward, civil.KindBirth, "1", "2015-01-02", [4]string{civil.RoleChild, "H’Hen Niê", "2015-01-01", ""})
		moan := searchRecord(t, x.st, book, demo.Ward, civil.KindBirth, "2", "2015-01-03", [4]string{civil.RoleChild, "Y-Moan Ênuôl", "2015-01-01", ""})
		moan2 := searchRecord(t, x.st, book, demo.Ward, civil.KindBirth, "3", "2015-01-04", [4]string{civil.RoleChild, "Y‐Moan Ênuôl", "2015-01-01", ""})
		ab := searchRecord(t, x.st, book, demo.Ward, civil.KindBirth, "4", "2015-01-05", [4]string{civil.RoleChild, "Nguyễn Văn A/B", "2015-01-01", ""})
		// The file's names: imported, on SQLite the import writes the index itself.
		file := strings.Join([]string{
			"Loại;Quyển số;Năm;Trang;Số;Ngày đăng ký;Họ tên;Giới tính;Ngày sinh;Họ tên mẹ;Năm sinh mẹ;Họ tên cha;Họ tên vợ;Ngày chết;Số định danh",
			"Khai sinh;10;2016;1;1;02/01/2016;H’Lan Êban;Nữ;01/01/2016;;;;;;",
			"Khai sinh;10;2016;1;2;03/01/2016;Y–Sơn Niê;Nam;01/01/2016;;;;;;",
		}, "\n")
		if _, err := runImport(t, x.st, []byte(file), "ede.csv", false); err != nil {
			t.Fatal(err)
		}
		names := func(q string) []string {
			_, _, hits := x.search(t, civil.Query{Q: q})
			var out []string
			for _, h := range hits {
				out = append(out, h.Record.People[0].FullName)
			}
			return out
		}
		for q, want := range map[string][]int64{
			"H’Hen Niê": {hhen}, "h'hen nie": {hhen}, "hen nie": {hhen}, "H’He": {hhen},
			"Y-Moan Ênuôl": {moan2, moan}, "Y‐Moan": {moan2, moan}, "y moan enuol": {moan2, moan}, "moan": {moan2, moan},
			"Nguyễn Văn A/B": {ab}, "van a b": {ab},
		} {
			if ids, _, _ := x.search(t, civil.Query{Q: q}); !slices.Equal(ids, want) {
				t.Errorf("%q: %v, want %v", q, ids, want)
			}
		}
		if got := names("H’Lan Êban"); !slices.Equal(got, []string{"H’Lan Êban"}) {
			t.Errorf("imported H’Lan: %v", got)
		}
		if got := names("y son"); !slices.Equal(got, []string{"Y–Sơn Niê"}) {
			t.Errorf("imported Y–Sơn: %v", got)
		}
	})
}
