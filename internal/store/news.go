package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/news"
)

// News is the portal's news store; it satisfies news.Store.
type News struct{ DB *DB }

const newsCols = `id, unit_code, slug, title, summary, body, category, cover, status, publish_at, expire_at, author, author_name,
	reviewer, reason, reviewed_at, views, created_at, updated_at, version`

// newsListCols are newsCols for lists: the body's start only (the feeds'
// summary of an article without one), not its whole text.
var newsListCols = strings.Replace(newsCols, " body,", " SUBSTR(body, 1, 400),", 1)

var errArticleNotFound = apperr.NotFound("Không tìm thấy bài viết", "article not found")

func scanArticle(sc scanner) (*news.Article, error) {
	var a news.Article
	var pub, exp, rev, created, updated int64
	err := sc.Scan(&a.ID, &a.UnitCode, &a.Slug, &a.Title, &a.Summary, &a.Body, &a.Category, &a.Cover, &a.Status, &pub, &exp,
		&a.Author, &a.AuthorName, &a.Reviewer, &a.Reason, &rev, &a.Views, &created, &updated, &a.Version)
	if err != nil {
		return nil, err
	}
	a.PublishAt, a.ExpireAt, a.ReviewedAt = fromMicros(pub), fromMicros(exp), fromMicros(rev)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &a, nil
}

// searchText is what the full-text index holds of an article: the folded
// words of its title, summary and body.
func searchText(a *news.Article) string {
	return strings.Join(news.Words(a.Title+" "+a.Summary+" "+a.Body), " ")
}

// Categories lists a unit's categories by name.
func (s News) Categories(ctx context.Context, unitCode string) ([]news.Category, error) {
	var out []news.Category
	err := s.DB.foldQuery(ctx, `SELECT id, unit_code, slug, name, created_at FROM news_categories WHERE unit_code = ? ORDER BY name, id`,
		[]any{unitCode}, func(sc scanner) error {
			var c news.Category
			var at int64
			if err := sc.Scan(&c.ID, &c.UnitCode, &c.Slug, &c.Name, &at); err != nil {
				return err
			}
			c.CreatedAt = fromMicros(at)
			out = append(out, c)
			return nil
		})
	return out, err
}

// AddCategory writes a category; a slug the unit has already is a conflict.
func (s News) AddCategory(ctx context.Context, c *news.Category) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `INSERT INTO news_categories (unit_code, slug, name, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			c.UnitCode, c.Slug, c.Name, micros(c.CreatedAt)).Scan(&c.ID)
		if apperr.Code(normalize(err)) == apperr.ECONFLICT {
			return apperr.Conflict("Đơn vị đã có chuyên mục này", "the unit has this category already")
		}
		return normalize(err)
	})
}

// Create writes the article under the first free slug of its unit: its
// own, then with "-2", "-3"… (read in the write's transaction, which the
// unique key backs).
func (s News) Create(ctx context.Context, a *news.Article) error {
	defer s.DB.newsStamps.changed()
	return s.DB.inTx(ctx, func(tx *Tx) error {
		taken, err := column[string](tx.query(ctx, `SELECT slug FROM news_articles WHERE unit_code = ? AND (slug = ? OR slug LIKE ?)`,
			a.UnitCode, a.Slug, a.Slug+"-%"))
		if err != nil {
			return err
		}
		a.Slug = freeSlug(a.Slug, taken)
		return normalize(tx.queryRow(ctx, `INSERT INTO news_articles (unit_code, slug, title, summary, body, category, cover, status,
			publish_at, expire_at, author, author_name, reviewer, reason, reviewed_at, views, created_at, updated_at, version, search_text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.UnitCode, a.Slug, a.Title, a.Summary, a.Body, a.Category, a.Cover, a.Status, micros(a.PublishAt), micros(a.ExpireAt),
			a.Author, a.AuthorName, a.Reviewer, a.Reason, micros(a.ReviewedAt), a.Views, micros(a.CreatedAt), micros(a.UpdatedAt),
			a.Version, searchText(a)).Scan(&a.ID))
	})
}

// freeSlug is slug, or slug-N with the smallest N ≥ 2 not taken.
func freeSlug(slug string, taken []string) string {
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	out := slug
	for n := 2; used[out]; n++ {
		out = slug + "-" + strconv.Itoa(n)
	}
	return out
}

// Update loads the article, lets fn change it and writes it with its
// version checked, so that a change made meanwhile on another connection
// or server makes this one a conflict.
func (s News) Update(ctx context.Context, id int64, fn func(a *news.Article) error) (*news.Article, error) {
	defer s.DB.newsStamps.changed()
	var out *news.Article
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		a, err := scanArticle(tx.queryRow(ctx, `SELECT `+newsCols+` FROM news_articles WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errArticleNotFound
		}
		if err != nil {
			return normalize(err)
		}
		old := a.Version
		if err := fn(a); err != nil {
			return err
		}
		a.Version = old + 1
		res, err := tx.exec(ctx, `UPDATE news_articles SET title = ?, summary = ?, body = ?, category = ?, cover = ?, status = ?,
			publish_at = ?, expire_at = ?, reviewer = ?, reason = ?, reviewed_at = ?, updated_at = ?, version = ?, search_text = ?
			WHERE id = ? AND version = ?`,
			a.Title, a.Summary, a.Body, a.Category, a.Cover, a.Status, micros(a.PublishAt), micros(a.ExpireAt), a.Reviewer, a.Reason,
			micros(a.ReviewedAt), micros(a.UpdatedAt), a.Version, searchText(a), a.ID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Conflict("Bài viết vừa được người khác sửa, vui lòng tải lại", "the article was changed meanwhile, please reload")
		}
		a.Views += s.DB.newsViews.pending(a.ID)
		out = a
		return nil
	})
	return out, err
}

// Get returns the article of id with the views not yet written.
func (s News) Get(ctx context.Context, id int64) (*news.Article, error) {
	return s.one(ctx, `SELECT `+newsCols+` FROM news_articles WHERE id = ?`, id)
}

// BySlug returns a unit's article by its slug; with no unit, the latest
// article of that slug visible at now in any unit (a province's portal),
// else the latest published: an article scheduled later, or expired, in
// another unit must not hide the one readers may see.
func (s News) BySlug(ctx context.Context, unitCode, slug string, now time.Time) (*news.Article, error) {
	if unitCode != "" {
		return s.one(ctx, `SELECT `+newsCols+` FROM news_articles WHERE unit_code = ? AND slug = ?`, unitCode, slug)
	}
	n := micros(now)
	return s.one(ctx, `SELECT `+newsCols+` FROM news_articles WHERE slug = ?
		ORDER BY CASE WHEN `+visibleCond+` THEN 0 ELSE 1 END, status = 'published' DESC, publish_at DESC, id DESC LIMIT 1`, slug, n, n)
}

func (s News) one(ctx context.Context, query string, args ...any) (*news.Article, error) {
	a, err := scanArticle(s.DB.queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errArticleNotFound
	}
	if err != nil {
		return nil, normalize(err)
	}
	a.Views += s.DB.newsViews.pending(a.ID)
	return a, nil
}

// visibleCond is the visibility rule (news.Article.Visible) in SQL, with
// now given twice.
const visibleCond = `status = 'published' AND publish_at <= ? AND (expire_at = 0 OR expire_at > ?)`

// where builds the conditions of f, every value bound.
func (s News) where(f news.Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds, args = append(conds, c), append(args, a...) }
	if f.UnitCode != "" {
		add(`unit_code = ?`, f.UnitCode)
	}
	if f.Category != "" {
		add(`category = ?`, f.Category)
	}
	if f.Status != "" {
		add(`status = ?`, string(f.Status))
	}
	if f.Author != "" {
		add(`author = ?`, f.Author)
	}
	if !f.VisibleAt.IsZero() {
		add(visibleCond, micros(f.VisibleAt), micros(f.VisibleAt))
	}
	if q := s.match(news.Words(f.Q)); q != "" {
		if s.DB.Engine == Postgres {
			add(`to_tsvector('simple', search_text) @@ to_tsquery('simple', ?)`, q)
		} else {
			add(`id IN (SELECT rowid FROM news_fts WHERE news_fts MATCH ?)`, q)
		}
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// maxNewsSearchWords bounds the words of a search.
const maxNewsSearchWords = 8

// match is the engine's full-text query for words (folded, letters and
// digits only, so nothing in them is syntax): every word must begin a word
// of the article. "" for no words.
func (s News) match(words []string) string {
	if len(words) > maxNewsSearchWords {
		words = words[:maxNewsSearchWords]
	}
	parts := make([]string, len(words))
	for i, w := range words {
		if s.DB.Engine == Postgres {
			parts[i] = w + ":*"
		} else {
			parts[i] = `"` + w + `"*`
		}
	}
	if s.DB.Engine == Postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

// List returns a page of the articles of f and their count: visible ones
// newest published first, an editor's list last changed first.
func (s News) List(ctx context.Context, f news.Filter) ([]news.Article, int, error) {
	cond, args := s.where(f)
	var total int
	if err := s.DB.queryRow(ctx, `SELECT COUNT(*) FROM news_articles WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(err)
	}
	order := `updated_at DESC, id DESC`
	if !f.VisibleAt.IsZero() {
		order = `publish_at DESC, id DESC`
	}
	out, err := s.page(ctx, `SELECT `+newsListCols+` FROM news_articles WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, news.PageLimit(f.Limit), max(f.Offset, 0)))
	return out, total, err
}

func (s News) page(ctx context.Context, query string, args []any) ([]news.Article, error) {
	var out []news.Article
	err := s.DB.foldQuery(ctx, query, args, func(sc scanner) error {
		a, err := scanArticle(sc)
		if err != nil {
			return err
		}
		a.Views += s.DB.newsViews.pending(a.ID)
		out = append(out, *a)
		return nil
	})
	return out, err
}

// Stamp is the version of what the public pages of f show at now: the
// latest change of any of its articles, the latest publication time and
// expiry already passed (they change when the clock crosses a schedule,
// which no write marks), and the number of visible articles. Each is read
// off an index.
func (s News) Stamp(ctx context.Context, f news.Filter, now time.Time) (string, error) {
	if v, ok := s.DB.newsStamps.get("stamp:"+f.UnitCode, now); ok {
		return v.(string), nil
	}
	gen := s.DB.newsStamps.generation()
	unit, args := "", []any{}
	if f.UnitCode != "" {
		unit = "unit_code = ? AND "
	}
	arg := func(a ...any) {
		if f.UnitCode != "" {
			args = append(args, f.UnitCode)
		}
		args = append(args, a...)
	}
	n := micros(now)
	arg()
	arg(n)
	arg(n)
	arg(n, n)
	var upd, pub, exp, count int64
	err := s.DB.queryRow(ctx, `SELECT
		(SELECT COALESCE(MAX(updated_at), 0) FROM news_articles WHERE `+unit+`1 = 1),
		(SELECT COALESCE(MAX(publish_at), 0) FROM news_articles WHERE `+unit+`status = 'published' AND publish_at <= ?),
		(SELECT COALESCE(MAX(expire_at), 0) FROM news_articles WHERE `+unit+`status = 'published' AND expire_at > 0 AND expire_at <= ?),
		(SELECT COUNT(*) FROM news_articles WHERE `+unit+visibleCond+`)`, args...).Scan(&upd, &pub, &exp, &count)
	if err != nil {
		return "", normalize(err)
	}
	v := strconv.FormatInt(upd, 36) + "." + strconv.FormatInt(pub, 36) + "." + strconv.FormatInt(exp, 36) + "." + strconv.FormatInt(count, 36)
	s.DB.newsStamps.put("stamp:"+f.UnitCode, now, gen, v)
	return v, nil
}

// Related returns up to n articles of the same unit visible at now that
// share the article's category or a word of its title: candidates are the
// category's latest and the full-text matches of any title word, ranked by
// shared title words (two points each) and the same category (one).
func (s News) Related(ctx context.Context, a *news.Article, now time.Time, n int) ([]news.Article, error) {
	key := "related:" + strconv.FormatInt(a.ID, 10) + ":" + strconv.Itoa(n)
	if v, ok := s.DB.newsStamps.get(key, now); ok {
		return v.([]news.Article), nil
	}
	gen := s.DB.newsStamps.generation()
	out, err := s.related(ctx, a, now, n)
	if err == nil {
		s.DB.newsStamps.put(key, now, gen, out)
	}
	return out, err
}

func (s News) related(ctx context.Context, a *news.Article, now time.Time, n int) ([]news.Article, error) {
	f := news.Filter{UnitCode: a.UnitCode, Category: a.Category, VisibleAt: now, Limit: 20}
	cands, _, err := s.List(ctx, f)
	if err != nil {
		return nil, err
	}
	words := titleWords(a.Title)
	if len(words) > 0 {
		var alt []string
		for _, w := range words {
			if s.DB.Engine == Postgres {
				alt = append(alt, w)
			} else {
				alt = append(alt, `"`+w+`"`)
			}
		}
		sep := " OR "
		if s.DB.Engine == Postgres {
			sep = " | "
		}
		cond, args := s.where(news.Filter{UnitCode: a.UnitCode, VisibleAt: now})
		if s.DB.Engine == Postgres {
			cond += ` AND to_tsvector('simple', search_text) @@ to_tsquery('simple', ?)`
		} else {
			cond += ` AND id IN (SELECT rowid FROM news_fts WHERE news_fts MATCH ?)`
		}
		more, err := s.page(ctx, `SELECT `+newsListCols+` FROM news_articles WHERE `+cond+` ORDER BY publish_at DESC, id DESC LIMIT 20`,
			append(args, strings.Join(alt, sep)))
		if err != nil {
			return nil, err
		}
		cands = append(cands, more...)
	}
	return news.Rank(a, cands, n), nil
}

// titleWords are the words of a title worth matching: three letters or more
// (Vietnamese has many short, common syllables), at most eight.
func titleWords(title string) []string {
	var out []string
	for _, w := range news.Words(title) {
		if len(w) >= 3 && len(out) < maxNewsSearchWords {
			out = append(out, w)
		}
	}
	return out
}

// AddImage records that the unit uses an uploaded picture (its file is in
// the blob store already).
func (s News) AddImage(ctx context.Context, unitCode, sum, contentType string, size int64, by string) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO news_images (unit_code, sha256, content_type, size, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, unitCode, sum, contentType, size, by, s.DB.Now().UnixMicro())
		return err
	})
}

// Image returns the content type, size and time of a picture some unit
// uploaded for its articles.
func (s News) Image(ctx context.Context, sum string) (contentType string, size int64, at time.Time, err error) {
	var us int64
	err = s.DB.queryRow(ctx, `SELECT content_type, size, uploaded_at FROM news_images WHERE sha256 = ? ORDER BY uploaded_at LIMIT 1`, sum).
		Scan(&contentType, &size, &us)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, time.Time{}, apperr.NotFound("Không tìm thấy ảnh", "picture not found")
	}
	return contentType, size, fromMicros(us), normalize(err)
}

// ImageAccess tells who may see an uploaded picture at now: everyone when
// the cover or the body of an article visible then shows it (public), the
// writers of unitCode ("" none) when that unit uploaded it or one of its
// articles shows it (unit). A picture's sum is hexadecimal, so it has no
// LIKE wildcard in it.
func (s News) ImageAccess(ctx context.Context, sum, unitCode string, now time.Time) (public, unit bool, err error) {
	path, n := news.ImagePath(sum), micros(now)
	shows := `(cover = ? OR body LIKE ?)`
	err = s.DB.queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM news_articles WHERE `+visibleCond+` AND `+shows+`),
		EXISTS (SELECT 1 FROM news_images WHERE sha256 = ? AND unit_code = ?)
		OR EXISTS (SELECT 1 FROM news_articles WHERE unit_code = ? AND `+shows+`)`,
		n, n, path, "%"+path+"%", sum, unitCode, unitCode, path, "%"+path+"%").Scan(&public, &unit)
	return public, unit && unitCode != "", normalize(err)
}
