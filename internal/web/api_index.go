package web

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"golang.org/x/sync/errgroup"
)

// The service index answers officers for their unit and the units under
// it, exactly as the dashboard does (dashQuery): nobody reads above or
// beside their own unit.

// indexQuery reads the caller and the unit and period of an index request.
func (s *Server) indexQuery(r *http.Request) (auth.Actor, stats.Query, error) {
	a, err := officer(r)
	if err != nil {
		return a, stats.Query{}, err
	}
	q, err := s.dashQuery(r, a)
	return a, q, err
}

func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) {
	_, q, err := s.indexQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.DB.Index(r.Context(), []string{q.UnitCode}, q.From, q.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": q.UnitCode, "from": q.From, "to": q.To, "index": res[q.UnitCode]})
}

// rankRow is one unit of a ranking.
type rankRow struct {
	Rank          int           `json:"rank"`
	UnitCode      string        `json:"unit"`
	Name          string        `json:"name"`
	Total         float64       `json:"total"`
	Points        float64       `json:"points"`
	MaxWithData   float64       `json:"max_with_data"`
	Groups        []index.Group `json:"groups"`
	PreviousTotal float64       `json:"previous_total"`
	Change        float64       `json:"change"` // total − previous total
}

// ranking scores the units directly under q's unit over q's period and the
// period of equal length just before it, best total first.
func (s *Server) ranking(ctx context.Context, q stats.Query) ([]rankRow, string, string, error) {
	children, err := s.DB.Units(ctx, q.UnitCode)
	if err != nil {
		return nil, "", "", err
	}
	codes := make([]string, len(children))
	for i, c := range children {
		codes[i] = c.Code
	}
	pFrom, pTo := previousPeriod(q.From, q.To)
	// The two periods are read side by side: each is its own reads, and a
	// leader waits for the slower one rather than for both in turn.
	var now, before map[string]index.Result
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { now, err = s.DB.Index(gctx, codes, q.From, q.To); return err })
	g.Go(func() (err error) { before, err = s.DB.Index(gctx, codes, pFrom, pTo); return err })
	if err := g.Wait(); err != nil {
		return nil, "", "", err
	}
	rows := make([]rankRow, len(children))
	for i, c := range children {
		n, b := now[c.Code], before[c.Code]
		rows[i] = rankRow{UnitCode: c.Code, Name: c.Name, Total: n.Total, Points: n.Points, MaxWithData: n.MaxWithData,
			Groups: n.Groups, PreviousTotal: b.Total, Change: math.Round((n.Total-b.Total)*100) / 100}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Total > rows[j].Total })
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].Total == rows[i-1].Total {
			rows[i].Rank = rows[i-1].Rank // ties share a rank
		}
	}
	return rows, pFrom, pTo, nil
}

// previousPeriod is the period of as many days ending the day before from.
func previousPeriod(from, to string) (string, string) {
	f, _ := time.Parse("2006-01-02", from)
	t, _ := time.Parse("2006-01-02", to)
	days := int(t.Sub(f).Hours()/24) + 1
	return f.AddDate(0, 0, -days).Format("2006-01-02"), f.AddDate(0, 0, -1).Format("2006-01-02")
}

func (s *Server) apiIndexRanking(w http.ResponseWriter, r *http.Request) {
	_, q, err := s.indexQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, pFrom, pTo, err := s.ranking(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": q.UnitCode, "from": q.From, "to": q.To,
		"previous_from": pFrom, "previous_to": pTo, "units": rows})
}

// explainQuery reads the indicator and the page of an explanation.
func explainQuery(r *http.Request) (string, int, int, error) {
	v := r.URL.Query()
	ind := v.Get("indicator")
	if !store.Explainable(ind) {
		return "", 0, 0, apperr.Invalid("indicator", "Chỉ số này không có danh sách hồ sơ (có: 2.1, 3.3, 4.1, 4.3, 5.4)", "this indicator has no list of dossiers (there are: 2.1, 3.3, 4.1, 4.3, 5.4)")
	}
	limit, offset := 50, 0
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &limit}, {"offset", &offset}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return "", 0, 0, apperr.Invalid(p.name, p.name+" phải là số nguyên không âm", p.name+" must be a non-negative integer")
			}
			*p.dst = n
		}
	}
	if limit == 0 || limit > 500 {
		limit = 50
	}
	return ind, limit, offset, nil
}

func (s *Server) apiIndexExplain(w http.ResponseWriter, r *http.Request) {
	_, q, err := s.indexQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ind, limit, offset, err := explainQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total, err := s.DB.IndexCosts(r.Context(), q.UnitCode, ind, q.From, q.To, limit, offset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.IndexCost{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": q.UnitCode, "from": q.From, "to": q.To, "indicator": ind,
		"dossiers": rows, "total": total, "limit": limit, "offset": offset})
}

// indexEntryInput is the body of POST /api/v1/index/entries.
type indexEntryInput struct {
	Unit        string `json:"unit"`
	Period      string `json:"period"`
	Indicator   string `json:"indicator"`
	Numerator   int64  `json:"numerator"`
	Denominator int64  `json:"denominator"`
	Note        string `json:"note"`
}

// apiIndexEntry records an indicator the system cannot count, for the
// caller's unit or one under it: leaders and administrators only.
func (s *Server) apiIndexEntry(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Role != auth.RoleLeader && a.Role != auth.RoleAdmin {
		s.fail(w, r, apperr.Forbidden("Chỉ lãnh đạo và quản trị viên được nhập chỉ số", "only leaders and administrators may enter indicators"))
		return
	}
	var in indexEntryInput
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e := store.IndexEntry{UnitCode: in.Unit, Period: in.Period, Indicator: in.Indicator, Numerator: in.Numerator, Denominator: in.Denominator, Note: in.Note}
	if e.UnitCode == "" {
		e.UnitCode = a.UnitCode
	}
	if ok, err := s.DB.UnitWithin(r.Context(), e.UnitCode, a.UnitCode); err != nil || !ok {
		s.fail(w, r, apperr.Forbidden("Bạn chỉ nhập được chỉ số của đơn vị mình và các đơn vị trực thuộc", "you may only enter indicators of your unit and the units under it"))
		return
	}
	e.EnteredBy, e.EnteredAt = a.Username, s.now()
	if err := s.DB.SaveIndexEntry(r.Context(), e); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}
