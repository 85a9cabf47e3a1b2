package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/report"
)

// indexXLSX is the Excel export of a unit's index: the same query and the
// same scoping as the index page.
func (s *Server) indexXLSX(w http.ResponseWriter, r *http.Request) {
	q, res, ok := s.unitIndex(w, r)
	if !ok {
		return
	}
	name, _ := s.unitNames(r, q.UnitCode)
	var buf bytes.Buffer
	if err := doc.IndexXLSX(&buf, s.office(r.Context(), q.UnitCode), name, q.From, q.To, res); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "chi-so-"+q.UnitCode+"-"+q.From+"-"+q.To+".xlsx", buf.Bytes(), false)
}

// rankingXLSX is the Excel export of the ranking page.
func (s *Server) rankingXLSX(w http.ResponseWriter, r *http.Request) {
	q, rows, _, ok := s.unitRanking(w, r)
	if !ok {
		return
	}
	name, _ := s.unitNames(r, q.UnitCode)
	var buf bytes.Buffer
	if err := doc.RankingXLSX(&buf, s.office(r.Context(), q.UnitCode), name, q.From, q.To, docRankRows(rows)); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "xep-hang-"+q.UnitCode+"-"+q.From+"-"+q.To+".xlsx", buf.Bytes(), false)
}

// indexPDF prints a unit's index on A4: the same query and scoping as the
// index page, the numbers written as the Vietnamese page writes them.
func (s *Server) indexPDF(w http.ResponseWriter, r *http.Request) {
	q, res, ok := s.unitIndex(w, r)
	if !ok {
		return
	}
	rep := doc.Report{Office: s.office(r.Context(), q.UnitCode), Title: "Chỉ số phục vụ người dân, doanh nghiệp",
		Subtitle: doc.PeriodText(q.From, q.To), Now: s.now(), Sections: report.IndexSections(res)}
	s.sendReport(w, r, rep, "pdf", "chi-so-"+q.UnitCode+"-"+q.From+"-"+q.To)
}

// rankingPDF prints the ranking page on a landscape A4.
func (s *Server) rankingPDF(w http.ResponseWriter, r *http.Request) {
	q, rows, prev, ok := s.unitRanking(w, r)
	if !ok {
		return
	}
	rep := doc.Report{Office: s.office(r.Context(), q.UnitCode), Title: "Xếp hạng chỉ số phục vụ người dân, doanh nghiệp", Landscape: true,
		Subtitle: doc.PeriodText(q.From, q.To) + "; so với kỳ trước " + strings.ToLower(doc.PeriodText(prev.From, prev.To)), Now: s.now(),
		Sections: []doc.Section{report.RankingSection(docRankRows(rows))}}
	s.sendReport(w, r, rep, "pdf", "xep-hang-"+q.UnitCode+"-"+q.From+"-"+q.To)
}

func docRankRows(rows []rankRow) []doc.RankRow {
	out := make([]doc.RankRow, len(rows))
	for i, x := range rows {
		out[i] = doc.RankRow{Rank: x.Rank, Name: x.Name, Total: x.Total, PreviousTotal: x.PreviousTotal, Change: x.Change, Groups: x.Groups}
	}
	return out
}
