package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/target"
)

// submitTargetDossiers gives the ward two online dossiers and one at the
// counter, all received, one of the online ones finished and rated.
func submitTargetDossiers(t *testing.T, f *storetest.Fixture) {
	t.Helper()
	ctx := context.Background()
	for i, ch := range []int{dossier.ChannelOnline, dossier.ChannelOnline, dossier.ChannelCounter} {
		by := f.Actors["congdan"]
		if ch == dossier.ChannelCounter {
			by = f.Actors["canbo"]
		}
		d, err := f.Svc.Submit(ctx, by, dossier.SubmitRequest{ProcedureCode: "1.000894", Components: demo.Required("1.000894"),
			UnitCode: demo.Ward, Channel: ch, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678"}})
		if err != nil {
			t.Fatal(err)
		}
		if ch == dossier.ChannelOnline {
			if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
				t.Fatalf("receive %d: %v", i, err)
			}
		}
	}
}

// TestTargetsBoard: targets are added, entered and changed with a log; the
// computed ones equal the roll-ups' rates for the year so far; the board
// says "N/M đạt".
func TestTargetsBoard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		submitTargetDossiers(t, f)
		leader := f.Actors["lanhdao"]
		add := func(tg target.Target) target.Target {
			t.Helper()
			tg.UnitCode, tg.Year = demo.Ward, 2026
			out, err := f.DB.AddTarget(ctx, tg, leader)
			if err != nil {
				t.Fatalf("add %s: %v", tg.Name, err)
			}
			return out
		}
		online := add(target.Target{Name: "Tỷ lệ hồ sơ trực tuyến", Kind: target.KindOnlineRate, Plan: 60})
		budget := add(target.Target{Name: "Thu ngân sách", Kind: target.KindBudget, Plan: 2000, Source: "Nghị quyết 12/NQ-HĐND"})
		poor := add(target.Target{Name: "Tỷ lệ hộ nghèo", Measure: "%", Kind: target.KindManual, Plan: 2, Direction: target.Lower, Period: target.ByQuarter})
		for _, a := range []struct {
			id     int64
			period string
			v      float64
		}{{budget.ID, "2026-01", 1000}, {budget.ID, "2026-02", 1300}, {poor.ID, "2026-Q1", 2.5}, {poor.ID, "2026-Q1", 1.8}} {
			if _, err := f.DB.SetActual(ctx, a.id, a.period, a.v, leader); err != nil {
				t.Fatalf("actual %v: %v", a, err)
			}
		}
		b, err := target.Load(ctx, f.DB, f.DB, demo.Ward, 2026, f.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		sum, err := f.DB.Summary(ctx, target.YearSoFar(demo.Ward, 2026, f.Clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]target.Progress{}
		for _, p := range b.Targets {
			byName[p.Name] = p
		}
		got := byName[online.Name]
		if got.Value == nil || *got.Value != sum.OnlineRate*100 || sum.Online != 2 || sum.Totals["received"] != 3 {
			t.Errorf("online share %v, roll-ups %v (%d of %d)", deref(got.Value), sum.OnlineRate*100, sum.Online, sum.Totals["received"])
		}
		if got.Status != target.Exceeded { // 66.7% against 60%
			t.Errorf("online share status %s", got.Status)
		}
		if p := byName[budget.Name]; p.Percent == nil || *p.Percent != 115 || p.Status != target.Exceeded {
			t.Errorf("budget %v%% %s, want 115%% exceeded", deref(p.Percent), p.Status)
		}
		if p := byName[poor.Name]; p.Value == nil || *p.Value != 1.8 || p.Status != target.Exceeded || len(p.Actuals) != 1 {
			t.Errorf("poverty rate %v %s %v: the second Q1 entry replaces the first", deref(p.Value), p.Status, p.Actuals)
		}
		if b.Summary != (target.Summary{Met: 3, Total: 3, Exceeded: 3}) {
			t.Errorf("summary %+v", b.Summary)
		}
		changes, err := f.DB.TargetChanges(ctx, poor.ID)
		if err != nil || len(changes) != 3 || changes[2].Action != "actual" || !strings.Contains(changes[2].Detail, `"before":2.5`) || changes[2].By != "lanhdao" {
			t.Errorf("change log %+v %v", changes, err)
		}
	})
}

// TestTargetsRefuseBadInput: wrong periods, computed actuals, lost updates
// and missing targets are refused and write nothing.
func TestTargetsRefuseBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		leader := f.Actors["lanhdao"]
		m, err := f.DB.AddTarget(ctx, target.Target{UnitCode: demo.Ward, Year: 2026, Name: "Số hộ được cấp nước sạch", Measure: "hộ", Kind: target.KindManual, Plan: 100, Direction: target.Higher, Aggregate: target.AggSum}, leader)
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.DB.AddTarget(ctx, target.Target{UnitCode: demo.Ward, Year: 2026, Name: "Tỷ lệ đúng hạn", Kind: target.KindOnTimeRate, Plan: 95, Direction: target.Higher}, leader)
		if err != nil {
			t.Fatal(err)
		}
		refused := map[string]error{}
		_, refused["period of another year"] = f.DB.SetActual(ctx, m.ID, "2025-03", 1, leader)
		_, refused["quarter for a monthly target"] = f.DB.SetActual(ctx, m.ID, "2026-Q1", 1, leader)
		_, refused["computed"] = f.DB.SetActual(ctx, c.ID, "2026-03", 1, leader)
		_, refused["no such target"] = f.DB.SetActual(ctx, 999999, "2026-03", 1, leader)
		_, refused["unknown unit"] = f.DB.AddTarget(ctx, target.Target{UnitCode: "99999", Year: 2026, Name: "X", Measure: "hộ", Kind: target.KindManual, Plan: 1, Direction: target.Higher}, leader)
		stale := m
		stale.Version, stale.Plan = 7, 200
		_, refused["stale version"] = f.DB.UpdateTarget(ctx, stale, leader)
		for name, err := range refused {
			if apperr.As(err) == nil || apperr.Code(err) == apperr.EINTERNAL {
				t.Errorf("%s: %v, want a coded refusal", name, err)
			}
		}
		if apperr.Code(refused["stale version"]) != apperr.ECONFLICT {
			t.Errorf("stale version: %v", refused["stale version"])
		}
		if _, err := f.DB.SetActual(ctx, m.ID, "2026-03", 40, leader); err != nil {
			t.Fatal(err)
		}
		q := m
		q.Period = target.ByQuarter
		if _, err := f.DB.UpdateTarget(ctx, q, leader); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("period changed under entered actuals: %v", err)
		}
		_, acts, err := f.DB.Targets(ctx, demo.Ward, 2026)
		if err != nil || len(acts[m.ID]) != 1 || len(acts[c.ID]) != 0 {
			t.Errorf("actuals after refusals: %v %v", acts, err)
		}
		if got, _ := f.DB.Target(ctx, m.ID); got.Plan != 100 || got.Version != 1 {
			t.Errorf("target changed by refused updates: %+v", got)
		}
		f.Clock.Set(time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC))
		b, err := target.Load(ctx, f.DB, f.DB, demo.Ward, 2026, f.Clock.Now())
		if err != nil || b.Summary != (target.Summary{Met: 0, Total: 2, Missed: 2}) {
			t.Errorf("closed year: %+v %v (40 of 100 households and no on-time data are both missed)", b.Summary, err)
		}
	})
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
