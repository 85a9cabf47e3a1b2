package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestBrowserIndexDrillDown: Hà Nội's leader opens the ranking of its
// wards from the menu, follows Ba Đình's row to its index and the points
// lost on 2.1 to the late dossiers: the late dossier is listed with its
// lateness, as text, not a link (only the staff of the units it passed
// through open it), and without its applicant. Back on the ranking through
// the menu, he downloads the Excel export, whose Ba Đình row holds the
// total the page shows. Ba Đình's own leader then follows the same list to
// the dossier's page. On both engines.
func TestBrowserIndexDrillDown(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	t.Setenv("MOTCUA_DEMO_PASSWORD", "")
	storetest.Each(t, func(t *testing.T, engine string) {
		dir, dsn := t.TempDir(), storetest.DSN(t, engine)
		late := provinceWithLateDossier(t, dir, dsn)
		b := newBrowser(t, startServer(t, "--data", dir, "--db", dsn))
		b.signIn("lanhdao.tinh")
		total := b.wardTotal()
		b.click(`table.list a[href^="/chi-so?unit=00004&"]`)
		b.expect(".lead", "Phường Ba Đình")
		b.lateList(late, false)
		b.rankingWorkbook(total)

		b.signOut()
		b.signIn("lanhdao")
		b.click(`nav a[href="/chi-so"]`)
		b.lateList(late, true)
		b.click(`main a[href="/ho-so/` + late + `"]`)
		b.expect("h1", late)
		b.expect("main", "Bùi Thị Thu", "Quá hạn")
		if errs := b.takeErrors(); len(errs) > 0 {
			t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
		}
	})
}

// wardTotal opens the ranking from the menu and returns Ba Đình's total as
// the page writes it.
func (b *browser) wardTotal() string {
	b.t.Helper()
	b.click(`nav a[href="/chi-so"]`)
	b.expect("main", "Thành phố Hà Nội")
	b.click(`a[href^="/chi-so/xep-hang?"]`)
	b.expect("h1", "Xếp hạng đơn vị")
	b.do("chart", chromedp.WaitVisible(chromedp.CSS("#trend-chart")))
	total, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("table.list tbody tr")]
		.find(r => r.querySelector("th").textContent.trim() === "Ba Đình").children[2].textContent.trim()`))
	if err != nil || total == "" {
		b.t.Fatalf("Ba Đình's total on the ranking: %q %v", total, err)
	}
	return total
}

// lateList follows the points lost on 2.1 from the index page shown to the
// list of late dossiers and checks the row of code: there, late, a link
// only if the viewer may open it, and never the applicant's name.
func (b *browser) lateList(code string, link bool) {
	b.t.Helper()
	b.click(`tr[id="ind-2.1"] a`)
	b.expect("h1", "2.1")
	row, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`(() => {
		const r = [...document.querySelectorAll("table.list tbody tr")].find(r => r.querySelector("th").textContent.trim() === "`+code+`");
		return r ? [r.textContent, String(r.querySelector("th a") !== null)] : [];
	})()`))
	if err != nil || len(row) != 2 {
		b.t.Fatalf("the late list has no row for %s: %v", code, err)
	}
	if !strings.Contains(row[0], "Quá hạn") || row[1] != strconv.FormatBool(link) {
		b.t.Errorf("the row of %s: %q, linked %s, want late and linked %v", code, row[0], row[1], link)
	}
	if !link {
		b.expect("#closed-note", "chỉ cán bộ của đơn vị")
	}
	if main := b.text("main"); strings.Contains(main, "Bùi Thị Thu") {
		b.t.Error("the late list shows the applicant's name")
	}
}

// rankingWorkbook goes back to the ranking through the menu, downloads it
// as Excel and checks that Ba Đình's row holds the total the page showed.
func (b *browser) rankingWorkbook(total string) {
	t := b.t
	t.Helper()
	b.click(`nav a[href="/chi-so"]`)
	b.click(`a[href^="/chi-so/xep-hang?"]`)
	b.expect("h1", "Xếp hạng đơn vị")
	got := b.download(`a[href^="/chi-so/xep-hang.xlsx?"]`)
	book, err := excelize.OpenFile(got)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows("Xếp hạng", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		if len(row) > 2 && strings.Contains(row[1], "Ba Đình") {
			found = true
			cell, err1 := strconv.ParseFloat(row[2], 64)
			shown, err2 := strconv.ParseFloat(strings.Replace(total, ",", ".", 1), 64)
			t.Logf("Ba Đình's total: %s on the page, %s in the workbook", total, row[2])
			if err1 != nil || err2 != nil || cell-shown > 0.005 || shown-cell > 0.005 {
				t.Errorf("the workbook's Ba Đình total is %s, the page shows %s", row[2], total)
			}
		}
	}
	if !found {
		t.Errorf("the workbook has no Ba Đình row: %q", rows)
	}
}

// download clicks a link to a file and returns the path of the file the
// browser saved.
func (b *browser) download(sel string) string {
	b.t.Helper()
	dir := b.t.TempDir()
	b.do("allow downloads", chromedp.Action[chromedp.Void](func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return chromedp.Void{}, err
	}))
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) == 1 && !strings.HasSuffix(files[0], ".crdownload") {
			return files[0]
		}
	}
	b.t.Fatalf("%s: nothing downloaded", sel)
	return ""
}

// provinceWithLateDossier loads the demo into the database dsn (files in
// dir), adds Hà Nội's leader and a dossier of Ba Đình received a month ago
// and finished today, late, and returns its code.
func provinceWithLateDossier(t *testing.T, dir, dsn string) string {
	t.Helper()
	ctx := context.Background()
	m := &Main{DataDir: dir, DBURL: dsn, Stdout: io.Discard, Stderr: io.Discard}
	if err := m.open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := demo.Load(ctx, m.DB, m.Svc); err != nil {
		t.Fatal(err)
	}
	if err := m.DB.CreateUser(ctx, &auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: demo.Province}, "demo"); err != nil {
		t.Fatal(err)
	}
	actor := map[string]auth.Actor{}
	for _, name := range []string{"canbo", "chuyenvien", "lanhdao"} {
		u, err := m.DB.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		actor[name] = u.Actor()
	}
	received := time.Now().AddDate(0, 0, -30)
	m.Svc.Now = func() time.Time { return received }
	d, err := m.Svc.Submit(ctx, actor["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004873", UnitCode: demo.Ward, Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Bùi Thị Thu", IDNumber: "001195006655", Phone: "0987111222"}, Components: demo.Required("1.004873")})
	if err != nil {
		t.Fatal(err)
	}
	m.Svc.Now = time.Now
	for _, s := range []struct{ who, action string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}} {
		if _, err := m.Svc.Act(ctx, actor[s.who], d.Code, dossier.ActionRequest{Action: s.action}); err != nil {
			t.Fatalf("%s by %s: %v", s.action, s.who, err)
		}
	}
	return d.Code
}
