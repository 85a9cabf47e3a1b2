package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// oldBook is a page of an old birth register typed into a spreadsheet.
const oldBook = "\uFEFFLoại;Quyển số;Năm;Trang;Số;Ngày đăng ký;Họ tên;Giới tính;Ngày sinh;Họ tên mẹ;Họ tên cha\n" +
	"Khai sinh;01;1985;3;21;02/04/1985;Hoàng Thị Thuý;Nữ;28/03/1985;Đinh Thị Hạnh;Hoàng Văn Lộc\n" +
	"Khai sinh;01;1985;3;22;05/04/1985;Bùi Quang Huy;Nam;01/04/1985;Lý Thị Nga;Bùi Văn Tư\n"

// TestCivilImportCommand runs `motcua civil import` on both engines: the
// dry run reports and writes nothing, the import writes the records and
// tells the rate, a file with a bad row is refused naming row and column.
func TestCivilImportCommand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		t.Setenv("MOTCUA_DB", "")
		dsn := storetest.DSN(t, engine)
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Seed(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		db.Close()
		dir := t.TempDir()
		good := filepath.Join(dir, "so-khai-sinh-1985.csv")
		bad := filepath.Join(dir, "bad.csv")
		if err := os.WriteFile(good, []byte(oldBook), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bad, []byte(strings.Replace(oldBook, "Nữ", "Không rõ", 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		out, _, err := runCLI(t, "civil", "import", "--db", dsn, "--unit", demo.Ward, "--dry-run", good)
		if err != nil || !strings.Contains(out, "dry run: 2 rows, 2 valid, 0 invalid, 1 books") {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		out, stderr, err := runCLI(t, "civil", "import", "--db", dsn, "--unit", demo.Ward, bad)
		if err == nil || !strings.Contains(out, "Dòng 2, cột “Giới tính”: Giới tính là nam hoặc nữ") {
			t.Fatalf("bad file: %v\n%s%s", err, out, stderr)
		}
		out, stderr, err = runCLI(t, "civil", "import", "--db", dsn, "--unit", demo.Ward, good)
		if err != nil || !strings.Contains(out, "imported 2 records into 1 books") || !strings.Contains(stderr, "civil import: 2/2 rows") {
			t.Fatalf("import: %v\n%s%s", err, out, stderr)
		}
		if _, _, err := runCLI(t, "civil", "import", "--db", dsn, "--unit", "99999", good); err == nil {
			t.Error("an unknown unit was accepted")
		}
		db, err = store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		hits, total, err := store.Civil{DB: db}.Search(context.Background(), civil.Query{Unit: demo.Ward, Q: "thuy hoang", Parent: "loc"})
		if err != nil || total != 1 || hits[0].Record.Entry != "21" {
			t.Fatalf("search after the import: %d %+v %v", total, hits, err)
		}
		// The import's records pass the audit of every chain and content.
		if out, _, err := runCLI(t, "audit", "verify", "--db", dsn); err != nil || !strings.Contains(out, "2 civil-status records") {
			t.Fatalf("audit: %v\n%s", err, out)
		}
	})
}
