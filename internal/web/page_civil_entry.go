package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// civilField is one input of a record's form, named by its field key.
type civilField struct {
	Key, Label, Value, Err string
	Sex                    bool // a select of male / female
	Date                   bool // a date that may be partial
	Blind                  bool // typed again blind: "-" says the book leaves it empty
}

// civilGroup is a fieldset of the form: where in the book, one person,
// the kind's own fields, the declarant.
type civilGroup struct {
	Legend string
	Fields []civilField
}

// civilFormGroups lays out the fields of a record of the kind, filled
// from values and marked with errs.
func civilFormGroups(c *catalog, kind string, values url.Values, errs formErrors) []civilGroup {
	field := func(key string) civilField {
		l := civil.FieldLabel(key)
		return civilField{Key: key, Label: c.pick(l[0], l[1]), Value: values.Get(key), Err: errs.Get(key),
			Sex: strings.HasSuffix(key, ".sex"), Date: strings.HasSuffix(key, "_date") || key == "registered_on"}
	}
	place := civilGroup{Legend: c.T("civ.entry.place")}
	for _, k := range []string{"page", "entry", "registered_on", "officer"} {
		place.Fields = append(place.Fields, field(k))
	}
	groups := []civilGroup{place}
	for _, role := range civil.KindRoles(kind) {
		n := civil.RoleName[role]
		g := civilGroup{Legend: c.pick(n[0], n[1])}
		for _, attr := range civil.PersonAttrs() {
			f := field(role + "." + attr)
			a := civil.AttrLabel(attr)
			f.Label = c.pick(a[0], a[1])
			g.Fields = append(g.Fields, f)
		}
		groups = append(groups, g)
	}
	if fs := civil.KindFields(kind); len(fs) > 0 {
		g := civilGroup{Legend: c.T("civ.entry.kind_fields")}
		for _, f := range fs {
			g.Fields = append(g.Fields, field("fields."+f))
		}
		groups = append(groups, g)
	}
	return append(groups, civilGroup{Legend: c.T("civ.entry.declarant"), Fields: []civilField{field("declarant.name"), field("declarant.relation")}})
}

// civilFormKeys are the keys a record's form of the kind sends.
func civilFormKeys(kind string) []string {
	keys := []string{"page", "entry", "registered_on", "officer", "declarant.name", "declarant.relation"}
	for _, role := range civil.KindRoles(kind) {
		for _, attr := range civil.PersonAttrs() {
			keys = append(keys, role+"."+attr)
		}
	}
	for _, f := range civil.KindFields(kind) {
		keys = append(keys, "fields."+f)
	}
	return keys
}

// civilRecordFromForm builds a record of the kind from the posted fields:
// a person is named only when one of their fields is filled in.
func civilRecordFromForm(kind string, f url.Values) (*civil.Record, error) {
	r := &civil.Record{Kind: kind, Source: civil.SourceDigitised}
	for _, k := range civilFormKeys(kind) {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			if err := r.SetField(k, v); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

type civilEntryData struct {
	Book   civilBookRow
	Scan   string // "id:sha256" of the page image uploaded for this entry
	Image  bool   // the scan is a picture (else a PDF)
	Groups []civilGroup
	Errors formErrors
	NoScan bool // the officer chose to enter without a scan (a direct registration)
}

// civilEntryPage is the entry of a record into a book: first the scanned
// page is uploaded, then the fields of the kind are typed with the image
// beside the form.
func (s *Server) civilEntryPage(w http.ResponseWriter, r *http.Request) {
	s.showCivilEntry(w, r, http.StatusOK, r.URL.Query().Get("scan"), url.Values{}, formErrors{})
}

func (s *Server) showCivilEntry(w http.ResponseWriter, r *http.Request, status int, scan string, form url.Values, errs formErrors) {
	a, b, ok := s.pathCivilBookToWrite(w, r)
	if !ok {
		return
	}
	p := s.newPage(w, r, "civil", "civ.entry.title", b.Number, b.Year)
	d := civilEntryData{Book: civilBookRowOf(p.c, *b), Groups: civilFormGroups(p.c, b.Kind, form, errs), Errors: errs, NoScan: scan == "none"}
	if att, err := s.pendingScan(r, a, scan); err == nil {
		d.Scan, d.Image = scan, att.ContentType != "application/pdf"
	} else if scan != "" && scan != "none" {
		d.Errors.add("", p.c.T("upload.err.gone"))
	}
	p.Scripts = []string{"civil.js"}
	p.Data = d
	s.render(w, r, status, "civil_entry", p)
}

// pathCivilBookToWrite reads the book of the path for a registrar of its unit.
func (s *Server) pathCivilBookToWrite(w http.ResponseWriter, r *http.Request) (auth.Actor, *civil.Book, bool) {
	a, b, ok := s.pathCivilBook(w, r)
	if ok && !civil.Registrar(a, b.UnitCode) {
		s.pageFail(w, r, errCivilWrite)
		return a, nil, false
	}
	return a, b, ok
}

var errCivilWrite = apperr.New(apperr.EFORBIDDEN, "Chỉ công chức tư pháp - hộ tịch của đơn vị được thực hiện", "only the unit's civil registrars may do this")

// pendingScan is the caller's page image uploaded for an entry, still
// waiting for its record: only its uploader sees it before the record
// names it.
func (s *Server) pendingScan(r *http.Request, a auth.Actor, ref string) (*store.Attachment, error) {
	id, sum, _ := strings.Cut(ref, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !blob.ValidSum(sum) {
		return nil, errNoScan
	}
	found, err := s.DB.PendingAttachments(r.Context(), a.Username, []store.AttachmentRef{{ID: n, SHA256: sum}})
	if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, errNoScan
	}
	return &found[0], nil
}

var errNoScan = apperr.NotFound("Không tìm thấy ảnh trang sổ đã tải lên", "the uploaded page image was not found")

// civilScanUpload takes the scanned page of the book (JPEG, PNG or PDF,
// checked by name and first bytes, bounded), keeps it as the caller's
// pending upload and goes on to the entry form with the image beside it.
func (s *Server) civilScanUpload(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.pathCivilBookToWrite(w, r)
	if !ok {
		return
	}
	att, err := s.pendScan(w, r, a)
	if err != nil {
		errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err, "file")
		if !ok {
			s.pageFail(w, r, err)
			return
		}
		s.showCivilEntry(w, r, statusOf[apperr.Code(err)], "", url.Values{}, errs)
		return
	}
	http.Redirect(w, r, r.URL.Path[:strings.LastIndex(r.URL.Path, "/")]+"/nhap?scan="+url.QueryEscape(strconv.FormatInt(att.ID, 10)+":"+att.SHA256), http.StatusSeeOther)
}

// pendScan stores the page image the way the API takes a record's scan
// (readCivilScan) and keeps it as the caller's pending upload, within the
// bound of what one user may keep pending.
func (s *Server) pendScan(w http.ResponseWriter, r *http.Request, a auth.Actor) (*store.Attachment, error) {
	if pending, err := s.DB.PendingBytes(r.Context(), a.Username); err != nil {
		return nil, err
	} else if pending >= maxPendingBytes {
		return nil, apperr.New(apperr.ETOOLARGE, "Bạn đã tải lên quá nhiều tệp chưa dùng; vui lòng thử lại sau", "you have too many unused uploads; try again later")
	}
	sum, err := s.readCivilScan(w, r)
	if err != nil {
		return nil, err
	}
	body, err := s.Files.Open(r.Context(), sum)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	_, typ, err := sniff(body)
	if err != nil {
		return nil, err
	}
	info, err := s.Files.Stat(r.Context(), sum)
	if err != nil {
		return nil, err
	}
	att := store.Attachment{FileName: "trang-so" + scanExt[typ], ContentType: typ, Size: info.Size, SHA256: sum, UploadedBy: a.Username}
	return &att, s.DB.AddPendingAttachment(r.Context(), &att)
}

var scanExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}

// civilPendingScan shows the caller's own pending page image beside the
// entry form.
func (s *Server) civilPendingScan(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	var att *store.Attachment
	if err == nil {
		att, err = s.pendingScan(r, a, r.PathValue("ref"))
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.sendFile(w, r, &dossier.Dossier{Code: "HT-" + a.Username}, att, s.pageFail)
}

// civilEntryPost stores the record typed from the page: entered, waiting
// for a second registrar's blind entry, with its scan.
func (s *Server) civilEntryPost(w http.ResponseWriter, r *http.Request) {
	a, b, ok := s.pathCivilBook(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	scan := f.Get("scan")
	rec, err := civilRecordFromForm(b.Kind, f)
	if err == nil {
		rec.BookID = b.ID
		if scan != "" && scan != "none" {
			var att *store.Attachment
			if att, err = s.pendingScan(r, a, scan); err == nil {
				rec.ScanSHA256 = att.SHA256
			}
		} else {
			rec.Source = civil.SourceDirect
		}
	}
	if err == nil {
		err = s.Civil().Enter(r.Context(), a, rec)
	}
	if err != nil {
		s.civilFormFailed(w, r, err, civilFormKeys(b.Kind), func(errs formErrors) {
			s.showCivilEntry(w, r, statusOf[apperr.Code(err)], scan, f, errs)
		})
		return
	}
	http.Redirect(w, r, "/ho-tich/ban-ghi/"+strconv.FormatInt(rec.ID, 10)+"?ok=entered", http.StatusSeeOther)
}
