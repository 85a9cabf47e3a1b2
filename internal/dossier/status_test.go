package dossier_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestActionsPerStatus lists, for a dossier in each status (approved or not
// where it matters), every action and whether someone of the unit or the
// applicant may perform it now. The dossiers are made by the service on a
// real store; each action is tried with dossier.Apply on a copy.
func TestActionsPerStatus(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	const proc = "1.004873" // online end to end; counter → specialist → leader → counter
	act := func(code, who, action string, req dossier.ActionRequest) *dossier.Dossier {
		t.Helper()
		req.Action = action
		d, err := f.Svc.Act(ctx, f.Actors[who], code, req)
		if err != nil {
			t.Fatalf("%s by %s: %v", action, who, err)
		}
		return d
	}
	online := func() string {
		t.Helper()
		d, err := f.Svc.Submit(ctx, f.Actors["congdan"], dossier.SubmitRequest{ProcedureCode: proc, UnitCode: demo.Ward,
			Components: demo.Required(proc), Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"}})
		if err != nil {
			t.Fatal(err)
		}
		return d.Code
	}
	counter := func(on string) *dossier.Dossier {
		t.Helper()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: proc, Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}, OnIncomplete: on, Reason: "Không thuộc thẩm quyền"})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	why := dossier.ActionRequest{Reason: "Lý do", Note: "Ghi chú", Missing: []string{"Tờ khai"}}
	received := func() string { c := online(); act(c, "canbo", dossier.ActReceive, why); return c }
	atSpecialist := func() string { c := received(); act(c, "canbo", dossier.ActForward, why); return c }
	atLeader := func() string { c := atSpecialist(); act(c, "chuyenvien", dossier.ActForward, why); return c }
	approved := func() string { c := atLeader(); act(c, "lanhdao", dossier.ActApprove, why); return c }
	done := func() string { c := approved(); act(c, "canbo", dossier.ActFinish, why); return c }

	cases := []struct {
		name  string
		d     *dossier.Dossier
		allow []string
	}{
		{"1 submitted online", get(t, f, online()), []string{"receive", "request_supplement", "refuse", "withdraw"}},
		{"2 received", get(t, f, received()), []string{"request_supplement", "forward", "request_payment", "withdraw", "stop", "extend"}},
		{"3 refused at reception", counter(dossier.IncompleteRefuse), nil},
		{"4 at the specialist", get(t, f, atSpecialist()), []string{"request_supplement", "forward", "send_back", "request_payment", "withdraw", "stop", "extend"}},
		{"4 at the leader, not approved", get(t, f, atLeader()), []string{"request_supplement", "send_back", "request_payment", "approve", "withdraw", "stop", "extend"}},
		{"4 approved", get(t, f, approved()), []string{"finish", "send_back", "extend"}},
		{"5 asked at reception", counter(dossier.IncompleteSupplement), []string{"supplement", "refuse", "withdraw"}},
		{"5 asked after reception", act(received(), "canbo", dossier.ActRequestSupplement, why), []string{"supplement", "withdraw", "stop", "extend"}},
		{"5 asked of an online submission", act(online(), "canbo", dossier.ActRequestSupplement, why), []string{"supplement", "refuse", "withdraw"}},
		{"6 waiting for payment", act(atSpecialist(), "chuyenvien", dossier.ActRequestPayment, why), []string{"confirm_payment", "withdraw", "stop", "extend"}},
		{"7 withdrawn", act(received(), "congdan", dossier.ActWithdraw, why), nil},
		{"8 stopped", act(atSpecialist(), "lanhdao", dossier.ActStop, why), nil},
		{"9 result ready", get(t, f, done()), []string{"return_result", "rate"}},
		{"10 returned", act(done(), "canbo", dossier.ActReturnResult, why), []string{"rate"}},
	}
	p := mustProc(t, f, proc)
	cal := mustCal(t, f)
	all := append(slices.Clone(dossier.Actions), dossier.ActRate)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, a := range all {
				req := why
				req.Action, req.Amount, req.Rating = a, 1000, dossier.RatingOK
				req.NewDueAt = cal.Add(c.d.DueAt, cal.DayLength())
				for _, who := range []string{"canbo", "chuyenvien", "lanhdao", "congdan"} {
					cp := *c.d
					cp.Missing, cp.Components, cp.Units = slices.Clone(c.d.Missing), slices.Clone(c.d.Components), slices.Clone(c.d.Units)
					if _, err := dossier.Apply(&cp, req, dossier.Env{Proc: p, Cal: cal, Actor: f.Actors[who], Now: f.Clock.Now()}); err == nil {
						got = append(got, a)
						break
					}
				}
			}
			for _, a := range all {
				if want, have := slices.Contains(c.allow, a), slices.Contains(got, a); want != have {
					t.Errorf("status %d (approved %v): %s allowed = %v, want %v", c.d.Status, c.d.Approved, a, have, want)
				}
			}
		})
	}
}

func get(t *testing.T, f *storetest.Fixture, code string) *dossier.Dossier {
	t.Helper()
	d, err := f.Svc.Store.Get(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestReceptionCompleteness: a dossier without every required component is
// never received silently.
func TestReceptionCompleteness(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	const proc = "1.004873"
	req := dossier.SubmitRequest{ProcedureCode: proc, Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}}
	req.Components = demo.Required(proc)[1:] // the first required component is missing
	missing := demo.Required(proc)[0]

	_, err := f.Svc.Submit(ctx, f.Actors["canbo"], req)
	if e := apperr.As(err); e == nil || e.Field != "components" || !strings.Contains(e.Message, missing) {
		t.Fatalf("counter entry without %q: %v, want invalid components naming it", missing, err)
	}
	if _, n, _ := f.Svc.Store.List(ctx, dossier.Filter{}, dossier.Scope{All: true}); n != 0 {
		t.Fatalf("a refused entry left %d dossiers", n)
	}
	online := req
	online.Channel, online.UnitCode = dossier.ChannelOnline, demo.Ward
	if _, err := f.Svc.Submit(ctx, f.Actors["congdan"], online); apperr.As(err) == nil || apperr.As(err).Field != "components" {
		t.Fatalf("online submission without %q: %v", missing, err)
	}

	req.OnIncomplete = dossier.IncompleteSupplement
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], req)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != dossier.StatusSupplement || !d.ReceivedAt.IsZero() || !d.DueAt.IsZero() || !slices.Equal(d.Missing, []string{missing}) || d.SupplementCount != 1 {
		t.Fatalf("supplement at reception: status %d, received %v, due %v, missing %v", d.Status, d.ReceivedAt, d.DueAt, d.Missing)
	}
	f.Clock.Advance(26 * time.Hour) // Tuesday 11:00
	d, err = f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActSupplement})
	if err != nil {
		t.Fatal(err)
	}
	now := f.Clock.Now()
	if d.Status != dossier.StatusReceived || !d.ReceivedAt.Equal(now.UTC()) || !d.DueAt.Equal(mustCal(t, f).Due(now, 3)) ||
		!slices.Contains(d.Components, missing) || len(d.Missing) != 0 {
		t.Fatalf("after the supplement: status %d, received %v (want %v), due %v, components %v", d.Status, d.ReceivedAt, now, d.DueAt, d.Components)
	}

	req.OnIncomplete, req.Reason = dossier.IncompleteRefuse, ""
	if _, err := f.Svc.Submit(ctx, f.Actors["canbo"], req); apperr.As(err) == nil || apperr.As(err).Field != "reason" {
		t.Fatalf("refusal without a reason: %v", err)
	}

	// An online dossier that lacks a required component (the procedure
	// changed after it was sent) cannot be received.
	old := &dossier.Dossier{Code: "00004-260302-0099", UnitCode: demo.Ward, ProcedureCode: proc, Channel: dossier.ChannelOnline,
		Status: dossier.StatusSubmitted, Components: demo.Required(proc)[1:], Version: 1}
	_, err = dossier.Apply(old, dossier.ActionRequest{Action: dossier.ActReceive},
		dossier.Env{Proc: mustProc(t, f, proc), Cal: mustCal(t, f), Actor: f.Actors["canbo"], Now: now})
	if e := apperr.As(err); e == nil || !strings.HasPrefix(e.Message, "Không thể tiếp nhận") || !strings.Contains(e.Message, missing) || old.Status != dossier.StatusSubmitted {
		t.Fatalf("receive of an incomplete online dossier: %v", err)
	}
}
