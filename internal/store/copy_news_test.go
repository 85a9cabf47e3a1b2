package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
)

// newsExtras gives the copy's dataset a category, a published article with
// a picture and readings, and a draft, so that the search index is rebuilt
// on the target from the copied rows.
func (g *dataset) newsExtras(ctx context.Context) error {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("p"), 64)...)
	info, err := g.files.Put(ctx, bytes.NewReader(png), 1<<20)
	if err != nil {
		return err
	}
	st := store.News{DB: g.f.DB}
	if err := st.AddImage(ctx, "00004", info.SHA256, "image/png", info.Size, "lanhdao"); err != nil {
		return err
	}
	svc := &news.Service{Store: st, Now: g.f.Clock.Now}
	leader := g.f.Actors["lanhdao"]
	c, err := svc.AddCategory(ctx, leader, "Thông báo")
	if err != nil {
		return err
	}
	at := g.f.Clock.Now().Add(-time.Hour)
	a, err := svc.Create(ctx, leader, news.Input{Title: "Lịch tiếp công dân tháng 3", Summary: "Lãnh đạo phường tiếp dân",
		Body: "Thứ Năm hằng tuần.\n\n![ảnh](" + news.ImagePath(info.SHA256) + ")", Category: c.Slug, PublishAt: &at})
	if err != nil {
		return err
	}
	if _, err := svc.Review(ctx, leader, a.ID, news.Approve, ""); err != nil {
		return err
	}
	if err := st.CountView(ctx, a.ID); err != nil {
		return err
	}
	if err := st.FlushViews(ctx); err != nil {
		return err
	}
	_, err = svc.Create(ctx, g.f.Actors["quantri"], news.Input{Title: "Bản nháp", Body: "Chưa đăng", Category: c.Slug})
	return err
}

// newsSearchWorks checks that the copy's search index holds the copied
// article: on SQLite it is rebuilt by triggers from the rows.
func newsSearchWorks(t *testing.T, db *store.DB, now time.Time) {
	t.Helper()
	as, _, err := store.News{DB: db}.List(context.Background(), news.Filter{UnitCode: "00004", Q: "tiep cong dan", VisibleAt: now})
	if err != nil || len(as) != 1 || as[0].Views != 1 {
		t.Fatalf("search in the copy: %d articles, %v", len(as), err)
	}
}
