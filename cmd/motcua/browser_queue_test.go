package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// queueServer is motcua in this process over a fixture database, so that
// the test sets the clock the queue numbers, calls and appointments follow.
func queueServer(t *testing.T) (string, *storetest.Fixture, *httptest.Server) {
	f := storetest.NewFixture(t, store.SQLite)
	srv := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals, Now: f.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BoardEvery: 100 * time.Millisecond}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.CloseStreams(); hs.Close() })
	return hs.URL, f, hs
}

// tab opens another tab of b's browser, with its own error log.
func (b *browser) tab() *browser {
	b.t.Helper()
	n := &browser{t: b.t, base: b.base}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(n.listen))
	b.t.Cleanup(cancel)
	n.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
		return chromedp.Void{}, err
	})); err != nil {
		b.t.Fatalf("new tab: %v", err)
	}
	return n
}

// wait polls a JavaScript condition until it holds, across the page's own
// navigations (the tablet goes back to waiting by itself).
func (b *browser) wait(what, cond string) {
	b.t.Helper()
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		// A page that reloads while it is polled (the tablet going back to
		// idle) loses the polling's context: poll again on the new page.
		if _, err = chromedp.Run(b.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(time.Until(deadline)))); err == nil ||
			!strings.Contains(err.Error(), "navigated") && !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// TestBrowserQueue runs the modern counter with four pages open at once in
// one browser: the kiosk, the calling board, the desk view and the rating
// tablet. A ticket taken at the kiosk prints at 80 mm, appears on the board
// when the desk calls it (chime and announcement), is rated on the tablet
// once served, while the citizen's phone follows it from the QR at 360 px;
// the board shows it lost the stream and resumes by itself;
// and a citizen who booked online is called at the booked time, ahead of
// a walk-in who came earlier, on the test's clock.
func TestBrowserQueue(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base, f, hs := queueServer(t)
	q := store.Queue{DB: f.DB, Cals: f.Cals}
	desks, err := q.Desks(context.Background(), demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	deskID := desks[0].ID // Quầy 1, group A
	desk := fmt.Sprintf("/quay/%d", deskID)
	at := func(h, m int) { f.Clock.Set(time.Date(2026, 3, 2, h, m, 0, 0, calendar.Zone)) }

	officer := newBrowser(t, base)
	officer.signIn("canbo")
	board, kiosk := officer.tab(), officer.tab()
	// The desk's tablet signs in with another account than the desk's
	// officer, who may not rate his own service.
	tablet := newBrowser(t, base)
	tablet.signIn("chuyenvien")
	board.open("/bang-goi-so?unit=00004")
	board.wait("the board's stream", `document.getElementById("board").getAttribute("data-live") === "open"`)
	tablet.open(desk + "/danh-gia")
	tablet.expect(".tablet-idle", "mời quý khách đánh giá")

	// The kiosk: group A, the ticket to print at 80 mm.
	kiosk.open("/lay-so?unit=00004")
	kiosk.shot("kiosk", 1280)
	if st := kiosk.click(`button.kiosk-group[value="A"]`); st != 200 {
		t.Fatalf("take a ticket: %d", st)
	}
	kiosk.expect(".t-number", "A001")
	kiosk.expect(".t-place", "Số người trước bạn", "0")
	kiosk.printedWidth(80)
	phone := officer.tab() // the citizen follows the ticket's QR on a phone
	phone.do("phone width", chromedp.EmulateViewport(360, 740))
	phone.open(strings.TrimPrefix(kiosk.text(".t-url"), base))
	phone.expect(".t-number", "A001")
	phone.wait("the ticket's page fits a phone", `document.documentElement.scrollWidth <= document.documentElement.clientWidth`)

	// The desk calls A001: the board shows it at desk 1 and announces it.
	officer.open(desk)
	officer.click("#open-desk")
	officer.click("#call-next")
	officer.expect("#current-number", "A001")
	board.wait("A001 on the board", fmt.Sprintf(`document.querySelector('tr[data-desk="%d"] .board-num').textContent === "A001" &&
		document.querySelector("#board-recent li").textContent.includes("A001") &&
		document.getElementById("board").getAttribute("data-announced").startsWith("Mời công dân có số A 1 đến quầy số 1")`, deskID))
	board.shot("board", 1280)

	// Served: the tablet asks, the citizen rates, thanks, and it waits again.
	f.Clock.Advance(6 * time.Minute)
	officer.click("#act-serve")
	board.wait("desk 1 free on the board", fmt.Sprintf(`document.querySelector('tr[data-desk="%d"] .board-num').textContent === ""`, deskID))
	tablet.wait("the tablet asks about A001", `document.getElementById("tablet-number") !== null && document.getElementById("tablet-number").textContent === "A001"`)
	tablet.shot("tablet", 1280)
	tablet.fill("#reason", "Cán bộ hướng dẫn tận tình")
	tablet.click("#rate-3")
	tablet.expect(".tablet-thanks", "Cảm ơn")
	tablet.wait("the tablet resets", `document.querySelector(".tablet-idle") !== null`)
	if tk, err := q.Ticket(context.Background(), 1); err != nil || tk.Rating != 3 || tk.Officer != "canbo" {
		t.Fatalf("A001 rated: %+v %v", tk, err)
	}

	phone.wait("the phone's page follows the ticket to its end", `document.querySelector("main").textContent.includes("Đã phục vụ xong")`)

	// The board loses its stream, says so, and comes back by itself.
	hs.CloseClientConnections()
	board.wait("the board reconnects", `document.getElementById("board").getAttribute("data-live") === "reconnecting" &&
		!document.getElementById("board-state").hidden`)
	board.wait("the board is back", `document.getElementById("board").getAttribute("data-live") === "open" && document.getElementById("board-state").hidden`)

	// A booking for 10:00, a walk-in at 09:10, the booked citizen checks
	// in early at 09:30: at 09:40 the walk-in is called; at 10:00 the
	// booked citizen, ahead of a walk-in of 09:50.
	kiosk.open("/dat-lich?unit=00004&procedure=1.001193&date=2026-03-02")
	kiosk.do("choose 10:00", chromedp.Click(chromedp.CSS(`input[name=slot][value="2026-03-02T03:00:00Z"]`)))
	kiosk.fill("#name", "Hoàng Thị Lan")
	kiosk.fill("#phone", "0912345678")
	if st := kiosk.click(`form[action="/dat-lich"][method=post] button[type=submit]`); st != 201 {
		t.Fatalf("book: %d", st)
	}
	code := kiosk.text("#booking-code")
	at(9, 10)
	kiosk.open("/lay-so?unit=00004")
	kiosk.click(`button.kiosk-group[value="A"]`)
	kiosk.expect(".t-number", "A002")
	at(9, 30)
	kiosk.open("/lay-so?unit=00004")
	kiosk.fill("#code", code)
	if st := kiosk.click(`.kiosk-checkin button[type=submit]`); st != 200 {
		t.Fatalf("check in: %d", st)
	}
	kiosk.expect(".t-number", "A003")
	kiosk.expect(".t-due", "10:00 02/03/2026")
	at(9, 40)
	officer.open(desk)
	officer.click("#call-next")
	officer.expect("#current-number", "A002")
	board.wait("A002 called", fmt.Sprintf(`document.querySelector('tr[data-desk="%d"] .board-num').textContent === "A002"`, deskID))
	at(9, 50)
	kiosk.open("/lay-so?unit=00004")
	kiosk.click(`button.kiosk-group[value="A"]`)
	kiosk.expect(".t-number", "A004")
	officer.wait("the desk's waiting list follows the kiosk", `document.getElementById("desk-waiting").textContent.includes("A004")`)
	at(10, 0)
	officer.open(desk)
	officer.click("#call-next")
	officer.expect("#current-number", "A003")
	officer.expect(".desk-current", "Hoàng Thị Lan", code)
	board.wait("the booked citizen called at 10:00", fmt.Sprintf(`document.querySelector('tr[data-desk="%d"] .board-num').textContent === "A003"`, deskID))

	for name, b := range map[string]*browser{"desk": officer, "board": board, "kiosk": kiosk, "tablet": tablet, "phone": phone} {
		if errs := b.takeErrors(); len(errs) > 0 {
			t.Errorf("%s page errors: %v", name, errs)
		}
	}
}

// printedWidth prints the page as the kiosk's browser would to its receipt
// printer and checks the paper's width (the page's @page size) with pdfinfo.
func (b *browser) printedWidth(mm float64) {
	b.t.Helper()
	yes := true
	var pdf []byte
	b.do("print", chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		pdf = res.Data
		return chromedp.Void{}, err
	}))
	path := filepath.Join(b.t.TempDir(), "ticket.pdf")
	writeFile(b.t, path, pdf)
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		b.t.Fatalf("pdfinfo: %v", err)
	}
	var w, h float64
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Page size:"); ok {
			fmt.Sscanf(strings.TrimSpace(v), "%f x %f", &w, &h)
		}
		if v, ok := strings.CutPrefix(line, "Pages:"); ok && strings.TrimSpace(v) != "1" {
			b.t.Errorf("the ticket prints on %s pages", strings.TrimSpace(v))
		}
	}
	if got := w / 72 * 25.4; got < mm-0.5 || got > mm+0.5 {
		b.t.Errorf("the ticket prints %.1f mm wide, want %.0f mm (pdfinfo: %s)", got, mm, out)
	}
}
