package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/web"
)

// TestBrowserNews: an administrator writes an article with a preview and
// schedules it for 11:00, a leader approves it; readers do not see it until
// the test's clock passes 11:00, then find it in the list; on the article
// the reading tools work, and the text size chosen survives a reload,
// applied before the page is painted.
func TestBrowserNews(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	srv := &web.Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals, Now: f.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: blob.NewDir(filepath.Join(t.TempDir(), "files"))}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	b := newBrowser(t, hs.URL)
	const title = "Lịch tiếp công dân tháng Ba"

	// The administrator adds a category and writes the article.
	b.signIn("quantri")
	b.click(`nav.menu a[href="/quan-ly-tin"]`)
	b.fill("#cat-name", "Thông báo")
	b.click(`form[action="/quan-ly-tin/chuyen-muc"] button`)
	b.expect(".notice.ok", "Đã thêm chuyên mục")
	b.click(`a[href="/quan-ly-tin/viet"]`)
	b.fill("#title", title)
	b.fill("#summary", "Lãnh đạo phường tiếp công dân")
	b.fill("#body", "Thứ Năm hằng tuần, **8 giờ** tại trụ sở.\n\n- Mang theo giấy tờ tùy thân")
	b.wait("the preview", `document.querySelector('#preview strong') !== null && document.querySelector('#preview strong').textContent === '8 giờ'`)
	b.do("schedule", chromedp.SetValue(chromedp.CSS("#publish_at"), "2026-03-02T11:00"))
	b.click(`#article-form button[name=submit][value="1"]`)
	b.expect(".notice.ok", "Đã lưu")
	b.expect("#article-status", "Chờ duyệt")
	b.shot("news-edit", 1280)
	edit, _, _ := strings.Cut(strings.TrimPrefix(b.location(), hs.URL), "?")
	b.signOut()

	// A leader approves it from the review queue.
	b.signIn("lanhdao")
	b.open("/quan-ly-tin?status=review")
	b.click(`table a[href="` + edit + `"]`)
	b.click("#approve")
	b.expect("#article-status", "Đã duyệt đăng")
	b.signOut()

	// Before 11:00 readers do not see it.
	b.open("/tin-tuc?unit=00004")
	if strings.Contains(b.text("main"), title) {
		t.Fatal("the list shows the article before its time")
	}
	f.Clock.Set(time.Date(2026, 3, 2, 11, 0, 30, 0, calendar.Zone))
	b.click(`nav.menu a[href="/tin-tuc"]`)
	b.expect("#results", title)
	b.click(`#results a[href^="/tin-tuc/lich-tiep-cong-dan-thang-ba"]`)
	b.expect("h1", title)
	b.expect("#article-body", "8 giờ", "Mang theo giấy tờ tùy thân")
	b.expect(".meta", "lượt xem")
	b.expect(".share", "Facebook", "Zalo", "Chép liên kết")
	// Reading aloud: offered with a Vietnamese voice, explained without one.
	b.wait("the reading-aloud button or its explanation", `(function () {
		var vi = speechSynthesis.getVoices().some(function (v) { return /^vi/i.test(v.lang); });
		return vi ? !document.getElementById('read-aloud').hidden : !document.getElementById('read-aloud-none').hidden;
	})()`)

	// A+ twice, then a reload: the size is back before the first paint.
	b.do("A+", chromedp.Click(chromedp.CSS(`button[data-text-size="1"]`)))
	b.do("A+", chromedp.Click(chromedp.CSS(`button[data-text-size="1"]`)))
	b.wait("larger text", `document.documentElement.getAttribute('data-text-size') === '2' && getComputedStyle(document.documentElement).fontSize === '20px'`)
	b.do("reload", chromedp.Reload())
	size, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.documentElement.getAttribute('data-text-size') + ' ' + getComputedStyle(document.documentElement).fontSize`))
	if err != nil || size != "2 20px" {
		t.Fatalf("text size after a reload: %q %v", size, err)
	}
	b.shot("news-article", 390)
	b.do("A", chromedp.Click(chromedp.CSS(`button[data-text-size="0"]`)))
	b.wait("normal text", `document.documentElement.getAttribute('data-text-size') === null && localStorage.getItem('motcua.textSize') === null`)
	if errs := b.takeErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// location is the page's address.
func (b *browser) location() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}
