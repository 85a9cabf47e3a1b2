package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

const queuePageSize = 50

type queueRow struct {
	D    dossier.Dossier
	Due  dueInfo
	Dept string
	// Assignee is the full name of the officer the step is assigned to.
	Assignee string
}

type queueData struct {
	Q, Status, Due   string
	Page, Pages      int
	Total            int
	Rows             []queueRow
	Statuses         []dossier.Status
	PrevURL, NextURL string
}

// dossiersPage is the officer's work queue, or an applicant's own dossiers.
func (s *Server) dossiersPage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if a.IsOfficer() {
		s.queue(w, r, a)
		return
	}
	s.mine(w, r, a)
}

// queue lists the dossiers of the officer's unit. Its filters stay in the
// URL (bookmarks, the back button and a colleague's link all work); htmx
// swaps only the table when they change.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, a auth.Actor) {
	q := r.URL.Query()
	d := queueData{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Due: q.Get("due"), Page: 1}
	for st := dossier.StatusSubmitted; st <= dossier.StatusReturned; st++ {
		d.Statuses = append(d.Statuses, st)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	f := d.filter(s.now())
	ds, total, err := s.Dossiers.List(r.Context(), a, f)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "queue", "queue.title")
	depts := s.departmentNames(r.Context(), a.UnitCode)
	names := s.officerNames(r.Context(), assignees(ds)...)
	for i := range ds {
		d.Rows = append(d.Rows, queueRow{D: ds[i], Due: dueOf(p.c, &ds[i], s.now()), Dept: depts[ds[i].StepDepartment],
			Assignee: names[ds[i].StepAssignee]})
	}
	d.Total, d.Pages = total, max(1, (total+queuePageSize-1)/queuePageSize)
	d.links(q)
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "queue", p)
}

func (d *queueData) filter(now time.Time) dossier.Filter {
	f := dossier.Filter{Query: d.Q, Limit: queuePageSize, Offset: (d.Page - 1) * queuePageSize}
	if n, err := strconv.Atoi(d.Status); err == nil && dossier.Status(n).Valid() {
		f.Status = dossier.Status(n)
	} else {
		d.Status = ""
	}
	switch d.Due {
	case "open":
		// every open dossier with a clock, the most urgent first
		f.DueBefore = now.AddDate(10, 0, 0)
	case "late":
		f.DueBefore = now
	case "soon":
		// due by the end of the day after tomorrow, late ones included:
		// they come first, as the list is ordered by due time.
		t := now.In(calendar.Zone).AddDate(0, 0, 3)
		f.DueBefore = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, calendar.Zone)
	default:
		d.Due = ""
	}
	return f
}

// links builds the previous and next page addresses, keeping the filters.
func (d *queueData) links(q url.Values) {
	d.PrevURL, d.NextURL = pageLinks("/ho-so", q, d.Page, d.Pages)
}

// pageLinks builds the previous and next page addresses of a list at path,
// keeping its filters.
func pageLinks(path string, q url.Values, page, pages int) (prev, next string) {
	at := func(n int) string {
		v := url.Values{}
		for k, x := range q {
			if k != "page" && k != "lang" {
				v[k] = x
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if page > 1 {
		prev = at(page - 1)
	}
	if page < pages {
		next = at(page + 1)
	}
	return prev, next
}

type mineRow struct {
	D      dossier.Dossier
	Status plainStatus
}

// mine lists an applicant's own dossiers with their status in plain words.
func (s *Server) mine(w http.ResponseWriter, r *http.Request, a auth.Actor) {
	ds, _, err := s.Dossiers.List(r.Context(), a, dossier.Filter{Limit: 200})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "mine", "mine.title")
	var rows []mineRow
	for i := range ds {
		rows = append(rows, mineRow{D: ds[i], Status: s.plainFor(r.Context(), p.c, &ds[i])})
	}
	p.Data = rows
	s.render(w, r, http.StatusOK, "mine", p)
}

func (s *Server) plainFor(ctx context.Context, c *catalog, d *dossier.Dossier) plainStatus {
	pr, _ := s.Procs.ForUnit(ctx, d.ProcedureCode, d.UnitCode)
	return plainOf(c, d, pr, s.departmentNames(ctx, d.UnitCode))
}
