package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

var _ news.Store = store.News{}

func slugsOf(as []news.Article) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Slug)
	}
	return out
}

// publicSlugs lists what readers of the ward see now, for a search q.
func publicSlugs(t *testing.T, f *storetest.Fixture, q string) []string {
	t.Helper()
	as, total, err := f.News().List(context.Background(), f.Actors["congdan"], news.Filter{UnitCode: "00004", Q: q}, false)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(as) {
		t.Fatalf("total %d for %d rows", total, len(as))
	}
	return slugsOf(as)
}

// TestNewsScheduleAndExpiry: an approved article is invisible before its
// publication time, visible from it, gone at its expiry, and the pages'
// stamp changes at each of these instants although nothing was written.
func TestNewsScheduleAndExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		svc, leader, admin := f.News(), f.Actors["lanhdao"], f.Actors["quantri"]
		c, err := svc.AddCategory(ctx, admin, "Thông báo")
		if err != nil {
			t.Fatal(err)
		}
		pub, exp := f.Clock.Now().Add(2*time.Hour), f.Clock.Now().Add(26*time.Hour)
		a, err := svc.Create(ctx, admin, news.Input{Title: "Thông báo lịch cắt điện", Body: "Khu phố 3 **mất điện**", Category: c.Slug,
			PublishAt: &pub, ExpireAt: &exp, Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.Slug != "thong-bao-lich-cat-dien" || a.Status != news.InReview {
			t.Fatalf("created %q %s", a.Slug, a.Status)
		}
		if _, err := svc.Review(ctx, admin, a.ID, news.Approve, ""); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("an administrator approves: %v", err)
		}
		if _, err := svc.Review(ctx, leader, a.ID, news.Approve, ""); err != nil {
			t.Fatal(err)
		}
		stamp := func() string {
			s, err := svc.Stamp(ctx, "00004")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		before := stamp()
		if got := publicSlugs(t, f, ""); len(got) != 0 {
			t.Fatalf("before publish_at: %v", got)
		}
		if _, err := svc.BySlug(ctx, f.Actors["congdan"], "", a.Slug); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("a reader opens a scheduled article: %v", err)
		}
		if _, err := svc.BySlug(ctx, leader, "00004", a.Slug); err != nil {
			t.Fatalf("its leader opens it: %v", err)
		}
		f.Clock.Set(pub)
		if got := publicSlugs(t, f, ""); len(got) != 1 {
			t.Fatalf("at publish_at: %v", got)
		}
		at := stamp()
		if at == before {
			t.Fatal("the stamp did not change when the article appeared")
		}
		f.Clock.Set(exp.Add(-time.Microsecond))
		if stamp() != at {
			t.Fatal("the stamp changed with nothing to show")
		}
		f.Clock.Set(exp)
		if got := publicSlugs(t, f, ""); len(got) != 0 {
			t.Fatalf("at expire_at: %v", got)
		}
		if stamp() == at {
			t.Fatal("the stamp did not change when the article expired")
		}
	})
}

// TestNewsSearchRelatedViews: the search finds words typed without accents
// (and their beginnings), only among visible articles; slugs stay unique;
// related articles share the category or title words; readings add up.
func TestNewsSearchRelatedViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		svc, leader := f.News(), f.Actors["lanhdao"]
		ann, err := svc.AddCategory(ctx, leader, "Thông báo")
		if err != nil {
			t.Fatal(err)
		}
		act, err := svc.AddCategory(ctx, leader, "Tin hoạt động")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddCategory(ctx, leader, "Thông  báo"); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("a second category of the same slug: %v", err)
		}
		publish := func(title, body, cat string) *news.Article {
			t.Helper()
			a, err := svc.Create(ctx, leader, news.Input{Title: title, Body: body, Category: cat})
			if err != nil {
				t.Fatal(err)
			}
			if a, err = svc.Review(ctx, leader, a.ID, news.Approve, ""); err != nil { // a leader publishes their own draft
				t.Fatal(err)
			}
			f.Clock.Advance(time.Minute)
			return a
		}
		vaccine := publish("Tiêm chủng vắc-xin sởi cho trẻ em", "Trạm y tế phường tổ chức tiêm chủng.", act.Slug)
		water := publish("Lịch cắt nước khu phố 2", "Công ty nước sạch thông báo.", ann.Slug)
		second := publish("Tiêm chủng vắc-xin sởi cho trẻ em", "Đợt hai: trẻ em dưới năm tuổi.", ann.Slug)
		publish("Hội thao thanh niên", "Giải bóng đá phường.", act.Slug)
		if second.Slug != "tiem-chung-vac-xin-soi-cho-tre-em-2" {
			t.Fatalf("second slug %q", second.Slug)
		}
		if _, err := svc.Create(ctx, leader, news.Input{Title: "Tiêm chủng nháp", Body: "x", Category: ann.Slug}); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"tiem chung": 2, "TIÊM CHỦNG": 2, "tiem chu": 2, "nuoc sach": 1, "tram y te": 1, "khong co": 0, "duoi nam tuoi": 1} {
			if got := publicSlugs(t, f, q); len(got) != want {
				t.Errorf("search %q: %v, want %d", q, got, want)
			}
		}
		rel, err := svc.Related(ctx, vaccine, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := slugsOf(rel); len(got) != 2 || got[0] != second.Slug {
			t.Fatalf("related to %s: %v", vaccine.Slug, got)
		}
		for _, r := range rel {
			if r.ID == water.ID {
				t.Fatal("an unrelated article is related")
			}
		}
		st := store.News{DB: f.DB}
		for range 3 {
			if err := st.CountView(ctx, water.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := st.Get(ctx, water.ID); got.Views != 3 {
			t.Fatalf("views before the flush %d", got.Views)
		}
		if err := st.FlushViews(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Get(ctx, water.ID); got.Views != 3 {
			t.Fatalf("views after the flush %d", got.Views)
		}
		// An administrator's edit of a published article takes it back
		// to the leader.
		body := "Đã đổi lịch."
		edited, err := svc.Edit(ctx, f.Actors["quantri"], water.ID, news.Input{Title: water.Title, Body: body, Category: ann.Slug})
		if err != nil {
			t.Fatal(err)
		}
		if edited.Status != news.Draft || edited.Slug != water.Slug {
			t.Fatalf("edited: %s %s", edited.Status, edited.Slug)
		}
		if _, err := svc.Edit(ctx, f.Actors["canbo.ngocha"], water.ID, news.Input{Title: "x", Body: "y", Category: ann.Slug}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("another unit's officer edits: %v", err)
		}
	})
}

// TestNewsSlugAnyUnitVisibleFirst: without a unit, the article of a slug
// readers may see is found although another unit has one of the same slug
// approved for later (which, published later, sorts first by time).
func TestNewsSlugAnyUnitVisibleFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f := storetest.NewFixture(t, engine)
		svc := f.News()
		// The other ward's leader: its officer, given the role.
		other := f.Actors["canbo.ngocha"]
		other.Role = auth.RoleLeader
		publish := func(by auth.Actor, at time.Time) *news.Article {
			t.Helper()
			c, err := svc.AddCategory(ctx, by, "Thông báo")
			if err != nil {
				t.Fatal(err)
			}
			a, err := svc.Create(ctx, by, news.Input{Title: "Lịch tiếp công dân", Body: "Thứ Năm.", Category: c.Slug, PublishAt: &at})
			if err != nil {
				t.Fatal(err)
			}
			if a, err = svc.Review(ctx, by, a.ID, news.Approve, ""); err != nil {
				t.Fatal(err)
			}
			return a
		}
		seen := publish(f.Actors["lanhdao"], f.Clock.Now().Add(-time.Hour))
		later := publish(other, f.Clock.Now().Add(2*time.Hour))
		if seen.Slug != later.Slug || seen.UnitCode == later.UnitCode {
			t.Fatalf("fixture: %s/%s and %s/%s", seen.UnitCode, seen.Slug, later.UnitCode, later.Slug)
		}
		got, err := svc.BySlug(ctx, f.Actors["congdan"], "", seen.Slug)
		if err != nil || got.ID != seen.ID {
			t.Fatalf("a reader opens %q in any unit: %v, %v", seen.Slug, got, err)
		}
		f.Clock.Set(later.PublishAt)
		if got, err = svc.BySlug(ctx, f.Actors["congdan"], "", seen.Slug); err != nil || got.ID != later.ID {
			t.Fatalf("once both are visible, the latest: %v, %v", got, err)
		}
	})
}
