package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/petition"
)

// petitionRow is one petition of the officers' queue.
type petitionRow struct {
	P         petition.Petition
	Status    string
	FieldName string
	Assignee  string
	Due       dueInfo
}

type petitionQueueData struct {
	Status, Field, Due string
	Mine               bool // only those assigned to the caller
	Page, Pages, Total int
	Rows               []petitionRow
	Statuses, Fields   []petitionOption
	PrevURL, NextURL   string
	// The leader's two lists: the late ones (escalated) and the answers
	// waiting for approval; -1 for other roles.
	Late, Drafted int
}

// petitionQueuePage is the officers' queue of their unit's petitions. The
// filters stay in the URL; htmx swaps only the table when they change.
func (s *Server) petitionQueuePage(w http.ResponseWriter, r *http.Request) {
	a, err := officer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := petitionQueueData{Status: q.Get("status"), Field: q.Get("field"), Due: q.Get("due"), Mine: q.Get("mine") == "1",
		Page: 1, Late: -1, Drafted: -1}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		d.Page = n
	}
	svc := s.Petitions()
	req := d.request()
	if d.Mine {
		req.Assignee = a.Username
	}
	ps, total, err := svc.List(r.Context(), a, req)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "petitions", "pet.queue.title")
	d.Statuses, d.Fields = petitionStatuses(p.c), petitionFields(p.c)
	s.petitionRows(r.Context(), p.c, a, &d, ps)
	d.Total, d.Pages = total, max(1, (total+queuePageSize-1)/queuePageSize)
	d.PrevURL, d.NextURL = pageLinks("/phan-anh", q, d.Page, d.Pages)
	if a.Role == auth.RoleLeader {
		d.Late = s.countPetitions(r.Context(), a, petition.ListRequest{Queue: petition.QueueLate})
		d.Drafted = s.countPetitions(r.Context(), a, petition.ListRequest{Status: petition.StatusDrafted})
	}
	p.Scripts = []string{"htmx.min.js"}
	p.Data = d
	s.render(w, r, http.StatusOK, "petition_queue", p)
}

// request reads the filters; a value outside the lists is dropped, as the
// dossiers' queue does, so that an old bookmark still opens.
func (d *petitionQueueData) request() petition.ListRequest {
	req := petition.ListRequest{Limit: queuePageSize, Offset: (d.Page - 1) * queuePageSize}
	switch n, err := strconv.Atoi(d.Status); {
	case d.Status == "open":
		req.Open = true
	case err == nil && petition.StatusName[petition.Status(n)][0] != "":
		req.Status = petition.Status(n)
	default:
		d.Status = ""
	}
	if _, ok := petition.FieldByCode(d.Field); ok {
		req.Field = d.Field
	} else {
		d.Field = ""
	}
	if d.Due == petition.QueueLate || d.Due == petition.QueueNearDue {
		req.Queue = d.Due
	} else {
		d.Due = ""
	}
	return req
}

func (s *Server) petitionRows(ctx context.Context, c *catalog, a auth.Actor, d *petitionQueueData, ps []petition.Petition) {
	var users []string
	for _, p := range ps {
		users = append(users, p.Assignee)
	}
	names := s.officerNames(ctx, users...)
	svc, now := s.Petitions(), s.now()
	cal, err := s.Calendar.For(ctx, a.UnitCode)
	for i := range ps {
		p := &ps[i]
		row := petitionRow{P: *p, Status: petitionStatusName(c, p.Status), FieldName: petitionFieldName(c, p.Field), Assignee: names[p.Assignee]}
		row.Due = petitionDue(c, p, now, err == nil && svc.NearDue(cal, p, now))
		d.Rows = append(d.Rows, row)
	}
}

// countPetitions counts a list of the caller's unit; the listing's total
// does the counting, through the (unit, status, due) index.
func (s *Server) countPetitions(ctx context.Context, a auth.Actor, req petition.ListRequest) int {
	req.Limit = 1
	_, n, err := s.Petitions().List(ctx, a, req)
	if err != nil {
		return 0
	}
	return n
}

func petitionStatuses(c *catalog) []petitionOption {
	var out []petitionOption
	for st := petition.StatusReceived; st <= petition.StatusClosed; st++ {
		out = append(out, petitionOption{strconv.Itoa(int(st)), petitionStatusName(c, st)})
	}
	return out
}

func petitionStatusName(c *catalog, st petition.Status) string {
	n := petition.StatusName[st]
	return c.pick(n[0], n[1])
}

func petitionFieldName(c *catalog, code string) string {
	if f, ok := petition.FieldByCode(code); ok {
		return c.pick(f.Name, f.NameEn)
	}
	return code
}

// petitionDue is a petition's due time as officers read it: settled early,
// on time or late; waiting for the sender; late; due soon (near, on the
// unit's calendar); or due on a day.
func petitionDue(c *catalog, p *petition.Petition, now time.Time, near bool) dueInfo {
	switch {
	case p.Outcome != "" && !p.SettledAt.IsZero():
		return dueInfo{"outcome-" + p.Outcome, c.T("outcome." + p.Outcome)}
	case !p.Status.Open():
		return dueInfo{}
	case p.Late(now):
		if n := localDays(p.DueAt, now); n > 0 {
			return dueInfo{"late", c.T("due.late_days", n)}
		}
		return dueInfo{"late", c.T("due.late_today", p.DueAt.In(calendar.Zone).Format("15:04"))}
	case p.Status == petition.StatusWaiting:
		return dueInfo{"paused", c.T("pet.due.waiting")}
	case near:
		return dueInfo{"soon", c.T("pet.due.near", fmtDateTime(p.DueAt))}
	}
	return dueInfo{"ok", c.T("due.on", fmtDateTime(p.DueAt))}
}
