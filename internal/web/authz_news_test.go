package web

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
)

// The news: everyone reads the visible articles, the feeds, the pictures
// and the categories; the leaders and administrators of a unit write its
// articles and see its drafts; only its leaders approve or reject. Another
// unit's writers may write in their own unit (their requests get through,
// refused on the ward's category) but find nothing of the ward's drafts.
const (
	newsPublishedTitle = "Lịch tiếp công dân tháng ba"
	newsDraftTitle     = "Bản nháp về giải phóng mặt bằng"
)

var newsWriters = []string{leader, admin, leaderX, adminX}

func init() {
	const write = `{"title":"Tin mới","body":"Nội dung","category":"thong-bao"}`
	const form = "title=Tin+m%E1%BB%9Bi&body=N%E1%BB%99i+dung&category=thong-bao"
	// The edits keep the draft's title, which the lists are searched for.
	const edit = `{"title":"` + newsDraftTitle + `","body":"Đã sửa","category":"thong-bao"}`
	editForm := "title=" + url.QueryEscape(newsDraftTitle) + "&body=x&category=thong-bao"
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/news": {
			{"/api/v1/news?unit=00004", "", everyone},
			{"/api/v1/news?editor=true", "", newsWriters},
		},
		"POST /api/v1/news":              {{"/api/v1/news", write, newsWriters}},
		"GET /api/v1/news/categories":    {{"/api/v1/news/categories?unit=00004", "", everyone}},
		"POST /api/v1/news/categories":   {{"/api/v1/news/categories", `{"name":"Tin hoạt động"}`, newsWriters}},
		"POST /api/v1/news/images":       {{"/api/v1/news/images", "not a picture", newsWriters}},
		"GET /api/v1/news/{ref}":         {{"/api/v1/news/{news_pub}?unit=00004", "", everyone}, {"/api/v1/news/{news_draft_id}", "", []string{leader, admin}}},
		"PUT /api/v1/news/{ref}":         {{"/api/v1/news/{news_draft_id}", edit, []string{leader, admin}}},
		"POST /api/v1/news/{ref}/review": {{"/api/v1/news/{news_draft_id}/review", `{"action":"reject","reason":"Thiếu số liệu"}`, []string{leader}}},
		"GET /tin-tuc":                   {{"/tin-tuc?unit=00004", "", everyone}},
		"GET /tin-tuc/rss.xml":           {{"/tin-tuc/rss.xml?unit=00004", "", everyone}},
		"GET /tin-tuc/atom.xml":          {{"/tin-tuc/atom.xml", "", everyone}},
		"GET /tin-tuc/anh/{sum}": {{"/tin-tuc/anh/{news_image}", "", everyone}, {"/tin-tuc/anh/{news_draft_image}", "", []string{leader, admin}},
			{"/tin-tuc/anh/" + fmt.Sprintf("%064d", 0), "", nobody}},
		"GET /tin-tuc/{slug}":             {{"/tin-tuc/{news_pub}?unit=00004", "", everyone}, {"/tin-tuc/{news_draft}?unit=00004", "", []string{leader, admin}}},
		"GET /quan-ly-tin":                {{"/quan-ly-tin", "", newsWriters}},
		"GET /quan-ly-tin/viet":           {{"/quan-ly-tin/viet", "", newsWriters}},
		"POST /quan-ly-tin/viet":          {{"/quan-ly-tin/viet", form, newsWriters}},
		"POST /quan-ly-tin/xem-truoc":     {{"/quan-ly-tin/xem-truoc", "body=**x**", newsWriters}},
		"POST /quan-ly-tin/chuyen-muc":    {{"/quan-ly-tin/chuyen-muc", "name=S%E1%BB%B1+ki%E1%BB%87n", newsWriters}},
		"POST /quan-ly-tin/anh":           {{"/quan-ly-tin/anh", "", newsWriters}},
		"GET /quan-ly-tin/{id}":           {{"/quan-ly-tin/{news_draft_id}", "", []string{leader, admin}}},
		"POST /quan-ly-tin/{id}":          {{"/quan-ly-tin/{news_draft_id}", editForm, []string{leader, admin}}},
		"POST /quan-ly-tin/{id}/{action}": {{"/quan-ly-tin/{news_draft_id}/submit", "", []string{leader, admin}}},
	} {
		authzMatrix[p] = cases
	}
	// A draft's title: to the ward's writers only, in their list; never in
	// the public list or feed.
	authzSecrets["/api/v1/news?editor=true "] = []authzSecret{{newsDraftTitle, []string{leader, admin}}, {newsPublishedTitle, []string{leader, admin}}}
	authzSecrets["/api/v1/news?unit=00004 "] = []authzSecret{{newsPublishedTitle, everyone}, {newsDraftTitle, nobody}}
	authzSecrets["/tin-tuc?unit=00004 "] = []authzSecret{{newsPublishedTitle, everyone}, {newsDraftTitle, nobody}}
	authzSecrets["/tin-tuc/rss.xml?unit=00004 "] = []authzSecret{{newsPublishedTitle, everyone}, {newsDraftTitle, nobody}}
	authzSecrets["/quan-ly-tin "] = []authzSecret{{newsDraftTitle, []string{leader, admin}}}
}

// newsObjects adds the ward's category "Thông báo", a published article
// ({news_pub}: its slug), a draft ({news_draft}, {news_draft_id}) and a
// picture ({news_image}).
func (m *authzEnv) newsObjects(files blob.Store) {
	ctx := context.Background()
	svc := m.f.News()
	c, err := svc.AddCategory(ctx, m.f.Actors[leader], "Thông báo")
	if err != nil {
		m.t.Fatal(err)
	}
	picture, draftPicture := m.newsPicture(files, 0), m.newsPicture(files, 1)
	at := m.f.Clock.Now().Add(-time.Hour)
	pub, err := svc.Create(ctx, m.f.Actors[leader], news.Input{Title: newsPublishedTitle, Body: "Thứ Năm hằng tuần.", Category: c.Slug, PublishAt: &at,
		Cover: news.ImagePath(picture)})
	if err != nil {
		m.t.Fatal(err)
	}
	if _, err := svc.Review(ctx, m.f.Actors[leader], pub.ID, news.Approve, ""); err != nil {
		m.t.Fatal(err)
	}
	draft, err := svc.Create(ctx, m.f.Actors[admin], news.Input{Title: newsDraftTitle, Body: "Chưa đăng. ![](" + news.ImagePath(draftPicture) + ")",
		Category: c.Slug})
	if err != nil {
		m.t.Fatal(err)
	}
	m.objects["{news_pub}"], m.objects["{news_draft}"] = pub.Slug, draft.Slug
	m.objects["{news_draft_id}"], m.objects["{news_image}"], m.objects["{news_draft_image}"] = fmt.Sprint(draft.ID), picture, draftPicture
}

// newsPicture stores a small PNG (n makes it distinct) the ward uploaded.
func (m *authzEnv) newsPicture(files blob.Store, n byte) string {
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{n}, 32)...)
	info, err := files.Put(ctx, bytes.NewReader(png), 1<<20)
	if err != nil {
		m.t.Fatal(err)
	}
	if err := (store.News{DB: m.f.DB}).AddImage(ctx, "00004", info.SHA256, "image/png", info.Size, leader); err != nil {
		m.t.Fatal(err)
	}
	return info.SHA256
}
