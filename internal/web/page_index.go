package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

// indexView is a score with its name in the page's language and, where
// the dossiers that cost points can be listed, the link to them.
type indexView struct {
	index.Score
	Name, Explain string
}

type indexData struct {
	From, To, Unit, UnitCode string
	Res                      index.Result
	Rows                     []indexView
	Ranking                  string // the ranking of the units under this one, if any
	XLSX, PDF                string // the exports of this page
}

func periodValues(unit, from, to string) url.Values {
	return url.Values{"unit": {unit}, "from": {from}, "to": {to}}
}

// unitIndex scores the unit the query asks for (the caller's or one under
// it) over its period: what the index page and its exports show.
func (s *Server) unitIndex(w http.ResponseWriter, r *http.Request) (stats.Query, index.Result, bool) {
	_, q, ok := s.officerQuery(w, r)
	if !ok {
		return q, index.Result{}, false
	}
	res, err := s.DB.Index(r.Context(), []string{q.UnitCode}, q.From, q.To)
	if err != nil {
		s.pageFail(w, r, err)
		return q, index.Result{}, false
	}
	return q, res[q.UnitCode], true
}

// indexPage shows a unit's index: the groups, then every indicator with
// its counts, points and points lost, and the drill-down to the dossiers.
func (s *Server) indexPage(w http.ResponseWriter, r *http.Request) {
	q, res, ok := s.unitIndex(w, r)
	if !ok {
		return
	}
	p := s.newPage(w, r, "index", "index.title")
	d := indexData{From: q.From, To: q.To, UnitCode: q.UnitCode, Res: res,
		XLSX: "/chi-so.xlsx?" + periodValues(q.UnitCode, q.From, q.To).Encode(), PDF: "/chi-so.pdf?" + periodValues(q.UnitCode, q.From, q.To).Encode()}
	d.Unit, _ = s.unitNames(r, q.UnitCode) // the unit asked for: a province leader drills into a commune
	for _, sc := range d.Res.Indicators {
		v := indexView{Score: sc, Name: sc.NameVI}
		if p.Lang == langEN {
			v.Name = sc.NameEN
		}
		if store.Explainable(sc.ID) && sc.Source != index.Entered && !sc.NoData && sc.Lost > 0 { // an entry is not explained by dossiers
			vals := periodValues(q.UnitCode, q.From, q.To)
			vals.Set("indicator", sc.ID)
			v.Explain = "/chi-so/giai-trinh?" + vals.Encode()
		}
		d.Rows = append(d.Rows, v)
	}
	if children, err := s.DB.Units(r.Context(), q.UnitCode); err == nil && len(children) > 0 {
		d.Ranking = "/chi-so/xep-hang?" + periodValues(q.UnitCode, q.From, q.To).Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "index_unit", p)
}

type rankingData struct {
	From, To, Unit, UnitCode string
	PrevFrom, PrevTo         string
	XLSX, PDF                string // the exports of this page
	Rows                     []rankRow
	Trend                    rankTrend
}

// unitRanking ranks the units under the one the query asks for over its
// period, with the previous period it compares against: what the ranking
// page and its exports show.
func (s *Server) unitRanking(w http.ResponseWriter, r *http.Request) (q stats.Query, rows []rankRow, prev stats.Query, ok bool) {
	if _, q, ok = s.officerQuery(w, r); !ok {
		return
	}
	var err error
	if rows, prev.From, prev.To, err = s.ranking(r.Context(), q); err != nil {
		s.pageFail(w, r, err)
		return q, nil, prev, false
	}
	return q, rows, prev, true
}

// rankingPage ranks the units directly under the leader's unit.
func (s *Server) rankingPage(w http.ResponseWriter, r *http.Request) {
	q, rows, prev, ok := s.unitRanking(w, r)
	if !ok {
		return
	}
	trend, err := s.rankingTrend(r.Context(), q.To, rows)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "index", "index.ranking_title")
	p.Scripts = []string{"chart.umd.min.js", "index_chart.js"}
	d := rankingData{Trend: trend, From: q.From, To: q.To, UnitCode: q.UnitCode, PrevFrom: prev.From, PrevTo: prev.To, Rows: rows,
		XLSX: "/chi-so/xep-hang.xlsx?" + periodValues(q.UnitCode, q.From, q.To).Encode(), PDF: "/chi-so/xep-hang.pdf?" + periodValues(q.UnitCode, q.From, q.To).Encode()}
	d.Unit, _ = s.unitNames(r, q.UnitCode)
	p.Data = d
	s.render(w, r, http.StatusOK, "index_ranking", p)
}

type explainData struct {
	From, To, Unit, UnitCode, Indicator string
	Rows                                []explainRow
	Total, Offset, Limit                int
	Next, Prev, Back                    string
	Closed                              bool // some rows are not the viewer's to open
}

// explainRow is a dossier that cost points, and whether the viewer may
// open it: a leader of a unit above lists the commune's dossiers but opens
// only those that passed through his unit.
type explainRow struct {
	store.IndexCost
	Open bool
}

// explainPage lists, a page at a time, the dossiers that cost the unit
// points on one indicator, each linking to the dossier if the viewer may
// open it (dossier.CanView, as the dossier page checks).
func (s *Server) explainPage(w http.ResponseWriter, r *http.Request) {
	a, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	ind, limit, offset, err := explainQuery(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	rows, total, err := s.DB.IndexCosts(r.Context(), q.UnitCode, ind, q.From, q.To, limit, offset)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "index", "index.explain_title", ind)
	d := explainData{From: q.From, To: q.To, UnitCode: q.UnitCode, Indicator: ind, Total: total,
		Offset: offset, Limit: limit, Back: "/chi-so?" + periodValues(q.UnitCode, q.From, q.To).Encode()}
	for _, c := range rows {
		open := dossier.CanView(a, &dossier.Dossier{UnitCode: c.UnitCode, Units: c.Units})
		d.Rows = append(d.Rows, explainRow{IndexCost: c, Open: open})
		d.Closed = d.Closed || !open
	}
	d.Unit, _ = s.unitNames(r, q.UnitCode)
	page := func(off int) string {
		v := periodValues(q.UnitCode, q.From, q.To)
		v.Set("indicator", ind)
		v.Set("offset", strconv.Itoa(off))
		return "/chi-so/giai-trinh?" + v.Encode()
	}
	if offset+limit < total {
		d.Next = page(offset + limit)
	}
	if offset > 0 {
		d.Prev = page(max(0, offset-limit))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "index_explain", p)
}
