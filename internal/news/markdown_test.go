package news_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/motcua/motcua/internal/news"
)

// hostile bodies: each must render inert.
var hostile = []string{
	`<script>alert(1)</script>`,
	"Hello <img src=x onerror=alert(1)> world",
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	"[click](java\tscript:alert(1))",
	`[click](&#106;avascript:alert(1))`,
	`[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](javascript:alert(1))`,
	`![x](https://evil.example/pixel.png)`,
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<div onmouseover="alert(1)">hover</div>`,
	"```html\n<script>alert(1)</script>\n```",
	`<svg><script>alert(1)</script></svg>`,
	`<style>body{display:none}</style>`,
	`[x](vbscript:msgbox)`,
	`<form action="/dang-xuat" method="post"><button>Go</button></form>`,
	"<https://example.org/\"onmouseover=\"alert(1)>",
	"www.example.org/<script>",
	`[x]( javascript:alert(1) )`,
	"[x]: javascript:alert(1)\n\n[y][x]",
}

var (
	allowedTags  = map[string]bool{"p": true, "br": true, "hr": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true, "code": true, "em": true, "strong": true, "del": true, "ul": true, "ol": true, "li": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "a": true, "img": true}
	allowedAttrs = map[string]bool{"href": true, "rel": true, "target": true, "src": true, "alt": true, "title": true, "start": true, "align": true}
	ownImage     = regexp.MustCompile(`^/tin-tuc/anh/[0-9a-f]{64}$`)
)

// inert fails unless out has only allowed elements and attributes, links to
// http(s), mailto, tel or this site, and pictures of this site.
func inert(t *testing.T, in, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !allowedTags[tok.Data] {
			t.Fatalf("%q renders the element <%s>: %q", in, tok.Data, out)
		}
		for _, a := range tok.Attr {
			if !allowedAttrs[a.Key] || strings.HasPrefix(a.Key, "on") {
				t.Fatalf("%q renders the attribute %s: %q", in, a.Key, out)
			}
			switch a.Key {
			case "href":
				u, err := url.Parse(strings.TrimSpace(a.Val))
				if err != nil {
					t.Fatalf("%q renders an unparsable link %q", in, a.Val)
				}
				if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" && s != "mailto" && s != "tel" {
					t.Fatalf("%q renders a %s: link: %q", in, s, out)
				}
			case "src":
				if !ownImage.MatchString(a.Val) {
					t.Fatalf("%q renders a picture from %q", in, a.Val)
				}
			}
		}
	}
}

func TestRenderHostileInert(t *testing.T) {
	for _, in := range hostile {
		out := news.Render(in)
		inert(t, in, out)
		if strings.Contains(strings.ToLower(out), "<script") || strings.Contains(strings.ToLower(out), "javascript:") {
			t.Errorf("%q: %q", in, out)
		}
	}
}

func TestRenderKeepsMarkdown(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	in := "# Tiêu đề\n\n**Đậm** và *nghiêng*, [trang](https://dichvucong.gov.vn) và [nội bộ](/thu-tuc).\n\n" +
		"![Ảnh](" + news.ImagePath(sum) + ")\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
	out := news.Render(in)
	for _, want := range []string{"<h2>Tiêu đề</h2>", "<strong>Đậm</strong>", "<em>nghiêng</em>", `href="https://dichvucong.gov.vn"`,
		`rel="nofollow noreferrer"`, `target="_blank"`, `href="/thu-tuc"`, `src="/tin-tuc/anh/` + sum + `"`, "<table>", "<td>1</td>"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
	inert(t, in, out)
}

// FuzzRender: whatever the body, the HTML has no executable markup.
func FuzzRender(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("# a\n\n* b\n* [c](https://x.example)\n\n> d\n\n`e`")
	f.Fuzz(func(t *testing.T, in string) {
		inert(t, in, news.Render(in))
	})
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Thông báo lịch tiếp dân!":    "thong-bao-lich-tiep-dan",
		"  Đường   Đội Cấn — số 12  ": "duong-doi-can-so-12",
		"???":                                 "",
		strings.Repeat("Nguyễn Văn Anh ", 20): "nguyen-van-anh-nguyen-van-anh-nguyen-van-anh-nguyen-van-anh-nguyen-van-anh",
	} {
		if got := news.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
