package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/store"
)

// News is the news service over the server's database and clock: the
// pages and the API call the same rules.
func (s *Server) News() *news.Service {
	return &news.Service{Store: store.News{DB: s.DB}, Now: s.now}
}

// newsView is an article as the API sends it: with its body's HTML.
type newsView struct {
	*news.Article
	HTML       string `json:"html,omitempty"`
	StatusName string `json:"status_name"`
	URL        string `json:"url"`
}

func newsViewOf(a *news.Article) newsView {
	return newsView{Article: a, HTML: news.Render(a.Body), StatusName: news.StatusName[a.Status][0], URL: articlePath(a)}
}

// articlePath is an article's public page.
func articlePath(a *news.Article) string {
	return "/tin-tuc/" + a.Slug + "?unit=" + a.UnitCode
}

// listNews: ?unit=, ?category=, ?q= (any accents), ?limit=, ?offset=. The
// visible articles for everyone; with ?editor=true (and ?status=) every
// article of the caller's unit, for its leaders and administrators.
func (s *Server) listNews(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := news.Filter{UnitCode: q.Get("unit"), Category: q.Get("category"), Q: q.Get("q"), Status: news.Status(q.Get("status"))}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				s.fail(w, r, apperr.Invalid(p.name, p.name+" phải là số nguyên không âm", p.name+" must be a non-negative integer"))
				return
			}
			*p.dst = n
		}
	}
	editor := q.Get("editor") == "true"
	if editor {
		if _, err := requireUser(r); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	as, total, err := s.News().List(r.Context(), actor(r), f, editor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]newsView, len(as))
	for i := range as {
		out[i] = newsViewOf(&as[i])
		out[i].Body, out[i].HTML = "", "" // a list sends summaries; the article has the text
	}
	writeJSON(w, http.StatusOK, map[string]any{"news": out, "total": total, "limit": news.PageLimit(f.Limit), "offset": f.Offset})
}

// getNews: GET /api/v1/news/{ref}?unit=, ref a slug or an id.
func (s *Server) getNews(w http.ResponseWriter, r *http.Request) {
	a, err := s.articleOfPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newsViewOf(a))
}

// articleOfPath finds the article a path names for the caller: by id when
// it is a number (slugs of titles made of digits only are then reached
// with ?unit=), else by slug in ?unit= (any unit without it).
func (s *Server) articleOfPath(r *http.Request) (*news.Article, error) {
	key, unit := r.PathValue("ref"), r.URL.Query().Get("unit")
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && unit == "" {
		return s.News().Get(r.Context(), actor(r), id)
	}
	return s.News().BySlug(r.Context(), actor(r), unit, key)
}

func (s *Server) createNews(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in news.Input
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	art, err := s.News().Create(r.Context(), a, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/news/"+strconv.FormatInt(art.ID, 10))
	writeJSON(w, http.StatusCreated, newsViewOf(art))
}

func (s *Server) updateNews(w http.ResponseWriter, r *http.Request) {
	changeArticle(s, w, r, func(a auth.Actor, id int64, in news.Input) (*news.Article, error) {
		return s.News().Edit(r.Context(), a, id, in)
	})
}

// newsReview is the body of POST /api/v1/news/{ref}/review.
type newsReview struct {
	Action string `json:"action"` // approve, reject, submit
	Reason string `json:"reason,omitempty"`
}

func (s *Server) reviewNews(w http.ResponseWriter, r *http.Request) {
	changeArticle(s, w, r, func(a auth.Actor, id int64, req newsReview) (*news.Article, error) {
		return s.News().Review(r.Context(), a, id, req.Action, req.Reason)
	})
}

// changeArticle is the shape of a change to the article of the path: the
// signed-in caller, the article (not found if the caller may not see it),
// the body decoded into B, then fn, answered with the changed article.
func changeArticle[B any](s *Server, w http.ResponseWriter, r *http.Request, fn func(a auth.Actor, id int64, body B) (*news.Article, error)) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	art, err := s.articleOfPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body B
	if err := decode(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if art, err = fn(a, art.ID, body); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newsViewOf(art))
}

// listNewsCategories: ?unit= (the caller's unit when signed in as an
// officer).
func (s *Server) listNewsCategories(w http.ResponseWriter, r *http.Request) {
	unit := r.URL.Query().Get("unit")
	if unit == "" {
		unit = actor(r).UnitCode
	}
	if unit == "" {
		s.fail(w, r, apperr.Invalid("unit", "Chọn đơn vị (unit)", "choose the unit (unit)"))
		return
	}
	cs, err := store.News{DB: s.DB}.Categories(r.Context(), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cs == nil {
		cs = []news.Category{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"categories": cs})
}

// newsCategoryRequest is the body of POST /api/v1/news/categories.
type newsCategoryRequest struct {
	Name string `json:"name"`
}

func (s *Server) addNewsCategory(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req newsCategoryRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.News().AddCategory(r.Context(), a, req.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// maxNewsImage bounds a picture of an article.
const maxNewsImage = 5 << 20

// uploadNewsImage takes a JPEG or PNG picture as the request's body (its
// type told by its first bytes), stores it in the file store and answers
// with its address for the Markdown body: ![text](url).
func (s *Server) uploadNewsImage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	url, err := s.putNewsImage(r, a, http.MaxBytesReader(w, r.Body, maxNewsImage+1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"url": url, "markdown": "![](" + url + ")"})
}

// putNewsImage checks and stores a picture for the actor's unit.
func (s *Server) putNewsImage(r *http.Request, a auth.Actor, body io.Reader) (string, error) {
	if !news.CanWrite(a, a.UnitCode) {
		return "", apperr.Forbidden("Chỉ lãnh đạo và quản trị của đơn vị viết tin bài", "only the unit's leaders and administrators write articles")
	}
	if s.Files == nil {
		return "", apperr.Conflict("Máy chủ chưa được cấu hình để nhận tệp", "this server does not take files")
	}
	br, got, err := sniff(body)
	if err != nil {
		return "", apperr.Invalid("body", "Không đọc được ảnh gửi lên", "the picture could not be read")
	}
	if got != "image/jpeg" && got != "image/png" {
		return "", apperr.Invalid("body", "Ảnh phải là JPEG hoặc PNG", "the picture must be a JPEG or a PNG")
	}
	info, err := s.Files.Put(r.Context(), br, maxNewsImage)
	var tooBig *http.MaxBytesError
	if errors.Is(err, blob.ErrTooLarge) || errors.As(err, &tooBig) {
		return "", apperr.New(apperr.ETOOLARGE, "Ảnh lớn quá 5 MB", "the picture is larger than 5 MB")
	}
	if err != nil {
		return "", err
	}
	if err := (store.News{DB: s.DB}).AddImage(r.Context(), a.UnitCode, info.SHA256, got, info.Size, a.Username); err != nil {
		return "", err
	}
	return news.ImagePath(info.SHA256), nil
}

// newsImage serves a picture of the articles. One a visible article shows
// is public and, named by its content, cached for good; one only drafts
// show (or none yet) goes to its unit's writers alone, never kept by a
// cache; to anyone else it does not exist.
func (s *Server) newsImage(w http.ResponseWriter, r *http.Request) {
	sum := strings.ToLower(r.PathValue("sum"))
	if !blob.ValidSum(sum) || s.Files == nil {
		s.pageNotFound(w, r)
		return
	}
	st, a := store.News{DB: s.DB}, actor(r)
	writerUnit := ""
	if news.CanWrite(a, a.UnitCode) {
		writerUnit = a.UnitCode
	}
	public, unit, err := st.ImageAccess(r.Context(), sum, writerUnit, s.now())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if !public && !unit {
		s.pageNotFound(w, r)
		return
	}
	ctype, _, at, err := st.Image(r.Context(), sum)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	body, err := s.Files.Open(r.Context(), sum)
	if err != nil {
		s.pageFail(w, r, errFileGone)
		return
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if !public {
		h.Set("Cache-Control", "private, no-store")
	}
	h.Set("ETag", `"`+sum+`"`)
	http.ServeContent(w, r, "", at, body)
}
