package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/civil"
)

// civilPageRoutes are the "Hộ tịch" pages of the unit's civil registrars and
// leaders: books and progress, entry from a scanned page, blind
// verification, search, records with their history and extracts,
// corrections and duplicates. The citizen's own extract hangs off the
// dossier page.
func (s *Server) civilPageRoutes(mux router) {
	mux.HandleFunc("GET /ho-tich", s.civilBooksPage)
	mux.HandleFunc("POST /ho-tich/so", formLimit(s.civilBookPost))
	mux.HandleFunc("GET /ho-tich/so/{id}", s.civilBookPage)
	mux.HandleFunc("GET /ho-tich/so/{id}/nhap", s.civilEntryPage)
	mux.HandleFunc("POST /ho-tich/so/{id}/nhap", formLimit(s.civilEntryPost))
	mux.HandleFunc("POST /ho-tich/so/{id}/anh", s.civilScanUpload) // multipart: bounded in the handler
	mux.HandleFunc("GET /ho-tich/tai-len/{ref}", s.civilPendingScan)
	mux.HandleFunc("GET /ho-tich/tien-do", s.civilProgressPage)
	mux.HandleFunc("GET /ho-tich/tim", s.civilSearchPage)
	mux.HandleFunc("GET /ho-tich/nhat-ky", s.civilReadsPage)
	mux.HandleFunc("GET /ho-tich/ban-ghi/{id}", s.civilRecordPage)
	mux.HandleFunc("GET /ho-tich/ban-ghi/{id}/anh", s.civilScanPage)
	mux.HandleFunc("GET /ho-tich/ban-ghi/{id}/trich-luc.pdf", s.civilExtractPage)
	mux.HandleFunc("GET /ho-tich/ban-ghi/{id}/doi-chieu", s.civilVerifyPage)
	mux.HandleFunc("POST /ho-tich/ban-ghi/{id}/doi-chieu", formLimit(s.civilVerifyPost))
	mux.HandleFunc("POST /ho-tich/ban-ghi/{id}/cai-chinh", formLimit(s.civilCorrectPost))
	mux.HandleFunc("POST /ho-tich/ban-ghi/{id}/cap", formLimit(s.civilIssuePost))
	mux.HandleFunc("GET /ho-tich/trung-lap", s.civilDuplicatesPage)
	mux.HandleFunc("GET /ho-tich/trung-lap/{id}", s.civilDuplicatePage)
	mux.HandleFunc("POST /ho-tich/trung-lap/{id}/{action}", formLimit(s.civilDuplicatePost))
	mux.HandleFunc("GET /ho-so/{code}/trich-luc.pdf", s.dossierExtractPage)
}

var errCivilPage = apperr.Forbidden("Trang này dành cho công chức tư pháp - hộ tịch và lãnh đạo của đơn vị", "this page is for the unit's civil registrars and leaders")

// civilActor is the caller of a "Hộ tịch" page: a registrar or a leader of
// their own unit. Province officers, administrators and other units'
// officers are refused: records are the commune's.
func civilActor(r *http.Request) (auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return a, err
	}
	if !civil.Reader(a, a.UnitCode) {
		return a, errCivilPage
	}
	return a, nil
}

// civilOption is one choice of a select.
type civilOption struct{ Value, Label string }

func civilKinds(c *catalog) []civilOption {
	out := make([]civilOption, 0, len(civil.Kinds))
	for _, k := range civil.Kinds {
		n := civil.KindName[k]
		out = append(out, civilOption{k, c.pick(n[0], n[1])})
	}
	return out
}

// civilBookRow is a book with its progress as the list shows it.
type civilBookRow struct {
	civil.Book
	KindName string
	Percent  int // verified of entered
}

func civilBookRowOf(c *catalog, b civil.Book) civilBookRow {
	n := civil.KindName[b.Kind]
	row := civilBookRow{Book: b, KindName: c.pick(n[0], n[1])}
	if b.Entered > 0 {
		row.Percent = int(b.Verified * 100 / b.Entered)
	}
	return row
}

type civilBooksData struct {
	Books     []civilBookRow
	Progress  civil.Progress
	Registrar bool
	Kinds     []civilOption
	Form      url.Values
	Errors    formErrors
}

// civilBooksPage lists the unit's books with their progress (entered,
// verified) and, for registrars, the form to open a book.
func (s *Server) civilBooksPage(w http.ResponseWriter, r *http.Request) {
	s.showCivilBooks(w, r, http.StatusOK, nil, formErrors{})
}

func (s *Server) showCivilBooks(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs formErrors) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	svc := s.Civil()
	books, err := svc.Books(r.Context(), a, "", 0)
	var prog civil.Progress
	if err == nil {
		prog, err = svc.Progress(r.Context(), a, a.UnitCode)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.books.title")
	d := civilBooksData{Progress: prog, Registrar: civil.Registrar(a, a.UnitCode), Kinds: civilKinds(p.c), Form: form, Errors: errs}
	for _, b := range books {
		d.Books = append(d.Books, civilBookRowOf(p.c, b))
	}
	if d.Form == nil {
		d.Form = url.Values{"year": {strconv.Itoa(s.now().In(calendar.Zone).Year())}, "origin": {civil.OriginPaper}}
	}
	p.Data = d
	s.render(w, r, status, "civil_books", p)
}

// civilBookPost opens a book of the registrar's unit.
func (s *Server) civilBookPost(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	f := r.PostForm
	year, _ := strconv.Atoi(f.Get("year"))
	b := &civil.Book{Kind: f.Get("kind"), Year: year, Number: f.Get("number"), Origin: f.Get("origin"), Note: f.Get("note")}
	if err := s.Civil().CreateBook(r.Context(), a, b); err != nil {
		s.civilFormFailed(w, r, err, []string{"kind", "year", "number", "origin", "note"}, func(errs formErrors) {
			s.showCivilBooks(w, r, statusOf[apperr.Code(err)], f, errs)
		})
		return
	}
	http.Redirect(w, r, "/ho-tich/so/"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
}

// civilFormFailed shows a form's error at its field, or the error page.
func (s *Server) civilFormFailed(w http.ResponseWriter, r *http.Request, err error, fields []string, show func(formErrors)) {
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, fields...)
	if !ok || apperr.Code(err) == apperr.EFORBIDDEN || apperr.Code(err) == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	show(errs)
}

type civilBookData struct {
	Book               civilBookRow
	Rows               []civilRow
	Registrar          bool
	Page, Pages, Total int
	PrevURL, NextURL   string
}

// civilRow is a record in a list: its principal and status.
type civilRow struct {
	R         civil.Record
	Name      string
	Birth     string
	Status    string
	KindName  string
	Matched   string
	BookEntry string
}

func civilRowOf(c *catalog, rec *civil.Record) civilRow {
	cur := rec.Current()
	row := civilRow{R: *rec}
	if p := cur.Principal(); p != nil {
		row.Name, row.Birth = p.FullName, civilDate(p.BirthDate)
	}
	st, k := civil.StatusName[rec.Status], civil.KindName[rec.Kind]
	row.Status, row.KindName = c.pick(st[0], st[1]), c.pick(k[0], k[1])
	return row
}

// civilDate writes a stored partial date as people read it: 12/03/1975,
// 03/1975 or 1975.
func civilDate(v string) string {
	switch len(v) {
	case 10:
		return v[8:] + "/" + v[5:7] + "/" + v[:4]
	case 7:
		return v[5:] + "/" + v[:4]
	}
	return v
}

const civilPageSize = 50

// civilBookPage shows a book: progress and its records, newest first.
func (s *Server) civilBookPage(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.pathCivilBook(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	d := civilBookData{Page: 1, Registrar: civil.Registrar(a, b.UnitCode)}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	hits, total, err := s.Civil().BookRecords(r.Context(), a, b, civilPageSize, (d.Page-1)*civilPageSize)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.book.title", b.Number, b.Year)
	d.Book = civilBookRowOf(p.c, *b)
	for i := range hits {
		d.Rows = append(d.Rows, civilRowOf(p.c, &hits[i].Record))
	}
	d.Total, d.Pages = total, max(1, (total+civilPageSize-1)/civilPageSize)
	d.PrevURL, d.NextURL = pageLinks(r.URL.Path, q, d.Page, d.Pages)
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_book", p)
}

// pathCivilBook reads the book of the path, for a reader of its unit.
func (s *Server) pathCivilBook(w http.ResponseWriter, r *http.Request) (auth.Actor, *civil.Book, bool) {
	a, err := civilActor(r)
	var b *civil.Book
	if err == nil {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		b, err = s.Civil().Book(r.Context(), a, id)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return a, nil, false
	}
	return a, b, true
}

type civilProgressData struct {
	Unit     string
	Name     string
	Progress civil.Progress
	Percent  int
	Children []civilUnitProgress
}

type civilUnitProgress struct {
	Code, Name string
	Progress   civil.Progress
	Percent    int
}

// civilProgressPage shows digitisation counts of a unit and of the units
// under it: counts only, never names, so the province's officers see it
// too.
func (s *Server) civilProgressPage(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.URL.Query().Get("unit")
	if code == "" {
		code = a.UnitCode
	}
	svc := s.Civil()
	prog, err := svc.Progress(r.Context(), a, code)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.progress.title")
	d := civilProgressData{Unit: code, Name: code, Progress: prog, Percent: percentOf(prog)}
	if u, err := s.DB.Unit(r.Context(), code); err == nil {
		d.Name = u.FullName
	}
	if kids, err := s.DB.Units(r.Context(), code); err == nil {
		for _, k := range kids {
			if kp, err := svc.Progress(r.Context(), a, k.Code); err == nil {
				d.Children = append(d.Children, civilUnitProgress{Code: k.Code, Name: k.FullName, Progress: kp, Percent: percentOf(kp)})
			}
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_progress", p)
}

func percentOf(p civil.Progress) int {
	if p.Entered == 0 {
		return 0
	}
	return int(p.Verified * 100 / p.Entered)
}

// civilReasonCookie remembers, for the session, why the officer opens
// records, so that opening one stays one step; the default is "check".
const civilReasonCookie = "civil_reason"

// civilReason is why a record is opened: ?reason= (remembered for the
// session), else the reason remembered, else "Kiểm tra, xác minh". The
// "other" reason carries a note and is never remembered.
func civilReason(w http.ResponseWriter, r *http.Request) (reason, note string) {
	q := r.URL.Query()
	reason = q.Get("reason")
	if reason == civil.ReasonOther {
		return reason, q.Get("note")
	}
	if _, ok := civil.ReadReasons[reason]; ok {
		http.SetCookie(w, &http.Cookie{Name: civilReasonCookie, Value: reason, Path: "/ho-tich", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		return reason, ""
	}
	if c, err := r.Cookie(civilReasonCookie); err == nil && c.Value != civil.ReasonOther {
		if _, ok := civil.ReadReasons[c.Value]; ok {
			return c.Value, ""
		}
	}
	return civil.ReasonCheck, ""
}

func civilReasons(c *catalog) []civilOption {
	keys := []string{civil.ReasonCheck, civil.ReasonIssueExtract, civil.ReasonDossier, civil.ReasonVerify, civil.ReasonCorrection, civil.ReasonOther}
	out := make([]civilOption, 0, len(keys))
	for _, k := range keys {
		n := civil.ReadReasons[k]
		out = append(out, civilOption{k, c.pick(n[0], n[1])})
	}
	return out
}

type civilReadsData struct {
	Rows               []civilReadRow
	Page, Pages, Total int
	PrevURL, NextURL   string
}

type civilReadRow struct {
	civil.Read
	Who, Reason string
}

// civilReadsPage is the read log of the unit's records, for its leaders:
// who opened which record, when and why, and every search.
func (s *Server) civilReadsPage(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := civilReadsData{Page: 1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	reads, total, err := s.Civil().Reads(r.Context(), a, civilPageSize, (d.Page-1)*civilPageSize)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.reads.title")
	var users []string
	for _, rd := range reads {
		users = append(users, rd.Username)
	}
	names := s.officerNames(r.Context(), users...)
	for _, rd := range reads {
		n := civil.ReadReasons[rd.Reason]
		row := civilReadRow{Read: rd, Who: names[rd.Username], Reason: p.c.pick(n[0], n[1])}
		if rd.Reason == civil.ReasonSearch {
			row.Reason = p.c.T("civ.reads.search")
		}
		if row.Who == "" {
			row.Who = rd.Username
		}
		d.Rows = append(d.Rows, row)
	}
	d.Total, d.Pages = total, max(1, (total+civilPageSize-1)/civilPageSize)
	d.PrevURL, d.NextURL = pageLinks(r.URL.Path, q, d.Page, d.Pages)
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_reads", p)
}

// civilFlash is the message of a redirect's ?ok= after a change.
func civilFlash(p *page, r *http.Request) {
	switch ok := r.URL.Query().Get("ok"); ok {
	case "entered", "verified", "corrected", "issued", "merged", "dismissed":
		p.Flash = p.c.T("civ.done." + ok)
	}
}
