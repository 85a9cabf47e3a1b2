package news

import (
	"bytes"
	"crypto/sha256"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Rendering happens in two steps, so that neither has to be perfect alone:
// goldmark turns Markdown into HTML without passing any raw HTML through
// (its default: raw HTML becomes a comment, and links with javascript: and
// the like are dropped), then an allowlist keeps only the elements and
// attributes a body needs. Scripts, styles, event attributes (on*),
// frames and forms never pass; links keep http, https, mailto and tel and
// relative addresses; pictures only from the product's own path, which
// the pages' Content-Security-Policy (img-src 'self') expects anyway.
var (
	md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

	policy     *bluemonday.Policy
	policyOnce sync.Once
)

var imageSrc = regexp.MustCompile(`^/tin-tuc/anh/[0-9a-f]{64}$`)

func bodyPolicy() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong", "del",
			"ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td")
		p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
		p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
		p.AllowAttrs("href").OnElements("a")
		p.AllowURLSchemes("http", "https", "mailto", "tel")
		p.AllowRelativeURLs(true)
		p.RequireParseableURLs(true)
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.AllowAttrs("src").Matching(imageSrc).OnElements("img")
		p.AllowAttrs("alt", "title").OnElements("img")
		// An h1 in a body would compete with the article's title: it
		// becomes an h2.
		p.AllowElements("h1")
		policy = p
	})
	return policy
}

// rendered keeps the HTML of the bodies rendered lately, by the SHA-256 of
// their Markdown: an article is read far more often than it changes, and
// sanitising is most of the cost of its page (docs/benchmarks.md). When
// full it is emptied, which is simple and bounds its memory.
var rendered = struct {
	sync.Mutex
	m map[[32]byte]string
}{m: map[[32]byte]string{}}

const maxRendered = 512

// Render returns the body's HTML, safe to put in a page as it is.
func Render(markdown string) string {
	key := sha256.Sum256([]byte(markdown))
	rendered.Lock()
	html, ok := rendered.m[key]
	rendered.Unlock()
	if ok {
		return html
	}
	html = render(markdown)
	rendered.Lock()
	if len(rendered.m) >= maxRendered {
		clear(rendered.m)
	}
	rendered.m[key] = html
	rendered.Unlock()
	return html
}

func render(markdown string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(markdown), &buf); err != nil {
		// goldmark fails only when writing fails, which a buffer does not.
		return ""
	}
	out := bodyPolicy().SanitizeBytes(buf.Bytes())
	out = bytes.ReplaceAll(out, []byte("<h1>"), []byte("<h2>"))
	out = bytes.ReplaceAll(out, []byte("</h1>"), []byte("</h2>"))
	return string(out)
}

// PlainText is the text of a body without its markup: its rendering (so
// no Markdown syntax and nothing the allowlist refuses) with every tag
// stripped and its whitespace folded. Feeds carry it where readers would
// otherwise take a body or a summary as HTML.
func PlainText(markdown string) string {
	text := bluemonday.StrictPolicy().Sanitize(Render(markdown))
	return strings.Join(strings.Fields(html.UnescapeString(text)), " ")
}
