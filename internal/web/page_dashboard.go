package web

import (
	"context"
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
)

type dashRow struct {
	Key, Label string
	Received   int64
	OnTime     int64 // finished early or on time
	Late       int64
	Returned   int64
	Rated      int64
	Satisfied  int64
}

type dashChart struct {
	Labels   []string `json:"labels"`
	Received []int64  `json:"received"`
	OnTime   []int64  `json:"on_time"`
	Late     []int64  `json:"late"`
	Names    struct {
		Received string `json:"received"`
		OnTime   string `json:"on_time"`
		Late     string `json:"late"`
	} `json:"names"`
}

type dashData struct {
	From, To    string
	Unit        string
	S           *stats.Summary
	LateNow     int
	Open        int
	ByProcedure []dashRow
	ByMonth     []dashRow
	ByUnit      []dashRow // for a province (or any unit with units under it): one row per commune
	Chart       dashChart
	XLSX        string
	Petitions   petition.Summary // of the unit and the units under it, from their roll-ups
	// Counter is the unit's counter queue over the period, from its
	// roll-up: for leaders and administrators (who also open its
	// statistics page), nil for the others.
	Counter *store.QueueStat
}

// MinSec shows a number of seconds as minutes and seconds (4:05).
func (dashData) MinSec(sec int64) string { return deskStatsData{}.MinSec(sec) }

// dashboard shows a leader four or five numbers first, then the trend by
// month and the split by procedure, from the roll-ups (never a scan of the
// dossiers), for the officer's unit and the units under it.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	a, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	sum, err := s.DB.Summary(r.Context(), q)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "dashboard", "dashboard.title")
	d := dashData{From: q.From, To: q.To, Unit: p.UnitName, S: sum, XLSX: s.dashboardXLSXURL(q)}
	d.LateNow = s.countDossiers(r.Context(), a, dossier.Filter{DueBefore: s.now()})
	// Every open dossier with a clock is due before ten years from now.
	d.Open = s.countDossiers(r.Context(), a, dossier.Filter{DueBefore: s.now().AddDate(10, 0, 0)})
	d.ByProcedure = s.procedureRows(r.Context(), sum.ByProcedure)
	d.ByMonth = monthRows(sum.ByMonth)
	d.ByUnit = s.unitRows(r.Context(), q.UnitCode, sum.ByUnit)
	d.Chart = chartOf(p.c, d.ByMonth)
	if d.Petitions, err = s.DB.PetitionSummary(r.Context(), q.UnitCode, q.From, q.To); err == nil {
		d.Counter, err = s.counterFigures(r.Context(), a, q)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p.Scripts = []string{"chart.umd.min.js", "dashboard.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "dashboard", p)
}

// counterFigures reads the unit's counter totals over the dashboard's
// period (one roll-up read, store.QueueStats by unit) for a leader or an
// administrator; nil for the other officers.
func (s *Server) counterFigures(ctx context.Context, a auth.Actor, q stats.Query) (*store.QueueStat, error) {
	if !queueManager(a) {
		return nil, nil
	}
	to := q.To
	if to == "" {
		to = s.now().In(calendar.Zone).Format(calendar.DateLayout)
	}
	rows, err := s.queueStore().QueueStats(ctx, q.UnitCode, q.From, to, "unit")
	if err != nil || len(rows) == 0 {
		return &store.QueueStat{}, err
	}
	return &rows[0], nil
}

// officerQuery reads the signed-in officer and the unit and period asked
// for, or answers the error page and returns false. The dashboard, its Excel
// export and the tracking book all start here.
func (s *Server) officerQuery(w http.ResponseWriter, r *http.Request) (auth.Actor, stats.Query, bool) {
	a, err := officer(r)
	if err == nil {
		var q stats.Query
		if q, err = s.dashQuery(r, a); err == nil {
			return a, q, true
		}
	}
	s.pageFail(w, r, err)
	return a, stats.Query{}, false
}

// dashQuery reads the period, by default the year so far.
func (s *Server) dashQuery(r *http.Request, a auth.Actor) (stats.Query, error) {
	now := s.now().In(calendar.Zone)
	q := stats.Query{UnitCode: a.UnitCode, From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	if u := r.URL.Query().Get("unit"); u != "" && u != a.UnitCode {
		// A province leader drills into one of its communes; nobody looks
		// above or beside their own unit.
		if ok, err := s.DB.UnitWithin(r.Context(), u, a.UnitCode); err != nil || !ok {
			return q, apperr.Forbidden("Bạn chỉ xem được số liệu của đơn vị mình và các đơn vị trực thuộc", "you may only see your unit and the units under it")
		}
		q.UnitCode = u
	}
	if q.From == "" {
		q.From = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, calendar.Zone).Format("2006-01-02")
	}
	if err := q.Validate(s.now()); err != nil {
		return q, err
	}
	if a.UnitCode == "" {
		return q, apperr.Forbidden("Tài khoản chưa thuộc đơn vị nào", "the account belongs to no unit")
	}
	return q, nil
}

// countDossiers counts the open dossiers of the caller's unit due before a
// time; the listing's total does the counting.
func (s *Server) countDossiers(ctx context.Context, a auth.Actor, f dossier.Filter) int {
	f.Limit = 1
	_, n, err := s.Dossiers.List(ctx, a, f)
	if err != nil {
		return 0
	}
	return n
}

func rowOf(key string, c map[string]int64) dashRow {
	return dashRow{Key: key, Label: key, Received: c[stats.Received], OnTime: c[stats.FinishedEarly] + c[stats.FinishedOnTime],
		Late: c[stats.FinishedLate], Returned: c[stats.Returned], Rated: c[stats.RatedVery] + c[stats.RatedOK] + c[stats.RatedBad],
		Satisfied: c[stats.RatedVery] + c[stats.RatedOK]}
}

func (s *Server) procedureRows(ctx context.Context, rows []stats.Row) []dashRow {
	names := map[string]string{}
	if ps, err := s.Procs.List(ctx, store.ProcedureFilter{}); err == nil {
		for _, p := range ps {
			names[p.Code] = p.Name
		}
	}
	return namedRows(rows, names)
}

// namedRows labels rows by their key's name, or the key where none is known.
func namedRows(rows []stats.Row, names map[string]string) []dashRow {
	var out []dashRow
	for _, r := range rows {
		x := rowOf(r.Key, r.Counts)
		if n := names[r.Key]; n != "" {
			x.Label = n
		}
		out = append(out, x)
	}
	return out
}

// unitRows names the receiving units of a summary; a unit with nothing under
// it gets no rows, since its one row would repeat the totals.
func (s *Server) unitRows(ctx context.Context, unitCode string, rows []stats.Row) []dashRow {
	if len(rows) < 2 && (len(rows) == 0 || rows[0].Key == unitCode) {
		return nil
	}
	names := map[string]string{}
	if us, err := s.DB.Units(ctx, unitCode); err == nil {
		for _, u := range us {
			names[u.Code] = u.FullName
		}
	}
	return namedRows(rows, names)
}

// monthRows labels months as mm/yyyy.
func monthRows(rows []stats.Row) []dashRow {
	var out []dashRow
	for _, r := range rows {
		x := rowOf(r.Key, r.Counts)
		if t, err := time.Parse("2006-01", r.Key); err == nil {
			x.Label = t.Format("01/2006")
		}
		out = append(out, x)
	}
	return out
}

func chartOf(c *catalog, months []dashRow) dashChart {
	ch := dashChart{Labels: []string{}, Received: []int64{}, OnTime: []int64{}, Late: []int64{}}
	ch.Names.Received, ch.Names.OnTime, ch.Names.Late = c.T("dashboard.received"), c.T("dashboard.finished_on_time"), c.T("dashboard.finished_late")
	for _, m := range months {
		ch.Labels = append(ch.Labels, m.Label)
		ch.Received = append(ch.Received, m.Received)
		ch.OnTime = append(ch.OnTime, m.OnTime)
		ch.Late = append(ch.Late, m.Late)
	}
	return ch
}
