package store_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// populationService is the look-up service of fixture f against the demo's
// population database, served on a loopback port.
func populationService(t *testing.T, f *storetest.Fixture) (*population.Service, *httptest.Server) {
	t.Helper()
	people, err := popserver.Parse(demo.PopulationPeople())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&popserver.Handler{People: people, Key: "khoa-thu"})
	t.Cleanup(srv.Close)
	return &population.Service{Registry: population.NewHTTPRegistry(srv.URL, "khoa-thu"), Store: store.Population{DB: f.DB},
		Dossiers: f.Svc, Units: f.DB, Now: f.Clock.Now}, srv
}

// TestPopulationLookups: every look-up is logged with its outcome, the
// failed one too; a check for a dossier is sealed into its history and the
// chains still verify; the log is the unit's, newest first, paged.
func TestPopulationLookups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		svc, srv := populationService(t, f)
		counter := f.Actors["canbo"]
		d, err := f.Svc.Submit(ctx, counter, dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001 087 004 321"}, Components: demo.Required("1.004873")})
		if err != nil {
			t.Fatal(err)
		}
		if d.Applicant.IDNumber != "001087004321" {
			t.Fatalf("the typed number was kept as %q", d.Applicant.IDNumber)
		}
		res, err := svc.Verify(ctx, counter, "001087004321", "Tiếp nhận hồ sơ", d.Code)
		if err != nil || res.Outcome != population.Match || res.Person == nil || res.Person.BirthDate != "1987-11-02" || res.Person.Sex != "male" {
			t.Fatalf("verify: %+v, %v", res, err)
		}
		f.Clock.Advance(time.Minute)
		if res, err = svc.Verify(ctx, counter, "001190012345", "Đối chiếu người nộp", d.Code); err != nil || res.Outcome != population.Mismatch ||
			len(res.Differences) != 2 || res.Differences[0] != "id_number" || res.Differences[1] != "full_name" {
			t.Fatalf("verify another person: %+v, %v", res, err)
		}
		f.Clock.Advance(time.Minute)
		if res, err = svc.Verify(ctx, f.Actors["lanhdao"], "001099012345", "Kiểm tra", ""); err != nil || res.Outcome != population.NotFound || res.Person != nil {
			t.Fatalf("verify an unknown number: %+v, %v", res, err)
		}
		srv.Close()
		f.Clock.Advance(time.Minute)
		if _, err = svc.Verify(ctx, counter, "001087004321", "Khi CSDL ngừng", d.Code); apperr.Code(err) != apperr.EUNAVAILABLE {
			t.Fatalf("verify with the registry down: %v", err)
		}
		got, err := f.Svc.Get(ctx, counter, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		last := got.LastPopulationCheck()
		if last == nil || last.Note != "không khớp (người nộp): số định danh, họ tên" || last.Actor != "canbo" || !last.At.Equal(storetest.Start.Add(time.Minute)) ||
			last.FromStatus != last.ToStatus {
			t.Fatalf("last check in the history: %+v", last)
		}
		if a, err := f.DB.VerifyAudit(ctx); err != nil || a.Broken != 0 {
			t.Fatalf("audit after the checks: %+v, %v", a, err)
		}
		log, n, err := svc.Log(ctx, f.Actors["lanhdao"], 3, 0)
		if err != nil || n != 4 || len(log) != 3 {
			t.Fatalf("log: %d of %d, %v", len(log), n, err)
		}
		want := []string{population.Unavailable, population.NotFound, population.Mismatch}
		for i, e := range log {
			if e.Outcome != want[i] || e.UnitCode != "00004" {
				t.Errorf("log[%d] = %+v, want outcome %s", i, e, want[i])
			}
		}
		if e := log[0]; e.Username != "canbo" || e.ActorRole != "counter" || e.IDNumber != "001087004321" || e.Reason != "Khi CSDL ngừng" ||
			e.DossierCode != d.Code || !e.At.Equal(storetest.Start.Add(3*time.Minute)) {
			t.Errorf("the unavailable look-up was logged as %+v", e)
		}
		if c := log[0].Detail; !strings.Contains(c, "connection refused") || len(c) > 200 || strings.Contains(c, "unavailable") {
			t.Errorf("the cause kept in the log: %q", c)
		}
		if log[2].Detail != "id_number,full_name" {
			t.Errorf("mismatch detail %q", log[2].Detail)
		}
		if rest, _, err := svc.Log(ctx, f.Actors["quantri"], 3, 3); err != nil || len(rest) != 1 || rest[0].Outcome != population.Match {
			t.Fatalf("second page: %+v, %v", rest, err)
		}
		if other, n, err := (store.Population{DB: f.DB}).Lookups(ctx, demo.OtherWard, 10, 0); err != nil || n != 0 || len(other) != 0 {
			t.Fatalf("the other ward's log: %d, %v", n, err)
		}
		if _, _, err := svc.Log(ctx, counter, 10, 0); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a counter officer read the log: %v", err)
		}
	})
}

// TestPopulationRefusals: who may not look up, or not without a reason, or
// not for a dossier they cannot see, is refused before the registry is
// asked, and nothing is logged.
func TestPopulationRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		svc, _ := populationService(t, f)
		f.SeedGroups(t) // a residential group's leader: a leader, but not of the one-stop shop
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001087004321"}, Components: demo.Required("1.004873")})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			actor, id, reason, code, want string
		}{
			"applicant":         {"congdan", "001190012345", "Xem", "", apperr.EFORBIDDEN},
			"group leader":      {"totruong1", "001190012345", "Xem", "", apperr.EFORBIDDEN},
			"no reason":         {"canbo", "001087004321", "  ", d.Code, apperr.EINVALID},
			"NUL in the reason": {"canbo", "001087004321", "Tiếp\x00nhận", d.Code, apperr.EINVALID},
			"escape in reason":  {"canbo", "001087004321", "Tiếp nhận\x1b[2J", "", apperr.EINVALID},
			"not UTF-8 reason":  {"canbo", "001087004321", "Tiếp \xff", "", apperr.EINVALID},
			"bad number":        {"canbo", "00108700432", "Tiếp nhận", "", apperr.EINVALID},
			"other ward":        {"canbo.ngocha", "001087004321", "Tiếp nhận", d.Code, apperr.ENOTFOUND},
			"no such dossier":   {"canbo", "001087004321", "Tiếp nhận", "000.00.00.H00-260302-9999", apperr.ENOTFOUND},
			"a dossier made up": {"canbo", "001087004321", "Tiếp nhận", "x", apperr.ENOTFOUND},
		} {
			if _, err := svc.Verify(ctx, f.Actors[c.actor], c.id, c.reason, c.code); apperr.Code(err) != c.want {
				t.Errorf("%s: %v, want %s", name, err, c.want)
			}
		}
		svc.Registry = nil
		if _, err := svc.Verify(ctx, f.Actors["canbo"], "001087004321", "Tiếp nhận", ""); err != population.ErrNotConfigured {
			t.Errorf("not configured: %v", err)
		}
		for _, u := range []string{demo.Ward, demo.OtherWard, storetest.Group1} {
			if _, n, err := (store.Population{DB: f.DB}).Lookups(ctx, u, 10, 0); err != nil || n != 0 {
				t.Errorf("unit %s: %d look-ups logged, %v", u, n, err)
			}
		}
	})
}

// cancelling is a registry whose look-up answers, and then the request
// that asked is given up (the client went away).
type cancelling struct {
	population.Registry
	cancel context.CancelFunc
}

func (c cancelling) Lookup(ctx context.Context, id string) (population.Person, error) {
	p, err := c.Registry.Lookup(ctx, id)
	c.cancel()
	return p, err
}

// failing is a registry that cannot answer, with a cause of its own.
type failing struct{}

func (failing) Lookup(context.Context, string) (population.Person, error) {
	return population.Person{}, errors.New("tls: certificate expired\x00\n" + strings.Repeat("x", 300))
}

// TestPopulationCancelled: a look-up whose request is given up once the
// registry was asked is still logged and still sealed into the dossier's
// history; a registry failing with a cause of its own is unavailable, the
// cause kept (short, clean) in the log and in the error for the server's log.
func TestPopulationCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		svc, _ := populationService(t, f)
		counter := f.Actors["canbo"]
		d, err := f.Svc.Submit(context.Background(), counter, dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001087004321"}, Components: demo.Required("1.004873")})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		svc.Registry = cancelling{svc.Registry, cancel}
		res, err := svc.Verify(ctx, counter, "001087004321", "Tiếp nhận hồ sơ", d.Code)
		if err != nil || res.Outcome != population.Match || res.Role != population.RoleApplicant || res.LogID == 0 {
			t.Fatalf("a look-up given up after the registry answered: %+v, %v", res, err)
		}
		got, err := f.Svc.Get(context.Background(), counter, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if last := got.LastPopulationCheck(); last == nil || last.Note != "khớp (người nộp)" {
			t.Fatalf("the check in the history: %+v", last)
		}
		svc.Registry = failing{}
		_, err = svc.Verify(context.Background(), counter, "001087004321", "Khi CSDL lỗi", "")
		if apperr.Code(err) != apperr.EUNAVAILABLE || !strings.Contains(err.Error(), "certificate expired") ||
			apperr.As(err).Message != population.ErrUnavailable.Message {
			t.Fatalf("a registry failing: %v", err)
		}
		log, n, err := svc.Log(context.Background(), f.Actors["lanhdao"], 10, 0)
		if err != nil || n != 2 || log[1].Outcome != population.Match || log[0].Outcome != population.Unavailable {
			t.Fatalf("log: %+v, %d, %v", log, n, err)
		}
		if c := log[0].Detail; !strings.HasPrefix(c, "tls: certificate expired x") || len(c) > 200 || strings.ContainsAny(c, "\x00\n") {
			t.Errorf("the cause kept in the log: %q", c)
		}
	})
}
