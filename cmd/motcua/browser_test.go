package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian installs Chromium; CI installs it there.
const chromiumPath = "/usr/bin/chromium"

// browser drives one Chromium tab against a running motcua.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu     sync.Mutex
	errors []string // console errors and uncaught exceptions, CSP refusals included
}

// newBrowser starts a headless Chromium with a fresh profile and nothing
// that talks to the network besides the server under test.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	b := &browser{t: t, base: base}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
		return chromedp.Void{}, err
	})); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return b
}

// listen keeps the page's errors: a refused script or style (the pages'
// Content-Security-Policy), a failed request or an exception all fail the test.
func (b *browser) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *cdplog.EventEntryAdded:
		// Pages answering 404 or 422 on purpose are not errors; their
		// scripts, styles and images failing would be.
		expected := strings.HasPrefix(ev.Entry.Text, "Failed to load resource") && !strings.Contains(ev.Entry.URL, "/static/")
		if ev.Entry.Level == cdplog.EntryLevelError && !expected {
			msg = ev.Entry.Text + " " + ev.Entry.URL
		}
	case *runtime.EventExceptionThrown:
		msg = ev.ExceptionDetails.Text
	}
	if msg != "" {
		b.mu.Lock()
		b.errors = append(b.errors, msg)
		b.mu.Unlock()
	}
}

// takeErrors returns the errors seen so far and forgets them.
func (b *browser) takeErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.errors
	b.errors = nil
	return e
}

// open loads a page and returns its HTTP status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// click presses an element that leads to another page and waits for it.
func (b *browser) click(sel string) int64 {
	b.t.Helper()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return res.Status
}

func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// fill types into a field after clearing it.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel))); err == nil && v != "" {
		b.do("clear "+sel, chromedp.Clear(chromedp.CSS(sel)))
	}
	b.do("fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// expect fails unless the element's text contains every want.
func (b *browser) expect(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s: %q does not contain %q", sel, got, w)
		}
	}
}

func (b *browser) signIn(user string) {
	b.t.Helper()
	b.open("/dang-nhap")
	b.fill("#username", user)
	b.fill("#password", "demo")
	if st := b.click(`form[action="/dang-nhap"] button[type=submit]`); st != 200 {
		b.t.Fatalf("sign in as %s: %d", user, st)
	}
	b.expect("header", "Đăng xuất")
}

func (b *browser) signOut() {
	b.t.Helper()
	b.click(`form[action="/dang-xuat"] button`)
	b.expect("header", "Đăng nhập")
}

// act opens a dossier and presses the button of one action.
func (b *browser) act(code, action string) {
	b.t.Helper()
	b.open("/ho-so/" + code)
	if st := b.click(`form[action="/ho-so/` + code + `/` + action + `"] button[type=submit]`); st != 200 {
		b.t.Fatalf("%s: %d", action, st)
	}
	b.expect(".notice.ok", "Đã thực hiện")
}

// finish records the result document with its signed PDF and finishes the
// dossier.
func (b *browser) finish(code, pdf string) {
	b.t.Helper()
	b.open("/ho-so/" + code)
	b.fill("#result-number", "15/GCNKH")
	// the signer comes filled in with the leader who approved
	if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#result-signer"))); err != nil || v != "Lê Quang Vinh" {
		b.t.Fatalf("the signer field holds %q (%v)", v, err)
	}
	b.do("attach result", chromedp.SetUploadFiles(chromedp.CSS("#result-file"), []string{pdf}))
	if st := b.click(`form[action="/ho-so/` + code + `/finish"] button[type=submit]`); st != 200 {
		b.t.Fatalf("finish: %d", st)
	}
	b.expect(".notice.ok", "Đã thực hiện")
	b.expect(".facts", "Văn bản kết quả", "Số 15/GCNKH", filepath.Base(pdf))
}

// shot saves a full-page screenshot into docs/screenshots when
// MOTCUA_UPDATE_SCREENSHOTS=1, at a phone's or a desk's width.
func (b *browser) shot(name string, width int64) {
	b.t.Helper()
	if os.Getenv("MOTCUA_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	b.do("viewport", chromedp.EmulateViewport(width, 800))
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.do("viewport", chromedp.EmulateViewport(1280, 900))
}

// TestBrowserJourney follows one marriage registration from the citizen's
// search to the leader's dashboard, in a real browser against the binary.
func TestBrowserJourney(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)

	// A citizen finds the procedure with an unaccented query.
	b.open("/")
	b.shot("home", 390)
	b.fill("#q", "dang ky ket hon")
	b.click(`form.search button[type=submit]`)
	b.expect("#results", "Thủ tục đăng ký kết hôn")
	b.liveSearch()
	b.open("/thu-tuc?q=dang+ky+ket+hon")
	b.click(`a[href="/thu-tuc/1.000894"]`)
	b.expect("h1", "Thủ tục đăng ký kết hôn")
	b.shot("procedure", 390)

	// Submitting online asks to sign in, then comes back to the form.
	b.click(`a[href="/thu-tuc/1.000894/nop"]`)
	b.fill("#username", "congdan")
	b.fill("#password", "demo")
	b.click(`form[action="/dang-nhap"] button[type=submit]`)
	b.expect("h1", "Nộp hồ sơ trực tuyến")
	files := t.TempDir()
	pdf, big := filepath.Join(files, "to-khai-ket-hon.pdf"), filepath.Join(files, "ban-quet.pdf")
	writeFile(t, pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
	writeFile(t, big, append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...))
	code := b.submitOnline(pdf)
	b.submitWrong(big)
	b.signOut()

	// The citizen looks the dossier up by code and ID number, as from the QR code.
	b.open("/tra-cuu?code=" + code)
	b.fill("#proof", "001190012345")
	b.click(`form[action="/tra-cuu"] button[type=submit]`)
	b.expect(".status-now", "chờ cán bộ một cửa tiếp nhận")
	b.shot("lookup", 390)

	// The counter officer receives it and passes it on; the specialist
	// forwards; the leader approves; the counter finishes and returns it.
	b.signIn("canbo")
	b.open("/ho-so")
	b.expect("#results", code)
	b.shot("queue", 1280)
	fileURL := b.checkFile(code, filepath.Base(pdf))
	b.act(code, "receive")
	b.act(code, "forward")
	b.signOut()
	b.signIn("chuyenvien") // lands on their work, where the dossier waits
	b.expect("h1", "Việc của tôi")
	b.expect("table.mywork", code, "Chưa giao cho ai")
	b.act(code, "forward")
	b.signOut()
	b.signIn("lanhdao")
	b.act(code, "approve")
	b.signOut()
	b.signIn("canbo")
	b.finish(code, pdf)
	b.act(code, "return_result")
	b.expect(".statusline", "Đã trả kết quả")
	b.expect(".timeline", "Trả kết quả", "Phê duyệt")
	b.shot("dossier", 1280)
	// The user menu leads to the sessions, this browser's marked as in use.
	b.click(`a[href="/phien-dang-nhap"]`)
	b.expect("main", "Phiên đăng nhập", "phiên đang dùng", "Chrome", "Thu hồi")
	b.signOut()

	// The citizen rates the service on the look-up page.
	b.open("/tra-cuu?code=" + code)
	b.fill("#proof", "0912345678")
	b.click(`form[action="/tra-cuu"] button[type=submit]`)
	b.expect(".status-now", "Đã trả kết quả")
	b.do("rate", chromedp.Click(chromedp.CSS(`input[name=rating][value="3"]`)))
	b.fill("#comment", "Cán bộ nhiệt tình")
	b.click(`form[action="/tra-cuu/danh-gia"] button[type=submit]`)
	b.expect("main", "Cảm ơn", "Rất hài lòng")

	// The dashboard counts it.
	b.signIn("lanhdao")
	b.open("/thong-ke")
	b.expect(".kpis", "Hài lòng", "100 %")
	b.expect("main", "Thủ tục đăng ký kết hôn")
	b.do("chart", chromedp.WaitVisible(chromedp.CSS("#month-chart")))
	b.shot("dashboard", 1280)
	b.signOut()

	// The administrator adds a day off; the open dossiers follow.
	b.signIn("quantri")
	b.adminCalendar()
	b.signOut()

	// An officer of another ward cannot open it.
	b.signIn("canbo.ngocha")
	if st := b.open("/ho-so/" + code); st != 404 {
		t.Fatalf("other ward opened the dossier: %d", st)
	}
	b.expect("h1", "Không tìm thấy")
	if st := b.open(fileURL); st != 404 {
		t.Fatalf("other ward downloaded the dossier's file: %d", st)
	}
	b.signOut()

	b.checkPhoneLayout(code)
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// liveSearch types in the catalogue's search box and waits for htmx to swap
// the list without leaving the page.
func (b *browser) liveSearch() {
	b.t.Helper()
	b.do("mark", chromedp.Evaluate[chromedp.Void](`window.samePage = true`))
	b.fill("#q", "khai sinh")
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.samePage && location.search.includes("khai") &&
		document.querySelector("#results").textContent.includes("đăng ký khai sinh") &&
		!document.querySelector("#results").textContent.includes("kết hôn")`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		b.t.Fatalf("live search: %v", err)
	}
}

// submitOnline fills the online form with a small PDF, first with a wrong ID
// number to see the error beside the field and the summary, and the PDF
// kept; then right; checks the answers and sends. It returns the dossier
// code from the receipt.
func (b *browser) submitOnline(pdf string) string {
	b.t.Helper()
	b.do("unit", chromedp.SetValue(chromedp.CSS("#unit"), "00004"))
	b.fill("#name", "Hoàng Thị Lan")
	b.fill("#id_number", "12345")
	b.fill("#phone", "0912345678")
	b.do("tick", chromedp.Click(chromedp.CSS(`input[name=components]`)))
	b.do("attach", chromedp.SetUploadFiles(chromedp.CSS("#file-0"), []string{pdf}))
	b.do("attach the second required paper", chromedp.SetUploadFiles(chromedp.CSS("#file-1"), []string{pdf}))
	if st := b.click(`form[action="/thu-tuc/1.000894/nop"] button[type=submit]`); st != 422 {
		b.t.Fatalf("bad ID number: %d", st)
	}
	b.expect(".error-summary", "12 chữ số")
	b.expect(".has-error", "12 chữ số")
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#name"))); v != "Hoàng Thị Lan" {
		b.t.Fatalf("the name was not kept: %q", v)
	}
	b.expect(".file-kept", filepath.Base(pdf))
	b.fill("#id_number", "001190012345")
	b.click(`form[action="/thu-tuc/1.000894/nop"] button[type=submit]`)
	b.expect("h1", "Kiểm tra lại")
	b.expect(".review", filepath.Base(pdf))
	b.click(`button[value=send]`)
	b.expect(".code-box", "Mã hồ sơ")
	code := strings.TrimSpace(b.text(".code.huge"))
	b.do("qr", chromedp.WaitVisible(chromedp.CSS("svg.qr")))
	return code
}

// submitWrong sends a second online form with a wrong ID number, a file
// over the limit and no file for a required paper: every error shows at
// once, and what was typed stays.
func (b *browser) submitWrong(big string) {
	b.t.Helper()
	b.open("/thu-tuc/1.000894/nop")
	b.do("unit", chromedp.SetValue(chromedp.CSS("#unit"), "00004"))
	b.fill("#name", "Trần Văn Bình")
	b.fill("#id_number", "0011900")
	b.fill("#address", "Số 5 phố Đội Cấn, Ba Đình")
	b.do("attach", chromedp.SetUploadFiles(chromedp.CSS("#file-1"), []string{big}))
	if st := b.click(`form[action="/thu-tuc/1.000894/nop"] button[type=submit]`); st != 422 {
		b.t.Fatalf("bad ID number and a big file: %d", st)
	}
	b.expect(".error-summary", "12 chữ số", "lớn hơn 10 MB")
	b.expect(`.component.has-error:has(#file-1)`, "lớn hơn 10 MB")
	b.expect(`.component.has-error:has(#file-0)`, "Vui lòng đính kèm tệp cho giấy tờ bắt buộc")
	for sel, want := range map[string]string{"#name": "Trần Văn Bình", "#id_number": "0011900", "#address": "Số 5 phố Đội Cấn, Ba Đình"} {
		if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel))); v != want {
			b.t.Fatalf("%s was not kept: %q", sel, v)
		}
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".file-kept").length`)); n != 0 {
		b.t.Fatalf("%d files kept, want none: the only one was too big", n)
	}
}

// checkFile follows the dossier's file link as the officer sees it, and
// fetches the file as the page would.
func (b *browser) checkFile(code, name string) string {
	b.t.Helper()
	b.open("/ho-so/" + code)
	b.expect(".files", name)
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".files a").getAttribute("href")`))
	if err != nil || !strings.HasPrefix(href, "/ho-so/"+code+"/tep/") {
		b.t.Fatalf("file link %q: %v", href, err)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`).then(r => r.status + " " +
		r.headers.get("content-type") + " " + r.headers.get("content-disposition"))`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "200 application/pdf attachment;") {
		b.t.Fatalf("download: %q %v", got, err)
	}
	return href
}

// adminCalendar adds a day off through the administrator's calendar page,
// a weekday a little ahead so that open dossiers' due times move.
func (b *browser) adminCalendar() {
	b.t.Helper()
	b.open("/quan-tri")
	b.click(`a.card[href="/quan-tri/lich"]`)
	day := time.Now().AddDate(0, 0, 2)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	b.do("date", chromedp.SetValue(chromedp.CSS("#date"), day.Format("2006-01-02")))
	b.fill("#name", "Nghỉ bù")
	if st := b.click(`form[aria-labelledby="add-h"] button[type=submit]`); st != 422 {
		b.t.Fatalf("a day off without a reason: %d", st)
	}
	b.expect(".error-summary", "lý do")
	b.fill("#reason", "Thông báo số 12/TB-UBND")
	b.click(`form[aria-labelledby="add-h"] button[type=submit]`)
	b.expect(".notice.ok", "Đã lưu thay đổi lịch")
	b.expect("main", "Thông báo số 12/TB-UBND", day.Format("02/01/2006"))
	b.shot("admin-calendar", 1280)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPhoneLayout opens the main pages at 360 px: nothing may scroll
// sideways, and every control must be at least 44 px high.
func (b *browser) checkPhoneLayout(code string) {
	b.t.Helper()
	b.do("viewport", chromedp.EmulateViewport(360, 740))
	pages := []string{"/", "/thu-tuc", "/thu-tuc/1.000894", "/tra-cuu?code=" + code, "/dang-nhap"}
	check := func(path string) {
		wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			b.t.Errorf("%s scrolls sideways at 360 px (%v)", path, err)
		}
		small, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
			'button, .btn, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .menu a, summary, label.check, label.choice'))
			.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
			.map(e => e.outerHTML.slice(0, 80))`))
		if err != nil || len(small) > 0 {
			b.t.Errorf("%s has controls under 44 px: %v %v", path, small, err)
		}
		bad, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`(() => {
			const ids = Array.from(document.querySelectorAll('[id]'), e => e.id);
			const dup = ids.filter((id, i) => ids.indexOf(id) !== i).map(id => 'duplicate id ' + id);
			const unlabelled = Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
				.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => 'no label: ' + e.name);
			const landmarks = ['header', 'nav', 'main', 'footer'].filter(s => !document.querySelector(s)).map(s => 'no ' + s);
			return dup.concat(unlabelled, landmarks);
		})()`))
		if err != nil || len(bad) > 0 {
			b.t.Errorf("%s: %v %v", path, bad, err)
		}
	}
	for _, p := range pages {
		b.open(p)
		check(p)
	}
	b.signIn("congdan")
	b.open("/thu-tuc/1.000894/nop")
	check("/thu-tuc/1.000894/nop")
	b.signOut()
	b.signIn("quantri")
	for _, p := range []string{"/quan-tri", "/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung/canbo", "/quan-tri/phong-ban",
		"/quan-tri/thu-tuc/1.000894", "/quan-tri/gio-lam-viec", "/quan-tri/lich"} {
		b.open(p)
		check(p)
	}
	b.signOut()
	b.signIn("canbo")
	for _, p := range []string{"/ho-so", "/ho-so/" + code, "/tiep-nhan?procedure=1.001193", "/thong-ke"} {
		b.open(p)
		check(p)
	}
}

// TestBrowserCounterSupplement enters a dossier at the counter without one
// of its required papers: the form comes back naming it, the officer asks
// for the supplement, and the dossier page opens with form 02, a PDF that
// names the missing paper.
func TestBrowserCounterSupplement(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)
	b.signIn("canbo")
	b.open("/tiep-nhan?procedure=1.004873") // Xác nhận tình trạng hôn nhân: a form and an ID paper are required
	b.fill("#name", "Lý Văn Phúc")
	b.fill("#id_number", "001090012345")
	b.do("tick the form only", chromedp.Click(chromedp.CSS(`input[name=components][value="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"]`)))
	if st := b.click(`form[action="/tiep-nhan?procedure=1.004873"] button.big[type=submit]`); st != 422 {
		b.t.Fatalf("incomplete entry: %d", st)
	}
	const missing = "Hộ chiếu, thẻ căn cước hoặc giấy tờ tùy thân có ảnh"
	b.expect(".error-summary", "thiếu giấy tờ bắt buộc", missing)
	b.expect("#incomplete", missing)
	if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS("#missing"))); !strings.Contains(v, missing) {
		t.Fatalf("the supplement list is not filled in: %q", v)
	}
	b.do("choose the supplement", chromedp.Click(chromedp.CSS(`input[name=on_incomplete][value=request_supplement]`)))
	if st := b.click(`form[action="/tiep-nhan?procedure=1.004873"] button.big[type=submit]`); st != 200 {
		t.Fatalf("request the supplement: %d", st)
	}
	code := strings.TrimSpace(b.text("h1 .code"))
	b.expect(".statusline", "Chờ bổ sung")
	b.expect(".printnow", "chưa được tiếp nhận", "Mẫu 02")
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".facts dt").length`)); n == 0 {
		t.Fatal("no details on the dossier page")
	}
	b.expect(".facts", missing)
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#printnow").getAttribute("href")`))
	if err != nil || href != "/ho-so/"+code+"/mau/2" {
		t.Fatalf("form 02 link %q: %v", href, err)
	}
	// Fetch the PDF as the page would, and read its text.
	pdf := b.fetchPDF(href)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is absent (poppler-utils): the form's text is not checked")
	} else {
		path := filepath.Join(t.TempDir(), "mau-02.pdf")
		writeFile(t, path, pdf)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		text := strings.Join(strings.Fields(string(out)), " ")
		if err != nil || !strings.Contains(strings.ToUpper(text), "PHIẾU YÊU CẦU BỔ SUNG") || !strings.Contains(text, missing) || !strings.Contains(text, code) {
			t.Fatalf("form 02 text (%v):\n%s", err, text)
		}
	}
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}
