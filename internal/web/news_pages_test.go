package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store/storetest"
)

// newsFixture gives the ward a category and publishes articles by its
// leader, one an hour earlier than the last.
func newsFixture(t *testing.T, e *env, articles ...news.Input) []*news.Article {
	t.Helper()
	ctx := context.Background()
	svc, leader := e.f.News(), e.f.Actors["lanhdao"]
	c, err := svc.AddCategory(ctx, leader, "Thông báo")
	if err != nil && !strings.Contains(err.Error(), "đã có") {
		t.Fatal(err)
	}
	slug := "thong-bao"
	if c != nil {
		slug = c.Slug
	}
	var out []*news.Article
	for i, in := range articles {
		at := e.f.Clock.Now().Add(-time.Duration(i+1) * time.Hour)
		if in.PublishAt == nil {
			in.PublishAt = &at
		}
		in.Category = slug
		a, err := svc.Create(ctx, leader, in)
		if err != nil {
			t.Fatal(err)
		}
		if a, err = svc.Review(ctx, leader, a.ID, news.Approve, ""); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// get sends a GET as user ("" anonymous) with the given If-None-Match.
func (e *env) get(t *testing.T, user, path, inm string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

// TestNewsPagesCached: the public list and article carry an ETag and are
// cacheable for the anonymous, a matching If-None-Match is a 304 without a
// body, the ETag changes when the clock reaches a scheduled article, views
// count also on a 304, and a signed-in page is never cached.
func TestNewsPagesCached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		as := newsFixture(t, e, news.Input{Title: "Lịch tiếp công dân", Body: "Thứ Năm hằng tuần."})
		later := e.f.Clock.Now().Add(30 * time.Minute)
		newsFixture(t, e, news.Input{Title: "Thông báo cắt điện", Body: "Khu phố 3.", PublishAt: &later})
		for _, path := range []string{"/tin-tuc?unit=00004", "/tin-tuc/" + as[0].Slug + "?unit=00004", "/tin-tuc/rss.xml", "/tin-tuc/atom.xml?unit=00004"} {
			res, body := e.get(t, "", path, "")
			etag := res.Header.Get("ETag")
			if res.StatusCode != 200 || !strings.HasPrefix(etag, `W/"`) || res.Header.Get("Cache-Control") != "public, max-age=60" {
				t.Fatalf("%s: %d ETag %q Cache-Control %q", path, res.StatusCode, etag, res.Header.Get("Cache-Control"))
			}
			if strings.Contains(body, "Thông báo cắt điện") {
				t.Fatalf("%s shows an article before its time", path)
			}
			res, body = e.get(t, "", path, etag)
			if res.StatusCode != http.StatusNotModified || body != "" {
				t.Fatalf("%s with If-None-Match: %d %q", path, res.StatusCode, body)
			}
			if res, _ = e.get(t, "", path, `"other", `+etag); res.StatusCode != http.StatusNotModified {
				t.Fatalf("%s with a list of tags: %d", path, res.StatusCode)
			}
			res, body = e.get(t, "lanhdao", path, etag)
			if res.StatusCode != 200 || res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s signed in: %d ETag %q Cache-Control %q", path, res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
			}
			_ = body
		}
		res, _ := e.get(t, "", "/tin-tuc?unit=00004", "")
		before := res.Header.Get("ETag")
		e.f.Clock.Set(later)
		res, body := e.get(t, "", "/tin-tuc?unit=00004", before)
		if res.StatusCode != 200 || !strings.Contains(body, "Thông báo cắt điện") {
			t.Fatalf("after publish_at with the old ETag: %d", res.StatusCode)
		}
		got, err := e.f.News().Get(context.Background(), e.f.Actors["lanhdao"], as[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Views != 4 { // the anonymous 200, its 304s and the signed-in read
			t.Fatalf("views %d, want 4", got.Views)
		}
	})
}

// TestNewsHostileBodyInert: a body written to attack readers renders inert
// on the public page, whose policy allows no inline script anyway.
func TestNewsHostileBodyInert(t *testing.T) {
	e := newEnv(t, "sqlite")
	body := "Xin chào <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[bấm](javascript:alert(1)) " +
		"[dữ liệu](data:text/html;base64,PHNjcmlwdD4=) <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">a</a>\n\n<iframe src=\"https://evil.example\"></iframe>"
	as := newsFixture(t, e, news.Input{Title: "Bài thử", Body: body})
	res, page := e.get(t, "", "/tin-tuc/"+as[0].Slug+"?unit=00004", "")
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	start := strings.Index(page, `id="article-body"`)
	end := strings.Index(page, `class="share"`)
	if start < 0 || end < start {
		t.Fatal("no article body on the page")
	}
	article := strings.ToLower(page[start:end])
	for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "data:text", "<iframe", "<img"} {
		if strings.Contains(article, bad) {
			t.Errorf("the article shows %q: %s", bad, article)
		}
	}
	if !strings.Contains(article, "xin chào") || !strings.Contains(article, "bấm") {
		t.Errorf("the harmless text is gone: %s", article)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}

// RSS 2.0 and Atom (RFC 4287) as a reader parses them.
type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title       string   `xml:"title"`
		Links       []string `xml:"link"` // RSS's link, and atom:link (empty text)
		Description string   `xml:"description"`
		Items       []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
			GUID        struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				Value       string `xml:",chardata"`
			} `xml:"guid"`
			PubDate string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	Author *struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Author *struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Summary struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"summary"`
	} `xml:"entry"`
}

func absolute(t *testing.T, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		t.Errorf("%s %q is not an absolute address", what, s)
	}
}

// TestNewsFeeds: the feeds hold the required elements of RSS 2.0 and Atom
// with their formats (RFC 822 dates in RSS, RFC 3339 in Atom), unique ids
// and absolute links, the visible articles only, and follow ?category=.
func TestNewsFeeds(t *testing.T) {
	e := newEnv(t, "sqlite")
	newsFixture(t, e, news.Input{Title: "Lịch tiếp công dân", Summary: "Thứ Năm", Body: "Thứ Năm hằng tuần."},
		news.Input{Title: "Tiêm chủng <mở rộng> & sởi", Body: "Trạm y tế."})
	if _, err := e.f.News().AddCategory(context.Background(), e.f.Actors["lanhdao"], "Tin hoạt động"); err != nil {
		t.Fatal(err)
	}
	future := e.f.Clock.Now().Add(time.Hour)
	newsFixture(t, e, news.Input{Title: "Chưa đến giờ", Body: "x", PublishAt: &future})

	res, body := e.get(t, "", "/tin-tuc/rss.xml?unit=00004", "")
	if ct := res.Header.Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Fatalf("RSS content type %q", ct)
	}
	var rss rssDoc
	if err := xml.Unmarshal([]byte(body), &rss); err != nil {
		t.Fatalf("RSS: %v\n%s", err, body)
	}
	if rss.Version != "2.0" || rss.Channel.Title == "" || rss.Channel.Description == "" || len(rss.Channel.Items) != 2 {
		t.Fatalf("RSS channel: %+v", rss)
	}
	if len(rss.Channel.Links) == 0 {
		t.Fatal("RSS channel without its link")
	}
	absolute(t, "RSS channel link", rss.Channel.Links[0])
	guids := map[string]bool{}
	for _, it := range rss.Channel.Items {
		if it.Title == "" || it.Description == "" || guids[it.GUID.Value] || it.GUID.IsPermaLink != "true" {
			t.Errorf("RSS item %+v", it)
		}
		guids[it.GUID.Value] = true
		absolute(t, "RSS item link", it.Link)
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Errorf("RSS pubDate %q is not RFC 822: %v", it.PubDate, err)
		}
	}
	if rss.Channel.Items[1].Title != "Tiêm chủng <mở rộng> & sởi" {
		t.Errorf("escaped title: %q", rss.Channel.Items[1].Title)
	}

	res, body = e.get(t, "", "/tin-tuc/atom.xml?unit=00004", "")
	if ct := res.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Fatalf("Atom content type %q", ct)
	}
	var atom atomDoc
	if err := xml.Unmarshal([]byte(body), &atom); err != nil {
		t.Fatalf("Atom: %v\n%s", err, body)
	}
	if atom.ID == "" || atom.Title == "" || len(atom.Entries) != 2 || atom.Author == nil || atom.Author.Name == "" {
		t.Fatalf("Atom feed: %+v", atom)
	}
	absolute(t, "Atom id", atom.ID)
	if _, err := time.Parse(time.RFC3339, atom.Updated); err != nil {
		t.Errorf("Atom updated %q: %v", atom.Updated, err)
	}
	self := false
	for _, l := range atom.Links {
		absolute(t, "Atom link", l.Href)
		self = self || l.Rel == "self"
	}
	if !self {
		t.Error("Atom feed without its self link")
	}
	ids := map[string]bool{}
	for _, en := range atom.Entries {
		if en.Title == "" || ids[en.ID] {
			t.Errorf("Atom entry %+v", en)
		}
		ids[en.ID] = true
		absolute(t, "Atom entry id", en.ID)
		absolute(t, "Atom entry link", en.Link.Href)
		for _, d := range []string{en.Updated, en.Published} {
			if _, err := time.Parse(time.RFC3339, d); err != nil {
				t.Errorf("Atom date %q: %v", d, err)
			}
		}
	}

	_, body = e.get(t, "", "/tin-tuc/rss.xml?unit=00004&category=tin-hoat-dong", "")
	rss = rssDoc{}
	if err := xml.Unmarshal([]byte(body), &rss); err != nil || len(rss.Channel.Items) != 0 {
		t.Fatalf("a category without articles: %v %d items", err, len(rss.Channel.Items))
	}
}

// TestNewsFeedsInert: a summary or a body with markup reaches feed readers
// as text: the RSS description (which readers take as HTML) holds the
// summary escaped and the body's text without its Markdown, and the Atom
// summary is of type "text".
func TestNewsFeedsInert(t *testing.T) {
	e := newEnv(t, "sqlite")
	const hostile = `<img src=x onerror=alert(1)>`
	newsFixture(t, e, news.Input{Title: "Tóm tắt độc", Summary: "Xem " + hostile, Body: "Thân bài."},
		news.Input{Title: "Thân bài độc", Body: "**Thứ Năm** " + hostile + " [x](javascript:alert(1))"})
	_, body := e.get(t, "", "/tin-tuc/rss.xml?unit=00004", "")
	var rss rssDoc
	if err := xml.Unmarshal([]byte(body), &rss); err != nil || len(rss.Channel.Items) != 2 {
		t.Fatalf("RSS: %v\n%s", err, body)
	}
	for _, it := range rss.Channel.Items {
		if strings.Contains(it.Description, "<") || strings.Contains(it.Description, "**") {
			t.Errorf("RSS description of %q is HTML or Markdown: %q", it.Title, it.Description)
		}
	}
	if d := rss.Channel.Items[0].Description; d != "Xem &lt;img src=x onerror=alert(1)&gt;" {
		t.Errorf("RSS description of the summary: %q", d)
	}
	if d := rss.Channel.Items[1].Description; !strings.HasPrefix(d, "Thứ Năm") {
		t.Errorf("RSS description of the body: %q", d)
	}
	_, body = e.get(t, "", "/tin-tuc/atom.xml?unit=00004", "")
	var atom atomDoc
	if err := xml.Unmarshal([]byte(body), &atom); err != nil || len(atom.Entries) != 2 {
		t.Fatalf("Atom: %v\n%s", err, body)
	}
	for _, en := range atom.Entries {
		if en.Summary.Type != "text" || strings.Contains(en.Summary.Value, "**") {
			t.Errorf("Atom summary of %q: %+v", en.Title, en.Summary)
		}
	}
}

// TestNewsAuthorsHidden: readers, and officers who may not write in the
// unit, never see the officers' usernames (author, reviewer) in the API or
// the feeds; the unit's writers do; an Atom entry without its signer's
// name is signed by the unit.
func TestNewsAuthorsHidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		as := newsFixture(t, e, news.Input{Title: "Lịch tiếp công dân", Body: "Thứ Năm hằng tuần."})
		ctx, svc := context.Background(), e.f.News()
		unnamed := e.f.Actors["lanhdao"]
		unnamed.FullName = ""
		at := e.f.Clock.Now().Add(-2 * time.Hour)
		a, err := svc.Create(ctx, unnamed, news.Input{Title: "Không ký tên", Body: "x", Category: as[0].Category, PublishAt: &at})
		if err == nil {
			_, err = svc.Review(ctx, unnamed, a.ID, news.Approve, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, user := range []string{"", "canbo", "canbo.ngocha", "congdan", "quantri"} {
			for _, path := range []string{"/api/v1/news/" + as[0].Slug + "?unit=00004", "/api/v1/news?unit=00004", "/tin-tuc/atom.xml?unit=00004", "/tin-tuc/rss.xml"} {
				_, body := e.get(t, user, path, "")
				leaks := strings.Contains(body, `"lanhdao"`) || strings.Contains(body, ">lanhdao<")
				if writer := user == "quantri" && strings.HasPrefix(path, "/api/"); leaks != writer {
					t.Errorf("%q reads %s: username shown %v\n%s", user, path, leaks, body)
				}
			}
		}
		_, body := e.get(t, "", "/tin-tuc/atom.xml?unit=00004", "")
		var atom atomDoc
		if err := xml.Unmarshal([]byte(body), &atom); err != nil {
			t.Fatal(err)
		}
		for _, en := range atom.Entries {
			if en.Author == nil || en.Author.Name == "" || en.Author.Name == "lanhdao" {
				t.Errorf("Atom entry %q signed %+v", en.Title, en.Author)
			}
		}
	})
}

// TestNewsImageAccess: a picture no visible article shows goes to its
// unit's writers only, never cached (not found for readers and other
// officers); once a published article shows it, to everyone, cached for
// good; and back to the writers when that article expires.
func TestNewsImageAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x01", 32)
		code, m, raw := e.do("quantri", "POST", "/api/v1/news/images", png)
		if code != 201 {
			t.Fatalf("upload: %d %s", code, raw)
		}
		path, _ := m["url"].(string)
		see := func(when string, want map[string]string) {
			t.Helper()
			for _, user := range []string{"", "congdan", "canbo", "quantri", "lanhdao"} {
				res, _ := e.get(t, user, path, "")
				cc, ok := want[user]
				if !ok {
					cc = "404"
				}
				got := res.Header.Get("Cache-Control")
				if res.StatusCode != 200 {
					got = fmt.Sprint(res.StatusCode)
				}
				if got != cc {
					t.Errorf("%s: %q gets %s, want %s", when, user, got, cc)
				}
			}
		}
		private := map[string]string{"quantri": "private, no-store", "lanhdao": "private, no-store"}
		see("uploaded", private)
		expire := e.f.Clock.Now().Add(time.Hour)
		as := newsFixture(t, e, news.Input{Title: "Ảnh buổi tiếp dân", Body: "![](" + path + ")", ExpireAt: &expire})
		public := "public, max-age=31536000, immutable"
		see("published", map[string]string{"": public, "congdan": public, "canbo": public, "quantri": public, "lanhdao": public})
		e.f.Clock.Set(as[0].ExpireAt)
		see("expired", private)
	})
}
