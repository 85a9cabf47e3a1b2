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
)

// TestBrowserIndexDrillDown: Hà Nội's leader opens the ranking of its
// wards from the menu, follows Ba Đình's row to its index, the points lost
// on 2.1 to the late dossiers, and one of them to its page; back on the
// ranking through the menu, he downloads the Excel export, whose Ba Đình row holds the total
// the page shows.
func TestBrowserIndexDrillDown(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	t.Setenv("MOTCUA_DEMO_PASSWORD", "")
	dir := t.TempDir()
	late := provinceWithLateDossier(t, dir)
	b := newBrowser(t, startServer(t, "--data", dir))
	b.signIn("lanhdao.tinh")

	b.click(`nav a[href="/chi-so"]`)
	b.expect("main", "Thành phố Hà Nội")
	b.click(`a[href^="/chi-so/xep-hang?"]`)
	b.expect("h1", "Xếp hạng đơn vị")
	b.do("chart", chromedp.WaitVisible(chromedp.CSS("#trend-chart")))
	total, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("table.list tbody tr")]
		.find(r => r.querySelector("th").textContent.trim() === "Ba Đình").children[2].textContent.trim()`))
	if err != nil || total == "" {
		t.Fatalf("Ba Đình's total on the ranking: %q %v", total, err)
	}

	b.click(`table.list a[href^="/chi-so?unit=00004&"]`)
	b.expect(".lead", "Phường Ba Đình")
	b.click(`tr[id="ind-2.1"] a`)
	b.expect("h1", "2.1")
	b.expect("main", late)
	b.click(`main a[href="/ho-so/` + late + `"]`)
	b.expect("h1", late)
	b.expect("main", "Bùi Thị Thu", "Quá hạn")

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
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
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

// provinceWithLateDossier loads the demo into dir, adds Hà Nội's leader and
// a dossier of Ba Đình received a month ago and finished today, late, and
// returns its code.
func provinceWithLateDossier(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	m := &Main{DataDir: dir, Stdout: io.Discard, Stderr: io.Discard}
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
