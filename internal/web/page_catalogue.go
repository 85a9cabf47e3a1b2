package web

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
)

type catalogueData struct {
	Q, Field, Online string
	Fields           []fieldCount
	Procedures       []procedure.Procedure
}

// catalogue lists procedures; the search ignores diacritics ("dang ky ket
// hon" finds "Đăng ký kết hôn"). The filters live in the URL, so a result
// can be bookmarked or shared, and htmx swaps the list as one types.
func (s *Server) catalogue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := catalogueData{Q: strings.TrimSpace(q.Get("q")), Field: q.Get("field"), Online: q.Get("online")}
	all, err := s.Procs.List(r.Context(), store.ProcedureFilter{ActiveOnly: true})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.Fields = fieldsOf(all)
	f := store.ProcedureFilter{Query: d.Q, Field: d.Field, ActiveOnly: true}
	switch d.Online {
	case procedure.OnlineFull, procedure.OnlinePartial, procedure.OnlineNone:
		f.OnlineMode = d.Online
	}
	ps, err := s.Procs.List(r.Context(), f)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	for _, x := range ps {
		if d.Online != "yes" || x.OnlineMode != procedure.OnlineNone {
			d.Procedures = append(d.Procedures, x)
		}
	}
	p := s.newPage(w, r, "catalogue", "catalogue.title")
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "catalogue", p)
}
