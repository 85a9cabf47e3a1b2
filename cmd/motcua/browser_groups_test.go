package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBrowserGroups: a resident subscribes to group 1 on its page and
// confirms with the SMS code; the ward's leader targets an announcement to
// group 1 only; it shows on group 1's page and not on group 2's, and the
// outbox holds one message, to group 1's confirmed subscriber (not to its
// unconfirmed one, nor to group 2's). The public statistics page shows the
// leader's dashboard's numbers.
func TestBrowserGroups(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base, f, _ := queueServer(t)
	f.SeedGroups(t)
	ctx := context.Background()
	seedDossiers(t, f)
	svc := f.Announce()
	// Group 2's confirmed subscriber and group 1's unconfirmed one.
	if _, err := svc.Subscribe(ctx, storetest.Group2, announce.SubscribeRequest{Channel: announce.ChannelSMS, Address: "0912000222"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmCode(ctx, storetest.Group2, announce.ChannelSMS, "0912000222", storetest.SentCode(t, f.DB, "0912000222")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Subscribe(ctx, storetest.Group1, announce.SubscribeRequest{Channel: announce.ChannelSMS, Address: "0912000333"}); err != nil {
		t.Fatal(err)
	}

	// A resident of group 1 subscribes from a phone.
	b := newBrowser(t, base)
	b.do("phone", chromedp.EmulateViewport(390, 800))
	b.open("/to-dan-pho/" + storetest.Group1)
	b.expect("h1", "Tổ dân phố 1")
	b.expect("main", "Đỗ Thị Mai", "Chưa có thông báo nào")
	b.noSideScroll("the group's page at 390 px")
	b.fill("#address", "0912 000 111")
	if st := b.click(`form[action="/to-dan-pho/` + storetest.Group1 + `/dang-ky"] button[type=submit]`); st != 200 {
		t.Fatalf("subscribe: %d", st)
	}
	b.expect(".notice.ok", "6 chữ số")
	b.fill("#code", storetest.SentCode(t, f.DB, "0912000111"))
	if st := b.click(`form[action="/to-dan-pho/xac-nhan"] button[type=submit]`); st != 200 {
		t.Fatalf("confirm: %d %s", st, b.text("main"))
	}
	b.expect("#confirmed", "Đã xác nhận")
	b.shot("group-confirmed", 390)
	b.do("desk", chromedp.EmulateViewport(1280, 900))

	// The leader targets an announcement to group 1 only.
	b.signIn("lanhdao")
	b.click(`nav.menu a[href="/to-dan-pho/thong-bao"]`)
	b.fill("#title", "Lịch tiêm chủng tháng 3")
	b.fill("#body", "Sáng thứ Bảy tại nhà văn hoá tổ 1.")
	b.do("tick group 1", chromedp.Click(chromedp.CSS(`input[name=groups][value="`+storetest.Group1+`"]`)))
	if st := b.click(`form[action="/to-dan-pho/thong-bao"] button[type=submit]`); st != 200 {
		t.Fatalf("announce: %d %s", st, b.text("main"))
	}
	b.expect(".notice.ok", "Đã đăng thông báo")
	b.expect("table.list", "Lịch tiêm chủng tháng 3", "Tổ dân phố 1", "Đã đăng, đã gửi")
	b.shot("announcements", 1280)

	// It shows on group 1's page only.
	b.open("/to-dan-pho/" + storetest.Group1)
	b.expect("#announcements", "Lịch tiêm chủng tháng 3", "Sáng thứ Bảy")
	b.shot("group", 390)
	b.open("/to-dan-pho/" + storetest.Group2)
	if main := b.text("main"); strings.Contains(main, "Lịch tiêm chủng") {
		t.Fatal("group 2's page shows group 1's announcement")
	}
	// The outbox: one message, to group 1's confirmed subscriber.
	msgs, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		if m.Topic == "group.announcement" {
			to = append(to, m.Channel+":"+m.Recipient)
		}
	}
	if len(to) != 1 || to[0] != "sms:0912000111" {
		t.Fatalf("announcement messages to %v, want only sms:0912000111", to)
	}

	// The public statistics show the dashboard's numbers.
	b.open("/thong-ke")
	var dash []string
	for i := 1; i <= 4; i++ {
		dash = append(dash, strings.TrimSpace(b.text(fmt.Sprintf("ul.kpis:first-of-type li:nth-child(%d) .kpi", i))))
	}
	b.signOut()
	b.open("/")
	b.click(`footer a[href="/thong-ke/cong-khai"]`)
	b.click(`main a[href="/thong-ke/cong-khai/` + demo.Ward + `"]`)
	for i, k := range []string{"received", "on_time", "online", "satisfaction"} {
		if got := strings.TrimSpace(b.text(`[data-kpi="` + k + `"]`)); got != dash[i] {
			t.Errorf("public %s: %q, the dashboard shows %q", k, got, dash[i])
		}
	}
	if dash[0] != "3" {
		t.Errorf("dashboard received %q, want 3", dash[0])
	}
	b.shot("public-stats", 1280)
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// seedDossiers receives two dossiers at the ward's counter and one sent
// online, so that the dashboard has numbers to show.
func seedDossiers(t *testing.T, f *storetest.Fixture) {
	t.Helper()
	ctx := context.Background()
	for i, by := range []string{"canbo", "canbo", "congdan"} {
		ch := dossier.ChannelCounter
		if by == "congdan" {
			ch = dossier.ChannelOnline
		}
		d, err := f.Svc.Submit(ctx, f.Actors[by], dossier.SubmitRequest{ProcedureCode: "1.001193", UnitCode: demo.Ward, Channel: ch,
			Components: demo.Required("1.001193"), Applicant: dossier.Applicant{Name: "Lê Thị Cúc", IDNumber: fmt.Sprintf("00118500665%d", i), Phone: "0903111222"}})
		if err == nil && ch == dossier.ChannelOnline {
			_, err = f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReceive})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
