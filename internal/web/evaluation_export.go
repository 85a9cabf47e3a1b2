package web

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/doc"
)

// evaluationExport prints the unit's evaluation page (the unit and its
// officers, then the unit's criteria) as PDF or Excel, in Vietnamese, with
// the page's scoping: an officer who is not a leader gets his own.
func (s *Server) evaluationExport(w http.ResponseWriter, r *http.Request) {
	a, sc, ok := s.evalPageScope(w, r)
	if !ok {
		return
	}
	if sc.Self {
		s.exportOfficerEval(w, r, a, sc, a.Username)
		return
	}
	d, err := s.unitEvalData(r, s.ui.cat[langVI], a, sc)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	table := doc.Section{Title: "Kết quả đánh giá đơn vị và cán bộ", Heads: append(append([]string{"Đơn vị, cán bộ"}, d.Headers...), "Tổng điểm", "Xếp loại"),
		Widths: []float64{2.2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2}}
	for _, row := range append([]evalRow{*d.Unit1}, d.Rows...) {
		table.Rows = append(table.Rows, append(append([]string{row.Name}, row.Points...), row.Total, row.Grade))
	}
	lines := evalLinesSection("Các tiêu chí của đơn vị", d)
	s.sendReport(w, r, s.evalReport(r, d, "Đánh giá định kỳ theo 9 tiêu chí", table, lines), r.PathValue("format"), "danh-gia-"+d.Unit+"-"+d.Period)
}

// officerEvaluationExport prints one officer's page.
func (s *Server) officerEvaluationExport(w http.ResponseWriter, r *http.Request) {
	if a, sc, ok := s.evalPageScope(w, r); ok {
		s.exportOfficerEval(w, r, a, sc, r.PathValue("username"))
	}
}

func (s *Server) exportOfficerEval(w http.ResponseWriter, r *http.Request, a auth.Actor, sc evalScope, name string) {
	d, err := s.officerEvalData(r, s.ui.cat[langVI], a, sc, name)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	rep := s.evalReport(r, d, "Đánh giá cán bộ: "+d.Who, evalLinesSection("Các tiêu chí của cán bộ "+d.Who, d))
	s.sendReport(w, r, rep, r.PathValue("format"), "danh-gia-"+d.Unit+"-"+name+"-"+d.Period)
}

func (s *Server) evalReport(r *http.Request, d evalPageData, title string, sections ...doc.Section) doc.Report {
	return doc.Report{Office: s.office(r.Context(), d.Unit), Title: title, Landscape: true, Now: s.now(), Sections: sections,
		Subtitle: "Kỳ " + d.Period + ": " + doc.PeriodText(d.From, d.To)}
}

// evalLinesSection is the criteria table of a page: how each criterion was
// computed, its counts, rate, points and source, and the total and grade.
func evalLinesSection(title string, d evalPageData) doc.Section {
	s := doc.Section{Title: title, Heads: []string{"Tiêu chí", "Cách tính", "Số liệu", "Tỷ lệ", "Điểm", "Nguồn"},
		Widths: []float64{2.2, 2.4, 0.8, 0.8, 0.6, 2}, Align: "LLRRRL",
		Note: "Tổng điểm (thang 18): " + d.Total + "; xếp loại: " + d.Grade + "; " + strconv.Itoa(d.Scored) + " tiêu chí có số liệu"}
	for _, l := range d.Lines {
		source := l.Source
		if e := l.Entry; e != nil {
			source += ": " + e.Reason + " (" + e.EnteredBy + ", " + fmtDateTime(e.EnteredAt) + ")"
		}
		s.Rows = append(s.Rows, []string{l.Name, l.How, l.Counts, l.Rate, l.Points, source})
	}
	return s
}
