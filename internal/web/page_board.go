package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/motcua/motcua/internal/store"
)

// The calling board (/bang-goi-so?unit=): a TV page with the number each
// desk serves and the last numbers called. The page is drawn from the
// unit's queue now; its script (queue.js) then follows the board stream
// (GET /api/v1/board/events) from the event the page was drawn at, plays a
// chime and reads the number aloud.

// boardRecent is how many of the last calls the board lists.
const boardRecent = 6

// boardLookBack bounds the events read to find the last calls.
const boardLookBack = 200

type boardData struct {
	QueueOverview
	UnitName string
	Recent   []store.QueueEvent // the last calls, newest first
}

func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	unit, err := unitParam(r, actor(r))
	var d boardData
	if err == nil {
		d.QueueOverview, err = s.QueueOverview(r.Context(), unit)
	}
	if err == nil {
		d.Recent, err = s.recentCalls(r, unit, d.LastSeq)
	}
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d.UnitName, _ = s.unitNames(r, unit)
	p := s.newPage(w, r, "", "board.title")
	p.setAlt("/bang-goi-so", url.Values{"unit": {unit}})
	p.Scripts = []string{"queue.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "board", p)
}

// recentCalls reads the unit's last calls and recalls, newest first.
func (s *Server) recentCalls(r *http.Request, unit string, last int64) ([]store.QueueEvent, error) {
	evs, err := s.queueStore().QueueEvents(r.Context(), unit, max(last-boardLookBack, 0), 0)
	if err != nil {
		return nil, err
	}
	var out []store.QueueEvent
	for _, e := range slices.Backward(evs) {
		if e.Action == store.EvCall || e.Action == store.EvRecall {
			out = append(out, e)
			if len(out) == boardRecent {
				break
			}
		}
	}
	return out, nil
}
