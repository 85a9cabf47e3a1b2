package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMigration0037 takes a register back to the name index without birth
// years and runs the migration again: the record entered before is found
// by name and birth year (its year now a term of the index), so is one
// entered afterwards, and neither by another year; on SQLite the index
// then passes FTS5's integrity check.
func TestMigration0037(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, reg, book := oneBirthRegister(t, engine)
		back := []string{`DELETE FROM schema_migrations WHERE version = 37`}
		if engine == store.SQLite {
			terms := func(p string) string {
				return p + `unit_code || '_' || replace(` + p + `name_words, ' ', ' ' || ` + p + `unit_code || '_')`
			}
			back = append(back, `DROP TRIGGER civil_people_names_insert`, `DROP TRIGGER civil_people_names_update`, `DROP TRIGGER civil_people_names_delete`,
				`CREATE TRIGGER civil_people_names_insert AFTER INSERT ON civil_people BEGIN
					INSERT INTO civil_names (rowid, terms) VALUES (new.id, `+terms("new.")+`); END`,
				`CREATE TRIGGER civil_people_names_delete AFTER DELETE ON civil_people BEGIN
					INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id, `+terms("old.")+`); END`,
				`CREATE TRIGGER civil_people_names_update AFTER UPDATE OF name_words, unit_code ON civil_people BEGIN
					INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id, `+terms("old.")+`);
					INSERT INTO civil_names (rowid, terms) VALUES (new.id, `+terms("new.")+`); END`,
				`INSERT INTO civil_names (civil_names) VALUES ('delete-all')`,
				`INSERT INTO civil_names (rowid, terms) SELECT id, `+terms("")+` FROM civil_people`)
		} else {
			back = append(back, `DROP INDEX civil_people_names`, `DROP FUNCTION civil_name_terms(TEXT, TEXT, TEXT)`,
				`CREATE FUNCTION civil_name_terms(unit TEXT, words TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
				RETURN array_to_tsvector(ARRAY(SELECT lower(unit) || '_' || w FROM unnest(string_to_array(words, ' ')) w
					UNION SELECT lower(unit) || '_' || left(w, n) || '*' FROM unnest(string_to_array(words, ' ')) w, generate_series(1, least(7, length(w))) n))`,
				`CREATE INDEX civil_people_names ON civil_people USING gin (civil_name_terms(unit_code, name_words)) WITH (fastupdate = off)`)
		}
		db := migrateAgain(t, engine, f, back...)
		svc := f.Civil()
		svc.Store = store.Civil{DB: db}
		if err := svc.Enter(ctx, reg, birthRecord(book.ID, "Nguyễn Văn Đức Anh", "01/04/1975", "Trần Thị Hoà", "2")); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			q    civil.Query
			want int
		}{
			{civil.Query{Q: "nguyen duc", BirthYear: 1975}, 2},
			{civil.Query{Q: "ng du", BirthYear: 1975}, 2},
			{civil.Query{Q: "duc anh", BirthDate: "1975-04-01"}, 1},
			{civil.Query{Q: "nguyen duc", BirthYear: 1976}, 0},
			{civil.Query{Q: "hoa", BirthYear: 1950}, 2}, // the mothers
		} {
			if _, n, err := svc.Search(ctx, reg, c.q); err != nil || n != c.want {
				t.Errorf("search %+v after the migration: %d (%v), want %d", c.q, n, err, c.want)
			}
		}
		if engine == store.SQLite {
			raw := rawDB(t, engine, f.DSN)
			if _, err := raw.Exec(`INSERT INTO civil_names (civil_names, rank) VALUES ('integrity-check', 1)`); err != nil {
				t.Errorf("the name index fails its integrity check: %v", err)
			}
		}
	})
}
