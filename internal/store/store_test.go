package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/unit"
)

// sharedUnits finds the shared unit list by walking up from the package
// directory.
func sharedUnits(t *testing.T, name string) string {
	dir, _ := os.Getwd()
	for i := 0; i < 6; i++ {
		p := filepath.Join(dir, "shared", "data", "units", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		dir = filepath.Dir(dir)
	}
	t.Skip("shared/data/units not found beside the project: unit import test skipped")
	return ""
}

func TestImportUnitsRealFile(t *testing.T) {
	path := sharedUnits(t, "vn_units_2025.json")
	storetest.Each(t, func(t *testing.T, engine string) {
		db := storetest.Open(t, engine)
		ctx := context.Background()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		units, err := unit.Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ImportUnits(ctx, units)
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != 34+3321 || res.Changed != 0 {
			t.Fatalf("first import: %+v, want 3355 added", res)
		}
		counts, err := db.CountUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["province"] != 34 {
			t.Errorf("provinces = %d, want 34", counts["province"])
		}
		if n := counts["ward"] + counts["commune"] + counts["special_zone"]; n != 3321 {
			t.Errorf("communes = %d, want 3321 (%v)", n, counts)
		}
		u, err := db.Unit(ctx, "00004")
		if err != nil {
			t.Fatal(err)
		}
		if u.FullName != "Phường Ba Đình" || u.ParentCode != "01" {
			t.Errorf("00004 = %+v, want Phường Ba Đình under 01", u)
		}
		if ok, _ := db.UnitWithin(ctx, "00004", "01"); !ok {
			t.Error("00004 is not within 01")
		}
		again, err := db.ImportUnits(ctx, units)
		if err != nil {
			t.Fatal(err)
		}
		if again.Added != 0 || again.Changed != 0 || again.Unchanged != 3355 {
			t.Fatalf("second import changed something: %+v", again)
		}
	})
}

func TestImportUnitsReportsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		db := storetest.Open(t, engine)
		ctx := context.Background()
		csv := "Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Cấp\n01,Thành phố Hà Nội,00004,Phường Ba Đình,Phường\n"
		units, err := unit.Parse(strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportUnits(ctx, units); err != nil {
			t.Fatal(err)
		}
		renamed := strings.Replace(csv, "Phường Ba Đình", "Phường Ba Đình Mới", 1)
		units, _ = unit.Parse(strings.NewReader(renamed))
		res, err := db.ImportUnits(ctx, units)
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed != 1 || res.Added != 0 {
			t.Fatalf("rename: %+v, want 1 changed", res)
		}
	})
}

func counterSubmit(code, name string) dossier.SubmitRequest {
	return dossier.SubmitRequest{ProcedureCode: code, Components: demo.Required(code), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: name, IDNumber: "001090012345", Phone: "0912345678"}}
}

func TestDossierCodesUniqueAndGapFreeUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		const workers, each = 8, 10
		var mu sync.Mutex
		var codes []string
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Trần Thị Mai"))
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					codes = append(codes, d.Code)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		sort.Strings(codes)
		for i, c := range codes {
			want := fmt.Sprintf("00004-260302-%04d", i+1)
			if c != want {
				t.Fatalf("code %d = %s, want %s (codes must be unique and gap-free)", i, c, want)
			}
		}
	})
}

func TestRacingActionsExactlyOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Lê Văn Hùng"))
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 5; round++ {
			cur, _ := f.Svc.Store.Get(ctx, d.Code)
			act := dossier.ActionRequest{Action: dossier.ActRequestPayment, Version: cur.Version, Amount: 100000}
			if round%2 == 1 {
				act = dossier.ActionRequest{Action: dossier.ActConfirmPayment, Version: cur.Version}
			}
			errs := make([]error, 4)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = f.Svc.Act(ctx, f.Actors["canbo"], d.Code, act)
				}()
			}
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case apperr.Code(err) != apperr.ECONFLICT:
					t.Fatalf("round %d: loser got %v, want a conflict", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d winners, want exactly 1", round, wins)
			}
		}
	})
}

func TestAuditDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		var codes []string
		for i := 0; i < 3; i++ {
			d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Phạm Thu Trang"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActForward}); err != nil {
				t.Fatal(err)
			}
			codes = append(codes, d.Code)
		}
		res, err := f.DB.VerifyAudit(ctx)
		if err != nil || res.Broken != 0 || res.Checked != 3 || res.Events != 6 {
			t.Fatalf("clean audit: %+v %v", res, err)
		}
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `UPDATE dossier_events SET note = 'sửa trái phép' WHERE seq = 1 AND dossier_id = (SELECT id FROM dossiers WHERE code = ?)`, codes[1])
		res, _ = f.DB.VerifyAudit(ctx)
		if res.Broken != 1 || res.FirstBroken != codes[1] || res.BrokenAt != 1 {
			t.Fatalf("edited event not found: %+v", res)
		}
		mustExec(t, raw, engine, `DELETE FROM dossier_events WHERE seq = 2 AND dossier_id = (SELECT id FROM dossiers WHERE code = ?)`, codes[2])
		res, _ = f.DB.VerifyAudit(ctx)
		if res.Broken != 2 {
			t.Fatalf("deleted last event not found: %+v", res)
		}
	})
}

func rawDB(t *testing.T, engine, dsn string) *sql.DB {
	driver := "sqlite"
	if engine == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migrateAgain takes the fixture's database back with the statements given
// (the last one forgetting the migration), opens it again, which runs the
// migration, and returns the new store on the fixture's clock.
func migrateAgain(t *testing.T, engine string, f *storetest.Fixture, back ...string) *store.DB {
	t.Helper()
	ctx := context.Background()
	raw := rawDB(t, engine, f.DSN)
	for _, q := range back {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := store.Open(ctx, f.DSN) // migrates
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = f.Clock.Now
	return db
}

func mustExec(t *testing.T, db *sql.DB, engine, q string, args ...any) {
	if engine == store.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestCalendarChangeMovesOpenDossiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		// Monday 2026-03-02 09:00: a 3-working-day dossier is due Thursday 09:00.
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Đỗ Minh Châu"))
		if err != nil {
			t.Fatal(err)
		}
		wantDue := time.Date(2026, 3, 5, 9, 0, 0, 0, storetest.Start.Location())
		if !d.DueAt.Equal(wantDue) {
			t.Fatalf("due %v, want %v", d.DueAt, wantDue)
		}
		done, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("2.000635", "Đỗ Minh Châu"))
		if err != nil {
			t.Fatal(err)
		}
		admin := auth.Actor{Username: "quantri", Role: auth.RoleAdmin}
		res, err := f.Cals.ChangeDay(ctx, "", store.DayChange{Date: "2026-03-04", Kind: "holiday", Name: "Nghỉ đột xuất", Reason: "Quyết định số 1/QĐ-UBND", By: admin})
		if err != nil {
			t.Fatal(err)
		}
		if res.Checked != 2 || res.Moved != 1 {
			t.Fatalf("checked %d, moved %d dossiers, want 2 and 1", res.Checked, res.Moved)
		}
		got, _ := f.Svc.Store.Get(ctx, d.Code)
		if want := wantDue.AddDate(0, 0, 1); !got.DueAt.Equal(want) {
			t.Fatalf("after the holiday: due %v, want %v", got.DueAt.In(want.Location()), want)
		}
		last := got.History[len(got.History)-1]
		if last.Action != dossier.ActRecompute || !strings.Contains(last.Note, "Quyết định số 1/QĐ-UBND") || last.Actor != "system" {
			t.Fatalf("history does not say why the due time moved: %+v", last)
		}
		// The same-day dossier (due Monday 17:00) is not touched by a Wednesday holiday.
		sameDay, _ := f.Svc.Store.Get(ctx, done.Code)
		if len(sameDay.History) != 1 {
			t.Fatalf("same-day dossier got %d events", len(sameDay.History))
		}
		if _, err := f.Cals.ChangeDay(ctx, "", store.DayChange{Date: "2026-03-04", Unset: true, Reason: "Huỷ quyết định", By: admin}); err != nil {
			t.Fatal(err)
		}
		got, _ = f.Svc.Store.Get(ctx, d.Code)
		if !got.DueAt.Equal(wantDue) {
			t.Fatalf("after removing the holiday: due %v, want %v", got.DueAt, wantDue)
		}
		if res, _ := f.DB.VerifyAudit(ctx); res.Broken != 0 {
			t.Fatalf("audit after recompute: %+v", res)
		}
		// the running dues followed the due time there and back
		if err := storetest.RunningMatchesRecount(ctx, f.DB); err != nil {
			t.Error(err)
		}
	})
}

func TestCalendarChangeValidation(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	cases := []store.DayChange{
		{Date: "2026-13-01", Kind: "holiday", Name: "x", Reason: "y"},
		{Date: "2026-03-04", Kind: "party", Name: "x", Reason: "y"},
		{Date: "2026-03-04", Kind: "holiday", Name: "", Reason: "y"},
		{Date: "2026-03-04", Kind: "holiday", Name: "x", Reason: ""},
	}
	for _, c := range cases {
		if _, err := f.Cals.ChangeDay(context.Background(), "", c); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("%+v: got %v, want invalid", c, err)
		}
	}
	changes, err := f.DB.CalendarChanges(context.Background(), "")
	if err != nil || len(changes) != 0 {
		t.Fatalf("invalid changes were logged: %v %v", changes, err)
	}
}

func TestUniqueViolationIsConflictOnBothEngines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		u := auth.User{Username: "canbo", Role: auth.RoleCounter, UnitCode: "00004"}
		err := f.DB.CreateUser(context.Background(), &u, "secret")
		if apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("duplicate username: %v, want conflict", err)
		}
		var e *apperr.Error
		if !errors.As(err, &e) || !strings.Contains(e.Message, "đã được dùng") {
			t.Fatalf("message %v", err)
		}
	})
}

// TestConcurrentMigrations: servers started together on one empty database
// all come up.
func TestConcurrentMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		dsn := storetest.DSN(t, engine)
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			go func() {
				db, err := store.Open(context.Background(), dsn)
				if err == nil {
					db.Close()
				}
				errs <- err
			}()
		}
		for i := 0; i < 4; i++ {
			if err := <-errs; err != nil {
				t.Fatalf("concurrent open: %v", err)
			}
		}
	})
}

func TestListFilters(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	counter, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Ngô Bảo Châu"))
	if err != nil {
		t.Fatal(err)
	}
	online := counterSubmit("1.001193", "Ngô Thị Lan")
	online.Channel, online.UnitCode = dossier.ChannelOnline, "00004"
	if _, err := f.Svc.Submit(ctx, f.Actors["congdan"], online); err != nil {
		t.Fatal(err)
	}
	scope := dossier.Scope{UnitCode: "00004"}
	count := func(fl dossier.Filter) int {
		fl.Limit = 50
		_, n, err := f.Svc.Store.List(ctx, fl, scope)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	due := counter.DueAt
	cases := []struct {
		name string
		f    dossier.Filter
		want int
	}{
		{"all", dossier.Filter{}, 2},
		{"online", dossier.Filter{Channel: 2}, 1},
		{"counter", dossier.Filter{Channel: 1}, 1},
		{"status 1", dossier.Filter{Status: 1}, 1},
		{"procedure", dossier.Filter{ProcedureCode: "1.001612"}, 1},
		{"due before", dossier.Filter{DueBefore: due.Add(time.Minute)}, 1},
		{"due before, too early", dossier.Filter{DueBefore: due.Add(-time.Minute)}, 0},
		{"due after", dossier.Filter{DueAfter: due}, 1},
		{"late outcome", dossier.Filter{Outcome: "late"}, 0},
		{"name without accents", dossier.Filter{Query: "ngo bao"}, 1},
		{"code", dossier.Filter{Query: counter.Code}, 1},
		{"ID number", dossier.Filter{Query: "001090012345"}, 2},
		{"other unit", dossier.Filter{UnitCode: "00008"}, 0},
	}
	for _, c := range cases {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d dossiers, want %d", c.name, got, c.want)
		}
	}
	if _, n, _ := f.Svc.Store.List(ctx, dossier.Filter{Limit: 50}, dossier.Scope{UnitCode: "00008"}); n != 0 {
		t.Errorf("another unit's scope sees %d dossiers", n)
	}
}

// TestManyConcurrentActions: more actions at once than the pool has
// connections all complete (none waits inside a transaction for a second
// connection).
func TestManyConcurrentActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		const n = 48
		codes := make([]string, n)
		for i := range codes {
			d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Hà Văn Sơn"))
			if err != nil {
				t.Fatal(err)
			}
			codes[i] = d.Code
		}
		errs := make(chan error, n)
		for _, c := range codes {
			go func() {
				_, err := f.Svc.Act(ctx, f.Actors["canbo"], c, dossier.ActionRequest{Action: dossier.ActForward})
				errs <- err
			}()
		}
		for range codes {
			if err := <-errs; err != nil {
				t.Fatalf("concurrent forward: %v", err)
			}
		}
	})
}

// TestProcedureChangeSeenAfterCache reads a procedure (its decoded form is
// kept), changes it, and reads the change: nothing stale is served, and a
// caller changing what it got changes nothing for the next.
func TestProcedureChangeSeenAfterCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		procs := store.Procedures{DB: f.DB}
		p, err := procs.Get(ctx, "1.001193")
		if err != nil {
			t.Fatal(err)
		}
		p.Name = "đổi trong bộ nhớ"
		again, err := procs.Get(ctx, "1.001193")
		if err != nil || again.Name == p.Name {
			t.Fatalf("a caller's change leaked into the next read: %q %v", again.Name, err)
		}
		again.Name = "Đăng ký khai sinh (đã sửa)"
		if _, err := f.DB.SaveProcedures(ctx, []procedure.Procedure{*again}); err != nil {
			t.Fatal(err)
		}
		after, err := procs.Get(ctx, "1.001193")
		if err != nil || after.Name != again.Name {
			t.Errorf("after the change: %q %v, want %q", after.Name, err, again.Name)
		}
	})
}

// TestUnitMovedCarriesItsCounts moves a ward that has dossiers under another
// province: the dashboard's figures for both provinces follow it, and equal
// the figures added up from the day rows.
func TestUnitMovedCarriesItsCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		for range 3 {
			if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterSubmit("1.001612", "Lê Văn Tám")); err != nil {
				t.Fatal(err)
			}
		}
		submitted := func(unit string) int64 {
			t.Helper()
			q := stats.Query{UnitCode: unit, From: "2000-01-01", To: "2999-12-31"}
			got, err := f.DB.Summary(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := f.DB.SummaryFromDays(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: from the sums %+v, from the days %+v", unit, got.Totals, want.Totals)
			}
			return got.Totals[stats.Submitted]
		}
		if n := submitted("01"); n != 3 {
			t.Fatalf("before the move: %d submitted in 01, want 3", n)
		}
		moved := demo.Units()[1] // Phường Ba Đình
		moved.ParentCode = "79"
		res, err := f.DB.ImportUnits(ctx, []unit.Unit{{Code: "79", Name: "Hồ Chí Minh", FullName: "Thành phố Hồ Chí Minh",
			Kind: "province", ValidFrom: "2025-07-01"}, moved})
		if err != nil || res.Added != 1 || res.Changed != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		if a, b := submitted("01"), submitted("79"); a != 0 || b != 3 {
			t.Errorf("after the move: %d submitted in 01, %d in 79; want 0 and 3", a, b)
		}
	})
}

// TestUnitMovedTakesItsChildren moves a district under another province
// with an import that does not list its wards: their paths, which the
// dashboards' sums follow, must move with it.
func TestUnitMovedTakesItsChildren(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, raw := fixture(t, engine)
		district := unit.Unit{Code: "901", Name: "Huyện Thử", FullName: "Huyện Thử", Kind: unit.KindDistrict, ParentCode: "01",
			ValidFrom: "2020-01-01", ValidTo: "2025-06-30"}
		ward := unit.Unit{Code: "90101", Name: "Xã Thử", FullName: "Xã Thử", Kind: unit.KindCommune, ParentCode: "901",
			ValidFrom: "2020-01-01", ValidTo: "2025-06-30"}
		if _, err := f.DB.ImportUnits(ctx, []unit.Unit{district, ward}); err != nil {
			t.Fatal(err)
		}
		district.ParentCode = "79"
		if _, err := f.DB.ImportUnits(ctx, []unit.Unit{{Code: "79", Name: "Hồ Chí Minh", FullName: "Thành phố Hồ Chí Minh",
			Kind: unit.KindProvince, ValidFrom: "2025-07-01"}, district}); err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]string{"901": "79/901", "90101": "79/901/90101"} {
			var path string
			if err := raw.QueryRow(`SELECT path FROM units WHERE code = '` + code + `'`).Scan(&path); err != nil || path != want {
				t.Errorf("%s after its district moved: path %q (%v), want %q", code, path, err, want)
			}
		}
	})
}
