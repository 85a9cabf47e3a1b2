package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageFiles names the templates of each page besides the shared layout and
// partials: an explicit list, so that a page never picks up another page's
// "content" by accident.
var pageFiles = map[string][]string{
	"home":               {"home.html"},
	"catalogue":          {"catalogue.html"},
	"procedure":          {"procedure.html"},
	"lookup":             {"lookup.html"},
	"payment":            {"payment.html"},
	"signin":             {"signin.html"},
	"sessions":           {"sessions.html", "sessions_table.html"},
	"queue":              {"queue.html"},
	"mywork":             {"mywork.html"},
	"mine":               {"mine.html"},
	"profile":            {"profile.html"},
	"dossier":            {"dossier.html", "dossier_actions.html"},
	"counter":            {"counter.html"},
	"receipt":            {"receipt.html"},
	"submit":             {"submit.html"},
	"review":             {"review.html"},
	"dashboard":          {"dashboard.html"},
	"index_unit":         {"index_unit.html"},
	"index_ranking":      {"index_ranking.html"},
	"index_explain":      {"index_explain.html"},
	"evaluation":         {"evaluation.html", "evaluation_entry.html"},
	"evaluation_officer": {"evaluation_officer.html", "evaluation_entry.html"},
	"targets":            {"targets.html", "target_fields.html"},
	"target":             {"target.html", "target_fields.html"},
	"reports":            {"reports.html"},
	"error":              {"error.html"},
	"notifyoff":          {"notify_off.html"},
	"kiosk":              {"kiosk.html"},
	"ticket":             {"ticket.html"},
	"booking":            {"booking.html"},
	"board":              {"board.html"},
	"desk":               {"desk.html"},
	"tablet":             {"tablet.html"},
	"deskstats":          {"deskstats.html"},

	"petition_submit":  {"petition_submit.html"},
	"petition_receipt": {"petition_receipt.html"},
	"petition_follow":  {"petition_follow.html"},
	"petition_queue":   {"petition_queue.html"},
	"petition":         {"petition.html", "petition_actions.html"},
	"petition_answers": {"petition_answers.html"},
	"petition_answer":  {"petition_answer.html"},

	"civil_books":    {"civil_books.html", "civil_tabs.html"},
	"civil_book":     {"civil_book.html", "civil_tabs.html"},
	"civil_entry":    {"civil_entry.html", "civil_tabs.html"},
	"civil_progress": {"civil_progress.html", "civil_tabs.html"},
	"civil_reads":    {"civil_reads.html", "civil_tabs.html"},
	"civil_search":   {"civil_search.html", "civil_tabs.html"},
	"civil_record":   {"civil_record.html", "civil_tabs.html"},
	"civil_verify":   {"civil_verify.html", "civil_tabs.html"},
	"civil_dups":     {"civil_dups.html", "civil_tabs.html"},
	"civil_dup":      {"civil_dup.html", "civil_tabs.html"},
	"news_list":      {"news_list.html"},
	"news_article":   {"news_article.html"},
	"news_desk":      {"news_desk.html"},
	"news_edit":      {"news_edit.html"},

	"group":           {"group.html"},
	"group_confirm":   {"group_confirm.html"},
	"group_off":       {"group_off.html"},
	"announcements":   {"announcements.html"},
	"pubstats_index":  {"pubstats_index.html"},
	"pubstats":        {"pubstats.html", "pubstats_parts.html"},
	"pubstats_widget": {"pubstats_widget.html", "pubstats_parts.html"},
	"population_log":  {"population_log.html"},

	"admin":             {"admin.html", "admin_tabs.html"},
	"admin_groups":      {"admin_groups.html", "admin_tabs.html"},
	"admin_users":       {"admin_users.html", "admin_tabs.html"},
	"admin_user":        {"admin_user.html", "admin_tabs.html", "sessions_table.html"},
	"admin_departments": {"admin_departments.html", "admin_tabs.html"},
	"admin_procedures":  {"admin_procedures.html", "admin_tabs.html"},
	"admin_procedure":   {"admin_procedure.html", "admin_tabs.html"},
	"admin_hours":       {"admin_hours.html", "admin_tabs.html"},
	"admin_calendar":    {"admin_calendar.html", "admin_tabs.html"},
	"admin_outbox":      {"admin_outbox.html", "admin_tabs.html"},
	"admin_webhooks":    {"admin_webhooks.html", "admin_tabs.html"},
	"admin_notify":      {"admin_notify.html", "admin_tabs.html"},
}

// ui is what the pages share: templates per language and page, message
// catalogues and static files.
type ui struct {
	pages  map[string]map[string]*template.Template // lang → page → template
	cat    map[string]*catalog
	assets map[string]asset
}

func loadUI() (*ui, error) {
	u := &ui{pages: map[string]map[string]*template.Template{}}
	var err error
	if u.cat, err = loadCatalogs(); err != nil {
		return nil, err
	}
	if u.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	for _, l := range languages {
		u.pages[l] = map[string]*template.Template{}
		for name, files := range pageFiles {
			t := template.New(name).Funcs(u.funcs(u.cat[l]))
			files = append([]string{"templates/layout.html", "templates/partials.html"}, prefix("templates/", files)...)
			if t, err = t.ParseFS(templateFS, files...); err != nil {
				return nil, fmt.Errorf("page %s: %w", name, err)
			}
			u.pages[l][name] = t
		}
	}
	return u, nil
}

func prefix(p string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = p + n
	}
	return out
}

// page is what every template receives; Data holds the page's own values.
type page struct {
	Name     string // the page's template, also on <body> for tests and styles
	Lang     string
	Title    string
	User     auth.Actor
	UnitName string
	UnitKind string // of the officer's unit: a residential group's leader has no commune menu
	AltLang  string // this page in the other language
	Nav      string // the active menu entry
	Scripts  []string
	// HeadScripts run before the page is painted (not deferred): what
	// must apply before the first paint, such as the reader's text size.
	HeadScripts []string
	Flash       string
	Data        any

	c *catalog
}

// newPage starts a page for the request: language, user, menu.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, nav, titleKey string, args ...any) *page {
	l := requestLang(w, r)
	p := &page{Lang: l, User: actor(r), Nav: nav, c: s.ui.cat[l]}
	p.Title = p.c.T(titleKey, args...)
	p.setAlt(r.URL.Path, r.URL.Query())
	if p.User.IsOfficer() {
		if u, err := s.DB.Unit(r.Context(), p.User.UnitCode); err == nil {
			p.UnitName, p.UnitKind = u.FullName, u.Kind
		}
	}
	return p
}

// setAlt points the language switch at path with query q; a page answering
// a POST points it at the page the form came from.
func (p *page) setAlt(path string, q url.Values) {
	q = maps.Clone(q)
	if q == nil {
		q = url.Values{}
	}
	if p.Lang == langEN {
		q.Set("lang", langVI)
	} else {
		q.Set("lang", langEN)
	}
	p.AltLang = path + "?" + q.Encode()
}

// t translates in the page's language, for handlers.
func (p *page) t(key string, args ...any) string { return p.c.T(key, args...) }

// securityHeaders keep the pages to their own scripts and styles: nothing
// inline, nothing from elsewhere, no framing.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "same-origin")
}

// render writes the page, or only its "results" block for an htmx request
// that targets it, so that filtering a list swaps the list alone.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	body, err := s.pageBytes(w, r, name, p)
	if err != nil {
		http.Error(w, p.c.pick("Lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// pageBytes executes the page (or its "results" block, see render) and
// sets the headers of an HTML page but its caching, which the caller
// chooses (render: never; writeCached: public pages for the anonymous).
func (s *Server) pageBytes(w http.ResponseWriter, r *http.Request, name string, p *page) ([]byte, error) {
	block := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" && s.ui.pages[p.Lang][name].Lookup("results") != nil {
		block = "results"
	}
	body, err := s.runBlock(name, block, p)
	if err != nil {
		return nil, err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "HX-Request, Cookie")
	securityHeaders(h)
	if o := s.paymentOrigin(); o != "" { // the pay button's form leads on to the gateway
		h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "form-action 'self'", "form-action 'self' "+o, 1))
	}
	return body, nil
}

// runBlock runs one block of a page's template.
func (s *Server) runBlock(name, block string, p *page) ([]byte, error) {
	p.Name = name
	var buf bytes.Buffer
	if err := s.ui.pages[p.Lang][name].ExecuteTemplate(&buf, block, p); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		return nil, err
	}
	return buf.Bytes(), nil
}

// execute runs a block of a page's template, or answers the failure and
// returns false.
func (s *Server) execute(w http.ResponseWriter, name, block string, p *page) ([]byte, bool) {
	body, err := s.runBlock(name, block, p)
	if err != nil {
		http.Error(w, p.c.pick("Lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later"), http.StatusInternalServerError)
		return nil, false
	}
	return body, true
}

// pageFail shows err as a page: a sign-in for the anonymous, the message in
// the reader's language for the rest.
func (s *Server) pageFail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e == nil {
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.EINTERNAL, "Lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later")
	}
	if e.Code == apperr.EUNAUTHORIZED {
		redirectSignin(w, r)
		return
	}
	p := s.newPage(w, r, "", "error.title."+e.Code)
	p.Data = p.c.pick(e.Message, e.MessageEn)
	s.render(w, r, statusOf[e.Code], "error", p)
}

func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	s.pageFail(w, r, apperr.NotFound("Không tìm thấy trang này", "page not found"))
}

// redirectSignin sends the visitor to sign in and back here afterwards.
func redirectSignin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// localPath keeps a redirect target on this site: a path, never a scheme or
// another host ("//evil.example" included).
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return ""
	}
	return s
}

// officer returns the caller if an officer, or an error page's error.
func officer(r *http.Request) (auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return a, err
	}
	if !a.IsOfficer() {
		return a, apperr.Forbidden("Trang này dành cho cán bộ", "this page is for officers")
	}
	return a, nil
}

// now is the server's clock.
func (s *Server) now() time.Time { return s.Now() }
