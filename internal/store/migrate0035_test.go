package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0035 takes a register back to the name index before this
// version and runs the migration again: the names entered before are
// found, by whole words and by prefixes of every length, the unit's words
// are listed, and a record entered afterwards is indexed by the new
// triggers. The index of scans holds only the scanned records.
func TestMigration0035(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, reg, book := oneBirthRegister(t, engine)
		back := []string{`DROP INDEX civil_records_scan`, `CREATE INDEX civil_records_scan ON civil_records(scan_sha256)`,
			`CREATE INDEX civil_people_birth_year ON civil_people(unit_code, birth_year)`,
			`CREATE INDEX civil_records_unit_status ON civil_records(unit_code, status)`,
			`DELETE FROM schema_migrations WHERE version = 35`}
		if engine == store.SQLite {
			// 0037 writes the index again after 0035 (its years).
			back = append(back, `DELETE FROM schema_migrations WHERE version = 37`)
			back = append([]string{`DROP TABLE civil_name_words`, `DROP TABLE civil_names`,
				`CREATE VIRTUAL TABLE civil_names USING fts5(terms, content = '', contentless_delete = 1, detail = 'none', prefix = '7 8',
					tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`,
				`INSERT INTO civil_names (rowid, terms) SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_') FROM civil_people`,
				`DROP TRIGGER civil_people_names_insert`, `DROP TRIGGER civil_people_names_update`, `DROP TRIGGER civil_people_names_delete`,
				`CREATE TRIGGER civil_people_names_insert AFTER INSERT ON civil_people BEGIN
					INSERT INTO civil_names (rowid, terms) VALUES (new.id, new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_')); END`,
				`CREATE TRIGGER civil_people_names_delete AFTER DELETE ON civil_people BEGIN DELETE FROM civil_names WHERE rowid = old.id; END`,
				`CREATE TRIGGER civil_people_names_update AFTER UPDATE OF name_words, unit_code ON civil_people BEGIN
					DELETE FROM civil_names WHERE rowid = old.id;
					INSERT INTO civil_names (rowid, terms) VALUES (new.id, new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_')); END`,
			}, back...)
		}
		db := migrateAgain(t, engine, f, back...)
		svc := f.Civil()
		svc.Store = store.Civil{DB: db}
		if err := svc.Enter(ctx, reg, birthRecord(book.ID, "Nguyễn Thị Hoài", "01/04/1975", "Trần Thị Hoà", "2")); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"nguyen van duc": 1, "ng v d": 1, "nguy duc": 1, "nguyen hoai": 1, "nguyen hoa": 1, "hoai": 1, "hoa": 2, "nguyen": 2, "tran": 2, "le": 0} {
			if _, n, err := svc.Search(ctx, reg, civil.Query{Q: q}); err != nil || n != want {
				t.Errorf("search %q after the migration: %d (%v), want %d", q, n, err, want)
			}
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{Q: "hoai", Parent: "tran thi hoa"}); n != 1 {
			t.Errorf("search by the mother after the migration: %d, want 1", n)
		}
		// A year alone reads the birth dates' range: the children of 1975,
		// not their mothers (born 1950).
		if _, n, _ := svc.Search(ctx, reg, civil.Query{BirthYear: 1975}); n != 2 {
			t.Errorf("search by birth year after the migration: %d, want 2", n)
		}
		if engine == store.SQLite {
			raw := rawDB(t, engine, f.DSN)
			var words int
			if err := raw.QueryRow(`SELECT COUNT(*) FROM civil_name_words WHERE unit_code = ?`, reg.UnitCode).Scan(&words); err != nil || words != 7 {
				t.Errorf("the unit's words after the migration: %d (%v), want 7 (nguyen van duc tran thi hoa hoai)", words, err)
			}
		}
	})
}
