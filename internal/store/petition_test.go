package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

func newPetition(t *testing.T, svc *petition.Service, a auth.Actor, unit string) *petition.Petition {
	t.Helper()
	p, err := svc.Submit(context.Background(), a, petition.SubmitRequest{Unit: unit, Field: "traffic", Subject: "Đèn đường hỏng ở ngõ 12",
		Text: "Đèn đường trước nhà số 5 ngõ 12 phố Đội Cấn đã hỏng một tuần, buổi tối rất tối.", Address: "Số 5 ngõ 12 Đội Cấn",
		Name: "Nguyễn Văn An", Phone: "0912 345 678", Email: "An.Nguyen@example.org"},
		[]petition.File{{Name: "den.jpg", ContentType: "image/jpeg", Size: 11, SHA256: strings.Repeat("ab", 32)}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func act(t *testing.T, svc *petition.Service, a auth.Actor, code string, req petition.ActionRequest) *petition.Petition {
	t.Helper()
	p, err := svc.Act(context.Background(), a, code, req)
	if err != nil {
		t.Fatalf("%s: %v", req.Action, err)
	}
	return p
}

// TestPetitionLifecycle follows a petition from an anonymous sender to a
// published answer found by an unaccented search, with the sender's
// information, approval, votes and satisfaction, on both engines.
func TestPetitionLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc, a := context.Background(), f.Petitions(), f.Actors
		p := newPetition(t, svc, auth.Actor{}, demo.Ward)
		if !petition.ValidCode(p.Code) || !strings.HasPrefix(p.Code, "PA-260302-00004-0") || p.Sender.Phone != "0912345678" || len(p.Events) != 1 {
			t.Fatalf("created: %+v", p)
		}
		// The sender finds it with the phone written another way; a wrong
		// phone, and an officer of another unit, find nothing.
		if _, err := svc.ForSender(ctx, p.Code, "+84 912 345 678"); err != nil {
			t.Fatalf("sender: %v", err)
		}
		for _, err := range []error{
			func() error { _, err := svc.ForSender(ctx, p.Code, "0912345679"); return err }(),
			func() error { _, err := svc.Get(ctx, a["canbo.ngocha"], p.Code); return err }(),
			func() error {
				_, err := svc.Act(ctx, a["canbo.ngocha"], p.Code, petition.ActionRequest{Action: petition.ActClassify, Field: "urban"})
				return err
			}(),
		} {
			if apperr.Code(err) != apperr.ENOTFOUND {
				t.Fatalf("want not found, got %v", err)
			}
		}
		act(t, svc, a["canbo"], p.Code, petition.ActionRequest{Action: petition.ActClassify, Field: "urban", Department: "Phòng Kinh tế"})
		act(t, svc, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActAssign, Assignee: "chuyenvien"})
		if _, err := svc.Act(ctx, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActAssign, Assignee: "canbo.ngocha"}); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("assign to another unit's officer: %v", err)
		}
		act(t, svc, a["chuyenvien"], p.Code, petition.ActionRequest{Action: petition.ActRequestInfo, Text: "Xin cho biết số cột đèn."})
		// The change's answer is the whole petition: its files and its
		// history, not only the step just taken.
		supplied, err := svc.SenderAct(ctx, p.Code, "0912345678", petition.ActionRequest{Action: petition.ActSupplyInfo, Text: "Cột số 17."})
		if err != nil || len(supplied.Events) != 5 || len(supplied.Files) != 1 || dossier.VerifyChain(p.Code, supplied.Events) != 0 {
			t.Fatalf("supplied: %+v %v", supplied, err)
		}
		act(t, svc, a["chuyenvien"], p.Code, petition.ActionRequest{Action: petition.ActDraft, Text: "Đã thay bóng đèn cột số 17."})
		if _, err := svc.Act(ctx, a["chuyenvien"], p.Code, petition.ActionRequest{Action: petition.ActAnswer, Text: "x"}); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("an officer answers without approval: %v", err)
		}
		p = act(t, svc, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActApprove})
		if p.Status != petition.StatusAnswered || p.Answer != "Đã thay bóng đèn cột số 17." || p.Outcome == "" {
			t.Fatalf("approved: %+v", p)
		}
		// The public reads the question as the leader rewrote it, never
		// the sender's words nor his name, phone or e-mail.
		for _, text := range []string{"", "Anh NGUYEN van an hỏi: đèn đường cột 17?", "Gọi 0912.345.678 về đèn cột 17", "Gọi +84 912 345 678",
			"Thư an.nguyen@example.org"} {
			if _, err := svc.Act(ctx, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActPublish, Text: text}); apperr.Code(err) != apperr.EINVALID {
				t.Fatalf("published %q: %v", text, err)
			}
		}
		act(t, svc, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActPublish, Text: "Đèn đường ở ngõ 12 hỏng, cột số 17, có an toàn không? Gọi 1022."})
		if _, n, _ := svc.Public(ctx, "doi can", 10, 0); n != 0 {
			t.Fatalf("the sender's own text is in the public search: %d", n)
		}
		found, n, err := svc.Public(ctx, "den duong cot so", 10, 0)
		if err != nil || n != 1 || len(found) != 1 || found[0].Code != p.Code {
			t.Fatalf("public search: %d %v %v", n, found, err)
		}
		if _, n, _ := svc.Public(ctx, "den duong hang xom", 10, 0); n != 0 {
			t.Fatalf("a word not in the answer still found %d", n)
		}
		for range 2 {
			if _, err := svc.Vote(ctx, p.Code, "reader-1", true); err != nil {
				t.Fatal(err)
			}
		}
		v, err := svc.Vote(ctx, p.Code, "reader-2", false)
		if err != nil || v.Useful != 1 || v.NotUseful != 1 {
			t.Fatalf("votes: %+v %v", v, err)
		}
		if _, err := svc.SenderAct(ctx, p.Code, "0912345678", petition.ActionRequest{Action: petition.ActRate, Satisfaction: petition.NotSatisfied}); err != nil {
			t.Fatal(err)
		}
		p = act(t, svc, a["canbo"], p.Code, petition.ActionRequest{Action: petition.ActClose})
		got, err := svc.Get(ctx, a["canbo"], p.Code)
		if err != nil || len(got.Events) != 10 || dossier.VerifyChain(got.Code, got.Events) != 0 {
			t.Fatalf("history: %d events, %v", len(got.Events), err)
		}
		res, err := f.DB.VerifyAudit(ctx)
		if err != nil || res.Petitions != 1 || res.PetitionEvents != 10 || res.Broken != 0 {
			t.Fatalf("audit: %+v %v", res, err)
		}
		if err := storetest.PetitionRollupsMatchRecount(ctx, f.DB); err != nil {
			t.Fatal(err)
		}
		day := f.Clock.Now().Format("2006-01-02")
		facts, err := f.DB.IndexFacts(ctx, []string{demo.Ward}, "2026-03-01", day)
		if err != nil {
			t.Fatal(err)
		}
		c := facts[demo.Ward].Counts()
		if c["5.2"].Denominator != 1 || c["5.2"].Numerator != 1 || c["5.3"].Numerator != 0 {
			t.Fatalf("5.2 %+v 5.3 %+v (answered on time, sender not satisfied)", c["5.2"], c["5.3"])
		}
	})
}

// TestPetitionDeadlinesAcrossHolidays: received on Thursday 23/4/2026, the
// deadlines skip the weekend, Giỗ Tổ's substitute Monday 27/4 and 30/4–3/5
// (REFERENCE.md); asking for information pauses the answer clock, which
// goes on from the reply with the working time that was left.
func TestPetitionDeadlinesAcrossHolidays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc, a := context.Background(), f.Petitions(), f.Actors
		at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, calendar.Zone) }
		f.Clock.Set(at(4, 23))
		p := newPetition(t, svc, auth.Actor{}, demo.Ward)
		for name, c := range map[string][2]time.Time{
			"refuse": {p.RefuseDueAt, at(4, 28)}, "info": {p.InfoDueAt, at(5, 5)}, "answer": {p.DueAt, at(5, 19)},
		} {
			if !c[0].Equal(c[1]) {
				t.Errorf("%s due %v, want %v", name, c[0].In(calendar.Zone), c[1])
			}
		}
		f.Clock.Set(at(4, 24))
		act(t, svc, a["canbo"], p.Code, petition.ActionRequest{Action: petition.ActRequestInfo, Text: "Xin ảnh chụp hiện trường."})
		// Waiting for the sender is never late, whatever the time.
		f.Clock.Set(at(5, 21))
		if late, _, _ := svc.List(ctx, a["canbo"], petition.ListRequest{Queue: petition.QueueLate}); len(late) != 0 {
			t.Fatalf("a paused petition is late: %v", late)
		}
		f.Clock.Set(at(5, 6))
		p, err := svc.SenderAct(ctx, p.Code, "0912345678", petition.ActionRequest{Action: petition.ActSupplyInfo, Text: "Ảnh đã gửi qua zalo."})
		if err != nil {
			t.Fatal(err)
		}
		if want := at(5, 26); !p.DueAt.Equal(want) {
			t.Fatalf("due after the pause %v, want %v", p.DueAt.In(calendar.Zone), want)
		}
		// Near due from 22/5 (2 working days left), late after 26/5 09:00.
		f.Clock.Set(at(5, 21))
		if near, _, _ := svc.List(ctx, a["canbo"], petition.ListRequest{Queue: petition.QueueNearDue}); len(near) != 0 {
			t.Fatalf("near due 3 working days before: %v", near)
		}
		f.Clock.Set(at(5, 22))
		if near, _, _ := svc.List(ctx, a["canbo"], petition.ListRequest{Queue: petition.QueueNearDue}); len(near) != 1 {
			t.Fatalf("not near due 2 working days before")
		}
		f.Clock.Set(at(5, 26).Add(time.Minute))
		late, _, err := svc.Late(ctx, a["lanhdao"], 10, 0)
		if err != nil || len(late) != 1 {
			t.Fatalf("late list: %v %v", late, err)
		}
		// The hourly escalation tells each leader with a phone, once.
		if err := f.DB.CreateUser(ctx, &auth.User{Username: "lanhdao2", FullName: "Đinh Thị Hà", Role: auth.RoleLeader, UnitCode: demo.Ward,
			Phone: "0903000111"}, "mat-khau-dai-1"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []int{1, 0} {
			if n, err := svc.EscalateLate(ctx); err != nil || n != want {
				t.Fatalf("escalation: %d, want %d (%v)", n, want, err)
			}
		}
		msgs, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{UnitCode: demo.Ward, Channel: "sms"})
		if err != nil || len(msgs) != 1 || msgs[0].Recipient != "0903000111" || msgs[0].Channel != "sms" || msgs[0].OrderKey != p.Code {
			t.Fatalf("the leaders' message: %+v %v", msgs, err)
		}
		p = act(t, svc, a["lanhdao"], p.Code, petition.ActionRequest{Action: petition.ActAnswer, Text: "Đã xử lý."})
		if p.Outcome != calendar.Late {
			t.Fatalf("answered after the due time: %q", p.Outcome)
		}
		// A refusal after 2 working days is late too.
		f.Clock.Set(at(4, 23))
		q := newPetition(t, svc, auth.Actor{}, demo.Ward)
		f.Clock.Set(at(4, 28).Add(time.Minute))
		if q = act(t, svc, a["canbo"], q.Code, petition.ActionRequest{Action: petition.ActRefuse, Text: "Không thuộc thẩm quyền."}); q.Outcome != calendar.Late {
			t.Fatalf("refused late: %q", q.Outcome)
		}
		if err := storetest.PetitionRollupsMatchRecount(ctx, f.DB); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPetitionAuditDetectsTampering: an edited petition event breaks its
// chain for `audit verify`.
func TestPetitionAuditDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Petitions()
		p := newPetition(t, svc, auth.Actor{}, demo.Ward)
		act(t, svc, f.Actors["canbo"], p.Code, petition.ActionRequest{Action: petition.ActRefuse, Text: "Trùng nội dung."})
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 || res.Petitions != 1 {
			t.Fatalf("before: %+v %v", res, err)
		}
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `UPDATE petition_events SET note = 'Đã xử lý' WHERE seq = 2 AND petition_id = ?`, p.ID)
		res, err := f.DB.VerifyAudit(ctx)
		if err != nil || res.Broken != 1 || res.FirstBroken != p.Code || res.BrokenAt != 2 {
			t.Fatalf("tampering not found: %+v %v", res, err)
		}
	})
}

// TestPetitionMergeAndDirectAnswer: a duplicate merged into another shows
// its sender the kept petition's answer; a petition cannot be merged into
// another unit's, nor into itself; the duplicate's sender rates the kept
// answer once it is given; a unit that lets officers answer
// directly lets a counter officer answer.
func TestPetitionMergeAndDirectAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc, a := context.Background(), f.Petitions(), f.Actors
		kept, dup := newPetition(t, svc, auth.Actor{}, demo.Ward), newPetition(t, svc, auth.Actor{}, demo.Ward)
		other := newPetition(t, svc, auth.Actor{}, demo.OtherWard)
		for _, into := range []string{other.Code, dup.Code, "PA-x"} {
			if _, err := svc.Act(ctx, a["canbo"], dup.Code, petition.ActionRequest{Action: petition.ActMerge, Into: into}); apperr.Code(err) != apperr.EINVALID {
				t.Fatalf("merge into %s: %v", into, err)
			}
		}
		act(t, svc, a["canbo"], dup.Code, petition.ActionRequest{Action: petition.ActMerge, Into: kept.Code})
		rate := petition.ActionRequest{Action: petition.ActRate, Satisfaction: petition.NotSatisfied}
		if _, err := svc.SenderAct(ctx, dup.Code, "0912345678", rate); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("rated before the kept petition's answer: %v", err)
		}
		if err := (store.Petitions{DB: f.DB}).SetSettings(ctx, demo.Ward, petition.Settings{DirectAnswer: true}, "quantri"); err != nil {
			t.Fatal(err)
		}
		act(t, svc, a["canbo"], kept.Code, petition.ActionRequest{Action: petition.ActAnswer, Text: "Đã sửa đèn."})
		got, err := svc.ForSender(ctx, dup.Code, "0912345678")
		if err != nil || got.Status != petition.StatusMerged || got.Answer != "Đã sửa đèn." || got.MergedInto != kept.Code {
			t.Fatalf("the duplicate's sender reads %+v %v", got, err)
		}
		// Its sender says whether that answer satisfied him, once.
		rated, err := svc.SenderAct(ctx, dup.Code, "0912345678", rate)
		if err != nil || rated.Satisfaction != petition.NotSatisfied || rated.Events[len(rated.Events)-1].Action != petition.ActRate {
			t.Fatalf("the duplicate's rating: %+v %v", rated, err)
		}
		if _, err := svc.SenderAct(ctx, dup.Code, "0912345678", rate); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("rated twice: %v", err)
		}
		if err := storetest.PetitionRollupsMatchRecount(ctx, f.DB); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPetitionDeadlinesFollowCalendarChanges: a holiday the ward adds moves
// its running petitions' answer time by a working day, with a recompute
// event on each chain; a petition waiting for its sender keeps its due
// time, and another ward's petitions are not touched.
func TestPetitionDeadlinesFollowCalendarChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc, a := context.Background(), f.Petitions(), f.Actors
		running, waiting := newPetition(t, svc, auth.Actor{}, demo.Ward), newPetition(t, svc, auth.Actor{}, demo.Ward)
		other := newPetition(t, svc, auth.Actor{}, demo.OtherWard)
		act(t, svc, a["canbo"], waiting.Code, petition.ActionRequest{Action: petition.ActRequestInfo, Text: "Xin cho biết số cột đèn."})
		res, err := f.Cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: "2026-03-10", Kind: calendar.Holiday, Name: "Nghỉ đột xuất",
			Reason: "Quyết định số 1/QĐ-UBND", By: a["quantri"]})
		if err != nil || res.PetitionsChecked != 1 || res.PetitionsMoved != 1 {
			t.Fatalf("holiday: %+v %v", res, err)
		}
		for _, c := range []struct {
			p      *petition.Petition
			moved  bool
			events int
		}{{running, true, 2}, {waiting, false, 2}, {other, false, 1}} {
			got, err := svc.Store.Get(ctx, c.p.Code)
			if err != nil {
				t.Fatal(err)
			}
			want := c.p.DueAt
			if c.moved {
				want = want.AddDate(0, 0, 1) // 23/3 → 24/3, a Tuesday
			}
			if !got.DueAt.Equal(want) || len(got.Events) != c.events || !got.RefuseDueAt.Equal(c.p.RefuseDueAt) {
				t.Fatalf("%s: due %v with %d events, want %v with %d", got.Code, got.DueAt, len(got.Events), want, c.events)
			}
			if last := got.Events[len(got.Events)-1]; c.moved && (last.Action != petition.ActRecompute || !last.DueAt.Equal(want) || last.Actor != auth.System.Username) {
				t.Fatalf("%s: last event %+v", got.Code, last)
			}
		}
		if r, err := f.DB.VerifyAudit(ctx); err != nil || r.Broken != 0 || r.PetitionEvents != 5 {
			t.Fatalf("audit: %+v %v", r, err)
		}
	})
}
