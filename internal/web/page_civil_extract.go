package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// ProcCivilCopy is the procedure whose dossiers ask for an extract or a
// certified copy of a civil-status record (cấp bản sao trích lục hộ tịch).
const ProcCivilCopy = "2.000635"

// civilExtract draws the extract of a record: with the serial of an
// issuance (and its officer as signer) or, without one, as a working print.
func (s *Server) civilExtract(ctx context.Context, rec *civil.Record, iss *civil.Issuance, copyOf bool) ([]byte, error) {
	b, err := store.Civil{DB: s.DB}.Book(ctx, rec.BookID)
	if err != nil {
		return nil, err
	}
	in := doc.Extract{Office: s.office(ctx, rec.UnitCode), Place: s.registryPlace(ctx, rec.UnitCode), Record: rec.Current(), Book: b, Copy: copyOf, Now: s.now()}
	if iss != nil {
		in.Serial, in.Year, in.Now = iss.Serial, iss.Year, iss.IssuedAt
		in.Signer, in.SignerTitle = s.officerNames(ctx, iss.IssuedBy)[iss.IssuedBy], "Công chức tư pháp - hộ tịch"
	}
	var buf bytes.Buffer
	if err := doc.CivilExtract(&buf, in); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// registryPlace is where a unit's records are registered, as an extract
// writes it: "Ủy ban nhân dân Phường Ba Đình, Thành phố Hà Nội".
func (s *Server) registryPlace(ctx context.Context, unitCode string) string {
	u, err := s.DB.Unit(ctx, unitCode)
	if err != nil {
		return ""
	}
	place := "Ủy ban nhân dân " + u.FullName
	if p, err := s.DB.Unit(ctx, u.ParentCode); err == nil && u.ParentCode != "" {
		place += ", " + p.FullName
	}
	return place
}

// sendExtract sends an extract as a PDF download.
func sendExtract(w http.ResponseWriter, rec *civil.Record, pdf []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="trich-luc-`+civil.ChainName(rec.ID)+`.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf)
}

// issuanceOf finds the issuance ?issuance= of the record; 0 is none.
func (s *Server) issuanceOf(ctx context.Context, rec *civil.Record, raw string) (*civil.Issuance, error) {
	id, _ := strconv.ParseInt(raw, 10, 64)
	if id == 0 {
		return nil, nil
	}
	list, err := store.Civil{DB: s.DB}.Issuances(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, apperr.NotFound("Không tìm thấy lần cấp trích lục này", "issuance not found")
}

// civilExtractPage prints a record's extract from the record page: the
// read is logged as issuing an extract.
func (s *Server) civilExtractPage(w http.ResponseWriter, r *http.Request) {
	_, rec, ok := s.pathCivilRecord(w, r, civil.ReasonIssueExtract, "")
	if !ok {
		return
	}
	iss, err := s.issuanceOf(r.Context(), rec, r.URL.Query().Get("issuance"))
	var pdf []byte
	if err == nil {
		pdf, err = s.civilExtract(r.Context(), rec, iss, r.URL.Query().Get("copy") == "1")
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendExtract(w, rec, pdf)
}

// civilExtractAPI is GET /api/v1/civil/records/{id}/extract.pdf?reason=
// (&note=, &issuance=, &copy=1): the reason is required and logged, as for
// every read of a record.
func (s *Server) civilExtractAPI(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	var rec *civil.Record
	if err == nil {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		q := r.URL.Query()
		rec, err = s.Civil().Get(r.Context(), a, id, q.Get("reason"), q.Get("note"))
	}
	var iss *civil.Issuance
	if err == nil {
		iss, err = s.issuanceOf(r.Context(), rec, r.URL.Query().Get("issuance"))
	}
	var pdf []byte
	if err == nil {
		pdf, err = s.civilExtract(r.Context(), rec, iss, r.URL.Query().Get("copy") == "1")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendExtract(w, rec, pdf)
}

// civilIssuePost issues an extract or certified copy of a record: its
// serial is recorded with the copies and, when it answers a dossier of
// 2.000635 of the unit, the dossier's code, so that the dossier's
// applicant finds it on their dossier page.
func (s *Server) civilIssuePost(w http.ResponseWriter, r *http.Request) {
	a, rec, ok := s.pathCivilRecord(w, r, civil.ReasonIssueExtract, "")
	if !ok {
		return
	}
	f := r.PostForm
	copies, _ := strconv.Atoi(strings.TrimSpace(f.Get("copies")))
	iss := &civil.Issuance{RecordID: rec.ID, Copies: copies, DossierCode: strings.TrimSpace(f.Get("dossier"))}
	err := s.civilIssueDossier(r.Context(), a, rec, iss.DossierCode)
	if err == nil {
		err = s.Civil().Issue(r.Context(), a, iss)
	}
	if err != nil {
		s.showCivilRecordError(w, r, a, rec, err)
		return
	}
	http.Redirect(w, r, "/ho-tich/ban-ghi/"+strconv.FormatInt(rec.ID, 10)+"?ok=issued", http.StatusSeeOther)
}

// civilIssueDossier checks the dossier an extract is issued for: one of
// the unit's dossiers of 2.000635 that has no extract yet.
func (s *Server) civilIssueDossier(ctx context.Context, a auth.Actor, rec *civil.Record, code string) error {
	if code == "" {
		return nil
	}
	bad := apperr.Invalid("dossier", "Mã hồ sơ không phải hồ sơ cấp bản sao trích lục hộ tịch của đơn vị", "the code is not a dossier of the unit asking for a civil-status extract")
	d, err := s.Dossiers.Get(ctx, a, code)
	if apperr.Code(err) == apperr.ENOTFOUND || apperr.Code(err) == apperr.EFORBIDDEN {
		return bad
	}
	if err != nil {
		return err
	}
	if d.ProcedureCode != ProcCivilCopy || d.UnitCode != rec.UnitCode {
		return bad
	}
	if _, err := (store.Civil{DB: s.DB}).IssuanceForDossier(ctx, code); err == nil {
		return apperr.Conflict("Hồ sơ này đã được cấp trích lục", "an extract was already issued for this dossier")
	}
	return nil
}

// showCivilRecordError shows the record page again with a form's error.
func (s *Server) showCivilRecordError(w http.ResponseWriter, r *http.Request, a auth.Actor, rec *civil.Record, err error) {
	errs, ok := fieldErrors(s.ui.cat[requestLang(w, r)], err)
	if !ok || apperr.Code(err) == apperr.EFORBIDDEN || apperr.Code(err) == apperr.ENOTFOUND {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.record.title", civil.ChainName(rec.ID))
	d, verr := s.civilRecordPageData(r.Context(), p.c, a, rec)
	if verr != nil {
		s.pageFail(w, r, verr)
		return
	}
	d.Errors, d.Reason, d.Dossier = errs, civil.ReasonCheck, r.PostForm.Get("dossier")
	p.Data = d
	s.render(w, r, statusOf[apperr.Code(err)], "civil_record", p)
}

// dossierExtractPage sends the extract issued for a dossier of 2.000635:
// to its applicant (who sees the dossier) as the dossier's result, and to
// the unit's registrars and leaders (the read logged). Anyone else, other
// officers of the unit included, is refused.
func (s *Server) dossierExtractPage(w http.ResponseWriter, r *http.Request) {
	a, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	cs := store.Civil{DB: s.DB}
	iss, err := cs.IssuanceForDossier(r.Context(), d.Code)
	var rec *civil.Record
	switch {
	case err != nil:
	case a.Role == auth.RoleApplicant && iss.UnitCode == d.UnitCode:
		rec, err = cs.Get(r.Context(), iss.RecordID)
	case civil.Reader(a, iss.UnitCode):
		rec, err = s.Civil().Get(r.Context(), a, iss.RecordID, civil.ReasonDossier, d.Code)
	default:
		err = errCivilPage
	}
	var pdf []byte
	if err == nil {
		pdf, err = s.civilExtract(r.Context(), rec, iss, true)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendExtract(w, rec, pdf)
}

// dossierCivilLinks tells what a dossier of 2.000635 offers on its page:
// the extract issued for it (to its applicant and the unit's registrars
// and leaders), or, before that, the registrar's link to pick the record.
func (s *Server) dossierCivilLinks(ctx context.Context, a auth.Actor, d *dossier.Dossier) (extract, pick bool) {
	if d.ProcedureCode != ProcCivilCopy {
		return false, false
	}
	iss, err := store.Civil{DB: s.DB}.IssuanceForDossier(ctx, d.Code)
	if err != nil {
		return false, civil.Registrar(a, d.UnitCode) && d.Status.Open()
	}
	return (a.Role == auth.RoleApplicant && iss.UnitCode == d.UnitCode) || civil.Reader(a, iss.UnitCode), false
}
