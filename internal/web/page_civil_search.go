package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store"
)

type civilSearchData struct {
	Form               url.Values
	Searched           bool
	Rows               []civilRow
	Page, Pages, Total int
	Capped             bool // more than Cap matches: Total is Cap+1
	Cap                int
	PrevURL, NextURL   string
	Kinds              []civilOption
	Books              []civilBookRow
	Reasons            []civilOption
	Reason             string
	Open               string // the query string a result's link carries: the reason and the dossier
}

// civilSearchFields are the filters of the search form, as the API names them.
var civilSearchFields = []string{"q", "parent", "birth_date", "birth_year", "birth_from", "birth_to", "id_number", "kind", "book", "entry"}

// civilSearchPage finds the unit's records by name (any order, without
// diacritics), birth date, year or range, a parent, an ID number, the kind,
// the book and the entry; the results are ranked. The reason chosen here
// is remembered for the session and used when a result is opened.
func (s *Server) civilSearchPage(w http.ResponseWriter, r *http.Request) {
	a, err := civilActor(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	reason, _ := civilReason(w, r)
	if reason == civil.ReasonOther {
		reason = civil.ReasonCheck
	}
	p := s.newPage(w, r, "civil", "civ.search.title")
	d := civilSearchData{Form: q, Page: 1, Kinds: civilKinds(p.c), Reasons: civilReasons(p.c), Reason: reason}
	open := url.Values{"reason": {reason}}
	if code := q.Get("dossier"); code != "" {
		open.Set("dossier", code)
	}
	d.Open = open.Encode()
	svc := s.Civil()
	books, err := svc.Books(r.Context(), a, "", 0)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, b := range books {
		d.Books = append(d.Books, civilBookRowOf(p.c, b))
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = min(n, store.CivilSearchCap/civilPageSize) // no page past the cap: the search refuses it
	}
	query := civilQueryOf(q)
	for _, k := range civilSearchFields {
		d.Searched = d.Searched || strings.TrimSpace(q.Get(k)) != ""
	}
	if d.Searched {
		query.Limit, query.Offset = civilPageSize, (d.Page-1)*civilPageSize
		hits, total, err := svc.Search(r.Context(), a, query)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		for _, h := range hits {
			row := civilRowOf(p.c, &h.Record)
			if n := civil.RoleName[h.Matched]; n[0] != "" {
				row.Matched = p.c.pick(n[0], n[1])
			}
			d.Rows = append(d.Rows, row)
		}
		d.Total, d.Pages = total, max(1, (total+civilPageSize-1)/civilPageSize)
		if d.Capped = store.CivilTotalCapped(total); d.Capped {
			d.Cap, d.Pages = store.CivilSearchCap, store.CivilSearchCap/civilPageSize
		}
		d.PrevURL, d.NextURL = pageLinks(r.URL.Path, q, d.Page, d.Pages)
	}
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "civil_search", p)
}

// civilQueryOf reads the search's filters; the service checks them.
func civilQueryOf(q url.Values) civil.Query {
	out := civil.Query{Q: q.Get("q"), Parent: q.Get("parent"), BirthDate: q.Get("birth_date"), BirthFrom: q.Get("birth_from"),
		BirthTo: q.Get("birth_to"), IDNumber: q.Get("id_number"), Kind: q.Get("kind"), Entry: q.Get("entry")}
	out.BirthYear, _ = strconv.Atoi(strings.TrimSpace(q.Get("birth_year")))
	out.BookID, _ = strconv.ParseInt(q.Get("book"), 10, 64)
	return out
}
