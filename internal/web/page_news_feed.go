package web

import (
	"encoding/xml"
	"html"
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/vntext"
)

// feedSize is the articles a feed carries: the latest visible ones.
const feedSize = 30

// RSS 2.0 (https://www.rssboard.org/rss-specification): dates in RFC 822
// (with four-digit years, as the specification's examples and every
// reader accept), links absolute, guid the article's permanent address.
type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	Description string  `xml:"description"`
	Category    string  `xml:"category,omitempty"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// Atom (RFC 4287): ids are the articles' permanent addresses, dates in
// RFC 3339, the feed's author the unit (or the portal).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Link      atomLink   `xml:"link"`
	Author    atomPerson `xml:"author"`
	Summary   atomText   `xml:"summary"`
	Category  *atomCat   `xml:"category,omitempty"`
}

// atomText is an Atom text construct of type "text": readers show it as
// it is, never as HTML.
type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// feed answers /tin-tuc/rss.xml and /tin-tuc/atom.xml (?unit=,
// ?category=), cached like the pages.
func (s *Server) feed(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		unitCode, _, err := s.publicUnit(r)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		lang := requestLang(w, r)
		stamp, err := s.News().Stamp(r.Context(), unitCode)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		s.writeCached(w, r, pageETag(r, lang, stamp), func() ([]byte, error) {
			category := r.URL.Query().Get("category")
			as, _, err := s.News().List(r.Context(), actor(r), news.Filter{UnitCode: unitCode, Category: category, Limit: feedSize}, false)
			if err != nil {
				return nil, err
			}
			_, names, err := s.categoryNames(r, unitCode)
			if err != nil {
				return nil, err
			}
			title := s.ui.cat[lang].T("news.list.title")
			if unitCode != "" {
				name, _ := s.unitNames(r, unitCode)
				title += " · " + name
			}
			if n := names[category]; n != "" {
				title += " · " + n
			}
			base := s.baseURL(r)
			var v any
			if kind == "rss" {
				v = s.rss(base, title, lang, unitCode, category, as, names)
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			} else {
				v = s.atom(base, title, unitCode, category, as, names, s.unitNameOf(r))
				w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
			}
			w.Header().Set("X-Content-Type-Options", "nosniff")
			out, err := xml.MarshalIndent(v, "", " ")
			return append([]byte(xml.Header), out...), err
		})
	}
}

func (s *Server) rss(base, title, lang, unitCode, category string, as []news.Article, names map[string]string) rssFeed {
	ch := rssChannel{Title: title, Link: base + listPath(unitCode, category), Description: title, Language: lang,
		Self: atomLink{Href: base + feedPath("rss", unitCode, category), Rel: "self", Type: "application/rss+xml"}}
	for i, a := range as {
		link := base + articlePath(&as[i])
		ch.Items = append(ch.Items, rssItem{Title: a.Title, Link: link, Description: html.EscapeString(feedSummary(&as[i])), Category: names[a.Category],
			GUID: rssGUID{IsPermaLink: "true", Value: link}, PubDate: a.PublishAt.In(time.UTC).Format(time.RFC1123Z)})
		if i == 0 {
			ch.LastBuildDate = a.PublishAt.In(time.UTC).Format(time.RFC1123Z)
		}
	}
	return rssFeed{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: ch}
}

// unitNameOf gives the names of units, each read once.
func (s *Server) unitNameOf(r *http.Request) func(code string) string {
	seen := map[string]string{}
	return func(code string) string {
		if n, ok := seen[code]; ok {
			return n
		}
		n, _ := s.unitNames(r, code)
		seen[code] = n
		return n
	}
}

// atom is the Atom feed of as; an entry's author is the article's signer,
// or its unit (never an officer's username).
func (s *Server) atom(base, title, unitCode, category string, as []news.Article, names map[string]string, unitName func(string) string) atomFeed {
	self := base + feedPath("atom", unitCode, category)
	f := atomFeed{ID: self, Title: title, Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Links:  []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"}, {Href: base + listPath(unitCode, category), Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: title}}
	var latest time.Time
	for i, a := range as {
		link := base + articlePath(&as[i])
		e := atomEntry{ID: link, Title: a.Title, Updated: a.UpdatedAt.UTC().Format(time.RFC3339), Published: a.PublishAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"}, Author: atomPerson{Name: a.AuthorName}, Summary: atomText{Type: "text", Value: feedSummary(&as[i])}}
		if e.Author.Name == "" {
			e.Author.Name = unitName(a.UnitCode)
		}
		if n := names[a.Category]; n != "" {
			e.Category = &atomCat{Term: a.Category, Label: n}
		}
		f.Entries = append(f.Entries, e)
		latest = maxTime(latest, a.UpdatedAt, a.PublishAt)
	}
	if !latest.IsZero() {
		f.Updated = latest.UTC().Format(time.RFC3339)
	}
	return f
}

func maxTime(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}

// feedSummary is an article's summary, or the start of its text, as plain
// text: an RSS description is read as HTML, so the RSS feed escapes it,
// and the Atom summary says type="text".
func feedSummary(a *news.Article) string {
	if a.Summary != "" {
		return a.Summary
	}
	text := news.PlainText(a.Body)
	ex := vntext.Truncate(text, 300)
	if len(ex) < len(text) {
		ex += "…"
	}
	return ex
}

// listPath is the public list of a unit and category.
func listPath(unitCode, category string) string {
	return "/tin-tuc" + newsQuery(unitCode, category)
}
