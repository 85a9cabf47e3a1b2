package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
)

// The counter's statistics (/thong-ke/quay): waiting and service times by
// desk, officer, service group and hour over a span of days, read from the
// queue's roll-up (store.QueueStats), for the unit's leaders and
// administrators and those of the units above it.

type deskStatsData struct {
	Unit, From, To string
	Tables         []deskStatsTable
}

// deskStatsTable is one dimension's table.
type deskStatsTable struct {
	By   string
	Rows []store.QueueStat
}

// deskStatsBy are the dimensions shown, in order.
var deskStatsBy = []string{"desk", "officer", "group", "hour"}

func (s *Server) deskStatsPage(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	var unit string
	if err == nil {
		unit, err = s.queueStatsUnit(r.Context(), a, r.URL.Query().Get("unit"))
	}
	q := r.URL.Query()
	today := s.now().In(calendar.Zone).Format(calendar.DateLayout)
	d := deskStatsData{Unit: unit, From: orDefault(q.Get("from"), today), To: orDefault(q.Get("to"), today)}
	if err == nil {
		err = validDays(d.From, d.To)
	}
	if err == nil {
		err = s.fillDeskStats(r, &d)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "dashboard", "deskstats.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "deskstats", p)
}

// fillDeskStats reads each dimension's rows, naming desks and officers.
func (s *Server) fillDeskStats(r *http.Request, d *deskStatsData) error {
	q := s.queueStore()
	desks, err := q.Desks(r.Context(), d.Unit)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, dk := range desks {
		names[strconv.FormatInt(dk.ID, 10)] = dk.Name
	}
	for _, by := range deskStatsBy {
		rows, err := q.QueueStats(r.Context(), d.Unit, d.From, d.To, by)
		if err != nil {
			return err
		}
		kept := rows[:0]
		for _, row := range rows {
			switch {
			case (by == "desk" && row.Key == "0") || (by == "officer" && row.Key == ""):
				continue // tickets issued, not yet at a desk
			case by == "desk":
				row.Key = names[row.Key]
			case by == "officer":
				if u, err := s.DB.UserByName(r.Context(), row.Key); err == nil {
					row.Key = u.FullName
				}
			}
			kept = append(kept, row)
		}
		d.Tables = append(d.Tables, deskStatsTable{By: by, Rows: kept})
	}
	return nil
}

// MinSec shows a number of seconds as minutes and seconds (4:05).
func (deskStatsData) MinSec(sec int64) string {
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
