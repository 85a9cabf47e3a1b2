package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// pageActions are the actions a dossier page may offer, in the order of the
// usual path (forward first, exceptions last), and rating for the applicant.
var pageActions = []string{
	dossier.ActReceive, dossier.ActSupplement, dossier.ActConfirmPayment, dossier.ActForward, dossier.ActApprove,
	dossier.ActFinish, dossier.ActReturnResult, dossier.ActRequestSupplement, dossier.ActRequestPayment,
	dossier.ActSendBack, dossier.ActExtend, dossier.ActRefuse, dossier.ActStop, dossier.ActWithdraw, dossier.ActRate,
}

// allowedActions tries each action on a copy of the dossier with the pure
// rule dossier.Apply, so that the page offers exactly what the service would
// accept from this user now, without repeating the rules here.
func (s *Server) allowedActions(ctx context.Context, a auth.Actor, d *dossier.Dossier, p *procedure.Procedure) []string {
	if p == nil {
		return nil
	}
	cal, err := s.Calendar.For(ctx, d.UnitCode)
	if err != nil {
		return nil
	}
	var out []string
	for _, act := range pageActions {
		c := copyDossier(d)
		if _, err := dossier.Apply(c, probe(act, d, cal), dossier.Env{Proc: p, Cal: cal, Actor: a, Now: s.now()}); err == nil {
			out = append(out, act)
		}
	}
	return out
}

// probe is a request that satisfies each action's input checks, so that
// only the rules (status, role, unit, step) decide. Its new due time is one
// working day after the current one, a time the office works.
func probe(action string, d *dossier.Dossier, cal dossier.Calendar) dossier.ActionRequest {
	req := dossier.ActionRequest{Action: action, Note: "-", Reason: "-", Missing: []string{"-"}, Amount: 1, Rating: dossier.RatingOK}
	if !d.DueAt.IsZero() {
		req.NewDueAt = cal.Add(d.DueAt, cal.DayLength())
	}
	return req
}

// copyDossier copies the dossier and its lists, so that Apply on the copy
// leaves the page's dossier as it is.
func copyDossier(d *dossier.Dossier) *dossier.Dossier {
	c := *d
	c.Components = slices.Clone(d.Components)
	c.Missing = slices.Clone(d.Missing)
	c.Units = slices.Clone(d.Units)
	c.History = nil
	return &c
}

// actionRequest reads an action's form.
func actionRequest(r *http.Request, action string) dossier.ActionRequest {
	f := r.PostFormValue
	req := dossier.ActionRequest{Action: action, Note: f("note"), Reason: f("reason"), Department: f("department"),
		Assignee: f("assignee"), Missing: splitLines(f("missing")), Components: r.PostForm["components"], Comment: f("comment")}
	req.Components = append(req.Components, splitLines(f("components_other"))...)
	req.Version, _ = strconv.Atoi(f("version"))
	req.Rating, _ = strconv.Atoi(f("rating"))
	req.Amount = parseAmount(f("amount"))
	if day := f("new_due_date"); day != "" {
		hm := f("new_due_time")
		if hm == "" {
			hm = "17:00"
		}
		req.NewDueAt, _ = time.ParseInLocation("2006-01-02 15:04", day+" "+hm, calendar.Zone)
	}
	return req
}

// parseAmount reads "150.000" or "150,000 đ" as 150000; nonsense as -1, so
// that the service refuses it rather than falling back to the default fee.
func parseAmount(s string) int64 {
	s = strings.Map(func(r rune) rune {
		if r == '.' || r == ',' || r == ' ' || r == 'đ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
