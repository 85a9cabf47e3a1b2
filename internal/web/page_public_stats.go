package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/unit"
)

// Public statistics: what the law asks a unit to publish about its
// one-stop shop (dossiers received, finished on time, the online share,
// satisfaction, petitions answered), month by month for a year, read from
// the same roll-ups and through the same store calls (DB.Summary,
// DB.PetitionSummary) as the leaders' dashboard, so that both show the
// same numbers. Nothing personal is in them; the pages are cached by ETag.

// publicStats is one unit's year.
type publicStats struct {
	Unit      string           `json:"unit"`
	UnitName  string           `json:"unit_name"`
	Year      int              `json:"year"`
	From      string           `json:"from"`
	To        string           `json:"to"`
	Totals    publicFigures    `json:"totals"`
	Petitions petition.Summary `json:"petitions"`
	Months    []publicFigures  `json:"months"`
	Base      string           `json:"-"` // the site's address, for the widget's snippet
}

// Day shows one of the period's dates as the pages show dates.
func (p *publicStats) Day(d string) string {
	t, err := time.ParseInLocation(calendar.DateLayout, d, calendar.Zone)
	if err != nil {
		return d
	}
	return fmtDate(t)
}

// publicFigures are the published numbers of a period.
type publicFigures struct {
	Month        string  `json:"month,omitempty"` // YYYY-MM; empty for the year
	Received     int64   `json:"received"`
	Online       int64   `json:"online_received"`
	OnlineRate   float64 `json:"online_rate"`
	Finished     int64   `json:"finished"`
	OnTime       int64   `json:"finished_on_time"` // early or on time
	OnTimeRate   float64 `json:"on_time_rate"`
	Rated        int64   `json:"rated"`
	Satisfaction float64 `json:"satisfaction"`
	PetReceived  int64   `json:"petitions_received"`
	PetSettled   int64   `json:"petitions_answered"`
}

func figuresOf(s *stats.Summary, p petition.Summary) publicFigures {
	t := s.Totals
	return publicFigures{Received: t[stats.Received], Online: s.Online, OnlineRate: s.OnlineRate,
		Finished: t[stats.FinishedEarly] + t[stats.FinishedOnTime] + t[stats.FinishedLate], OnTime: t[stats.FinishedEarly] + t[stats.FinishedOnTime],
		OnTimeRate: s.OnTimeRate, Rated: t[stats.RatedVery] + t[stats.RatedOK] + t[stats.RatedBad], Satisfaction: s.Satisfaction,
		PetReceived: p.Received, PetSettled: p.Settled}
}

// statsUnit finds a unit whose statistics may be published: any
// administrative unit; a residential group has none.
func (s *Server) statsUnit(ctx context.Context, code string) (*unit.Unit, error) {
	u, err := s.DB.Unit(ctx, code)
	if err == nil && u.Kind == unit.KindGroup {
		err = apperr.NotFound("Không tìm thấy đơn vị "+code, "unit "+code+" not found")
	}
	return u, err
}

// publicStatsOf reads a unit's year: the year so far (to today) for the
// current year, as the dashboard's default period is.
func (s *Server) publicStatsOf(ctx context.Context, code, year string) (*publicStats, error) {
	u, err := s.statsUnit(ctx, code)
	if err != nil {
		return nil, err
	}
	now := s.now().In(calendar.Zone)
	y := now.Year()
	if year != "" {
		if y, err = strconv.Atoi(year); err != nil || y < 2000 || y > now.Year() {
			return nil, apperr.Invalid("year", "Năm không hợp lệ", "invalid year")
		}
	}
	out := &publicStats{Unit: u.Code, UnitName: u.FullName, Year: y, From: time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Zone).Format(calendar.DateLayout),
		To: time.Date(y, 12, 31, 0, 0, 0, 0, calendar.Zone).Format(calendar.DateLayout)}
	if y == now.Year() {
		out.To = now.Format(calendar.DateLayout)
	}
	if out.Totals, out.Petitions, err = s.figures(ctx, u.Code, out.From, out.To); err != nil {
		return nil, err
	}
	for m := time.Month(1); m <= 12; m++ {
		first := time.Date(y, m, 1, 0, 0, 0, 0, calendar.Zone)
		from, to := first.Format(calendar.DateLayout), first.AddDate(0, 1, -1).Format(calendar.DateLayout)
		if from > out.To {
			break
		}
		f, _, err := s.figures(ctx, u.Code, from, min(to, out.To))
		if err != nil {
			return nil, err
		}
		f.Month = first.Format("2006-01")
		out.Months = append(out.Months, f)
	}
	return out, nil
}

// figures reads one period from the roll-ups, as the dashboard does.
func (s *Server) figures(ctx context.Context, code, from, to string) (publicFigures, petition.Summary, error) {
	sum, err := s.DB.Summary(ctx, stats.Query{UnitCode: code, From: from, To: to})
	if err != nil {
		return publicFigures{}, petition.Summary{}, err
	}
	pet, err := s.DB.PetitionSummary(ctx, code, from, to)
	return figuresOf(sum, pet), pet, err
}

// publicStatsJSON answers GET /api/v1/stats/public?unit=&year=.
func (s *Server) publicStatsJSON(w http.ResponseWriter, r *http.Request) {
	st, err := s.publicStatsOf(r.Context(), r.URL.Query().Get("unit"), r.URL.Query().Get("year"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := json.Marshal(st)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*") // public figures, for other sites' widgets
	s.writeBody(w, r, "application/json; charset=utf-8", append(body, '\n'))
}

// publicStatsIndex lists the units that receive dossiers, each linking to
// its statistics.
func (s *Server) publicStatsIndex(w http.ResponseWriter, r *http.Request) {
	units, err := s.DB.ReceivingUnits(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "publicstats", "pubstats.title")
	p.Data = units
	s.renderCached(w, r, "pubstats_index", "layout", p)
}

// publicStatsPage is a unit's statistics page.
func (s *Server) publicStatsPage(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.publicStatsView(w, r); ok {
		s.renderCached(w, r, "pubstats", "layout", p)
	}
}

// publicStatsWidget is the same figures as a small page meant for another
// site's iframe: the only page any site may frame.
func (s *Server) publicStatsWidget(w http.ResponseWriter, r *http.Request) {
	p, ok := s.publicStatsView(w, r)
	if !ok {
		return
	}
	body, ok := s.execute(w, "pubstats_widget", "widget", p)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Vary", "Cookie")
	s.writeBody(w, r, "text/html; charset=utf-8", body)
}

// publicStatsView starts the page of the unit and year asked for, or
// answers the error page and returns false.
func (s *Server) publicStatsView(w http.ResponseWriter, r *http.Request) (*page, bool) {
	st, err := s.publicStatsOf(r.Context(), r.PathValue("unit"), r.URL.Query().Get("year"))
	if err != nil {
		s.pageFail(w, r, err)
		return nil, false
	}
	st.Base = s.baseURL(r)
	p := s.newPage(w, r, "publicstats", "pubstats.unit_title", st.UnitName)
	p.Data = st
	return p, true
}

// renderCached renders a page like render, but lets the browser keep it:
// the answer carries an ETag of its bytes and a request that has them gets
// 304 without a body (writeCached, etag.go).
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, name, block string, p *page) {
	body, ok := s.execute(w, name, block, p)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Vary", "Cookie")
	securityHeaders(h)
	s.writeBody(w, r, "text/html; charset=utf-8", body)
}

// writeBody answers a public GET whose version is its bytes: the ETag is
// their digest, and writeCached decides on 304 and caching.
func (s *Server) writeBody(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", contentType)
	s.writeCached(w, r, `W/"`+hex.EncodeToString(sum[:16])+`"`, func() ([]byte, error) { return body, nil })
}
