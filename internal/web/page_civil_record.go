package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
)

// civilKV is one labelled value of a record.
type civilKV struct {
	Key, Label, Value string
}

type civilPersonView struct {
	Role  string
	Attrs []civilKV
}

type civilChangeView struct{ Label, Old, New string }

type civilCorrectionView struct {
	RecordID     int64
	Entry        string
	RegisteredOn string
	Changes      []civilChangeView
}

type civilEventView struct {
	At              time.Time
	Who, What, Note string
}

type civilRecordData struct {
	Row         civilRow
	R           *civil.Record
	Book        civilBookRow
	Places      []civilKV
	People      []civilPersonView
	Fields      []civilKV
	Changes     []civilChangeView // a change registration's own changes
	Corrections []civilCorrectionView
	History     []civilEventView
	Duplicates  []civil.Duplicate
	Linked      []civilLink // other records of the people named (civilLinks)
	Issuances   []civil.Issuance
	Registrar   bool
	CanVerify   bool
	CanCorrect  bool
	Reason      string
	Reasons     []civilOption
	ChangeBooks []civilBookRow
	CorrectKeys []civilOption
	Dossier     string // a dossier of 2.000635 the extract is issued for
	Errors      formErrors
}

// civilValue writes a field's stored value as people read it.
func civilValue(c *catalog, key, v string) string {
	switch {
	case v == "":
		return ""
	case len(key) > 4 && key[len(key)-4:] == ".sex":
		if n := civil.SexName[v]; n[0] != "" {
			return c.pick(n[0], n[1])
		}
	case len(key) > 5 && key[len(key)-5:] == "_date", key == "registered_on":
		return civilDate(v)
	}
	return v
}

func civilKVOf(c *catalog, r *civil.Record, key string) civilKV {
	l := civil.FieldLabel(key)
	return civilKV{Key: key, Label: c.pick(l[0], l[1]), Value: civilValue(c, key, r.Field(key))}
}

// pathCivilRecord reads the record of the path for a reader of its unit,
// logging the read with its reason.
func (s *Server) pathCivilRecord(w http.ResponseWriter, r *http.Request, reason, note string) (auth.Actor, *civil.Record, bool) {
	a, err := civilActor(r)
	var rec *civil.Record
	if err == nil {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		rec, err = s.Civil().Get(r.Context(), a, id, reason, note)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return a, nil, false
	}
	return a, rec, true
}

// civilRecordPage shows a record: its current values, its people, the
// records it links (corrections, the record it amends, the dossier), its
// hash-chained history and the scan. Opening it is logged with the
// session's reason (civilReason); the page lets the officer change it.
func (s *Server) civilRecordPage(w http.ResponseWriter, r *http.Request) {
	reason, note := civilReason(w, r)
	a, rec, ok := s.pathCivilRecord(w, r, reason, note)
	if !ok {
		return
	}
	p := s.newPage(w, r, "civil", "civ.record.title", civil.ChainName(rec.ID))
	civilFlash(p, r)
	d, err := s.civilRecordPageData(r.Context(), p.c, a, rec)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Reason, d.Dossier = reason, r.URL.Query().Get("dossier")
	p.Scripts = []string{"civil.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_record", p)
}

func (s *Server) civilRecordPageData(ctx context.Context, c *catalog, a auth.Actor, rec *civil.Record) (civilRecordData, error) {
	svc, cur := s.Civil(), rec.Current()
	d := civilRecordData{Row: civilRowOf(c, rec), R: rec, Registrar: civil.Registrar(a, rec.UnitCode), Reasons: civilReasons(c)}
	d.CanVerify = d.Registrar && rec.Status == civil.StatusEntered && rec.EnteredBy != a.Username
	d.CanCorrect = d.Registrar && rec.Kind != civil.KindChange && (rec.Status == civil.StatusEntered || rec.Status == civil.StatusVerified)
	b, err := svc.Book(ctx, a, rec.BookID)
	if err != nil {
		return d, err
	}
	d.Book = civilBookRowOf(c, *b)
	for _, k := range []string{"page", "entry", "registered_on", "officer", "declarant.name", "declarant.relation"} {
		d.Places = append(d.Places, civilKVOf(c, cur, k))
	}
	for _, role := range civil.KindRoles(rec.Kind) {
		if cur.PersonOf(role) == nil {
			continue
		}
		n := civil.RoleName[role]
		pv := civilPersonView{Role: c.pick(n[0], n[1])}
		for _, attr := range civil.PersonAttrs() {
			if kv := civilKVOf(c, cur, role+"."+attr); kv.Value != "" {
				l := civil.AttrLabel(attr)
				kv.Label = c.pick(l[0], l[1])
				pv.Attrs = append(pv.Attrs, kv)
			}
		}
		d.People = append(d.People, pv)
	}
	for _, f := range civil.KindFields(rec.Kind) {
		if kv := civilKVOf(c, cur, "fields."+f); kv.Value != "" {
			d.Fields = append(d.Fields, kv)
		}
	}
	d.Changes = civilChanges(c, rec.Changes)
	for _, corr := range rec.Corrections {
		d.Corrections = append(d.Corrections, civilCorrectionView{RecordID: corr.RecordID, Entry: corr.Entry, RegisteredOn: civilDate(corr.RegisteredOn),
			Changes: civilChanges(c, corr.Changes)})
	}
	d.Linked = s.civilLinks(ctx, c, rec, cur)
	for i := len(rec.Events) - 1; i >= 0; i-- {
		e := rec.Events[i]
		d.History = append(d.History, civilEventView{At: e.At, Who: e.ActorName, What: civilActionName(c, e.Action), Note: civil.HumanNote(e.Note)})
	}
	if d.Registrar {
		if err := s.civilRegistrarView(ctx, c, a, rec, &d); err != nil {
			return d, err
		}
	}
	return d, nil
}

// civilRegistrarView adds what only registrars act on: the open duplicate
// flags of the record, its issuances, the change books and fields for a
// correction.
func (s *Server) civilRegistrarView(ctx context.Context, c *catalog, a auth.Actor, rec *civil.Record, d *civilRecordData) error {
	svc := s.Civil()
	dups, _, err := svc.Duplicates(ctx, a, civil.DupOpen, 100, 0)
	if err != nil {
		return err
	}
	for _, dp := range dups {
		if dp.A == rec.ID || dp.B == rec.ID {
			d.Duplicates = append(d.Duplicates, dp)
		}
	}
	if d.Issuances, err = svc.Store.Issuances(ctx, rec.ID); err != nil {
		return err
	}
	if !d.CanCorrect {
		return nil
	}
	books, err := svc.Books(ctx, a, civil.KindChange, 0)
	if err != nil {
		return err
	}
	for _, b := range books {
		d.ChangeBooks = append(d.ChangeBooks, civilBookRowOf(c, b))
	}
	for _, k := range civilFormKeys(rec.Kind) {
		if k == "page" || k == "entry" || k == "registered_on" || k == "officer" {
			continue
		}
		l := civil.FieldLabel(k)
		d.CorrectKeys = append(d.CorrectKeys, civilOption{k, c.pick(l[0], l[1])})
	}
	return nil
}

func civilChanges(c *catalog, chs []civil.FieldChange) []civilChangeView {
	var out []civilChangeView
	for _, ch := range chs {
		l := civil.FieldLabel(ch.Field)
		out = append(out, civilChangeView{Label: c.pick(l[0], l[1]), Old: civilValue(c, ch.Field, ch.Old), New: civilValue(c, ch.Field, ch.New)})
	}
	return out
}

// civilActionNames names the actions of a record's history.
var civilActionNames = map[string][2]string{
	"enter": {"Nhập bản ghi", "Entered"}, "edit": {"Sửa bản ghi", "Edited"}, "verify": {"Đối chiếu, xác nhận", "Verified"},
	"resolve": {"Lấy giá trị nhập đối chiếu", "Value taken from the blind entry"},
	"scan":    {"Đính kèm ảnh trang sổ", "Page image attached"}, "correct": {"Đăng ký thay đổi, cải chính", "Change registered"},
	"corrected": {"Được cải chính", "Corrected"}, "merge": {"Gộp bản ghi trùng", "Merged"}, "merged_from": {"Nhận bản ghi gộp", "Duplicate merged in"},
	"dismiss": {"Không phải trùng lặp", "Not a duplicate"}, "from_dossier": {"Tạo từ hồ sơ", "Created from a dossier"},
}

func civilActionName(c *catalog, action string) string {
	if n, ok := civilActionNames[action]; ok {
		return c.pick(n[0], n[1])
	}
	return action
}

// civilScanPage sends the scanned page a record was entered from, to the
// readers of its unit; the read is logged like the record's.
func (s *Server) civilScanPage(w http.ResponseWriter, r *http.Request) {
	reason, note := civilReason(w, r)
	_, rec, ok := s.pathCivilRecord(w, r, reason, note)
	if !ok {
		return
	}
	if rec.ScanSHA256 == "" {
		s.pageFail(w, r, errNoScan)
		return
	}
	s.sendCivilScan(w, r, rec, s.pageFail)
}

// civilLink is another record naming one of a record's people.
type civilLink struct {
	Who string // the person's role on this record and name
	Row civilRow
}

// civilLinks finds the unit's other records of the people a record names,
// by the same ID number or the same name and full birth date: a parent's
// own birth record, the child's later marriage or their children's births
// (where the child is named as a parent), a death. The record's own read
// is logged; these are only named, and opening one logs that read. Both
// the values as entered and as corrected are looked for.
func (s *Server) civilLinks(ctx context.Context, c *catalog, rec, cur *civil.Record) []civilLink {
	var out []civilLink
	seen := map[int64]bool{rec.ID: true}
	st := store.Civil{DB: s.DB}
	for _, p := range append(append([]civil.Person(nil), rec.People...), cur.People...) {
		var qs []civil.Query
		if p.IDNumber != "" {
			qs = append(qs, civil.Query{IDNumber: p.IDNumber})
		}
		if len(p.BirthDate) == 10 && p.FullName != "" {
			qs = append(qs, civil.Query{Q: p.FullName, BirthDate: p.BirthDate})
		}
		for _, q := range qs {
			q.Unit, q.Limit = rec.UnitCode, 10
			hits, _, err := st.Search(ctx, q)
			if err != nil {
				s.Log.Warn("civil: linked records", "record", rec.ID, "err", err)
				continue
			}
			for i := range hits {
				if h := &hits[i].Record; !seen[h.ID] {
					seen[h.ID] = true
					n := civil.RoleName[p.Role]
					out = append(out, civilLink{Who: c.pick(n[0], n[1]) + ": " + p.FullName, Row: civilRowOf(c, h)})
				}
			}
		}
	}
	return out
}
