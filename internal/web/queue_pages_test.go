package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

var (
	ticketPathRE = regexp.MustCompile(`/so-thu-tu/[a-z0-9]+`)
	slotRE       = regexp.MustCompile(`name="slot" value="([^"]+)"`)
	bookingRE    = regexp.MustCompile(`id="booking-code">([A-Z0-9]+)<`)
)

// TestQueuePages walks the counter's pages over HTTP: a priority ticket
// from the kiosk with its QR page, the desk calling and serving it, the
// tablet rating it, the board listing it, a booking checked in at the
// kiosk, the statistics, and the refusals in Vietnamese; in both
// languages, with no message key left untranslated.
func TestQueuePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		q := store.Queue{DB: e.f.DB, Cals: e.f.Cals}
		desks, err := q.Desks(context.Background(), demo.Ward)
		if err != nil {
			t.Fatal(err)
		}
		desk := fmt.Sprintf("/quay/%d", desks[0].ID)
		for _, lang := range []string{"", "&lang=en"} {
			for _, path := range []string{"/lay-so?unit=00004", "/bang-goi-so?unit=00004", "/dat-lich?unit=00004&procedure=1.001193"} {
				if st, page := e.get("", path+lang); st != 200 || missingKey.MatchString(page) {
					t.Errorf("%s%s: %d %s", path, lang, st, missingKey.FindString(page))
				}
			}
		}
		res, page := e.do("", http.MethodPost, "/lay-so", url.Values{"unit": {"00004"}, "group": {"A"}, "priority_reason": {"elderly"}, "paper": {"58"}})
		if res.StatusCode != 200 || !strings.Contains(page, "A001") || !strings.Contains(page, "Người cao tuổi") || !strings.Contains(page, `<svg class="qr"`) ||
			!strings.Contains(page, "paper-58") {
			t.Fatalf("kiosk ticket: %d %s", res.StatusCode, mainOf(page))
		}
		own := ticketPathRE.FindString(page)
		if st, p := e.get("", own); st != 200 || !strings.Contains(p, "A001") || !strings.Contains(p, "Số người trước bạn") {
			t.Fatalf("the ticket's page %s: %d %s", own, st, mainOf(p))
		}
		if st, _ := e.get("", "/so-thu-tu/khongco"); st != 404 {
			t.Errorf("an unknown ticket page: %d, want 404", st)
		}
		if res, p := e.do("", http.MethodPost, "/lay-so", url.Values{"unit": {"00004"}, "group": {"A"}, "priority_reason": {"vip"}}); res.StatusCode != 422 ||
			!strings.Contains(p, "Lý do ưu tiên phải là") {
			t.Errorf("a wrong priority: %d %s", res.StatusCode, mainOf(p))
		}

		// Another ward's officer does not find the desk; the ward's does.
		for _, path := range []string{desk, desk + "/danh-gia"} {
			if st, _ := e.get("canbo.ngocha", path); st != 404 {
				t.Errorf("%s for another unit's officer: %d, want 404", path, st)
			}
		}
		if res, _ := e.do("canbo.ngocha", http.MethodPost, desk+"/call", url.Values{}); res.StatusCode != 404 {
			t.Errorf("another unit's officer calls at the desk: %d, want 404", res.StatusCode)
		}
		for _, step := range []string{"open", "call"} {
			if res, p := e.do("canbo", http.MethodPost, desk+"/"+step, url.Values{}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", step, res.StatusCode, mainOf(p))
			}
		}
		st, p := e.get("canbo", desk)
		if st != 200 || !strings.Contains(p, `id="current-number">A001<`) || !strings.Contains(p, "/tiep-nhan?ticket=") || missingKey.MatchString(p) {
			t.Fatalf("the desk serves A001: %d %s", st, mainOf(p))
		}
		tk, err := q.TicketByToken(context.Background(), strings.TrimPrefix(own, "/so-thu-tu/"))
		if err != nil {
			t.Fatal(err)
		}
		if st, p := e.get("", own); st != 200 || !strings.Contains(p, "Mời bạn đến Quầy 1") {
			t.Errorf("the called ticket's page: %d %s", st, mainOf(p))
		}
		if st, p := e.get("", "/bang-goi-so?unit=00004"); st != 200 || !strings.Contains(p, `<td class="board-num">A001</td>`) {
			t.Errorf("the board lacks A001 at desk 1: %s", mainOf(p))
		}
		e.f.Clock.Advance(4 * time.Minute)
		id := fmt.Sprint(tk.ID)
		if res, p := e.do("canbo", http.MethodPost, desk+"/danh-gia", url.Values{"ticket": {id}, "rating": {"3"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("rating before service: %d %s", res.StatusCode, mainOf(p))
		}
		if res, _ := e.do("canbo", http.MethodPost, desk+"/serve", url.Values{"ticket": {id}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("serve: %d", res.StatusCode)
		}
		if st, p := e.get("canbo", desk+"/danh-gia"); st != 200 || !strings.Contains(p, `id="tablet-number">A001<`) || !strings.Contains(p, "Nguyễn Thị Hoà") {
			t.Fatalf("the tablet asks about A001: %d %s", st, mainOf(p))
		}
		// The tablet is signed in with another account than the desk's
		// officer: he cannot rate his own service.
		if res, p := e.do("canbo", http.MethodPost, desk+"/danh-gia", url.Values{"ticket": {id}, "rating": {"3"}}); res.StatusCode != http.StatusForbidden ||
			!strings.Contains(p, "Cán bộ đã phục vụ không tự đánh giá") {
			t.Errorf("the officer rates himself: %d %s", res.StatusCode, mainOf(p))
		}
		if res, p := e.do("chuyenvien", http.MethodPost, desk+"/danh-gia", url.Values{"ticket": {id}, "rating": {"7"}}); res.StatusCode != 422 ||
			!strings.Contains(p, "Mức đánh giá phải là") {
			t.Errorf("a wrong level: %d %s", res.StatusCode, mainOf(p))
		}
		if res, _ := e.do("chuyenvien", http.MethodPost, desk+"/danh-gia", url.Values{"ticket": {id}, "rating": {"3"}, "reason": {"Nhanh, chu đáo"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rate: %d", res.StatusCode)
		}
		for _, path := range []string{desk, desk + "/danh-gia", own, "/thong-ke/quay"} {
			for _, lang := range []string{"?lang=vi", "?lang=en"} {
				who := "canbo"
				if path == "/thong-ke/quay" {
					who = "lanhdao"
				}
				if st, p := e.get(who, path+lang); st != 200 || missingKey.MatchString(p) {
					t.Errorf("%s%s: %d %s", path, lang, st, missingKey.FindString(p))
				}
			}
		}
		if tk, _ = q.Ticket(context.Background(), tk.ID); tk.Rating != 3 {
			t.Errorf("the ticket's rating: %d, want 3", tk.Rating)
		}
		if _, p := e.get("canbo", desk+"/danh-gia"); strings.Contains(p, "tablet-number") {
			t.Error("the tablet asks about a rated ticket again")
		}
		// The leaders' dashboard shows the counter's figures next to the
		// link to its statistics: one served, after 4 minutes at the desk.
		if st, p := e.get("lanhdao", "/thong-ke"); st != 200 || !strings.Contains(p, `id="counter-served">1<`) ||
			!strings.Contains(p, `id="counter-service">4:00<`) || !strings.Contains(p, `href="/thong-ke/quay?from=`) {
			t.Errorf("the dashboard's counter figures: %d %s", st, mainOf(p))
		}
		if _, p := e.get("canbo", "/thong-ke"); strings.Contains(p, "counter-served") {
			t.Error("a counter officer sees the counter's figures on the dashboard")
		}

		// Rated on the phone instead: the ticket's page offers the levels once
		// served, once.
		if res, p := e.do("", http.MethodPost, own+"/danh-gia", url.Values{"rating": {"2"}}); res.StatusCode != http.StatusConflict ||
			!strings.Contains(p, "Số này đã được đánh giá") {
			t.Errorf("a second rating from the phone: %d", res.StatusCode)
		}
		_, p = e.do("", http.MethodPost, "/lay-so", url.Values{"unit": {"00004"}, "group": {"A"}})
		phone := ticketPathRE.FindString(p)
		e.do("canbo", http.MethodPost, desk+"/call", url.Values{})
		a2, _ := q.TicketByToken(context.Background(), strings.TrimPrefix(phone, "/so-thu-tu/"))
		e.do("canbo", http.MethodPost, desk+"/serve", url.Values{"ticket": {fmt.Sprint(a2.ID)}})
		if _, p := e.get("", phone); !strings.Contains(p, `action="`+phone+`/danh-gia"`) {
			t.Fatalf("the served ticket's page offers no rating: %s", mainOf(p))
		}
		if res, _ := e.do("", http.MethodPost, phone+"/danh-gia", url.Values{"rating": {"2"}, "reason": {"Chờ hơi lâu"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rating on the phone: %d", res.StatusCode)
		}
		if a2, _ = q.Ticket(context.Background(), a2.ID); a2.Rating != 2 {
			t.Errorf("the phone's rating: %d, want 2", a2.Rating)
		}

		// A003 transferred to group B: desk 2 (groups B and C) sees it waiting.
		e.do("", http.MethodPost, "/lay-so", url.Values{"unit": {"00004"}, "group": {"A"}})
		if res, _ := e.do("canbo", http.MethodPost, desk+"/call", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("call A003: %d", res.StatusCode)
		}
		a3, _ := q.Ticket(context.Background(), a2.ID+1)
		if res, p := e.do("canbo", http.MethodPost, desk+"/transfer", url.Values{"ticket": {fmt.Sprint(a3.ID)}, "to": {"group:B"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("transfer: %d %s", res.StatusCode, mainOf(p))
		}
		if _, p := e.get("canbo", fmt.Sprintf("/quay/%d", desks[1].ID)); !strings.Contains(p, `data-label="Số thứ tự">A003<`) {
			t.Errorf("desk 2 does not see A003 sent to group B: %s", mainOf(p))
		}
		if res, p := e.do("canbo", http.MethodPost, desk+"/transfer", url.Values{"ticket": {fmt.Sprint(a3.ID)}, "to": {"somewhere"}}); res.StatusCode != 422 ||
			!strings.Contains(p, "Chọn quầy hoặc nhóm dịch vụ") {
			t.Errorf("a transfer nowhere: %d", res.StatusCode)
		}

		// A booking for tomorrow, checked in at the kiosk.
		day := e.f.Clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
		_, p = e.get("", "/dat-lich?unit=00004&procedure=1.001193&date="+day)
		slots := slotRE.FindAllStringSubmatch(p, -1)
		if slots == nil {
			t.Fatalf("no slot offered on %s: %s", day, mainOf(p))
		}
		m := slots[len(slots)-1] // the afternoon's last: checked in early in the morning
		form := url.Values{"unit": {"00004"}, "procedure": {"1.001193"}, "date": {day}, "slot": {m[1]}, "name": {"Hoàng Thị Lan"}, "phone": {"09123"}}
		if res, p := e.do("", http.MethodPost, "/dat-lich", form); res.StatusCode != 422 || !strings.Contains(p, "Số điện thoại") {
			t.Errorf("a short phone: %d %s", res.StatusCode, mainOf(p))
		}
		form.Set("phone", "0912345678")
		res, p = e.do("", http.MethodPost, "/dat-lich", form)
		code := bookingRE.FindStringSubmatch(p)
		if res.StatusCode != 201 || code == nil {
			t.Fatalf("book: %d %s", res.StatusCode, mainOf(p))
		}
		if res, p := e.do("", http.MethodPost, "/lay-so/hen", url.Values{"unit": {"00008"}, "code": {code[1]}}); res.StatusCode != 404 ||
			!strings.Contains(p, "Không tìm thấy lịch hẹn") {
			t.Errorf("another ward's kiosk checks the booking in: %d", res.StatusCode)
		}
		e.f.Clock.Advance(24 * time.Hour)
		res, p = e.do("", http.MethodPost, "/lay-so/hen", url.Values{"unit": {"00004"}, "code": {strings.ToLower(code[1])}})
		if res.StatusCode != 200 || !strings.Contains(p, "Giờ hẹn") {
			t.Fatalf("check-in: %d %s", res.StatusCode, mainOf(p))
		}
		e.counterFromTicket(q, strings.TrimPrefix(ticketPathRE.FindString(p), "/so-thu-tu/"))

		// The statistics: the leader sees desk 1 and its officer; a
		// counter officer is refused.
		st, p = e.get("lanhdao", "/thong-ke/quay?from=2026-03-01&to=2026-03-31")
		if st != 200 || !strings.Contains(p, `>Quầy 1</th>`) || !strings.Contains(p, `>Nguyễn Thị Hoà</th>`) || missingKey.MatchString(p) {
			t.Errorf("/thong-ke/quay: %d %s", st, mainOf(p))
		}
		if st, _ := e.get("canbo", "/thong-ke/quay"); st != 403 {
			t.Errorf("/thong-ke/quay for a counter officer: %d, want 403", st)
		}
		if _, p := e.get("", "/"); !strings.Contains(p, `href="/dat-lich?unit=00004"`) {
			t.Error("the home page does not link the ward's booking")
		}
		if st, p := e.get("lanhdao", "/thong-ke"); st != 200 || !strings.Contains(p, `href="/thong-ke/quay?from=`) {
			t.Errorf("the dashboard does not link the desks' statistics")
		}
	})
}

// counterFromTicket opens the counter page from the booked citizen's
// ticket: the form comes filled with his name and phone, another unit's
// officer does not find the ticket, and the dossier made is linked to it.
func (e *pagesEnv) counterFromTicket(q store.Queue, token string) {
	t := e.t
	tk, err := q.TicketByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(tk.ID)
	if st, p := e.get("canbo", "/tiep-nhan?ticket="+id); st != 200 || !strings.Contains(p, "/tiep-nhan?procedure=1.001193&amp;ticket="+id) {
		t.Errorf("the procedure list does not carry the ticket: %d", st)
	}
	st, p := e.get("canbo", "/tiep-nhan?procedure=1.001193&ticket="+id)
	if st != 200 || !strings.Contains(p, `value="Hoàng Thị Lan"`) || !strings.Contains(p, `value="0912345678"`) {
		t.Fatalf("the counter form is not filled from the ticket: %d %s", st, mainOf(p))
	}
	if st, _ := e.get("canbo.ngocha", "/tiep-nhan?procedure=1.001193&ticket="+id); st != 404 {
		t.Errorf("another unit's officer opens the ticket: %d, want 404", st)
	}
	form := url.Values{"procedure": {"1.001193"}, "ticket": {id}, "name": {"Hoàng Thị Lan"}, "id_number": {"001190012345"}, "phone": {"0912345678"},
		"channel": {"1"}, "components": demo.Required("1.001193")}
	if res, _ := e.do("canbo", http.MethodPost, "/tiep-nhan", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("counter entry from the ticket: %d", res.StatusCode)
	}
	if tk, _ = q.Ticket(context.Background(), tk.ID); tk.DossierCode == "" {
		t.Error("the dossier is not linked to its ticket")
	}
}

// TestQueuePageKeys checks the message keys the counter's templates build
// from values: priority reasons, desk actions, statistics dimensions and
// the ended ticket's states.
func TestQueuePageKeys(t *testing.T) {
	u, err := loadUI()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range queue.PriorityReasons {
		keys = append(keys, "queue.reason."+r)
	}
	for _, a := range []string{store.ActRecall, store.ActServe, store.ActSkip, store.ActTransfer, store.ActLink} {
		keys = append(keys, "desk.act."+a)
	}
	for _, by := range deskStatsBy {
		keys = append(keys, "deskstats.by."+by, "deskstats.key."+by)
	}
	keys = append(keys, "ticket.status."+queue.Served, "ticket.status."+queue.Skipped)
	keys = append(keys, "kiosk.title", "ticket.title", "booking.title", "board.title", "desk.title", "tablet.title", "deskstats.title")
	for _, l := range languages {
		for _, k := range keys {
			if _, ok := u.cat[l].msgs[k]; !ok {
				t.Errorf("%s.json lacks %q", l, k)
			}
		}
	}
}
