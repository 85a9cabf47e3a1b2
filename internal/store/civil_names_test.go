package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCivilNamesFollowEdits edits a record's names and removes its people:
// the name index forgets the old names (SQLite takes a person's terms out
// with FTS5's 'delete' command, from the columns that wrote them) and finds
// the new ones; on SQLite the index then passes FTS5's integrity check.
func TestCivilNamesFollowEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1975, "01")
		r := birthRecord(book.ID, "Nguyễn Văn Đức", "12/03/1975", "Trần Thị Hoà", "1")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		other := birthRecord(book.ID, "Nguyễn Văn Đức Anh", "01/04/1975", "", "2")
		if err := svc.Enter(ctx, reg, other); err != nil {
			t.Fatal(err)
		}
		count := func(q civil.Query) int {
			t.Helper()
			_, n, err := svc.Search(ctx, reg, q)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		edited := *birthRecord(book.ID, "Lê Minh Khải", "12/03/1975", "Phạm Thị Thu", "1")
		if _, err := svc.Edit(ctx, reg, r.ID, edited); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			q    civil.Query
			want int
		}{
			{civil.Query{Q: "nguyen van duc"}, 1}, // only the other record now
			{civil.Query{Q: "khai le"}, 1},
			{civil.Query{Q: "le mi"}, 1},
			{civil.Query{Q: "duc", Parent: "tran thi hoa"}, 0},
			{civil.Query{Q: "khai", Parent: "pham thu"}, 1},
		} {
			if n := count(c.q); n != c.want {
				t.Errorf("search %+v after the edit: %d, want %d", c.q, n, c.want)
			}
		}
		// The birth year is a term of the index: an edited date moves it.
		moved := *birthRecord(book.ID, "Lê Minh Khải", "1974", "Phạm Thị Thu", "1")
		if _, err := svc.Edit(ctx, reg, r.ID, moved); err != nil {
			t.Fatal(err)
		}
		for year, want := range map[int]int{1975: 0, 1974: 1} {
			if n := count(civil.Query{Q: "khai", BirthYear: year}); n != want {
				t.Errorf("khai born in %d after the date's edit: %d, want %d", year, n, want)
			}
		}
		if engine != "sqlite" {
			return
		}
		// The index itself, not only the search's join with the people,
		// holds each name once.
		raw := rawDB(t, engine, f.DSN)
		indexed := func(word string) int {
			t.Helper()
			var n int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM civil_names WHERE civil_names MATCH ?`, `"`+reg.UnitCode+"_"+word+`"`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if d, k := indexed("duc"), indexed("khai"); d != 1 || k != 1 {
			t.Errorf("indexed after the edit: duc %d, khai %d; want 1 and 1", d, k)
		}
		// The unit's words, which prefix searches expand into (a removed
		// name's words may stay: they match nothing).
		var words int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM civil_name_words WHERE unit_code = ? AND word IN ('nguyen', 'van', 'duc', 'anh', 'le', 'minh', 'khai', 'tran', 'thi', 'hoa', 'pham', 'thu')`,
			reg.UnitCode).Scan(&words); err != nil || words != 12 {
			t.Errorf("the unit's name words: %d of 12 (%v)", words, err)
		}
		mustExec(t, raw, engine, `DELETE FROM civil_people WHERE record_id = ?`, other.ID)
		if n, d := count(civil.Query{Q: "nguyen van duc"}), indexed("duc"); n != 0 || d != 0 {
			t.Errorf("a removed person is still found: %d, indexed %d", n, d)
		}
		if _, err := raw.Exec(`INSERT INTO civil_names (civil_names, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("the name index fails its integrity check: %v", err)
		}
	})
}

// TestCivilSearchPlanWithYear keeps SQLite's name index driving a search
// by name and birth year: the duplicates' index (unit, birth date, name)
// would otherwise walk every birth of the year in the unit.
func TestCivilSearchPlanWithYear(t *testing.T) {
	f := storetest.NewFixture(t, "sqlite")
	plan, err := store.Civil{DB: f.DB}.ExplainSearch(context.Background(), civil.Query{Unit: f.Users["hotich"].UnitCode, Q: "nguyen duc", BirthYear: 1975})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plan, "SCAN civil_names VIRTUAL TABLE") || strings.Contains(plan, "civil_people_dup") {
		t.Fatalf("plan of a name and a birth year:\n%s", plan)
	}
}
