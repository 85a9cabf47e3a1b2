package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPetition follows a resident's report from the anonymous form
// with a photo and the location button, to the officer's draft, the
// leader's approval and publication, and to the public questions and
// answers, where an unaccented search finds it.
func TestBrowserPetition(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)
	photo := filepath.Join(t.TempDir(), "den-duong-hong.jpg")
	writeFile(t, photo, append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 2000)...))

	code := b.sendPetition(photo)

	// The ward's counter officer finds it in the queue, sees the sender
	// and the photo, and drafts the answer.
	b.signIn("canbo")
	b.click(`nav.menu a[href="/phan-anh"]`)
	b.expect("#results", code, "Đèn đường ngõ 12 hỏng")
	b.click(`#results a[href="/phan-anh/` + code + `"]`)
	b.expect(".facts", "0933444555", "den-duong-hong.jpg", "21.035200, 105.819000")
	b.shot("petition", 1280)
	answer := "Công ty chiếu sáng đã thay bóng đèn ngõ 12 ngày 10/12."
	b.fill("#draft_answer-text", answer)
	b.petitionAct(code, "draft_answer")
	b.signOut()

	// The leader sees it waiting for approval, approves the draft as it
	// stands and publishes it.
	b.signIn("lanhdao")
	b.open("/phan-anh")
	b.expect(".kpis", "Trả lời chờ duyệt", "1")
	b.click(`a[href="/phan-anh?status=4"]`)
	b.click(`#results a[href="/phan-anh/` + code + `"]`)
	b.petitionAct(code, "approve")
	b.fill("#publish-text", "Đèn đường ngõ 12 hỏng, khi nào được thay?")
	b.petitionAct(code, "publish")
	b.expect(".statusline", "Đã trả lời")
	b.signOut()

	// Anyone finds the answer by typing without accents, the sender hidden.
	b.open("/")
	b.click(`nav.menu a[href="/hoi-dap"]`)
	b.do("mark", chromedp.Evaluate[chromedp.Void](`window.samePage = true`))
	b.fill("#q", "den duong ngo 12")
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.samePage &&
		document.querySelector('#results a[href="/hoi-dap/`+code+`"]') !== null`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("unaccented search: %v", err)
	}
	b.click(`#results a[href="/hoi-dap/` + code + `"]`)
	b.expect("main", "Đèn đường ngõ 12 hỏng", answer)
	b.shot("petition-answer", 390)
	if main := b.text("main"); strings.Contains(main, "0933444555") || strings.Contains(main, "Trần Văn Sáu") {
		t.Fatal("the public answer shows its sender")
	}
	b.click(`form.vote button[value="1"]`)
	b.expect(".notice.ok", "Cảm ơn")
	b.expect("form.vote", "Hữu ích (1)")
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// sendPetition fills the public form as an anonymous resident on a phone,
// first leaving the subject out, and returns the code of the receipt.
func (b *browser) sendPetition(photo string) string {
	b.t.Helper()
	b.do("phone", chromedp.EmulateViewport(390, 800))
	defer b.do("desk", chromedp.EmulateViewport(1280, 900))
	b.open("/")
	b.click(`.cards a[href="/phan-anh/gui"]`)
	b.expect("h1", "Gửi phản ánh, kiến nghị")
	b.noSideScroll("the form at 390 px")
	b.shot("petition-form", 390)
	b.do("phone", chromedp.EmulateViewport(390, 800)) // the shot leaves the desk's width
	b.do("unit", chromedp.SetValue(chromedp.CSS("#unit"), "00004"))
	b.do("field", chromedp.SetValue(chromedp.CSS("#field"), "traffic"))
	b.fill("#text", "Đèn đường trước số 5 ngõ 12 tắt cả tuần nay.")
	b.fill("#address", "Ngõ 12 phố Đội Cấn")
	// The browser's position, as a phone's would give it.
	b.do("position", chromedp.Evaluate[chromedp.Void](`navigator.geolocation.getCurrentPosition =
		function (ok) { ok({coords: {latitude: 21.0352, longitude: 105.819}}); }`))
	b.click0("#use-location")
	b.expect("#geo-status", "Đã lấy vị trí")
	b.fill("#phone", "0933 444 555")
	b.fill("#name", "Trần Văn Sáu")
	b.do("photo", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{photo}))
	if st := b.click(`form[action="/phan-anh/gui"] button[type=submit]`); st != 422 {
		b.t.Fatalf("without a subject: %d", st)
	}
	b.expect(".error-summary", "Vui lòng nhập tiêu đề")
	b.expect("#subject-error", "Vui lòng nhập tiêu đề")
	b.expect("#file-dropped", "chọn lại")
	b.fill("#subject", "Đèn đường ngõ 12 hỏng")
	b.do("photo again", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{photo}))
	if st := b.click(`form[action="/phan-anh/gui"] button[type=submit]`); st != 200 {
		b.t.Fatalf("send: %d %s", st, b.text(".error-summary"))
	}
	b.expect("h1", "Đã gửi phản ánh, kiến nghị")
	b.noSideScroll("the receipt at 390 px")
	code := strings.TrimSpace(b.text(".big-code"))
	if !strings.HasPrefix(code, "PA-") {
		b.t.Fatalf("receipt code %q", code)
	}
	return code
}

// click0 presses an element that stays on the page.
func (b *browser) click0(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// petitionAct presses the button of one action's form on the petition
// page and waits for the page to say it was done.
func (b *browser) petitionAct(code, action string) {
	b.t.Helper()
	if st := b.click(`form[action="/phan-anh/` + code + `/` + action + `"] button[type=submit]`); st != 200 {
		b.t.Fatalf("%s: %d", action, st)
	}
	b.expect(".notice.ok", "Đã thực hiện")
}

// noSideScroll fails if the page scrolls sideways at the current width.
func (b *browser) noSideScroll(what string) {
	b.t.Helper()
	wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
	if err != nil || wide {
		b.t.Fatalf("%s scrolls sideways (%v)", what, err)
	}
}
