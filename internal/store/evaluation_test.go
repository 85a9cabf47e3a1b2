package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestEvaluationHandComputed runs three dossiers of the ward through known
// outcomes in March 2026 and checks every criterion against the counts
// worked out by hand in the comments, for the unit and its officers.
func TestEvaluationHandComputed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		act := func(who, code, action string) {
			t.Helper()
			f.Clock.Advance(10 * time.Minute)
			if _, err := f.Svc.Act(ctx, f.Actors[who], code, dossier.ActionRequest{Action: action, Missing: []string{"Tờ khai"}}); err != nil {
				t.Fatalf("%s %s by %s: %v", action, code, who, err)
			}
		}
		submit := func(who string, channel int) string {
			t.Helper()
			d, err := f.Svc.Submit(ctx, f.Actors[who], dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: demo.Ward, Channel: channel,
				Components: demo.Required("1.001193"), Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: "0912345678"}})
			if err != nil {
				t.Fatal(err)
			}
			return d.Code
		}
		rate := func(code string, r int) {
			t.Helper()
			if _, err := f.Svc.RateByProof(ctx, code, "001190012345", r, ""); err != nil {
				t.Fatal(err)
			}
		}
		// D1, at the counter on Monday 2 March (same-day limit): every step
		// on time, rated very satisfied.
		d1 := submit("canbo", dossier.ChannelCounter)
		act("canbo", d1, dossier.ActForward)
		act("chuyenvien", d1, dossier.ActForward)
		act("lanhdao", d1, dossier.ActApprove)
		act("canbo", d1, dossier.ActFinish)
		act("canbo", d1, dossier.ActReturnResult)
		rate(d1, dossier.RatingVery)
		// D2, at the counter the same morning: the specialist forwards it
		// the next day (late step), so it finishes late; rated not satisfied.
		d2 := submit("canbo", dossier.ChannelCounter)
		act("canbo", d2, dossier.ActForward)
		f.Clock.Set(storetest.Start.Add(25 * time.Hour))
		act("chuyenvien", d2, dossier.ActForward)
		act("lanhdao", d2, dossier.ActApprove)
		act("canbo", d2, dossier.ActFinish)
		act("canbo", d2, dossier.ActReturnResult)
		rate(d2, dossier.RatingBad)
		// D3, online: received, then a supplement is asked.
		d3 := submit("congdan", dossier.ChannelOnline)
		act("canbo", d3, dossier.ActReceive)
		act("canbo", d3, dossier.ActRequestSupplement)

		es := store.Evaluations{DB: f.DB}
		svc := &evaluation.Service{Store: es, Now: f.Clock.Now}
		for _, e := range []evaluation.Entry{
			{UnitCode: demo.Ward, Period: "2026-03", Criterion: evaluation.Publicity, Points: 1, Reason: "thiếu niêm yết"},
			{UnitCode: demo.Ward, Period: "2026-03", Criterion: evaluation.Publicity, Points: 2, Reason: "niêm yết đủ"},
			{UnitCode: demo.Ward, Officer: "canbo", Period: "2026-03", Criterion: evaluation.Feedback, Points: 1.5, Reason: "trả lời kịp"},
		} {
			e.EnteredBy = "lanhdao"
			if _, err := es.AddEntry(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		p, _ := evaluation.ParsePeriod("2026-03")
		rep, err := svc.Unit(ctx, demo.Ward, p)
		if err != nil {
			t.Fatal(err)
		}
		// criterion → points; "-" = no data.
		want := map[string]struct {
			points map[string]string
			total  float64
			grade  string
		}{
			// Roll-ups: 1 of 2 finished on time → 1; steps of all
			// officers 6 of 8 → 1.5; (3 received − 1 supplement) ÷ 3 → 1.33;
			// 2 returned ÷ 2 finished → 2; publicity entry 2; ratings 1 of 2 → 1;
			// online 1 of 3 against 50% → 1.33. 10.16 over 7 criteria × 9/7.
			"": {map[string]string{"total_time": "1", "agency_time": "1.5", "contacts": "1.33", "agencies": "-", "one_stop": "2",
				"publicity": "2", "attitude": "1", "feedback": "-", "online": "1.33"}, 13.06, "Tốt"},
			// finished 1 of 2 on time → 1; steps 3 of 4 → 1.5; 3 dossiers, 1
			// supplement → 1.33; ratings 1 of 2 → 1; online 1 of 3 → 1.33;
			// feedback entry 1.5. 7.66 over 6 × 9/6.
			"canbo": {map[string]string{"total_time": "1", "agency_time": "1.5", "contacts": "1.33", "agencies": "-", "one_stop": "-",
				"publicity": "-", "attitude": "1", "feedback": "1.5", "online": "1.33"}, 11.49, "Khá"},
			// steps 1 of 2 → 1; 2 dossiers, no supplement → 2; ratings → 1;
			// online 0 of 2 → 0. 4 over 4 × 9/4.
			"chuyenvien": {map[string]string{"total_time": "-", "agency_time": "1", "contacts": "2", "agencies": "-", "one_stop": "-",
				"publicity": "-", "attitude": "1", "feedback": "-", "online": "0"}, 9, "Khá"},
			// approvals 2 of 2 on time → 2; contacts 2; ratings 1; online 0.
			"lanhdao": {map[string]string{"total_time": "-", "agency_time": "2", "contacts": "2", "agencies": "-", "one_stop": "-",
				"publicity": "-", "attitude": "1", "feedback": "-", "online": "0"}, 11.25, "Khá"},
			// the civil registrar handled none of these dossiers: nothing to score, no grade
			"hotich": {map[string]string{"total_time": "-", "agency_time": "-", "contacts": "-", "agencies": "-", "one_stop": "-",
				"publicity": "-", "attitude": "-", "feedback": "-", "online": "-"}, 0, ""},
		}
		got := append([]evaluation.Evaluation{rep.Unit}, rep.Officers...)
		if len(got) != len(want) {
			t.Fatalf("%d evaluations, want %d (the unit and four officers, not the administrator)", len(got), len(want))
		}
		for _, ev := range got {
			w, ok := want[ev.Officer]
			if !ok {
				t.Fatalf("unexpected evaluation of %q", ev.Officer)
			}
			for _, sc := range ev.Criteria {
				pts := "-"
				if sc.Points != nil {
					pts = trimFloat(*sc.Points)
				}
				if pts != w.points[sc.Criterion] {
					t.Errorf("%q %s: %s (%+v), want %s", ev.Officer, sc.Criterion, pts, sc.Measure, w.points[sc.Criterion])
				}
			}
			if ev.Total != w.total || ev.Grade != w.grade {
				t.Errorf("%q: total %v %s, want %v %s", ev.Officer, ev.Total, ev.Grade, w.total, w.grade)
			}
		}
		// The snapshot keeps what was computed; a second run replaces it.
		for range 2 {
			if err := svc.Snapshot(ctx, demo.Ward, p); err != nil {
				t.Fatal(err)
			}
		}
		saved, err := es.SavedEvaluations(ctx, demo.Ward, "2026-03")
		if err != nil || len(saved) != 5 || saved[0].Officer != "" || saved[0].Total != 13.06 || saved[0].Grade != "Tốt" {
			t.Fatalf("saved %+v, %v", saved, err)
		}
		// April has nothing yet: no grade for anyone.
		april, _ := evaluation.ParsePeriod("2026-04")
		rep, err = svc.Unit(ctx, demo.Ward, april)
		if err != nil || rep.Unit.Grade != "" || rep.Officers[0].Scored != 0 {
			t.Fatalf("April: %+v %v", rep.Unit, err)
		}
	})
}

func trimFloat(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64)
}
