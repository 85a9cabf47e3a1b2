package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCounter enters walk-in dossiers as a counter officer with the
// keyboard: the procedure found by typing part of its name without
// diacritics, then the applicant's details filled in from their earlier
// dossier when the ID number is typed, and the re-use in the history.
func TestBrowserCounter(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)
	b.signIn("canbo")

	first := b.counterEntry("0987 654 321", "Số 9 phố Kim Mã")
	second := b.counterEntry("", "")
	if first == second {
		t.Fatal("the same code twice")
	}
	b.open("/ho-so/" + second)
	b.expect("main", "Dùng lại thông tin từ hồ sơ", first, "0987654321", "Số 9 phố Kim Mã")
	b.expect("main", "Người nộp hồ sơ đồng thời là người được cấp kết quả")
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Fatalf("page errors: %v", errs)
	}
}

// counterEntry finds the birth registration by typing, then enters a
// dossier for Lý Văn Phúc: with a phone and address typed, or, when they
// are empty, with those the form filled in. It returns the new code.
func (b *browser) counterEntry(phone, address string) string {
	b.t.Helper()
	b.open("/tiep-nhan")
	b.do("mark", chromedp.Evaluate[chromedp.Void](`window.samePage = true`))
	b.fill("#pq", "dang ky khai sinh")
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.samePage &&
		document.querySelector('#results a[href="/tiep-nhan?procedure=1.001193"]') !== null &&
		!document.querySelector("#results").textContent.includes("kết hôn")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("procedure type-ahead: %v", err)
	}
	b.click(`#results a[href="/tiep-nhan?procedure=1.001193"]`)
	b.expect("h1", "khai sinh")
	b.do("mark", chromedp.Evaluate[chromedp.Void](`window.samePage = true`))
	b.fill("#id_number", "001090012345\t") // leaving the field asks for earlier details
	if phone == "" {
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.samePage &&
			document.querySelector("#name").value === "Lý Văn Phúc" && document.querySelector("#phone").value !== ""`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			b.t.Fatalf("pre-fill: %v", err)
		}
		b.expect("#applicant-part", "Đã điền thông tin từ hồ sơ")
	} else {
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.samePage &&
			document.querySelector("#applicant-part").textContent.includes("Chưa có hồ sơ nào")`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			b.t.Fatalf("look-up of a new person: %v", err)
		}
		b.fill("#name", "Lý Văn Phúc")
		b.fill("#phone", phone)
		b.fill("#address", address)
	}
	b.do("tick every paper", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("input[name=components]").forEach(c => c.checked = true)`))
	if st := b.click(`form[action^="/tiep-nhan"] button.big[type=submit]`); st != 200 {
		b.t.Fatalf("counter entry: %d", st)
	}
	url, err := chromedp.Run(b.ctx, chromedp.Location())
	i := strings.Index(url, "/ho-so/")
	if err != nil || i < 0 || !strings.HasSuffix(url, "/bien-nhan") {
		b.t.Fatalf("not on a receipt: %s %v", url, err)
	}
	return strings.TrimSuffix(url[i+len("/ho-so/"):], "/bien-nhan")
}
