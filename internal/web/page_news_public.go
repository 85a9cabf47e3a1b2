package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

// newsPageSize is the articles a page of the public list shows.
const newsPageSize = 10

// newsRow is an article on a list.
type newsRow struct {
	*news.Article
	URL          string
	CategoryName string
}

type newsListData struct {
	Unit, Category, Q  string
	Units              []unit.Unit
	Categories         []news.Category
	Rows               []newsRow
	Page, Pages, Total int
	PrevURL, NextURL   string
	FeedURL, AtomURL   string
}

// publicUnit is the unit a public news page is about: ?unit=, else the
// installation's only receiving unit, else none (a province's portal
// lists the news of all its units).
func (s *Server) publicUnit(r *http.Request) (string, []unit.Unit, error) {
	units, err := s.DB.ReceivingUnits(r.Context())
	if err != nil {
		return "", nil, err
	}
	if u := r.URL.Query().Get("unit"); u != "" {
		return u, units, nil
	}
	if len(units) == 1 {
		return units[0].Code, units, nil
	}
	return "", units, nil
}

// categoryNames maps a unit's category slugs to their names.
func (s *Server) categoryNames(r *http.Request, unitCode string) ([]news.Category, map[string]string, error) {
	if unitCode == "" {
		return nil, map[string]string{}, nil
	}
	cs, err := store.News{DB: s.DB}.Categories(r.Context(), unitCode)
	names := map[string]string{}
	for _, c := range cs {
		names[c.Slug] = c.Name
	}
	return cs, names, err
}

// newsList is the public list: the visible articles newest first, by unit
// and category, searchable without accents, in pages; cached (etag.go).
func (s *Server) newsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	unitCode, units, err := s.publicUnit(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "news", "news.list.title")
	stamp, err := s.News().Stamp(r.Context(), unitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.writeCached(w, r, pageETag(r, p.Lang, stamp), func() ([]byte, error) {
		d := newsListData{Unit: unitCode, Category: q.Get("category"), Q: strings.TrimSpace(q.Get("q")), Page: 1, Units: units}
		if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
			d.Page = n
		}
		cats, names, err := s.categoryNames(r, unitCode)
		if err != nil {
			return nil, err
		}
		as, total, err := s.News().List(r.Context(), actor(r), news.Filter{UnitCode: unitCode, Category: d.Category, Q: d.Q,
			Limit: newsPageSize, Offset: (d.Page - 1) * newsPageSize}, false)
		if err != nil {
			return nil, err
		}
		d.Categories = cats
		for i := range as {
			d.Rows = append(d.Rows, newsRow{&as[i], articlePath(&as[i]), names[as[i].Category]})
		}
		d.Total, d.Pages = total, max(1, (total+newsPageSize-1)/newsPageSize)
		d.PrevURL, d.NextURL = pageLinks("/tin-tuc", q, d.Page, d.Pages)
		d.FeedURL, d.AtomURL = feedPath("rss", unitCode, d.Category), feedPath("atom", unitCode, d.Category)
		p.Scripts = []string{"htmx.min.js"}
		p.HeadScripts = []string{"textsize.js"}
		p.Data = d
		return s.pageBytes(w, r, "news_list", p)
	})
}

// feedPath is the address of a feed ("rss" or "atom") of a unit and category.
func feedPath(kind, unitCode, category string) string {
	return "/tin-tuc/" + kind + ".xml" + newsQuery(unitCode, category)
}

// newsQuery is the query string that chooses a unit and a category, with
// its "?", or "" for neither.
func newsQuery(unitCode, category string) string {
	v := url.Values{}
	if unitCode != "" {
		v.Set("unit", unitCode)
	}
	if category != "" {
		v.Set("category", category)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

type newsArticleData struct {
	*news.Article
	HTML         template.HTML
	CategoryName string
	UnitName     string
	Related      []newsRow
	Link         string // absolute, for sharing
	Facebook     string
	Zalo         string
	Preview      bool // a writer reading an article readers do not see (yet)
}

// newsArticle is an article's public page: its text, views, related
// articles, share links, reading aloud and text size; cached like the list,
// on the version of its unit's articles. Every request counts a reading,
// a 304 too (store.News.CountView buffers them).
func (s *Server) newsArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.News().BySlug(r.Context(), actor(r), r.URL.Query().Get("unit"), r.PathValue("slug"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	visible := a.Visible(s.now())
	if visible {
		if err := (store.News{DB: s.DB}).CountView(r.Context(), a.ID); err != nil {
			s.Log.Warn("news: count views", "err", err)
		}
	}
	p := s.newPage(w, r, "news", "news.article.title", a.Title)
	stamp, err := s.News().Stamp(r.Context(), a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	// Only a signed-in writer reaches an article readers do not see, and
	// signed-in pages are never cached.
	s.writeCached(w, r, pageETag(r, p.Lang, stamp), func() ([]byte, error) {
		d, err := s.articleData(r, a)
		if err != nil {
			return nil, err
		}
		d.Preview = !visible
		p.Scripts = []string{"news.js"}
		p.HeadScripts = []string{"textsize.js"}
		p.Data = d
		return s.pageBytes(w, r, "news_article", p)
	})
}

func (s *Server) articleData(r *http.Request, a *news.Article) (newsArticleData, error) {
	_, names, err := s.categoryNames(r, a.UnitCode)
	if err != nil {
		return newsArticleData{}, err
	}
	rel, err := s.News().Related(r.Context(), a, 5)
	if err != nil {
		return newsArticleData{}, err
	}
	link := s.baseURL(r) + articlePath(a)
	d := newsArticleData{Article: a, HTML: template.HTML(news.Render(a.Body)), CategoryName: names[a.Category], Link: link,
		Facebook: "https://www.facebook.com/sharer/sharer.php?u=" + url.QueryEscape(link),
		Zalo:     "https://sp.zalo.me/plugins/share?href=" + url.QueryEscape(link)}
	d.UnitName, _ = s.unitNames(r, a.UnitCode)
	for i := range rel {
		d.Related = append(d.Related, newsRow{&rel[i], articlePath(&rel[i]), names[rel[i].Category]})
	}
	return d, nil
}
