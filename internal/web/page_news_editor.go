package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/news"
)

// newsPageRoutes are the news' pages: the public list, feeds, pictures and
// articles (cached, etag.go), then the pages of the unit's writers
// (leaders and administrators): the list with the review queue, the form
// with its preview, the decisions, the categories and the pictures.
func (s *Server) newsPageRoutes(mux router) {
	mux.HandleFunc("GET /tin-tuc", s.newsList)
	mux.HandleFunc("GET /tin-tuc/rss.xml", s.feed("rss"))
	mux.HandleFunc("GET /tin-tuc/atom.xml", s.feed("atom"))
	mux.HandleFunc("GET /tin-tuc/anh/{sum}", s.newsImage)
	mux.HandleFunc("GET /tin-tuc/{slug}", s.newsArticle)
	mux.HandleFunc("GET /quan-ly-tin", s.newsEditorList)
	mux.HandleFunc("GET /quan-ly-tin/viet", s.newsNewPage)
	mux.HandleFunc("POST /quan-ly-tin/viet", formLimit(s.newsNewPost))
	mux.HandleFunc("POST /quan-ly-tin/xem-truoc", formLimit(s.newsPreview))
	mux.HandleFunc("POST /quan-ly-tin/chuyen-muc", formLimit(s.newsCategoryPost))
	mux.HandleFunc("POST /quan-ly-tin/anh", s.newsImagePost) // the picture: bounded in the handler
	mux.HandleFunc("GET /quan-ly-tin/{id}", s.newsEditPage)
	mux.HandleFunc("POST /quan-ly-tin/{id}", formLimit(s.newsEditPost))
	mux.HandleFunc("POST /quan-ly-tin/{id}/{action}", formLimit(s.newsReviewPost))
}

// newsWriter is the signed-in writer of the request, or the failure page.
func (s *Server) newsWriter(w http.ResponseWriter, r *http.Request) (ok bool) {
	a, err := requireUser(r)
	if err == nil && !news.CanWrite(a, a.UnitCode) {
		err = apperr.Forbidden("Chỉ lãnh đạo và quản trị của đơn vị viết tin bài", "only the unit's leaders and administrators write articles")
	}
	if err != nil {
		s.pageFail(w, r, err)
		return false
	}
	return true
}

type newsEditorListData struct {
	Status     string
	Statuses   []news.Status
	Rows       []newsRow
	Categories []news.Category
	Image      string // the address of a picture just uploaded
	CanReview  bool
}

// newsEditorList lists the unit's articles, last changed first; a leader
// opens it on the review queue (?status=review).
func (s *Server) newsEditorList(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	a := actor(r)
	q := r.URL.Query()
	d := newsEditorListData{Status: q.Get("status"), Statuses: []news.Status{news.Draft, news.InReview, news.Published, news.Rejected},
		CanReview: news.CanReview(a, a.UnitCode)}
	if img := q.Get("anh"); news.IsImagePath(img) {
		d.Image = img
	}
	cats, names, err := s.categoryNames(r, a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	as, _, err := s.News().List(r.Context(), a, news.Filter{Status: news.Status(d.Status), Limit: 100}, true)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Categories = cats
	for i := range as {
		d.Rows = append(d.Rows, newsRow{&as[i], "/quan-ly-tin/" + strconv.FormatInt(as[i].ID, 10), names[as[i].Category]})
	}
	p := s.newPage(w, r, "newsdesk", "news.desk.title")
	switch q.Get("ok") {
	case "category":
		p.Flash = p.t("news.desk.category_added")
	case "image":
		p.Flash = p.t("news.desk.image_added")
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "news_desk", p)
}

// newsForm is the form of an article, as typed.
type newsForm struct {
	Title, Summary, Body, Category, Cover string
	PublishAt, ExpireAt                   string // datetime-local, Hà Nội time
}

const formTime = "2006-01-02T15:04"

func newsFormOf(a *news.Article) newsForm {
	f := newsForm{Title: a.Title, Summary: a.Summary, Body: a.Body, Category: a.Category, Cover: a.Cover}
	if !a.PublishAt.IsZero() {
		f.PublishAt = a.PublishAt.In(calendar.Zone).Format(formTime)
	}
	if !a.ExpireAt.IsZero() {
		f.ExpireAt = a.ExpireAt.In(calendar.Zone).Format(formTime)
	}
	return f
}

// input reads the form into the service's input.
func (f newsForm) input() (news.Input, error) {
	in := news.Input{Title: f.Title, Summary: f.Summary, Body: f.Body, Category: f.Category, Cover: f.Cover}
	for _, t := range []struct {
		field, v string
		dst      **time.Time
	}{{"publish_at", f.PublishAt, &in.PublishAt}, {"expire_at", f.ExpireAt, &in.ExpireAt}} {
		if t.v == "" {
			continue
		}
		at, err := time.ParseInLocation(formTime, t.v, calendar.Zone)
		if err != nil {
			return in, apperr.Invalid(t.field, "Thời điểm không hợp lệ (ngày và giờ)", "invalid time (date and hour)")
		}
		*t.dst = &at
	}
	return in, nil
}

func readNewsForm(r *http.Request) newsForm {
	get := r.PostFormValue
	return newsForm{Title: get("title"), Summary: get("summary"), Body: get("body"), Category: get("category"), Cover: get("cover"),
		PublishAt: get("publish_at"), ExpireAt: get("expire_at")}
}

type newsEditData struct {
	Form       newsForm
	Article    *news.Article // nil for a new one
	Categories []news.Category
	Preview    template.HTML
	Error      string
	CanReview  bool
	Actions    []string
}

func (s *Server) renderNewsForm(w http.ResponseWriter, r *http.Request, status int, d newsEditData) {
	a := actor(r)
	cats, _, err := s.categoryNames(r, a.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Categories, d.CanReview = cats, news.CanReview(a, a.UnitCode)
	d.Preview = template.HTML(news.Render(d.Form.Body))
	if d.Article != nil {
		d.Actions = newsActions(a.Username, d.CanReview, d.Article)
	}
	p := s.newPage(w, r, "newsdesk", "news.edit.title")
	if ok := r.URL.Query().Get("ok"); r.Method == http.MethodGet && (ok == "saved" || ok == news.Submit || ok == news.Approve || ok == news.Reject) {
		p.Flash = p.t("news.edit.ok." + ok)
	}
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, status, "news_edit", p)
}

// newsActions are the decisions the page offers on an article (the service
// checks them again).
func newsActions(username string, canReview bool, a *news.Article) []string {
	var out []string
	if a.Status == news.Draft || a.Status == news.Rejected {
		out = append(out, news.Submit)
	}
	if canReview && (a.Status == news.InReview || (a.Status == news.Draft && a.Author == username)) {
		out = append(out, news.Approve)
	}
	if canReview && a.Status == news.InReview {
		out = append(out, news.Reject)
	}
	return out
}

func (s *Server) newsNewPage(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	s.renderNewsForm(w, r, http.StatusOK, newsEditData{})
}

func (s *Server) newsNewPost(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	f := readNewsForm(r)
	in, err := f.input()
	if err == nil {
		in.Submit = r.PostFormValue("submit") == "1"
		var a *news.Article
		if a, err = s.News().Create(r.Context(), actor(r), in); err == nil {
			http.Redirect(w, r, "/quan-ly-tin/"+strconv.FormatInt(a.ID, 10)+"?ok=saved", http.StatusSeeOther)
			return
		}
	}
	s.newsFormFailed(w, r, newsEditData{Form: f}, err)
}

// newsFormFailed shows the form again with what was typed and why it was
// refused; anything but a refusal is a failure page.
func (s *Server) newsFormFailed(w http.ResponseWriter, r *http.Request, d newsEditData, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.ENOTFOUND || e.Code == apperr.EUNAUTHORIZED {
		s.pageFail(w, r, err)
		return
	}
	d.Error = s.ui.cat[requestLang(w, r)].pick(e.Message, e.MessageEn)
	s.renderNewsForm(w, r, statusOf[e.Code], d)
}

// newsOfPath is the article of the path for the unit's writer.
func (s *Server) newsOfPath(w http.ResponseWriter, r *http.Request) (*news.Article, bool) {
	if !s.newsWriter(w, r) {
		return nil, false
	}
	id, err := pathID(r)
	if err == nil {
		var a *news.Article
		if a, err = s.News().Get(r.Context(), actor(r), id); err == nil && news.CanWrite(actor(r), a.UnitCode) {
			return a, true
		}
	}
	if err == nil {
		err = apperr.NotFound("Không tìm thấy bài viết", "article not found")
	}
	s.pageFail(w, r, err)
	return nil, false
}

func (s *Server) newsEditPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.newsOfPath(w, r)
	if !ok {
		return
	}
	d := newsEditData{Form: newsFormOf(a), Article: a}
	s.renderNewsForm(w, r, http.StatusOK, d)
}

func (s *Server) newsEditPost(w http.ResponseWriter, r *http.Request) {
	a, ok := s.newsOfPath(w, r)
	if !ok {
		return
	}
	f := readNewsForm(r)
	in, err := f.input()
	if err == nil {
		in.Submit = r.PostFormValue("submit") == "1"
		if _, err = s.News().Edit(r.Context(), actor(r), a.ID, in); err == nil {
			http.Redirect(w, r, "/quan-ly-tin/"+strconv.FormatInt(a.ID, 10)+"?ok=saved", http.StatusSeeOther)
			return
		}
	}
	s.newsFormFailed(w, r, newsEditData{Form: f, Article: a}, err)
}

func (s *Server) newsReviewPost(w http.ResponseWriter, r *http.Request) {
	a, ok := s.newsOfPath(w, r)
	if !ok {
		return
	}
	action := r.PathValue("action")
	if _, err := s.News().Review(r.Context(), actor(r), a.ID, action, r.PostFormValue("reason")); err != nil {
		s.newsFormFailed(w, r, newsEditData{Form: newsFormOf(a), Article: a}, err)
		return
	}
	http.Redirect(w, r, "/quan-ly-tin/"+strconv.FormatInt(a.ID, 10)+"?ok="+url.QueryEscape(action), http.StatusSeeOther)
}

// newsPreview renders the typed body for the form's preview (htmx).
func (s *Server) newsPreview(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	securityHeaders(h)
	_, _ = io.WriteString(w, news.Render(r.PostFormValue("body")))
}

func (s *Server) newsCategoryPost(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	if _, err := s.News().AddCategory(r.Context(), actor(r), r.PostFormValue("name")); err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-ly-tin?ok=category", http.StatusSeeOther)
}

// newsImagePost takes one picture ("image", multipart) and shows its
// Markdown on the list page.
func (s *Server) newsImagePost(w http.ResponseWriter, r *http.Request) {
	if !s.newsWriter(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxNewsImage+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		s.pageFail(w, r, apperr.Invalid("image", "Chọn một ảnh JPEG hoặc PNG", "choose a JPEG or PNG picture"))
		return
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "image" {
		s.pageFail(w, r, apperr.Invalid("image", "Chọn một ảnh JPEG hoặc PNG", "choose a JPEG or PNG picture"))
		return
	}
	img, err := s.putNewsImage(r, actor(r), part)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = apperr.New(apperr.ETOOLARGE, "Ảnh lớn quá 5 MB", "the picture is larger than 5 MB")
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-ly-tin?ok=image&anh="+url.QueryEscape(img), http.StatusSeeOther)
}
