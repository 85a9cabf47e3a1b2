package petition_test

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestPetitionProperties drives random actions by random callers and checks
// that a refused action changes nothing, that every history chain verifies,
// and that the roll-ups equal a recount from the petitions.
func TestPetitionProperties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		svc := f.Petitions()
		rapid.Check(t, func(rt *rapid.T) {
			runPetitions(rt, f, svc)
			ctx := context.Background()
			if err := storetest.PetitionRollupsMatchRecount(ctx, f.DB); err != nil {
				rt.Fatal(err)
			}
			if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 {
				rt.Fatalf("audit: %+v %v", res, err)
			}
		})
	})
}

var (
	officers = []string{"canbo", "chuyenvien", "lanhdao", "quantri", "canbo.ngocha"}
	units    = []string{demo.Ward, demo.OtherWard}
	actions  = append(append([]string{}, petition.OfficerActions...), petition.ActRate, petition.ActEscalate)
)

func runPetitions(rt *rapid.T, f *storetest.Fixture, svc *petition.Service) {
	ctx := context.Background()
	var codes []string
	steps := rapid.IntRange(5, 30).Draw(rt, "steps")
	for range steps {
		f.Clock.Advance(time.Duration(rapid.IntRange(0, 80*3600).Draw(rt, "advance")) * time.Second)
		if len(codes) == 0 || rapid.IntRange(0, 4).Draw(rt, "new") == 0 {
			req := petition.SubmitRequest{Unit: rapid.SampledFrom(units).Draw(rt, "unit"), Field: "environment", Subject: "Rác thải",
				Text: "Rác để lâu ngày.", Phone: "0912345678"}
			p, err := svc.Submit(ctx, auth.Actor{}, req, nil)
			if err != nil {
				rt.Fatalf("submit: %v", err)
			}
			codes = append(codes, p.Code)
			continue
		}
		code := rapid.SampledFrom(codes).Draw(rt, "code")
		before, err := svc.Store.Get(ctx, code)
		if err != nil {
			rt.Fatal(err)
		}
		req := petition.ActionRequest{Action: rapid.SampledFrom(actions).Draw(rt, "action"), Text: "Nội dung", Field: "urban",
			Assignee: "chuyenvien", Into: rapid.SampledFrom(codes).Draw(rt, "into"),
			Satisfaction: rapid.SampledFrom([]string{petition.Satisfied, petition.NotSatisfied}).Draw(rt, "satisfaction")}
		switch req.Action {
		case petition.ActRate:
			_, err = svc.SenderAct(ctx, code, "0912345678", req)
		case petition.ActEscalate:
			_, err = svc.Escalate(ctx, code)
		default:
			_, err = svc.Act(ctx, f.Actors[rapid.SampledFrom(officers).Draw(rt, "who")], code, req)
		}
		if err == nil {
			continue
		}
		if apperr.As(err) == nil {
			rt.Fatalf("%s on %s: %v", req.Action, code, err)
		}
		after, gerr := svc.Store.Get(ctx, code)
		if gerr != nil || after.Version != before.Version || len(after.Events) != len(before.Events) {
			rt.Fatalf("refused %s changed the petition: %v", req.Action, gerr)
		}
	}
}
