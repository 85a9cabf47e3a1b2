package importcsv_test

import (
	"bytes"
	"context"
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

// vietnameseCSV is an export of an old register as Excel writes it in a
// Vietnamese locale: a byte order mark, a title row, semicolons.
const vietnameseCSV = "\uFEFFSổ đăng ký hộ tịch phường Ba Đình\n" +
	"Loại;Quyển số;Năm;Trang;Số;Ngày đăng ký;Họ tên;Giới tính;Ngày sinh;Họ tên mẹ;Năm sinh mẹ;Họ tên cha;Họ tên vợ;Ngày chết;Số định danh\n" +
	"Khai sinh;01;1990;5;12;01/06/1990;Nguyễn Văn Đức;Nam;12/05/1990;Trần Thị Hoà;1965;Nguyễn Văn Hùng;;;\n" +
	"Khai sinh;01;1990;5;13;02/07/1990;Lê Thị Hòa;Nữ;01/07/1990;Phạm Thị Lan;;;;;\n" +
	"Kết hôn;01;2010;1;3;15/09/2010;Nguyễn Đức Anh;Nam;03/02/1985;;;;Đỗ Thị Duyên;;\n" +
	"Khai tử;02;2020;2;7;20/01/2020;Nguyễn Văn Đức Anh;Nam;1940;;;;;19/01/2020;\n" +
	";;;;;;;;;;;;;;\n"

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func run(t *testing.T, st importcsv.Store, file []byte, name string, dry bool) (*importcsv.Report, error) {
	t.Helper()
	return importcsv.Import(context.Background(), st, bytes.NewReader(file), int64(len(file)),
		importcsv.Options{Unit: demo.Ward, Name: name, DryRun: dry, Now: now})
}

func count(t *testing.T, db *store.DB) (records, books int) {
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
func TestImportCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		rep, err := run(t, st, []byte(vietnameseCSV), "so-1990.csv", true)
		if err != nil || rep.Rows != 4 || rep.Valid != 4 || rep.Written != 0 || rep.Books != 3 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		if n, b := count(t, f.DB); n != 0 || b != 0 {
			t.Fatalf("dry run wrote %d records, %d books", n, b)
		}
		rep, err = run(t, st, []byte(vietnameseCSV), "so-1990.csv", false)
		if err != nil || rep.Written != 4 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if n, b := count(t, f.DB); n != 4 || b != 3 {
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
		again := strings.ReplaceAll(vietnameseCSV, ";12;", ";14;")
		if _, err := run(t, st, []byte(again), "so-1990b.csv", false); err != nil {
			t.Fatal(err)
		}
		if n, b := count(t, f.DB); n != 8 || b != 3 {
			t.Fatalf("second import: %d records in %d books", n, b)
		}
	})
}

// TestImportBadRow refuses a file with one bad row: nothing is written and
// the report names the row and the column, in Vietnamese.
func TestImportBadRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		bad := strings.Replace(vietnameseCSV, "01/07/1990", "31/02/1990", 1)
		bad = strings.Replace(bad, "Kết hôn;01;2010", "Kết hôn;01;20x0", 1)
		rep, err := run(t, st, []byte(bad), "bad.csv", false)
		if apperr.Code(err) != apperr.EINVALID || rep == nil || rep.Invalid != 2 || rep.Written != 0 || len(rep.Errors) != 2 {
			t.Fatalf("bad rows: %+v %v", rep, err)
		}
		if e := rep.Errors[0]; e.Row != 4 || e.Column != "Ngày sinh" || !strings.Contains(e.Message, "Ngày sinh") {
			t.Errorf("first error: %+v", e)
		}
		if e := rep.Errors[1]; e.Row != 5 || e.Column != "Năm" {
			t.Errorf("second error: %+v", e)
		}
		if n, b := count(t, f.DB); n != 0 || b != 0 {
			t.Fatalf("a refused import wrote %d records, %d books", n, b)
		}
		// A marriage without the wife: the column of the missing name.
		noWife := strings.Replace(vietnameseCSV, "Đỗ Thị Duyên", "", 1)
		rep, _ = run(t, st, []byte(noWife), "x.csv", true)
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
func TestImportXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		st := store.Civil{DB: f.DB}
		file := xlsxOf(t, [][]any{
			{"Kind", "Book", "Year", "Entry", "Full name", "Sex", "Date of birth", "Mother", "Father", "So dinh danh"},
			{"birth", "03", 2001, 1, "Phạm Minh Châu", "F", "2001-04-05", "Ngô Thị Bích", "Phạm Văn Tâm", "001301012345"},
			{"KS", "03", 2001, 2, "Phạm Quốc Bảo", "m", "06/05/2001", "", "", ""},
		})
		rep, err := run(t, st, file, "so.xlsx", false)
		if err != nil || rep.Written != 2 || rep.Books != 1 {
			t.Fatalf("xlsx: %+v %v", rep, err)
		}
		hits, _, err := st.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "chau pham", Parent: "bich"})
		if err != nil || len(hits) != 1 || hits[0].Record.People[0].IDNumber != "001301012345" || hits[0].Record.Entry != "1" {
			t.Fatalf("search: %+v %v", hits, err)
		}
		bad := xlsxOf(t, [][]any{{"Kind", "Book", "Year", "Entry", "Full name"}, {"birth", "03", 2001, 3, ""}})
		rep, err = run(t, st, bad, "bad.xlsx", false)
		if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 2 || rep.Errors[0].Column != "Họ tên" {
			t.Fatalf("bad xlsx: %+v %v", rep, err)
		}
	})
}

// TestImportHeaders refuses a file without the layout's header, naming the
// missing columns, and an empty file.
func TestImportHeaders(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"", "trống"},
		{"\uFEFF  \n", "trống"},
		{"Họ tên,Ngày sinh\nAn,1990\n", "“Loại”"},
		{"loai,quyen so,nam,so\n", "“Họ tên”"},
	} {
		_, err := run(t, nil, []byte(c.file), "x.csv", true)
		if e := apperr.As(err); e == nil || !strings.Contains(e.Message, c.want) {
			t.Errorf("%q: %v", c.file, err)
		}
	}
	rep, err := run(t, nil, []byte("LOAI,Quyen so,NAM,So,Ho ten\nkhai sinh,1,1999,1,An\n"), "x.csv", true)
	if err != nil || rep.Valid != 1 {
		t.Errorf("unaccented headers: %+v %v", rep, err)
	}
}

// FuzzImportCSV feeds any bytes to a dry run: it reports or refuses, never
// panics, and counts every row once.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(vietnameseCSV))
	f.Add([]byte("Loại,Quyển số,Năm,Số,Họ tên\n\"khai sinh,1,1999,1,An\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		rep, err := importcsv.Import(context.Background(), nil, bytes.NewReader(file), int64(len(file)),
			importcsv.Options{Unit: demo.Ward, Name: "f.csv", DryRun: true, Now: now})
		if err == nil && rep.Valid+rep.Invalid != rep.Rows {
			t.Fatalf("rows %d != %d + %d", rep.Rows, rep.Valid, rep.Invalid)
		}
	})
}

// FuzzImportXLSX feeds damaged workbooks to a dry run.
func FuzzImportXLSX(f *testing.F) {
	good := xlsxOf(f, [][]any{{"Loại", "Quyển số", "Năm", "Số", "Họ tên"}, {"Khai sinh", "1", 1999, 1, "An"}})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, file []byte) {
		if len(file) > 1<<20 {
			return
		}
		rep, err := importcsv.Import(context.Background(), nil, bytes.NewReader(file), int64(len(file)),
			importcsv.Options{Unit: demo.Ward, Name: "f.xlsx", DryRun: true, Now: now})
		if err == nil && rep.Valid+rep.Invalid != rep.Rows {
			t.Fatalf("rows %d != %d + %d", rep.Rows, rep.Valid, rep.Invalid)
		}
	})
}
