package web

import (
	"context"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// plainStatus says where a dossier stands in words a citizen understands,
// never a bare status code: "Đang thẩm định tại Tư pháp - Hộ tịch",
// "Cần bổ sung: ...". Details are the lines that follow (what is missing).
type plainStatus struct {
	Text    string
	Details []string
}

// publicEvent is one step of the history as the applicant sees it: when and
// what, without the officers' names.
type publicEvent struct {
	At   time.Time
	Text string
}

// citizenView is what an applicant is shown about a dossier.
type citizenView struct {
	D        *dossier.Dossier
	Status   plainStatus
	Timeline []publicEvent
	CanRate  bool
}

func (s *Server) citizenView(ctx context.Context, c *catalog, d *dossier.Dossier) citizenView {
	p, _ := s.Procs.ForUnit(ctx, d.ProcedureCode, d.UnitCode) // a procedure since removed still shows the dossier
	depts := s.departmentNames(ctx, d.UnitCode)
	v := citizenView{D: d, Status: plainOf(c, d, p, depts), CanRate: !d.Archived && (d.Status == dossier.StatusDone || d.Status == dossier.StatusReturned) && d.RatedAt.IsZero()}
	for _, e := range d.History {
		v.Timeline = append(v.Timeline, publicEvent{At: e.At, Text: eventText(c, e, p)})
	}
	return v
}

func plainOf(c *catalog, d *dossier.Dossier, p *procedure.Procedure, depts map[string]string) plainStatus {
	key := "plain." + strconv.Itoa(int(d.Status))
	switch d.Status {
	case dossier.StatusRefused, dossier.StatusStopped, dossier.StatusWithdrawn:
		return plainStatus{Text: c.T(key), Details: nonEmpty(d.Reason)}
	case dossier.StatusSupplement:
		return plainStatus{Text: c.T(key), Details: d.Missing}
	case dossier.StatusPayment:
		return plainStatus{Text: c.T(key, c.money(d.FeeAmount))}
	case dossier.StatusProcessing:
		return plainStatus{Text: processingText(c, d, p, depts)}
	}
	return plainStatus{Text: c.T(key)}
}

// processingText names the step: with the leader, back at the counter, or
// being examined in a named department.
func processingText(c *catalog, d *dossier.Dossier, p *procedure.Procedure, depts map[string]string) string {
	role := procedure.RoleSpecialist
	if p != nil && d.Step < len(p.Steps) {
		role = p.Steps[d.Step].Role
	}
	switch role {
	case procedure.RoleLeader:
		return c.T("plain.4.leader")
	case procedure.RoleCounter:
		return c.T("plain.4.counter")
	}
	if name := depts[d.StepDepartment]; name != "" {
		return c.T("plain.4.at", name)
	}
	return c.T("plain.4")
}

func eventText(c *catalog, e dossier.Event, p *procedure.Procedure) string {
	switch e.Action {
	case dossier.ActSubmit:
		return c.T("event.submit." + strconv.Itoa(int(e.ToStatus)))
	case dossier.ActForward, dossier.ActSendBack:
		if p != nil && e.ToStep < len(p.Steps) {
			return c.T("event."+e.Action) + ": " + p.Steps[e.ToStep].Name
		}
	}
	return c.T("event." + e.Action)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// departmentNames maps a unit's department codes to their names.
func (s *Server) departmentNames(ctx context.Context, unitCode string) map[string]string {
	out := map[string]string{}
	ds, err := s.DB.Departments(ctx, unitCode)
	if err != nil {
		return out
	}
	for _, d := range ds {
		out[d.Code] = d.Name
	}
	return out
}
