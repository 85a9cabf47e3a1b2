package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/unit"
)

// TestGroupsAreNotAdministrativeUnits: a residential group is listed among
// its commune's groups but never among the units under the commune (the
// rankings' and dashboards' children), receives no dossier and no
// petition, and takes no account but its leaders'.
func TestGroupsAreNotAdministrativeUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		f.SeedGroups(t)
		children, err := f.DB.Units(ctx, demo.Ward)
		if err != nil || len(children) != 0 {
			t.Fatalf("units under the ward: %+v %v, want none", children, err)
		}
		top, _ := f.DB.Units(ctx, demo.Province)
		for _, u := range top {
			if u.Kind == unit.KindGroup {
				t.Errorf("a group among the province's units: %+v", u)
			}
		}
		groups, err := store.Announce{DB: f.DB}.Groups(ctx, demo.Ward, false)
		if err != nil || len(groups) != 2 || groups[0].Leader != "Đỗ Thị Mai" || groups[1].Leader != "" || groups[0].FullName != "Tổ dân phố 1" {
			t.Fatalf("groups: %+v %v", groups, err)
		}
		_, err = f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{UnitCode: storetest.Group1, ProcedureCode: "1.001193",
			Applicant: dossier.Applicant{Name: "Nguyễn Văn An", IDNumber: "001090000001", Phone: "0912345678"}})
		if apperr.Code(err) != apperr.EINVALID {
			t.Errorf("dossier at a group: %v, want refused", err)
		}
		_, err = f.Petitions().Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: storetest.Group1, Field: "traffic", Subject: "Đèn đường hỏng",
			Text: "Đèn đường trước nhà số 5 đã hỏng một tuần.", Name: "An", Phone: "0912345678"}, nil)
		if apperr.Code(err) != apperr.EINVALID {
			t.Errorf("petition at a group: %v, want refused", err)
		}
		u := auth.User{Username: "motcua.to1", FullName: "Cán bộ tổ", Role: auth.RoleCounter, UnitCode: storetest.Group1}
		if err := f.DB.CreateUser(ctx, &u, demo.Password()); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("a counter officer of a group: %v, want refused", err)
		}
		recv, _ := f.DB.ReceivingUnits(ctx)
		for _, r := range recv {
			if r.Kind == unit.KindGroup {
				t.Errorf("a group receives: %+v", r)
			}
		}
		// A group under a group, or under a province, is refused.
		bad := unit.Unit{Code: "01-01", Name: "x", Kind: unit.KindGroup, ParentCode: "01"}
		if err := f.DB.SaveGroup(ctx, bad); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("a group of a province: %v", err)
		}
		// Renaming keeps the code; closing hides it from the public list.
		g, _ := unit.NewGroup(demo.Ward, "02", "thon", "Đông")
		if err := f.DB.SaveGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.CloseGroup(ctx, storetest.Group2, "2026-03-01"); err != nil {
			t.Fatal(err)
		}
		open, _ := store.Announce{DB: f.DB}.Groups(ctx, demo.Ward, false)
		all, _ := store.Announce{DB: f.DB}.Groups(ctx, demo.Ward, true)
		if len(open) != 1 || len(all) != 2 || all[1].FullName != "Thôn Đông" {
			t.Errorf("after closing: open %+v, all %+v", open, all)
		}
	})
}

// TestGroupsAreNotEvaluated: the monthly and quarterly evaluations run
// for the administrative units that have officers, never for a group,
// though its leader has an account there.
func TestGroupsAreNotEvaluated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		f.SeedGroups(t)
		if u, err := f.DB.UserByName(context.Background(), "totruong1"); err != nil || u.UnitCode != storetest.Group1 {
			t.Fatalf("the group leader: %+v %v", u, err)
		}
		units, err := store.Evaluations{DB: f.DB}.EvaluatedUnits(context.Background())
		if err != nil || !slices.Contains(units, demo.Ward) {
			t.Fatalf("evaluated units: %v %v, want the ward among them", units, err)
		}
		for _, c := range units {
			if strings.HasPrefix(c, demo.Ward+"-") {
				t.Errorf("a group is evaluated: %s (all: %v)", c, units)
			}
		}
	})
}

// TestAnnouncementReachesOnlyTargetedConfirmedSubscribers: an announcement
// to one group shows on that group's list only and gives one message to
// each confirmed subscriber of that group, none to an unconfirmed one or
// another group's; publishing again sends nothing more.
func TestAnnouncementReachesOnlyTargetedConfirmedSubscribers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		f.SeedGroups(t)
		svc := f.Announce()
		s1 := f.Subscribed(t, storetest.Group1, "0912 000 001")
		f.Subscribed(t, storetest.Group2, "0912000002")
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: announce.ChannelEmail, Address: "Lan@Example.org"}); err != nil {
			t.Fatal(err)
		}
		a := &announce.Announcement{Title: "Lịch tiêm chủng tháng 3", Body: "Tiêm chủng tại nhà văn hoá tổ 1,\nsáng thứ Bảy.", Groups: []string{storetest.Group1}}
		if err := svc.Create(ctx, f.Actors["canbo"], a); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a counter officer announces: %v", err)
		}
		if err := svc.Create(ctx, f.Actors["totruong1"], &announce.Announcement{Title: "x", Body: "y", AllGroups: true}); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a group's leader announces: %v", err)
		}
		if err := svc.Create(ctx, f.Actors["lanhdao"], &announce.Announcement{Title: "x", Body: "y", Groups: []string{storetest.OtherGroup}}); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("another ward's group: %v", err)
		}
		if err := svc.Create(ctx, f.Actors["lanhdao"], a); err != nil {
			t.Fatal(err)
		}
		msgs := msgsOf(t, f.DB, "group.announcement")
		if len(msgs) != 1 || msgs[0].Recipient != s1.Address || msgs[0].Channel != announce.ChannelSMS {
			t.Fatalf("messages: %+v", msgs)
		}
		var p notify.Payload
		_ = json.Unmarshal(msgs[0].Payload, &p)
		if !strings.Contains(p.Text, "/to-dan-pho/"+storetest.Group1) || !strings.Contains(p.Text, "/to-dan-pho/huy?t=") {
			t.Errorf("SMS text: %q", p.Text)
		}
		if n, err := svc.PublishDue(ctx); err != nil || n != 0 {
			t.Errorf("published again: %d %v", n, err)
		}
		if got := msgsOf(t, f.DB, "group.announcement"); len(got) != 1 {
			t.Errorf("after a second run: %d messages", len(got))
		}
		st := store.Announce{DB: f.DB}
		on1, _ := st.Announcements(ctx, announce.Filter{Unit: demo.Ward, Group: storetest.Group1, ShownAt: f.Clock.Now()})
		on2, _ := st.Announcements(ctx, announce.Filter{Unit: demo.Ward, Group: storetest.Group2, ShownAt: f.Clock.Now()})
		if len(on1) != 1 || len(on2) != 0 || on1[0].Groups[0] != storetest.Group1 {
			t.Errorf("group 1 shows %+v, group 2 %+v", on1, on2)
		}
	})
}

// TestScheduledAnnouncement: an announcement for later is sent when its
// time has come, once, to every group of the commune when it targets all.
func TestScheduledAnnouncement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		f.SeedGroups(t)
		svc := f.Announce()
		f.Subscribed(t, storetest.Group1, "0912000001")
		f.Subscribed(t, storetest.Group2, "0912000002")
		f.Subscribed(t, storetest.OtherGroup, "0912000003")
		a := &announce.Announcement{Title: "Họp tổ dân phố", Body: "Họp lúc 19:30.", AllGroups: true, PublishAt: f.Clock.Now().Add(2 * time.Hour)}
		if err := svc.Create(ctx, f.Actors["quantri"], a); err != nil {
			t.Fatal(err)
		}
		if got := msgsOf(t, f.DB, "group.announcement"); len(got) != 0 {
			t.Fatalf("sent before its time: %+v", got)
		}
		shown, _ := store.Announce{DB: f.DB}.Announcements(ctx, announce.Filter{Unit: demo.Ward, Group: storetest.Group1, ShownAt: f.Clock.Now()})
		if len(shown) != 0 {
			t.Errorf("shown before its time")
		}
		f.Clock.Advance(2 * time.Hour)
		if n, err := svc.PublishDue(ctx); err != nil || n != 1 {
			t.Fatalf("published %d %v", n, err)
		}
		got := msgsOf(t, f.DB, "group.announcement")
		if len(got) != 2 || got[0].Recipient == "0912000003" || got[1].Recipient == "0912000003" {
			t.Errorf("messages: %+v", got)
		}
	})
}

// TestSubscriptionConfirmAndUnsubscribe: a wrong code is counted and
// refused, five wrong codes spend the code, an e-mail is confirmed by its
// signed link, and the signed unsubscribe link ends the subscription in
// one step (and only for its purpose).
func TestSubscriptionConfirmAndUnsubscribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		f.SeedGroups(t)
		svc := f.Announce()
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "fax", Address: "1"}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("channel fax: %v", err)
		}
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "12345"}); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("bad phone: %v", err)
		}
		if _, err := svc.Subscribe(ctx, "00004-99", announce.SubscribeRequest{Channel: "sms", Address: "0912000001"}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("unknown group: %v", err)
		}
		sub, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "0912000001"})
		if err != nil {
			t.Fatal(err)
		}
		code := storetest.SentCode(t, f.DB, "0912000001")
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for range announce.MaxAttempts {
			if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", "0912000001", wrong); apperr.Code(err) != apperr.ENOTFOUND {
				t.Fatalf("wrong code: %v", err)
			}
		}
		if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", "0912000001", code); err != announce.ErrCodeRefused {
			t.Fatalf("the right code after five wrong ones: %v", err)
		}
		// Asking again within a minute sends nothing new; after it, a new code.
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "0912000001"}); err != nil {
			t.Fatal(err)
		}
		if n := len(msgsOf(t, f.DB, "group.confirm")); n != 1 {
			t.Errorf("%d confirmations within a minute", n)
		}
		f.Clock.Advance(2 * time.Minute)
		again, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "0912000001"})
		if err != nil || again.Ref != sub.Ref {
			t.Fatalf("again: %+v %v", again, err)
		}
		// A new code asked while the spent one is valid keeps its wrong
		// tries: asking again buys no guesses. Once it has expired, it
		// starts afresh.
		if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", "0912000001", storetest.SentCode(t, f.DB, "0912000001")); err != announce.ErrCodeRefused {
			t.Fatalf("a new code asked within the spent one's validity: %v", err)
		}
		f.Clock.Advance(announce.ConfirmTTL + time.Minute)
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "0912000001"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", "0912000001", storetest.SentCode(t, f.DB, "0912000001")); err != nil {
			t.Fatal(err)
		}
		// The code form answers alike a confirmed subscriber (even with
		// his right code), a pending one, an unknown address and an expired
		// code: it must not tell who follows the group.
		confirmedCode := storetest.SentCode(t, f.DB, "0912000001")
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "sms", Address: "0912000002"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ name, phone, code string }{
			{"confirmed, its code", "0912000001", confirmedCode},
			{"confirmed, a wrong code", "0912000001", wrong},
			{"pending, a wrong code", "0912000002", wrongFor(storetest.SentCode(t, f.DB, "0912000002"))},
			{"no subscription", "0912000003", wrong},
		} {
			if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", c.phone, c.code); err != announce.ErrCodeRefused {
				t.Errorf("%s: %v, want the one refusal", c.name, err)
			}
		}
		f.Clock.Advance(announce.ConfirmTTL + time.Minute)
		if _, err := svc.ConfirmCode(ctx, storetest.Group1, "sms", "0912000002", storetest.SentCode(t, f.DB, "0912000002")); err != announce.ErrCodeRefused {
			t.Errorf("an expired code: %v, want the one refusal", err)
		}
		// E-mail: the signed link confirms.
		if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: "email", Address: "lan@example.org"}); err != nil {
			t.Fatal(err)
		}
		msgs := msgsOf(t, f.DB, "group.confirm")
		var p notify.Payload
		_ = json.Unmarshal(msgs[len(msgs)-1].Payload, &p)
		tok := p.Fields.Link[strings.Index(p.Fields.Link, "?t=")+3:]
		tok = strings.ReplaceAll(tok, "%7E", "~")
		if _, err := svc.ConfirmLink(ctx, tok+"x"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a forged link: %v", err)
		}
		if _, err := svc.ConfirmLink(ctx, tok); err != nil {
			t.Fatalf("link %q: %v", tok, err)
		}
		if again, err := svc.ConfirmLink(ctx, tok); err != nil || !again.Confirmed {
			t.Fatalf("the signed link opened twice: %+v %v", again, err)
		}
		subs, _ := store.Announce{DB: f.DB}.Subscriptions(ctx, storetest.Group1)
		if len(subs) != 3 || !subs[0].Confirmed || subs[1].Confirmed || !subs[2].Confirmed {
			t.Fatalf("subscriptions: %+v", subs)
		}
		key, _ := f.DB.NotifyKey(ctx)
		if _, err := svc.Unsubscribe(ctx, notify.Sign(key, "group-confirm", sub.Ref)); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("a token of another purpose: %v", err)
		}
		if _, err := svc.Unsubscribe(ctx, announce.OffToken(key, sub.Ref)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Unsubscribe(ctx, announce.OffToken(key, sub.Ref)); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("twice: %v", err)
		}
		if subs, _ := (store.Announce{DB: f.DB}).Subscriptions(ctx, storetest.Group1); len(subs) != 2 {
			t.Errorf("after unsubscribing: %+v", subs)
		}
	})
}

// wrongFor is a code other than code.
func wrongFor(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// msgsOf lists the outbox's messages of a topic, oldest first.
func msgsOf(t *testing.T, db *store.DB, topic string) []outbox.Message {
	msgs, _ := storetest.GroupMessages(t, db, topic, "")
	return msgs
}
