package dossier_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// allowed is the lifecycle written out independently of the rule table in
// action.go: from which statuses each action may start and which roles may
// ever perform it.
var allowed = map[string]struct {
	from  []dossier.Status
	roles []string
}{
	dossier.ActReceive:           {[]dossier.Status{1}, []string{auth.RoleCounter}},
	dossier.ActRequestSupplement: {[]dossier.Status{1, 2, 4}, []string{auth.RoleCounter, auth.RoleSpecialist, auth.RoleLeader}},
	dossier.ActSupplement:        {[]dossier.Status{5}, []string{auth.RoleCounter, auth.RoleApplicant}},
	dossier.ActRefuse:            {[]dossier.Status{1, 5}, []string{auth.RoleCounter}},
	dossier.ActForward:           {[]dossier.Status{2, 4}, []string{auth.RoleCounter, auth.RoleSpecialist}},
	dossier.ActSendBack:          {[]dossier.Status{4}, []string{auth.RoleSpecialist, auth.RoleLeader, auth.RoleCounter}},
	dossier.ActRequestPayment:    {[]dossier.Status{2, 4}, []string{auth.RoleCounter, auth.RoleSpecialist, auth.RoleLeader}},
	dossier.ActConfirmPayment:    {[]dossier.Status{6}, []string{auth.RoleCounter}},
	dossier.ActApprove:           {[]dossier.Status{4}, []string{auth.RoleLeader}},
	dossier.ActFinish:            {[]dossier.Status{4}, []string{auth.RoleCounter}},
	dossier.ActReturnResult:      {[]dossier.Status{9}, []string{auth.RoleCounter}},
	dossier.ActWithdraw:          {[]dossier.Status{1, 2, 4, 5, 6}, []string{auth.RoleCounter, auth.RoleApplicant}},
	dossier.ActStop:              {[]dossier.Status{2, 4, 5, 6}, []string{auth.RoleLeader}},
	dossier.ActExtend:            {[]dossier.Status{2, 4, 5, 6}, []string{auth.RoleLeader}},
	dossier.ActRate:              {[]dossier.Status{9, 10}, []string{auth.RoleApplicant}},
}

// TestLifecycleProperties drives random sequences of actions by random users
// against the real store and checks after every step that nothing illegal
// happened, and after every sequence that each history chain verifies and
// every roll-up equals a recount from the dossiers.
func TestLifecycleProperties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		rapid.Check(t, func(rt *rapid.T) {
			runSequence(rt, f)
			checkChainsAndRollups(rt, f)
		})
	})
}

var (
	procs   = []string{"1.001193", "1.004873", "1.001612", "2.000635", "2.000815", "1.004222"}
	names   = []string{"canbo", "chuyenvien", "lanhdao", "quantri", "congdan", "canbo.ngocha"}
	actions = append(slices.Clone(dossier.Actions), dossier.ActRate)
)

func runSequence(rt *rapid.T, f *storetest.Fixture) {
	ctx := context.Background()
	var codes []string
	steps := rapid.IntRange(5, 40).Draw(rt, "steps")
	for i := 0; i < steps; i++ {
		f.Clock.Advance(time.Duration(rapid.IntRange(0, 50*3600).Draw(rt, "advance")) * time.Second)
		if len(codes) == 0 || rapid.IntRange(0, 5).Draw(rt, "new") == 0 {
			if code := submit(rt, f); code != "" {
				codes = append(codes, code)
			}
			continue
		}
		code := rapid.SampledFrom(codes).Draw(rt, "code")
		before, err := f.Svc.Store.Get(ctx, code)
		if err != nil {
			rt.Fatal(err)
		}
		req := randomRequest(rt, f)
		who := f.Actors[rapid.SampledFrom(names).Draw(rt, "who")]
		if rapid.IntRange(0, 9).Draw(rt, "guided") < 7 {
			req.Action, who = guided(rt, f, before)
			if req.Action == dossier.ActRate {
				req.Rating = rapid.IntRange(1, 3).Draw(rt, "guidedRating")
			}
		}
		if req.Action == dossier.ActFinish && rapid.IntRange(0, 3).Draw(rt, "withResult") > 0 {
			req.Result = resultRequest(rt, f, who)
		}
		_, err = f.Svc.Act(ctx, who, code, req)
		checkStep(rt, f, who, req, before, err)
	}
}

// guided picks an action the model allows from the dossier's status and a
// user whose role may perform it, so that sequences reach the deep states
// (approval, result, rating) rather than bouncing off refusals.
func guided(rt *rapid.T, f *storetest.Fixture, d *dossier.Dossier) (string, auth.Actor) {
	pool := actions
	if rapid.IntRange(0, 9).Draw(rt, "progress") < 7 {
		pool = progress
	}
	var acts []string
	for _, a := range pool {
		if slices.Contains(allowed[a].from, d.Status) {
			acts = append(acts, a)
		}
	}
	if len(acts) == 0 {
		return dossier.ActReceive, f.Actors["canbo"]
	}
	a := rapid.SampledFrom(acts).Draw(rt, "guidedAction")
	if d.Status == dossier.StatusProcessing && rapid.Bool().Draw(rt, "stepRole") {
		// the officer of the dossier's current step
		p, err := f.Svc.Procedures.ForUnit(context.Background(), d.ProcedureCode, d.UnitCode)
		if err != nil {
			rt.Fatal(err)
		}
		byRole := map[string]string{auth.RoleCounter: "canbo", auth.RoleSpecialist: "chuyenvien", auth.RoleLeader: "lanhdao"}
		return a, f.Actors[byRole[p.Steps[d.Step].Role]]
	}
	var who []string
	for _, n := range names {
		if slices.Contains(allowed[a].roles, f.Actors[n].Role) {
			who = append(who, n)
		}
	}
	return a, f.Actors[rapid.SampledFrom(who).Draw(rt, "guidedWho")]
}

// progress are the actions that move a dossier towards its result.
var progress = []string{dossier.ActReceive, dossier.ActForward, dossier.ActApprove, dossier.ActFinish, dossier.ActReturnResult,
	dossier.ActRate, dossier.ActSupplement, dossier.ActConfirmPayment}

// submit enters a dossier online or at the counter. Some hand in only part
// of the required components: online they are refused; at the counter the
// officer asks for the supplement or refuses at reception, or forgets to
// choose and is refused.
func submit(rt *rapid.T, f *storetest.Fixture) string {
	online := rapid.Bool().Draw(rt, "online")
	proc := rapid.SampledFrom(procs).Draw(rt, "proc")
	req := dossier.SubmitRequest{ProcedureCode: proc, Components: demo.Required(proc), UnitCode: "00004",
		Applicant: dossier.Applicant{Name: "Nguyễn Văn Đức", IDNumber: "001090012345", Phone: "0912345678"}}
	incomplete := len(req.Components) > 0 && rapid.IntRange(0, 3).Draw(rt, "incomplete") == 0
	if incomplete {
		req.Components = req.Components[1:]
	}
	who := f.Actors["canbo"]
	req.Channel = rapid.SampledFrom([]int{1, 3}).Draw(rt, "channel")
	if online {
		who, req.Channel = f.Actors["congdan"], 2
		// Now and then a paper of the citizen's wallet (a file handed in
		// with an earlier dossier, or a result returned to them) is handed
		// in again for the first required component.
		if papers, err := f.Svc.Wallet(context.Background(), who); err == nil && len(papers) > 0 && len(req.Components) > 0 && rapid.IntRange(0, 2).Draw(rt, "reuse") == 0 {
			req.Reuse = []dossier.ReuseRequest{{Component: req.Components[0], DocumentID: rapid.SampledFrom(papers).Draw(rt, "paper").ID}}
			req.ReuseConsent = true
		}
	} else if incomplete {
		req.OnIncomplete = rapid.SampledFrom([]string{"", dossier.IncompleteSupplement, dossier.IncompleteRefuse}).Draw(rt, "onIncomplete")
		req.Reason = "Hồ sơ không đủ điều kiện"
	}
	d, err := f.Svc.Submit(context.Background(), who, req)
	if incomplete && (online || req.OnIncomplete == "") {
		if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || !online && e.Field != "components" {
			rt.Fatalf("incomplete submission (online %v): %v, want invalid components", online, err)
		}
		return ""
	}
	if err != nil {
		if apperr.Code(err) == apperr.EINVALID { // a procedure not offered online
			return ""
		}
		rt.Fatalf("submit: %v", err)
	}
	want := map[string]dossier.Status{"": dossier.StatusReceived, dossier.IncompleteSupplement: dossier.StatusSupplement,
		dossier.IncompleteRefuse: dossier.StatusRefused}[req.OnIncomplete]
	if online {
		want = dossier.StatusSubmitted
	}
	if d.Status != want {
		rt.Fatalf("submitted dossier has status %d, want %d", d.Status, want)
	}
	if len(d.Reused) != len(req.Reuse) {
		rt.Fatalf("re-used %v, asked %v", d.Reused, req.Reuse)
	}
	if online && len(req.Components) > 0 && rapid.Bool().Draw(rt, "paper") { // a paper for the wallet
		a := store.Attachment{Component: req.Components[0], FileName: "to-khai.pdf", ContentType: "application/pdf", Size: 100,
			SHA256: strings.Repeat("cd", 32), UploadedBy: who.Username}
		if err := f.DB.AddPendingAttachment(context.Background(), &a); err != nil {
			rt.Fatal(err)
		}
		if err := f.DB.BindAttachments(context.Background(), d.ID, who.Username, []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
			rt.Fatal(err)
		}
	}
	if want != dossier.StatusReceived && (!d.ReceivedAt.IsZero() || !d.DueAt.IsZero()) {
		rt.Fatalf("dossier in status %d was received (%v, due %v)", d.Status, d.ReceivedAt, d.DueAt)
	}
	if want == dossier.StatusSupplement && !slices.Equal(d.Missing, demo.Required(proc)[:1]) {
		rt.Fatalf("supplement asked for %v, want the missing %v", d.Missing, demo.Required(proc)[:1])
	}
	return d.Code
}

func randomRequest(rt *rapid.T, f *storetest.Fixture) dossier.ActionRequest {
	req := dossier.ActionRequest{Action: rapid.SampledFrom(actions).Draw(rt, "action")}
	if rapid.IntRange(0, 4).Draw(rt, "withText") > 0 {
		req.Reason = "Lý do kiểm thử"
		req.Note = "Ghi chú"
		req.Missing = []string{"Bản sao giấy chứng sinh"}
		req.Rating = rapid.IntRange(0, 4).Draw(rt, "rating")
	}
	if req.Action == dossier.ActExtend {
		req.NewDueAt = f.Clock.Now().Add(time.Duration(rapid.IntRange(-48, 240).Draw(rt, "extendHours")) * time.Hour)
	}
	return req
}

// resultRequest is a result document for finish: on paper, with a signed
// file the actor uploaded, or now and then with a file someone else
// uploaded (which the finish must refuse).
func resultRequest(rt *rapid.T, f *storetest.Fixture, who auth.Actor) *dossier.ResultRequest {
	r := &dossier.ResultRequest{Number: "12/QĐ-UBND", SignedOn: stats.Day(f.Clock.Now()), Signer: "Nguyễn Văn An", SignerTitle: "Chủ tịch"}
	switch rapid.IntRange(0, 5).Draw(rt, "resultKind") {
	case 0:
		r.OnPaper = true
	case 1:
		r.File = pendingResult(rt, f, "lanhdao")
	default:
		r.File = pendingResult(rt, f, who.Username)
	}
	return r
}

func pendingResult(rt *rapid.T, f *storetest.Fixture, by string) string {
	a := store.Attachment{Kind: store.KindResult, FileName: "ket-qua.pdf", ContentType: "application/pdf", Size: 100,
		SHA256: strings.Repeat("ab", 32), UploadedBy: by}
	if err := f.DB.AddPendingAttachment(context.Background(), &a); err != nil {
		rt.Fatal(err)
	}
	return fmt.Sprintf("%d:%s", a.ID, a.SHA256)
}

func checkStep(rt *rapid.T, f *storetest.Fixture, who auth.Actor, req dossier.ActionRequest, before *dossier.Dossier, err error) {
	now, gerr := f.Svc.Store.Get(context.Background(), before.Code)
	if gerr != nil {
		rt.Fatal(gerr)
	}
	if err != nil {
		if apperr.Code(err) == apperr.EINTERNAL {
			rt.Fatalf("%s by %s: internal error %v", req.Action, who.Username, err)
		}
		if now.Version != before.Version || now.Status != before.Status || len(now.History) != len(before.History) {
			rt.Fatalf("refused %s by %s changed the dossier", req.Action, who.Username)
		}
		return
	}
	rule := allowed[req.Action]
	if !slices.Contains(rule.from, before.Status) {
		rt.Fatalf("%s succeeded from status %d", req.Action, before.Status)
	}
	if !slices.Contains(rule.roles, who.Role) {
		rt.Fatalf("%s succeeded for role %s", req.Action, who.Role)
	}
	if who.Role == auth.RoleApplicant && before.ApplicantUserID != who.UserID {
		rt.Fatalf("%s succeeded for an applicant who does not own the dossier", req.Action)
	}
	if who.IsOfficer() && who.UnitCode != before.UnitCode && !slices.Contains(before.Units, who.UnitCode) {
		rt.Fatalf("%s succeeded for an officer of another unit", req.Action)
	}
	if req.Action == dossier.ActRefuse && !before.ReceivedAt.IsZero() {
		rt.Fatalf("refused at reception a dossier received at %v", before.ReceivedAt)
	}
	if before.Approved && slices.Contains([]string{dossier.ActRequestSupplement, dossier.ActRequestPayment, dossier.ActWithdraw, dossier.ActStop}, req.Action) {
		rt.Fatalf("%s succeeded on an approved dossier", req.Action)
	}
	if req.Action == dossier.ActSupplement && before.ReceivedAt.IsZero() && before.ResumeStatus == dossier.StatusReceived &&
		(now.Status != dossier.StatusReceived || !now.ReceivedAt.Equal(f.Clock.Now().UTC().Truncate(time.Microsecond)) || now.DueAt.IsZero()) {
		rt.Fatalf("supplement to a dossier asked at reception: status %d, received %v, due %v", now.Status, now.ReceivedAt, now.DueAt)
	}
	if now.Version != before.Version+1 || len(now.History) != len(before.History)+1 {
		rt.Fatalf("%s: version %d→%d, history %d→%d", req.Action, before.Version, now.Version, len(before.History), len(now.History))
	}
	checkInvariants(rt, now)
}

func checkInvariants(rt *rapid.T, d *dossier.Dossier) {
	if !d.Status.Valid() {
		rt.Fatalf("invalid status %d", d.Status)
	}
	if d.Status.Paused() != !d.PausedAt.IsZero() {
		rt.Fatalf("status %d with paused_at %v", d.Status, d.PausedAt)
	}
	received := !d.ReceivedAt.IsZero()
	if received == d.DueAt.IsZero() && d.ExtendedAt.IsZero() {
		rt.Fatalf("status %d: received %v but due %v", d.Status, d.ReceivedAt, d.DueAt)
	}
	if d.Result != nil && d.Result.OnPaper == d.Result.Electronic() {
		rt.Fatalf("result document both or neither on paper and electronic: %+v", d.Result)
	}
	if (d.Status == dossier.StatusDone || d.Status == dossier.StatusReturned) && d.Outcome == "" {
		rt.Fatalf("finished dossier without an outcome")
	}
	if d.Status == dossier.StatusSupplement && len(d.Missing) == 0 {
		rt.Fatalf("supplement requested without a list")
	}
	if (d.Status == dossier.StatusRefused || d.Status == dossier.StatusStopped || d.Status == dossier.StatusWithdrawn) && d.Reason == "" {
		rt.Fatalf("status %d without a reason", d.Status)
	}
}

func checkChainsAndRollups(rt *rapid.T, f *storetest.Fixture) {
	res, err := f.DB.VerifyAudit(context.Background())
	if err != nil {
		rt.Fatal(err)
	}
	if res.Broken != 0 {
		rt.Fatalf("broken history chain: %s at %d", res.FirstBroken, res.BrokenAt)
	}
	if err := storetest.RollupsMatchRecount(context.Background(), f.DB); err != nil {
		rt.Fatal(err)
	}
	if err := storetest.SumsMatchRebuild(context.Background(), f.DB); err != nil {
		rt.Fatal(err)
	}
	if err := storetest.RunningMatchesRecount(context.Background(), f.DB); err != nil {
		rt.Fatal(err)
	}
	checkIndex(rt, f)
	checkQueues(rt, f)
}

// checkIndex compares the service index of each ward and of the province
// over a random period since the fixture's start (whole months, parts of
// months, a single day) with a recount from the dossiers.
func checkIndex(rt *rapid.T, f *storetest.Fixture) {
	days := int(f.Clock.Now().Sub(storetest.Start).Hours()/24) + 1
	a := rapid.IntRange(0, days).Draw(rt, "fromDay")
	b := rapid.IntRange(a, days).Draw(rt, "toDay")
	from, to := stats.Day(storetest.Start.AddDate(0, 0, a)), stats.Day(storetest.Start.AddDate(0, 0, b))
	for _, unit := range []string{demo.Ward, demo.OtherWard, demo.Province} {
		if err := storetest.IndexMatchesRecount(context.Background(), f.DB, unit, from, to); err != nil {
			rt.Fatal(err)
		}
	}
}

// checkQueues compares each unit's queue by status, and its open dossiers,
// with its whole listing filtered here.
func checkQueues(rt *rapid.T, f *storetest.Fixture) {
	ctx := context.Background()
	for _, unit := range []string{demo.Ward, demo.OtherWard} {
		sc := dossier.Scope{UnitCode: unit}
		all, _, err := f.Svc.Store.List(ctx, dossier.Filter{Limit: 100000}, sc)
		if err != nil {
			rt.Fatal(err)
		}
		want := map[dossier.Status][]string{}
		var open []string
		for _, d := range all {
			want[d.Status] = append(want[d.Status], d.Code)
			if d.DueAt.After(time.Time{}) && slices.Contains([]dossier.Status{1, 2, 4, 5, 6}, d.Status) {
				open = append(open, d.Code)
			}
		}
		for st := dossier.Status(1); st <= 10; st++ {
			got, n, err := f.Svc.Store.List(ctx, dossier.Filter{Status: st, Limit: 100000}, sc)
			if err != nil {
				rt.Fatal(err)
			}
			if codes := codesOf(got); !slices.Equal(codes, want[st]) || n != len(want[st]) {
				rt.Fatalf("unit %s, status %d: listed %v (count %d), want %v", unit, st, codes, n, want[st])
			}
		}
		got, _, err := f.Svc.Store.List(ctx, dossier.Filter{DueBefore: f.Clock.Now().AddDate(10, 0, 0), Limit: 100000}, sc)
		if err != nil {
			rt.Fatal(err)
		}
		slices.Sort(open)
		if codes := codesOf(got); !slices.Equal(slices.Sorted(slices.Values(codes)), open) {
			rt.Fatalf("unit %s: open %v, want %v", unit, codes, open)
		}
	}
}

func codesOf(ds []dossier.Dossier) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}
