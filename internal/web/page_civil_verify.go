package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
)

// civilDiffView is one differing key field as the verifier resolves it.
type civilDiffView struct {
	Key, Label, Record, Blind string
	Choice                    string
}

type civilVerifyData struct {
	Row    civilRow
	Fields []civilField // the key fields, typed blind: the record's values are never sent
	Diffs  []civilDiffView
	Blind  []civilKV // the blind entry, carried while resolving
	Errors formErrors
	Scan   bool
	Own    bool // the caller entered the record: someone else must verify it
}

// civilVerifyPage is the second registrar's blind entry of a record's key
// fields: the form shows the scan and the labels, never the record's
// values.
func (s *Server) civilVerifyPage(w http.ResponseWriter, r *http.Request) {
	a, rec, ok := s.pathCivilRecord(w, r, civil.ReasonVerify, "")
	if !ok {
		return
	}
	if !civil.Registrar(a, rec.UnitCode) {
		s.pageFail(w, r, errCivilWrite)
		return
	}
	s.showCivilVerify(w, r, http.StatusOK, rec, a.Username == rec.EnteredBy, url.Values{}, nil, formErrors{})
}

func (s *Server) showCivilVerify(w http.ResponseWriter, r *http.Request, status int, rec *civil.Record, own bool, blind url.Values,
	diffs []civil.Difference, errs formErrors) {
	p := s.newPage(w, r, "civil", "civ.verify.title", civil.ChainName(rec.ID))
	d := civilVerifyData{Row: civilRowOf(p.c, rec), Errors: errs, Scan: rec.ScanSHA256 != "", Own: own}
	for _, k := range civil.KeyFields(rec) {
		l := civil.FieldLabel(k)
		d.Fields = append(d.Fields, civilField{Key: k, Label: p.c.pick(l[0], l[1]), Value: blind.Get(k), Err: errs.Get(k),
			Sex: len(k) > 4 && k[len(k)-4:] == ".sex", Blind: true})
		if len(diffs) > 0 {
			d.Blind = append(d.Blind, civilKV{Key: k, Value: blind.Get(k)})
		}
	}
	for _, df := range diffs {
		l := civil.FieldLabel(df.Field)
		d.Diffs = append(d.Diffs, civilDiffView{Key: df.Field, Label: p.c.pick(l[0], l[1]), Record: civilValue(p.c, df.Field, df.Record),
			Blind: civilValue(p.c, df.Field, df.Blind), Choice: blind.Get("choice." + df.Field)})
	}
	p.Scripts = []string{"civil.js"}
	p.Data = d
	s.render(w, r, status, "civil_verify", p)
}

// civilVerifyPost checks the blind entry against the record. On a
// difference nothing is verified: the page lists the differing fields,
// each to resolve (keep the record's value or take the blind one); once
// every one is resolved the record is verified.
func (s *Server) civilVerifyPost(w http.ResponseWriter, r *http.Request) {
	a, rec, ok := s.pathCivilRecord(w, r, civil.ReasonVerify, "")
	if !ok {
		return
	}
	f := r.PostForm
	blind, choices := map[string]string{}, map[string]string{}
	for _, k := range civil.KeyFields(rec) {
		blind[k] = f.Get(k)
		if c := f.Get("choice." + k); c == civil.KeepRecord || c == civil.TakeBlind {
			choices[k] = c
		}
	}
	_, diffs, err := s.Civil().Verify(r.Context(), a, rec.ID, blind, choices)
	if err != nil {
		keys := civil.KeyFields(rec)
		s.civilFormFailed(w, r, err, keys, func(errs formErrors) {
			s.showCivilVerify(w, r, statusOf[apperr.Code(err)], rec, false, f, nil, errs)
		})
		return
	}
	if len(diffs) > 0 {
		var errs formErrors
		c := s.ui.cat[requestLang(w, r)]
		errs.add("", c.T("civ.verify.differs", len(diffs)))
		s.showCivilVerify(w, r, http.StatusUnprocessableEntity, rec, false, f, diffs, errs)
		return
	}
	http.Redirect(w, r, "/ho-tich/ban-ghi/"+strconv.FormatInt(rec.ID, 10)+"?ok=verified", http.StatusSeeOther)
}
