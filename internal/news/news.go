// Package news holds the unit's portal news and announcements (tin tức,
// thông báo): articles with a Markdown body, categories per unit, the
// editorial rule (the unit's leaders and administrators write, a leader
// reviews and publishes), scheduled publication and expiry, and the
// sanitised rendering of a body. It has no SQL and no HTTP.
package news

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Status is where an article stands in the editorial flow.
type Status string

// Statuses: a draft is written, sent for review, then published or
// rejected (a rejected article may be edited and sent again).
const (
	Draft     Status = "draft"
	InReview  Status = "review"
	Published Status = "published"
	Rejected  Status = "rejected"
)

// StatusName is each status in Vietnamese and English.
var StatusName = map[Status][2]string{
	Draft:     {"Bản nháp", "Draft"},
	InReview:  {"Chờ duyệt", "In review"},
	Published: {"Đã duyệt đăng", "Published"},
	Rejected:  {"Bị trả lại", "Rejected"},
}

// Limits of what an editor may send.
const (
	MaxTitle   = 300
	MaxSummary = 1000
	MaxBody    = 200_000
	MaxReason  = 2000
	MaxSlug    = 80
)

// Category is a unit's heading for its articles ("Thông báo", "Tin hoạt động").
type Category struct {
	ID        int64     `json:"id"`
	UnitCode  string    `json:"unit"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Article is one news item or announcement of a unit.
type Article struct {
	ID         int64     `json:"id"`
	UnitCode   string    `json:"unit"`
	Slug       string    `json:"slug"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary"`
	Body       string    `json:"body,omitempty"` // Markdown (left out of lists)
	Category   string    `json:"category"`
	Cover      string    `json:"cover,omitempty"` // an image of the product's path (ImagePath)
	Status     Status    `json:"status"`
	PublishAt  time.Time `json:"publish_at,omitzero"` // zero: at approval
	ExpireAt   time.Time `json:"expire_at,omitzero"`  // zero: never
	Author     string    `json:"author"`
	AuthorName string    `json:"author_name"`
	Reviewer   string    `json:"reviewer,omitempty"`
	Reason     string    `json:"reason,omitempty"` // why a leader sent it back
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
	Views      int64     `json:"views"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// Visible tells whether readers see the article at now: published, its
// publication time come and its expiry not yet. Scheduling is this rule
// read at every request, so no job has to publish anything.
func (a *Article) Visible(now time.Time) bool {
	return a.Status == Published && !now.Before(a.PublishAt) && (a.ExpireAt.IsZero() || now.Before(a.ExpireAt))
}

// Input is what an editor sends to write or change an article.
type Input struct {
	Title     string     `json:"title"`
	Summary   string     `json:"summary"`
	Body      string     `json:"body"`
	Category  string     `json:"category"`
	Cover     string     `json:"cover,omitempty"`
	PublishAt *time.Time `json:"publish_at,omitempty"` // none: at approval
	ExpireAt  *time.Time `json:"expire_at,omitempty"`  // none: never
	Submit    bool       `json:"submit,omitempty"`     // send for review at once
}

// Clean returns the input with its texts cleaned as every stored text is.
func (in Input) Clean() Input {
	in.Title = vntext.Clean(in.Title)
	in.Summary = vntext.Clean(in.Summary)
	in.Body = strings.TrimSpace(strings.ReplaceAll(vntext.NFC(in.Body), "\r\n", "\n"))
	in.Category = strings.TrimSpace(in.Category)
	in.Cover = strings.TrimSpace(in.Cover)
	return in
}

// Validate checks an input, Vietnamese first; categories lists the unit's
// category slugs.
func (in Input) Validate(categories []string) error {
	switch {
	case in.Title == "":
		return apperr.Invalid("title", "Nhập tiêu đề bài viết", "enter the article's title")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		return apperr.Invalid("title", "Tiêu đề dài quá 300 ký tự", "the title is longer than 300 characters")
	case Slug(in.Title) == "":
		return apperr.Invalid("title", "Tiêu đề phải có chữ hoặc số", "the title must have letters or digits")
	case utf8.RuneCountInString(in.Summary) > MaxSummary:
		return apperr.Invalid("summary", "Tóm tắt dài quá 1000 ký tự", "the summary is longer than 1000 characters")
	case in.Body == "":
		return apperr.Invalid("body", "Nhập nội dung bài viết", "enter the article's text")
	case len(in.Body) > MaxBody:
		return apperr.Invalid("body", "Nội dung dài quá 200 000 byte", "the text is longer than 200,000 bytes")
	case !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0):
		return apperr.Invalid("body", "Nội dung có ký tự không hợp lệ", "the text has invalid characters")
	case !slices.Contains(categories, in.Category):
		return apperr.Invalid("category", "Chọn một chuyên mục của đơn vị", "choose one of the unit's categories")
	case in.Cover != "" && !IsImagePath(in.Cover):
		return apperr.Invalid("cover", "Ảnh đại diện phải là ảnh đã tải lên", "the cover must be an uploaded picture")
	case in.PublishAt != nil && in.PublishAt.IsZero():
		return apperr.Invalid("publish_at", "Thời điểm đăng không hợp lệ", "invalid publication time")
	case in.ExpireAt != nil && in.PublishAt != nil && !in.ExpireAt.After(*in.PublishAt):
		return apperr.Invalid("expire_at", "Thời điểm hết hạn phải sau thời điểm đăng", "the expiry must come after the publication")
	}
	return nil
}

// ValidateCategory checks a category's name and gives it its slug.
func ValidateCategory(c *Category) error {
	c.Name = vntext.Clean(c.Name)
	c.Slug = Slug(c.Name)
	switch {
	case c.Name == "":
		return apperr.Invalid("name", "Nhập tên chuyên mục", "enter the category's name")
	case utf8.RuneCountInString(c.Name) > 100:
		return apperr.Invalid("name", "Tên chuyên mục dài quá 100 ký tự", "the category's name is longer than 100 characters")
	case c.Slug == "":
		return apperr.Invalid("name", "Tên chuyên mục phải có chữ hoặc số", "the category's name must have letters or digits")
	case c.Slug == "rss-xml" || c.Slug == "atom-xml" || c.Slug == "anh":
		return apperr.Invalid("name", "Tên chuyên mục này trùng một địa chỉ của trang", "this name is taken by an address of the site")
	}
	return nil
}

// Slug is the address form of a title: its folded words joined by
// hyphens ("Thông báo lịch tiếp dân" → "thong-bao-lich-tiep-dan"), at most
// MaxSlug bytes, cut at a word.
func Slug(title string) string {
	s := strings.Join(Words(title), "-")
	if len(s) > MaxSlug {
		s = s[:MaxSlug]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// Words are the folded words of s, letters and digits only: the search
// index's words, the slug's and those related articles share.
func Words(s string) []string {
	return strings.FieldsFunc(vntext.Fold(s), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
}

// ImagePrefix is the path the product serves the bodies' pictures from.
const ImagePrefix = "/tin-tuc/anh/"

// ImagePath is the address of an uploaded picture by its SHA-256.
func ImagePath(sum string) string { return ImagePrefix + sum }

// IsImagePath tells whether s is the address of an uploaded picture.
func IsImagePath(s string) bool {
	sum, ok := strings.CutPrefix(s, ImagePrefix)
	if !ok || len(sum) != 64 {
		return false
	}
	for _, c := range sum {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
