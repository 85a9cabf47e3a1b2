package main

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// fitsJS lists what sticks out sideways on the page: the page itself, any
// box around a table, a table's box over the column beside it, a last
// column ending past its box.
const fitsJS = `(() => {
	const out = [];
	const de = document.documentElement;
	if (de.scrollWidth > de.clientWidth) out.push('the page scrolls sideways: ' + de.scrollWidth + ' > ' + de.clientWidth);
	const main = document.querySelector('main');
	const tables = document.querySelectorAll('main table');
	if (tables.length < 2) out.push('expected the days and the log, found ' + tables.length + ' tables');
	for (const t of tables) {
		const name = t.getAttribute('aria-labelledby') || t.className;
		for (let box = t; box && box !== document.body; box = box.parentElement) {
			if (box.scrollWidth > box.clientWidth) out.push(name + ': ' + box.tagName + '.' + box.className + ' overflows ' + box.scrollWidth + ' > ' + box.clientWidth);
		}
		const box = t.parentElement, a = box.getBoundingClientRect();
		if (a.right > main.getBoundingClientRect().right + 0.5) out.push(name + ': its box ends past the page');
		for (const sib of [box.nextElementSibling, box.previousElementSibling]) {
			if (!sib) continue;
			const c = sib.getBoundingClientRect();
			if (a.left < c.right - 0.5 && c.left < a.right - 0.5 && a.top < c.bottom && c.top < a.bottom) out.push(name + ': overlaps the column beside it');
		}
		for (const row of t.rows) {
			const cell = row.cells[row.cells.length - 1];
			for (const e of [cell, ...cell.querySelectorAll('*')]) {
				const r = e.getBoundingClientRect();
				if (r.width && e.checkVisibility() && r.right > Math.min(a.right, de.clientWidth) + 0.5) { out.push(name + ': ' + e.tagName + ' in the last column ends at ' + r.right + ', past ' + a.right); break; }
			}
		}
	}
	return out;
})()`

// TestAdminCalendarFitsDesk opens the administrator's calendar at a common
// office screen size, 1366×768, in both languages, with a removal form open
// and refused: the tables show their last column whole, nothing scrolls or
// is cut sideways.
func TestAdminCalendarFitsDesk(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)
	b.signIn("quantri")
	b.do("viewport", chromedp.EmulateViewport(1366, 768))
	// A change in the log, so that its table is there too; its reason, shown
	// as the day's source, is a link to the notice, as administrators paste
	// them: one long word.
	b.open("/quan-tri/lich?nam=2026")
	b.do("date", chromedp.SetValue(chromedp.CSS("#date"), "2026-12-30"))
	b.fill("#name", "Nghỉ bù")
	b.fill("#reason", "https://vanban.chinhphu.vn/?docid=212345&token=9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0")
	if st := b.click(`form[aria-labelledby="add-h"] button[type=submit]`); st != 200 {
		t.Fatalf("add a day: %d", st)
	}
	check := func(state string) {
		t.Helper()
		bad, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](fitsJS))
		if err != nil || len(bad) > 0 {
			t.Errorf("calendar at 1366 px, %s: %v %v", state, bad, err)
		}
	}
	openAll := chromedp.Evaluate[bool](`(document.querySelectorAll('details.remove').forEach(d => d.open = true), true)`)
	for _, lang := range []string{"vi", "en"} {
		b.open("/quan-tri/lich?nam=2026&lang=" + lang)
		check(lang)
		if _, err := chromedp.Run(b.ctx, openAll); err != nil {
			t.Fatal(err)
		}
		check(lang + ", every removal form open")
		// Remove a day without a reason: the form comes back open with its error.
		if st := b.click(`details.remove button[type=submit]`); st != 422 {
			t.Fatalf("a removal without a reason: %d", st)
		}
		check(lang + ", a refused removal")
	}
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}

// TestProcedureEditorInBrowser: at a desk's 1366 px a long step name shows
// whole in its text area, Enter in a field saves without moving a step, and
// the Down button moves one, all without JavaScript of the page's own.
func TestProcedureEditorInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	base := startServer(t, "--demo", "--data", t.TempDir())
	b := newBrowser(t, base)
	b.signIn("quantri")
	b.do("viewport", chromedp.EmulateViewport(1366, 768))
	const path = "/quan-tri/thu-tuc/1.000894"
	long := "Thẩm định hồ sơ, xác minh thông tin về tình trạng hôn nhân của hai bên và trình lãnh đạo ký giấy chứng nhận kết hôn"
	b.open(path)
	b.fill("#name-1", long)
	if st := b.click(`form[action="` + path + `"] button.btn.primary`); st != 200 {
		t.Fatalf("save: %d", st)
	}
	b.expect(".notice.ok", "Đã lưu quy trình")
	value := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("value of %s: %v", sel, err)
		}
		return v
	}
	if v := value("#name-1"); v != long {
		t.Fatalf("step 2 is %q", v)
	}
	cut, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('textarea.step-name'))
		.filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().width < 200)
		.map(e => e.id + ' ' + e.scrollWidth + 'x' + e.scrollHeight + ' in ' + e.clientWidth + 'x' + e.clientHeight)`))
	if err != nil || len(cut) > 0 {
		t.Errorf("step names cut: %v %v", cut, err)
	}
	if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); err != nil || wide {
		t.Errorf("the editor scrolls sideways at 1366 px (%v)", err)
	}
	// Enter in a field saves, as a form does; it does not press a move button.
	third := value("#name-2")
	res, err := chromedp.RunResponse(b.ctx, chromedp.SendKeys(chromedp.CSS("#share-1"), "\r"))
	if err != nil || res.Status != 200 {
		t.Fatalf("Enter in a share: %v %v", res, err)
	}
	b.expect(".notice.ok", "Đã lưu quy trình")
	if v := value("#name-1"); v != long {
		t.Fatalf("Enter moved a step: step 2 is now %q", v)
	}
	if st := b.click(`button[name=move][value="down-1"]`); st != 200 {
		t.Fatalf("move down: %d", st)
	}
	b.expect(".notice.ok", "Đã lưu quy trình")
	if v1, v2 := value("#name-1"), value("#name-2"); v1 != third || v2 != long {
		t.Errorf("after moving step 2 down: %q, %q", v1, v2)
	}
	// The reception cannot leave the first place: no button offers it.
	if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('button[name=move][value="up-1"], button[name=move][value="down-0"]').length`)); err != nil || n != 0 {
		t.Errorf("%d buttons move a step around the reception (%v)", n, err)
	}
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
