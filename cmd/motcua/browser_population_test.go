package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// TestBrowserPopulation: on a phone's width, the counter officer checks a
// dossier's applicant against the population database (the stand-in on a
// loopback port) with a reason and sees the badge with the time and
// "khớp"; the leader reads the log. Nothing scrolls sideways and the
// check's controls are large enough to touch.
func TestBrowserPopulation(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("browser tests skipped: " + chromiumPath + " is absent (Debian package chromium)")
	}
	people, err := popserver.Parse(demo.PopulationPeople())
	if err != nil {
		t.Fatal(err)
	}
	reg := httptest.NewServer(&popserver.Handler{People: people, Key: "khoa"})
	t.Cleanup(reg.Close)
	f := storetest.NewFixture(t, store.SQLite)
	srv := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals, Now: f.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: blob.NewDir(filepath.Join(t.TempDir(), "files")),
		PopulationRegistry: population.NewHTTPRegistry(reg.URL, "khoa")}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	d, err := f.Svc.Submit(context.Background(), f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.004873", Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn Bình", IDNumber: "001087004321"}, Components: demo.Required("1.004873")})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, hs.URL)
	b.signIn("canbo")
	b.do("viewport", chromedp.EmulateViewport(360, 740))
	b.open("/ho-so/" + d.Code)
	b.expect("#population", "Đối chiếu CSDL dân cư")
	fits := func(what string) {
		t.Helper()
		wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil || wide {
			t.Errorf("%s scrolls sideways at 360 px (%v)", what, err)
		}
	}
	fits("the dossier page")
	small, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#population input, #population button'))
		.filter(e => e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))`))
	if err != nil || len(small) > 0 {
		t.Errorf("the check's controls under 44 px: %v %v", small, err)
	}
	b.fill("#pop-reason", "Tiếp nhận hồ sơ")
	if st := b.click(`#population button[type=submit]`); st != 200 {
		t.Fatalf("the check: %d", st)
	}
	b.expect("#population-badge", "Đã đối chiếu với Cơ sở dữ liệu quốc gia về dân cư lúc 09:00 02/03/2026 — khớp")
	b.expect("#history-h + ol", "Đối chiếu CSDL quốc gia về dân cư", "khớp")
	fits("the dossier page after the check")
	b.shot("population-check", 360)
	b.signOut()
	b.signIn("lanhdao")
	b.do("viewport", chromedp.EmulateViewport(360, 740))
	b.open("/quan-tri/tra-cuu-dan-cu")
	b.expect("main", "1 lượt tra cứu", "Tiếp nhận hồ sơ", "001087004321", "khớp")
	fits("the look-up log")
}
