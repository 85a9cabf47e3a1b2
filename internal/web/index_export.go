package web

import (
	"bytes"
	"net/http"

	"github.com/motcua/motcua/internal/doc"
)

// indexXLSX is the Excel export of a unit's index: the same query and the
// same scoping as the index page.
func (s *Server) indexXLSX(w http.ResponseWriter, r *http.Request) {
	_, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	res, err := s.DB.Index(r.Context(), []string{q.UnitCode}, q.From, q.To)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	name, _ := s.unitNames(r, q.UnitCode)
	var buf bytes.Buffer
	if err := doc.IndexXLSX(&buf, s.office(r.Context(), q.UnitCode), name, q.From, q.To, res[q.UnitCode]); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "chi-so-"+q.UnitCode+"-"+q.From+"-"+q.To+".xlsx", buf.Bytes(), false)
}

// rankingXLSX is the Excel export of the ranking page.
func (s *Server) rankingXLSX(w http.ResponseWriter, r *http.Request) {
	_, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	rows, _, _, err := s.ranking(r.Context(), q)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	out := make([]doc.RankRow, len(rows))
	for i, x := range rows {
		out[i] = doc.RankRow{Rank: x.Rank, Name: x.Name, Total: x.Total, PreviousTotal: x.PreviousTotal, Change: x.Change, Groups: x.Groups}
	}
	name, _ := s.unitNames(r, q.UnitCode)
	var buf bytes.Buffer
	if err := doc.RankingXLSX(&buf, s.office(r.Context(), q.UnitCode), name, q.From, q.To, out); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "xep-hang-"+q.UnitCode+"-"+q.From+"-"+q.To+".xlsx", buf.Bytes(), false)
}
