package importcsv_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil/importcsv"
	"github.com/motcua/motcua/internal/demo"
)

// The tests that write go through the store, on both engines: see
// internal/store/civil_import_test.go. These check the reading alone, and
// keep the fuzz targets' binary free of the database drivers (fuzzing
// instruments every package it links).

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func run(t *testing.T, file []byte) (*importcsv.Report, error) {
	t.Helper()
	return importcsv.Import(context.Background(), nil, bytes.NewReader(file), int64(len(file)),
		importcsv.Options{Unit: demo.Ward, Name: "x.csv", DryRun: true, Now: now})
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
		_, err := run(t, []byte(c.file))
		if e := apperr.As(err); e == nil || !strings.Contains(e.Message, c.want) {
			t.Errorf("%q: %v", c.file, err)
		}
	}
	rep, err := run(t, []byte("LOAI,Quyen so,NAM,So,Ho ten\nkhai sinh,1,1999,1,An\n"))
	if err != nil || rep.Valid != 1 {
		t.Errorf("unaccented headers: %+v %v", rep, err)
	}
}

// FuzzImportCSV feeds any bytes to a dry run: it reports or refuses, never
// panics, and counts every row once.
func FuzzImportCSV(f *testing.F) {
	register, err := os.ReadFile("testdata/so-khai-sinh-1990.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(register)
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
	good, err := os.ReadFile("testdata/so-khai-sinh.xlsx")
	if err != nil {
		f.Fatal(err)
	}
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
