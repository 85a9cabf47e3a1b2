package main

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCivil follows a page of an old birth book into the registry:
// registrar A opens the book, uploads the page's image and types the
// record beside it; registrar B enters its key fields blind, is shown the
// one field that differs (a tone mark placed the old way is no
// difference), resolves it and so verifies the record; B finds it by an
// unaccented name typed in another order, and prints its extract, a PDF
// whose Vietnamese text and ink are checked as a reader would see them.
func TestBrowserCivil(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	data := t.TempDir()
	base := startServer(t, "--demo", "--data", data)
	t.Setenv("MOTCUA_PASSWORD", "mat-khau-ho-tich-b")
	if out, _, err := runCLI(t, "user", "add", "--data", data, "--username", "hotich.b", "--name", "Bùi Thị Ngân", "--role", "specialist",
		"--unit", "00004", "--civil"); err != nil {
		t.Fatalf("second registrar: %v\n%s", err, out)
	}
	b := newBrowser(t, base)
	scan := filepath.Join(t.TempDir(), "so-khai-sinh-1998-trang-12.png")
	writeFile(t, scan, pagePNG(t))

	// Registrar A opens the book and enters the record from its page.
	b.signIn("hotich")
	b.click(`nav.menu a[href="/ho-tich"]`)
	b.expect("h1", "Sổ hộ tịch")
	b.do("kind", chromedp.SetValue(chromedp.CSS("#kind"), "birth"))
	b.fill("#year", "1998")
	b.fill("#number", "01")
	if st := b.click(`form[action="/ho-tich/so"] button[type=submit]`); st != 200 {
		t.Fatalf("open the book: %d", st)
	}
	b.expect("h1", "Quyển số 01/1998", "Khai sinh")
	b.click("#enter-record")
	b.do("scan", chromedp.SetUploadFiles(chromedp.CSS("#scan"), []string{scan}))
	if st := b.click(`form[enctype="multipart/form-data"] button[type=submit]`); st != 200 {
		t.Fatalf("upload the page: %d", st)
	}
	b.waitImage("#scan-image")
	b.click0(`[data-zoom-step="1"]`)
	if z, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("figure.scan").dataset.zoom`)); z != "1.5" {
		t.Errorf("zoom %q, want 1.5", z)
	}
	for sel, v := range map[string]string{"page": "12", "entry": "34", "registered_on": "15/03/1998", "child.full_name": "Nguyễn Thị Hòa Bình",
		"child.birth_date": "02/03/1998", "child.birth_place": "Trạm y tế phường Ba Đình", "mother.full_name": "Trần Thị Huệ",
		"father.full_name": "Nguyễn Văn Đức", "declarant.name": "Trần Thị Huệ", "declarant.relation": "mẹ"} {
		b.fill(`[name="`+sel+`"]`, v)
	}
	b.do("sex", chromedp.SetValue(chromedp.CSS(`[name="child.sex"]`), "female"))
	b.shot("civil-entry", 1280)
	if st := b.click(`form.civil-form button[type=submit]`); st != 200 {
		t.Fatalf("enter the record: %d %s", st, b.text("main"))
	}
	b.expect(".notice.ok", "Đã nhập bản ghi")
	b.expect("#record-status", "chờ đối chiếu")
	id := b.recordID()
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#verify-record").length`)); n != 0 {
		t.Fatal("the registrar who entered the record is offered to verify it")
	}
	b.signOut()

	// Registrar B types the key fields blind: one differs.
	b.signInAs("hotich.b", "mat-khau-ho-tich-b")
	b.open("/ho-tich/ban-ghi/" + id)
	b.click("#verify-record")
	if main := b.text("main"); strings.Contains(main, "Hòa Bình") || strings.Contains(main, "Trần Thị Huệ") {
		t.Fatal("the blind entry shows the record's values")
	}
	for sel, v := range map[string]string{"page": "13", "entry": "34", "registered_on": "1998-03-15", "child.full_name": "nguyễn thị hoà bình",
		"child.birth_date": "02/03/1998", "mother.full_name": "Trần Thị Huệ", "father.full_name": "Nguyễn Văn Đức",
		// what the book leaves empty is typed "-"
		"child.id_number": "-", "mother.birth_date": "-", "mother.id_number": "-", "father.birth_date": "-", "father.id_number": "-"} {
		b.fill(`[name="`+sel+`"]`, v)
	}
	b.do("sex", chromedp.SetValue(chromedp.CSS(`[name="child.sex"]`), "female"))
	b.do("mother's sex", chromedp.SetValue(chromedp.CSS(`[name="mother.sex"]`), "-"))
	b.do("father's sex", chromedp.SetValue(chromedp.CSS(`[name="father.sex"]`), "-"))
	if st := b.click("#verify-submit"); st != 422 {
		t.Fatalf("blind entry with a difference: %d", st)
	}
	b.expect(".error-summary", "1 thông tin khác")
	b.expect(`.civil-diffs tr[data-key="page"]`, "Trang", "12", "13")
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".civil-diffs tbody tr").length`)); n != 1 {
		t.Fatalf("%d differences, want only the page", n)
	}
	b.shot("civil-verify", 1280)
	b.click0(`input[name="choice.page"][value="record"]`)
	if st := b.click("#resolve-submit"); st != 200 {
		t.Fatalf("resolve: %d %s", st, b.text("main"))
	}
	b.expect(".notice.ok", "Đã đối chiếu")
	b.expect("#record-status", "Đã đối chiếu")

	// B finds it without diacritics, the words in another order.
	b.click(`.tabs a[href="/ho-tich/tim"]`)
	b.fill("#q", "binh hoa nguyen")
	b.click0("#search-submit") // htmx swaps the results in place
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector('#results a[href^="/ho-tich/ban-ghi/`+id+`?"]') !== null`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("unaccented search: %v\n%s", err, b.text("main"))
	}
	b.expect("#results", "HT-"+id, "Nguyễn Thị Hòa Bình", "02/03/1998") // a summary: the parents are on the record's page
	b.click(`#results a[href^="/ho-tich/ban-ghi/` + id + `?"]`)
	b.expect("h1", "Nguyễn Thị Hòa Bình")

	// The extract, as the record page's link downloads it.
	pdf := b.fetchPDF("/ho-tich/ban-ghi/" + id + "/trich-luc.pdf")
	checkExtract(t, pdf, "TRÍCH LỤC KHAI SINH", "NGUYỄN THỊ HÒA BÌNH", "02/03/1998", "Nơi đăng ký: Ủy ban nhân dân Phường Ba Đình, Thành phố Hà Nội", "Quyển số: 01/1998",
		"Số đăng ký: 34", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// pagePNG draws a book's page: lines of "handwriting" on paper.
func pagePNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 600, 800))
	for y := 0; y < 800; y++ {
		for x := 0; x < 600; x++ {
			c := color.RGBA{250, 246, 230, 255}
			if y%40 < 3 && x > 40 && x < 560 && (x/7+y)%5 != 0 {
				c = color.RGBA{40, 40, 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (b *browser) signInAs(user, password string) {
	b.t.Helper()
	b.open("/dang-nhap")
	b.fill("#username", user)
	b.fill("#password", password)
	if st := b.click(`form[action="/dang-nhap"] button[type=submit]`); st != 200 {
		b.t.Fatalf("sign in as %s: %d", user, st)
	}
	b.expect("header", "Đăng xuất")
}

// waitImage waits until the picture is loaded and drawn.
func (b *browser) waitImage(sel string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector(`+strconv.Quote(sel)+`);
		return i !== null && i.complete && i.naturalWidth > 0; })()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("the page image is not shown: %v", err)
	}
}

// recordID is the record's id in the page's address.
func (b *browser) recordID() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`))
	id, ok := strings.CutPrefix(loc, "/ho-tich/ban-ghi/")
	if err != nil || !ok {
		b.t.Fatalf("record page at %q: %v", loc, err)
	}
	return id
}

// fetchPDF downloads a PDF as the page's link would and returns it.
func (b *browser) fetchPDF(href string) []byte {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
		return r.headers.get("content-type") + " " + r.status + " " + btoa(s);
	})`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "application/pdf 200 ") {
		b.t.Fatalf("%s: %.80q %v", href, got, err)
	}
	pdf, err := base64.StdEncoding.DecodeString(got[len("application/pdf 200 "):])
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		b.t.Fatalf("%s is not a PDF: %v", href, err)
	}
	return pdf
}

// checkExtract reads the PDF's text with pdftotext and renders its page
// with pdftoppm: the text must hold every want, the page must have ink.
func checkExtract(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "trich-luc.pdf")
	writeFile(t, path, pdf)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is absent (poppler-utils): the extract's text is not checked")
	} else {
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, w := range want {
			if err != nil || !strings.Contains(text, w) {
				t.Fatalf("the extract lacks %q (%v):\n%s", w, err, text)
			}
		}
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("pdftoppm is absent (poppler-utils): the extract is not rendered")
		return
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dark, total := 0, 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				dark++
			}
			total++
		}
	}
	if dark*1000 < total*5 {
		t.Fatalf("the extract's page is nearly blank: %d dark pixels of %d", dark, total)
	}
}
