package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
)

type civilDupRow struct {
	civil.Duplicate
	ReasonName string
}

type civilDupsData struct {
	Rows      []civilDupRow
	Status    string
	Total     int
	Registrar bool
}

// civilDupReason names why a pair was flagged.
func civilDupReason(c *catalog, reason string) string {
	switch reason {
	case civil.DupSameParent:
		return c.T("civ.dup.same_parent")
	case civil.DupNearName:
		return c.T("civ.dup.near_name")
	}
	return c.T("civ.dup.name_date")
}

// civilDuplicatesPage lists the unit's likely duplicates, the open ones
// first, for review.
func (s *Server) civilDuplicatesPage(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status != civil.DupDismissed && status != civil.DupMerged && status != "all" {
		status = civil.DupOpen
	}
	want := status
	if want == "all" {
		want = ""
	}
	dups, total, err := s.Civil().Duplicates(r.Context(), a, want, 100, 0)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.dups.title")
	civilFlash(p, r)
	d := civilDupsData{Status: status, Total: total, Registrar: civil.Registrar(a, a.UnitCode)}
	for _, dp := range dups {
		d.Rows = append(d.Rows, civilDupRow{Duplicate: dp, ReasonName: civilDupReason(p.c, dp.Reason)})
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_dups", p)
}

type civilDupData struct {
	D         civilDupRow
	A, B      civilRow
	Rows      []civilCompareRow
	Registrar bool
	Open      bool
}

// civilCompareRow is one field of the two records side by side.
type civilCompareRow struct {
	Label, A, B string
	Same        bool
}

// civilDuplicatePage compares the two records of a pair side by side,
// field by field, with the merge (keep one, the other marked merged into
// it) and dismiss buttons. Both reads are logged.
func (s *Server) civilDuplicatePage(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	svc := s.Civil()
	dp, err := svc.Store.Duplicate(r.Context(), id)
	if err == nil && !civil.Reader(a, dp.UnitCode) {
		err = apperr.NotFound("Không tìm thấy cặp trùng lặp", "duplicate pair not found")
	}
	var ra, rb *civil.Record
	if err == nil {
		ra, err = svc.Get(r.Context(), a, dp.A, civil.ReasonCheck, "trùng lặp")
	}
	if err == nil {
		rb, err = svc.Get(r.Context(), a, dp.B, civil.ReasonCheck, "trùng lặp")
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "civil", "civ.dup.title")
	d := civilDupData{D: civilDupRow{Duplicate: *dp, ReasonName: civilDupReason(p.c, dp.Reason)}, Registrar: civil.Registrar(a, dp.UnitCode),
		Open: dp.Status == civil.DupOpen}
	ca, cb := ra.Current(), rb.Current()
	keys := civilFormKeys(ra.Kind)
	if rb.Kind != ra.Kind {
		keys = append(keys, civilFormKeys(rb.Kind)...)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		va, vb := civilValue(p.c, k, ca.Field(k)), civilValue(p.c, k, cb.Field(k))
		if seen[k] || (va == "" && vb == "") {
			continue
		}
		seen[k] = true
		l := civil.FieldLabel(k)
		d.Rows = append(d.Rows, civilCompareRow{Label: p.c.pick(l[0], l[1]), A: va, B: vb, Same: civil.SameValue(k, va, vb)})
	}
	d.A, d.B = civilRowOf(p.c, ra), civilRowOf(p.c, rb)
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_dup", p)
}

// civilDuplicatePost merges (keeping the record chosen) or dismisses a pair.
func (s *Server) civilDuplicatePost(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	svc, done := s.Civil(), ""
	switch r.PathValue("action") {
	case "gop":
		keep, _ := strconv.ParseInt(r.PostForm.Get("keep"), 10, 64)
		_, err = svc.Merge(r.Context(), a, id, keep)
		done = "merged"
	case "bo-qua":
		_, err = svc.Dismiss(r.Context(), a, id)
		done = "dismissed"
	default:
		err = apperr.NotFound("Không tìm thấy trang này", "page not found")
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ho-tich/trung-lap?ok="+done, http.StatusSeeOther)
}
