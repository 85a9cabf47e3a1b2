package news

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/unit"
	"github.com/motcua/motcua/internal/vntext"
)

// Store keeps articles and categories. Every write is one transaction.
type Store interface {
	// Categories lists a unit's categories by name.
	Categories(ctx context.Context, unitCode string) ([]Category, error)
	// AddCategory writes a new category; a slug the unit has is a conflict.
	AddCategory(ctx context.Context, c *Category) error
	// Create gives the article a slug free in its unit (its own, or with
	// "-2", "-3"…) and writes it.
	Create(ctx context.Context, a *Article) error
	// Update loads the article, lets fn change it and writes it unless fn
	// fails; a concurrent change makes it fail with ECONFLICT.
	Update(ctx context.Context, id int64, fn func(a *Article) error) (*Article, error)
	// Get returns the article of id.
	Get(ctx context.Context, id int64) (*Article, error)
	// BySlug returns the article of a unit ("" any unit: the latest
	// visible at now, else the latest published) by its slug.
	BySlug(ctx context.Context, unitCode, slug string, now time.Time) (*Article, error)
	// List returns a page of the articles of f and their count.
	List(ctx context.Context, f Filter) ([]Article, int, error)
	// Related returns up to n articles visible at now that share the
	// article's category or words of its title, the closest first.
	Related(ctx context.Context, a *Article, now time.Time, n int) ([]Article, error)
	// CountView counts one reading of the article.
	CountView(ctx context.Context, id int64) error
	// Stamp is the version of what the public pages of f's unit show at
	// now: it changes with any article's change and whenever the clock
	// passes a publication or an expiry.
	Stamp(ctx context.Context, f Filter, now time.Time) (string, error)
}

// Filter selects articles.
type Filter struct {
	UnitCode  string // "" any unit (public lists of a province's portal)
	Category  string
	Q         string    // folded words, each the start of a word of title, summary or body
	Status    Status    // "" any
	Author    string    // "" anyone
	VisibleAt time.Time // not zero: only the articles visible then
	Limit     int
	Offset    int
}

// PageLimit bounds a page of articles.
func PageLimit(n int) int {
	if n <= 0 {
		return 20
	}
	return min(n, 100)
}

// CanWrite tells whether a writes the unit's articles: its leaders and
// administrators. A residential group's leader does not: the portal speaks
// for the commune, and a group's leader would otherwise publish alone.
func CanWrite(a auth.Actor, unitCode string) bool {
	return a.UnitCode == unitCode && !isGroup(a.UnitCode) && (a.Role == auth.RoleLeader || a.Role == auth.RoleAdmin)
}

// CanReview tells whether a approves or rejects the unit's articles: its
// leaders, their own articles included (not a residential group's).
func CanReview(a auth.Actor, unitCode string) bool {
	return a.UnitCode == unitCode && !isGroup(a.UnitCode) && a.Role == auth.RoleLeader
}

// isGroup tells whether a unit is a residential group (tổ dân phố, thôn),
// by the code the groups' rule gives them.
func isGroup(unitCode string) bool { return unit.ValidGroupCode(unitCode) }

// Service is the editorial flow over a Store, on an injected clock.
type Service struct {
	Store Store
	Now   func() time.Time
}

var errNotFound = apperr.NotFound("Không tìm thấy bài viết", "article not found")

func errForbidden() error {
	return apperr.Forbidden("Chỉ lãnh đạo và quản trị của đơn vị viết tin bài", "only the unit's leaders and administrators write articles")
}

// categorySlugs lists the unit's category slugs.
func (s *Service) categorySlugs(ctx context.Context, unitCode string) ([]string, error) {
	cs, err := s.Store.Categories(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Slug
	}
	return out, nil
}

// AddCategory adds a category to the actor's unit.
func (s *Service) AddCategory(ctx context.Context, by auth.Actor, name string) (*Category, error) {
	if !CanWrite(by, by.UnitCode) {
		return nil, errForbidden()
	}
	c := &Category{UnitCode: by.UnitCode, Name: name, CreatedAt: s.Now()}
	if err := ValidateCategory(c); err != nil {
		return nil, err
	}
	return c, s.Store.AddCategory(ctx, c)
}

// Create writes a draft of the actor's unit, sent for review at once when
// the input says so.
func (s *Service) Create(ctx context.Context, by auth.Actor, in Input) (*Article, error) {
	if !CanWrite(by, by.UnitCode) {
		return nil, errForbidden()
	}
	in = in.Clean()
	cats, err := s.categorySlugs(ctx, by.UnitCode)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(cats); err != nil {
		return nil, err
	}
	now := s.Now()
	a := &Article{UnitCode: by.UnitCode, Slug: Slug(in.Title), Status: Draft, Author: by.Username, AuthorName: by.FullName,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	apply(a, in)
	if in.Submit {
		a.Status = InReview
	}
	return a, s.Store.Create(ctx, a)
}

func apply(a *Article, in Input) {
	a.Title, a.Summary, a.Body, a.Category, a.Cover = in.Title, in.Summary, in.Body, in.Category, in.Cover
	a.PublishAt, a.ExpireAt = time.Time{}, time.Time{}
	if in.PublishAt != nil {
		a.PublishAt = in.PublishAt.UTC()
	}
	if in.ExpireAt != nil {
		a.ExpireAt = in.ExpireAt.UTC()
	}
}

// Edit changes an article of the actor's unit. A leader's edit keeps its
// status (a leader may publish); an administrator's edit of an article in
// review or published takes it back to a draft, for a leader to approve
// again. The slug stays: links already shared keep working.
func (s *Service) Edit(ctx context.Context, by auth.Actor, id int64, in Input) (*Article, error) {
	in = in.Clean()
	return s.Store.Update(ctx, id, func(a *Article) error {
		if !CanWrite(by, a.UnitCode) {
			return errNotFound
		}
		cats, err := s.categorySlugs(ctx, a.UnitCode)
		if err != nil {
			return err
		}
		if err := in.Validate(cats); err != nil {
			return err
		}
		keep := a.PublishAt
		apply(a, in)
		if a.Status == Published && in.PublishAt == nil {
			a.PublishAt = keep // published already: not republished by an edit
		}
		switch {
		case in.Submit && a.Status != Published:
			a.Status = InReview
		case !CanReview(by, a.UnitCode) && (a.Status == InReview || a.Status == Published):
			a.Status = Draft
		}
		a.UpdatedAt = s.Now()
		return nil
	})
}

// Review actions.
const (
	Approve = "approve"
	Reject  = "reject"
	Submit  = "submit"
)

// Review is a decision on an article: approve (publish at its time, or now
// if none), reject with a reason, or submit (the writer sends a draft or a
// rejected article for review).
func (s *Service) Review(ctx context.Context, by auth.Actor, id int64, action, reason string) (*Article, error) {
	reason = vntext.Clean(reason)
	if utf8.RuneCountInString(reason) > MaxReason {
		return nil, apperr.Invalid("reason", "Lý do dài quá 2000 ký tự", "the reason is longer than 2000 characters")
	}
	return s.Store.Update(ctx, id, func(a *Article) error {
		if !CanWrite(by, a.UnitCode) {
			return errNotFound
		}
		now := s.Now()
		switch action {
		case Submit:
			if a.Status != Draft && a.Status != Rejected {
				return apperr.Conflict("Chỉ gửi duyệt được bản nháp hoặc bài bị trả lại", "only a draft or a rejected article can be sent for review")
			}
			a.Status = InReview
		case Approve, Reject:
			if !CanReview(by, a.UnitCode) {
				return apperr.Forbidden("Chỉ lãnh đạo đơn vị duyệt tin bài", "only the unit's leaders review articles")
			}
			// A leader may publish a draft of their own without sending it
			// to themselves first.
			if a.Status != InReview && !(a.Status == Draft && a.Author == by.Username) {
				return apperr.Conflict("Bài viết không ở trạng thái chờ duyệt", "the article is not in review")
			}
			if action == Reject && strings.TrimSpace(reason) == "" {
				return apperr.Invalid("reason", "Nhập lý do trả lại", "enter why the article is sent back")
			}
			a.Status, a.Reason, a.Reviewer, a.ReviewedAt = Rejected, reason, by.Username, now
			if action == Approve {
				a.Status, a.Reason = Published, ""
				if a.PublishAt.IsZero() {
					a.PublishAt = now
				}
				if !a.ExpireAt.IsZero() && !a.ExpireAt.After(a.PublishAt) {
					return apperr.Invalid("expire_at", "Bài viết đã hết hạn trước khi đăng", "the article expires before it is published")
				}
			}
		default:
			return apperr.Invalid("action", "Thao tác phải là approve, reject hoặc submit", "the action must be approve, reject or submit")
		}
		a.UpdatedAt = now
		return nil
	})
}

// Get returns an article for the actor: visible ones to anyone, the
// others to the unit's writers only (not found for the rest).
func (s *Service) Get(ctx context.Context, by auth.Actor, id int64) (*Article, error) {
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.seen(by, a)
}

// BySlug is Get by a unit's slug.
func (s *Service) BySlug(ctx context.Context, by auth.Actor, unitCode, slug string) (*Article, error) {
	a, err := s.Store.BySlug(ctx, unitCode, slug, s.Now())
	if err != nil {
		return nil, err
	}
	return s.seen(by, a)
}

func (s *Service) seen(by auth.Actor, a *Article) (*Article, error) {
	switch {
	case CanWrite(by, a.UnitCode):
		return a, nil
	case a.Visible(s.Now()):
		a.forReaders()
		return a, nil
	}
	return nil, errNotFound
}

// forReaders clears what only the unit's writers read: the officers'
// usernames (an account's name is half of signing in to it) and why a
// leader sent the article back. The author's full name stays: the article
// is signed by it.
func (a *Article) forReaders() {
	a.Author, a.Reviewer, a.Reason = "", "", ""
}

// List returns a page of articles: the visible ones for the public and for
// other units, every article of the unit for its writers when they ask for
// their own unit (editors=true).
func (s *Service) List(ctx context.Context, by auth.Actor, f Filter, editors bool) ([]Article, int, error) {
	f.Limit = PageLimit(f.Limit)
	f.Offset = max(f.Offset, 0)
	f.Q = strings.Join(Words(f.Q), " ")
	if editors {
		if f.UnitCode == "" {
			f.UnitCode = by.UnitCode
		}
		if !CanWrite(by, f.UnitCode) {
			return nil, 0, errForbidden()
		}
	} else {
		f.VisibleAt, f.Status, f.Author = s.Now(), "", ""
	}
	as, total, err := s.Store.List(ctx, f)
	for i := range as {
		if !editors && !CanWrite(by, as[i].UnitCode) {
			as[i].forReaders()
		}
	}
	return as, total, err
}

// Stamp is the version of the public pages of a unit ("" all units) now:
// the caching's validator (see Store.Stamp).
func (s *Service) Stamp(ctx context.Context, unitCode string) (string, error) {
	return s.Store.Stamp(ctx, Filter{UnitCode: unitCode}, s.Now())
}

// Related returns up to n articles readers may see next to a.
func (s *Service) Related(ctx context.Context, a *Article, n int) ([]Article, error) {
	as, err := s.Store.Related(ctx, a, s.Now(), n)
	as = slices.Clone(as) // the store may keep its answer: cleared on a copy
	for i := range as {
		as[i].forReaders()
	}
	return as, err
}
