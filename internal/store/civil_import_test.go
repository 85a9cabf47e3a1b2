package store_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/civil/importcsv"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// oldRegister is an export of an old register as Excel writes it in a
// Vietnamese locale: a byte order mark, a title row, semicolons; a birth
// with both parents, a birth, a marriage and a death, and an empty row.
func oldRegister(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../civil/importcsv/testdata/so-khai-sinh-1990.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var importNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func runImport(t *testing.T, st importcsv.Store, file []byte, name string, dry bool) (*importcsv.Report, error) {
	t.Helper()
	return importcsv.Import(context.Background(), st, bytes.NewReader(file), int64(len(file)),
		importcsv.Options{Unit: demo.Ward, Name: name, DryRun: dry, Now: importNow})
}

func civilCount(t *testing.T, db *store.DB) (records, books int) {
	t.Helper()
	st := store.Civil{DB: db}
	p, err := st.Progress(context.Background(), demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	return int(p.Entered), int(p.Books)
}

// TestImportCSV imports an old register's CSV on both engines: a dry run
// writes nothing, the real run writes every record with its people, its
// book (created) and its sealed first event naming the file and row, and
// the names are found by the search at once.
func TestCivilImportCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		rep, err := runImport(t, st, []byte(oldRegister(t)), "so-1990.csv", true)
		if err != nil || rep.Rows != 4 || rep.Valid != 4 || rep.Written != 0 || rep.Books != 3 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		if n, b := civilCount(t, f.DB); n != 0 || b != 0 {
			t.Fatalf("dry run wrote %d records, %d books", n, b)
		}
		rep, err = runImport(t, st, []byte(oldRegister(t)), "so-1990.csv", false)
		if err != nil || rep.Written != 4 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if n, b := civilCount(t, f.DB); n != 4 || b != 3 {
			t.Fatalf("imported %d records in %d books", n, b)
		}
		hits, total, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "hoa"})
		if err != nil || total != 2 || hits[0].Record.People[0].FullName != "Lê Thị Hòa" {
			t.Fatalf("search: %d %+v %v", total, hits, err)
		}
		r, err := st.Get(context.Background(), hits[1].Record.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != civil.StatusEntered || r.Source != civil.SourceImport || len(r.People) != 3 || r.People[1].Role != civil.RoleMother ||
			r.People[0].BirthDate != "1990-05-12" || r.RegisteredOn != "1990-06-01" {
			t.Fatalf("record: %+v", r)
		}
		if len(r.Events) != 1 || dossier.VerifyChain(civil.ChainName(r.ID), r.Events) != 0 ||
			civil.NoteDigest(r.Events[0].Note) != r.Digest() || civil.HumanNote(r.Events[0].Note) != "Nhập từ tệp so-1990.csv, dòng 3" {
			t.Fatalf("history: %+v", r.Events)
		}
		// The same books again: found, not created twice; counters add up.
		again := strings.NewReplacer(";5;12;", ";5;14;", ";5;13;", ";5;15;", ";1;3;", ";1;4;", ";2;7;", ";2;8;").Replace(oldRegister(t))
		if _, err := runImport(t, st, []byte(again), "so-1990b.csv", false); err != nil {
			t.Fatal(err)
		}
		if n, b := civilCount(t, f.DB); n != 8 || b != 3 {
			t.Fatalf("second import: %d records in %d books", n, b)
		}
	})
}

// TestImportBadRow refuses a file with one bad row: nothing is written and
// the report names the row and the column, in Vietnamese.
func TestCivilImportBadRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		bad := strings.Replace(oldRegister(t), "01/07/1990", "31/02/1990", 1)
		bad = strings.Replace(bad, "Kết hôn;01;2010", "Kết hôn;01;20x0", 1)
		rep, err := runImport(t, st, []byte(bad), "bad.csv", false)
		if apperr.Code(err) != apperr.EINVALID || rep == nil || rep.Invalid != 2 || rep.Written != 0 || len(rep.Errors) != 2 {
			t.Fatalf("bad rows: %+v %v", rep, err)
		}
		if e := rep.Errors[0]; e.Row != 4 || e.Column != "Ngày sinh" || !strings.Contains(e.Message, "Ngày sinh") {
			t.Errorf("first error: %+v", e)
		}
		if e := rep.Errors[1]; e.Row != 5 || e.Column != "Năm" {
			t.Errorf("second error: %+v", e)
		}
		if n, b := civilCount(t, f.DB); n != 0 || b != 0 {
			t.Fatalf("a refused import wrote %d records, %d books", n, b)
		}
		// A marriage without the wife: the column of the missing name.
		noWife := strings.Replace(oldRegister(t), "Đỗ Thị Duyên", "", 1)
		rep, _ = runImport(t, st, []byte(noWife), "x.csv", true)
		if len(rep.Errors) != 1 || rep.Errors[0].Column != "Họ tên vợ" {
			t.Errorf("missing wife: %+v", rep.Errors)
		}
	})
}

// xlsxOf writes rows as the first sheet of a workbook.
func xlsxOf(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportXLSX imports a workbook with unaccented and English headers
// and numbers typed as numbers.
func TestCivilImportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		file := xlsxOf(t, [][]any{
			{"Kind", "Book", "Year", "Entry", "Full name", "Sex", "Date of birth", "Mother", "Father", "So dinh danh"},
			{"birth", "03", 2001, 1, "Phạm Minh Châu", "F", "2001-04-05", "Ngô Thị Bích", "Phạm Văn Tâm", "001301012345"},
			{"KS", "03", 2001, 2, "Phạm Quốc Bảo", "m", "06/05/2001", "", "", ""},
		})
		rep, err := runImport(t, st, file, "so.xlsx", false)
		if err != nil || rep.Written != 2 || rep.Books != 1 {
			t.Fatalf("xlsx: %+v %v", rep, err)
		}
		hits, _, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "chau pham", Parent: "bich"})
		if err != nil || len(hits) != 1 || hits[0].Record.People[0].IDNumber != "001301012345" || hits[0].Record.Entry != "1" {
			t.Fatalf("search: %+v %v", hits, err)
		}
		// The import writes the birth year's term as the triggers do.
		for year, want := range map[int]int{2001: 1, 2002: 0} {
			if _, n, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "bao pham", BirthYear: year}); err != nil || n != want {
				t.Errorf("bao pham born in %d: %d (%v), want %d", year, n, err, want)
			}
		}
		bad := xlsxOf(t, [][]any{{"Kind", "Book", "Year", "Entry", "Full name"}, {"birth", "03", 2001, 3, ""}})
		rep, err = runImport(t, st, bad, "bad.xlsx", false)
		if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 2 || rep.Errors[0].Column != "Họ tên" {
			t.Fatalf("bad xlsx: %+v %v", rep, err)
		}
	})
}

// TestCivilImportRepeatedEntries refuses the rows whose book and entry are
// already registered, in the database or earlier in the file: the same
// file imported twice fails the second time and writes nothing.
func TestCivilImportRepeatedEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		if _, err := runImport(t, st, []byte(oldRegister(t)), "so-1990.csv", false); err != nil {
			t.Fatal(err)
		}
		rep, err := runImport(t, st, []byte(oldRegister(t)), "so-1990.csv", false)
		if apperr.Code(err) != apperr.EINVALID || rep.Written != 0 || rep.Invalid == 0 {
			t.Fatalf("second import: %+v %v", rep, err)
		}
		if e := rep.Errors[0]; e.Row != 3 || e.Column != "Số" || !strings.Contains(e.Message, "Số 12 đã có trong quyển 01 năm 1990") {
			t.Errorf("second import's error: %+v", e)
		}
		if n, b := civilCount(t, f.DB); n != 4 || b != 3 {
			t.Fatalf("the refused import wrote: %d records in %d books", n, b)
		}
		// A new book whose file repeats an entry: the repeat's row, dry run or not.
		lines := strings.Split(oldRegister(t), "\n")
		twice := strings.Join(append(lines[:2:2], strings.ReplaceAll(strings.ReplaceAll(lines[2], ";01;1990;", ";09;1991;"), "Đức", "Minh"),
			strings.ReplaceAll(lines[2], ";01;1990;", ";09;1991;")), "\n")
		for _, dry := range []bool{true, false} {
			rep, err = runImport(t, st, []byte(twice), "lap.csv", dry)
			if apperr.Code(err) != apperr.EINVALID || rep.Invalid != 1 || rep.Errors[0].Row != 4 || !strings.Contains(rep.Errors[0].Message, "đã có ở dòng 3") {
				t.Errorf("repeat in the file (dry %v): %+v %v", dry, rep, err)
			}
		}
		if n, b := civilCount(t, f.DB); n != 4 || b != 3 {
			t.Fatalf("the refused file wrote: %d records in %d books", n, b)
		}
	})
}

// TestCivilImportFlagsDuplicates flags, in the import's transaction, the
// imported records likely the same as one registered before or one
// earlier in the file: namesakes born the same day.
func TestCivilImportFlagsDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		lines := strings.Split(oldRegister(t), "\n")
		// Row 3 (Nguyễn Văn Đức, 12/05/1990, mother Trần Thị Hoà) again
		// as entry 20 with the same parents, and as entry 21 without them.
		again := strings.Replace(lines[2], ";5;12;", ";5;20;", 1)
		noMother := strings.NewReplacer(";5;12;", ";5;21;", "Trần Thị Hoà", "", "Nguyễn Văn Hùng", "").Replace(lines[2])
		file := strings.Join(append(lines[:len(lines):len(lines)], again, noMother), "\n")
		if rep, err := runImport(t, st, []byte(file), "trung.csv", false); err != nil {
			t.Fatalf("%+v %v", rep, err)
		}
		dups, _, err := st.Duplicates(context.Background(), demo.Ward, civil.DupOpen, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		reasons := map[string]int{}
		for _, d := range dups {
			if d.NameA != "Nguyễn Văn Đức" || d.NameB != "Nguyễn Văn Đức" || d.A >= d.B {
				t.Errorf("pair: %+v", d)
			}
			reasons[d.Reason]++
		}
		// 12~20 share the parents, 12~21 and 20~21 only name and date.
		if len(dups) != 3 || reasons[civil.DupSameParent] != 1 || reasons[civil.DupNameDate] != 2 {
			t.Errorf("flagged: %+v", dups)
		}
	})
}

// importBirths imports n births into demo.Ward's book 01 of 1975 (entries
// from first on), the i-th named by name(i); dossier(i) gives a record's
// dossier code ("" for none).
func importBirths(st store.Civil, first, n int, name func(int) string, dossier func(int) string) error {
	return st.ImportCivil(context.Background(), func(add func(*civil.Record, int, string, string) error) error {
		for i := range n {
			r := birthRecord(0, name(i), "1975-03-02", "Trần Thị Hoà", strconv.Itoa(first+i))
			r.UnitCode, r.Kind, r.Status, r.DossierCode = demo.Ward, civil.KindBirth, civil.StatusEntered, dossier(i)
			if err := r.Validate(importNow); err != nil {
				return err
			}
			if err := add(r, 1975, "01", "test"); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestCivilImportBatches imports more records than one batch holds (the
// rows are prepared while the batch before is written): every record and
// its names are there, the last batch's found by the search like the
// first's. A batch refused while being written (a dossier code another
// record has) fails the whole import, and nothing of it stays.
func TestCivilImportBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		const n = 4500 // three batches, the last one partial
		given := func(i int) string { return "Nguyễn Văn Số" + strconv.Itoa(i) }
		none := func(int) string { return "" }
		if err := importBirths(st, 1, n, given, none); err != nil {
			t.Fatal(err)
		}
		if recs, books := civilCount(t, f.DB); recs != n || books != 1 {
			t.Fatalf("imported: %d records in %d books, want %d in 1", recs, books, n)
		}
		for _, i := range []int{0, 2100, n - 1} {
			hits, total, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "nguyen van so" + strconv.Itoa(i)})
			if err != nil || total != 1 || hits[0].Record.People[0].FullName != given(i) {
				t.Fatalf("search of record %d: %d %v %v", i, total, hits, err)
			}
		}
		if engine == "sqlite" { // the words prefix searches expand into, written by the import itself
			raw := rawDB(t, engine, f.DSN)
			var words int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM civil_name_words WHERE unit_code = ? AND word IN ('nguyen', 'van', 'so0', 'so4499', 'tran', 'thi', 'hoa')`,
				demo.Ward).Scan(&words); err != nil || words != 7 {
				t.Errorf("the imported name words: %d of 7 (%v)", words, err)
			}
		}
		// Record 3,000 of the next import repeats a dossier code of the
		// register: its batch is refused by the unique index as written.
		if err := importBirths(st, n+1, 1, func(int) string { return "Lê Thị Mai" }, func(int) string { return "HS-1" }); err != nil {
			t.Fatal(err)
		}
		err := importBirths(st, n+2, n, given, func(i int) string {
			if i == 3000 {
				return "HS-1"
			}
			return ""
		})
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("import with a repeated dossier code: %v", err)
		}
		if recs, _ := civilCount(t, f.DB); recs != n+1 {
			t.Fatalf("the refused import left %d records, want %d", recs, n+1)
		}
	})
}
