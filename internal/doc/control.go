package doc

import (
	"fmt"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// handOff is one row of the control sheet: the dossier passing from one
// person to another.
type handOff struct {
	what, giver, taker, outcome, note string
	at                                string
}

// handOffActions are the history entries that move the dossier between
// people; payment, rating and recomputed deadlines are not hand-offs.
var handOffActions = map[string]bool{
	dossier.ActReceive: true, dossier.ActRequestSupplement: true, dossier.ActSupplement: true,
	dossier.ActRefuse: true, dossier.ActForward: true, dossier.ActSendBack: true, dossier.ActApprove: true,
	dossier.ActFinish: true, dossier.ActReturnResult: true, dossier.ActStop: true, dossier.ActWithdraw: true,
}

// fromApplicant and toApplicant are the hand-offs across the counter.
var (
	fromApplicant = map[string]bool{dossier.ActReceive: true, dossier.ActSupplement: true}
	toApplicant   = map[string]bool{dossier.ActRequestSupplement: true, dossier.ActRefuse: true,
		dossier.ActReturnResult: true, dossier.ActStop: true, dossier.ActWithdraw: true}
)

// handOffs turns the history into control-sheet rows. The taker of an
// internal hand-off is the named assignee, else whoever acted next.
func handOffs(d *dossier.Dossier) []handOff {
	names := actorNames(d.History)
	applicant := "Người nộp hồ sơ\n" + d.Applicant.Name
	var rows []handOff
	for i, e := range d.History {
		if !handOffActions[e.Action] {
			continue
		}
		h := handOff{what: dossier.ActionName[e.Action], giver: who(e), outcome: outcomeName[e.Outcome],
			note: e.Note, at: dateTime(e.At)}
		switch {
		case e.ActorRole == auth.RoleApplicant:
			h.giver, h.taker = applicant, nextActor(d.History[i+1:], e.Actor)
		case fromApplicant[e.Action]:
			h.giver, h.taker = applicant, who(e)
		case toApplicant[e.Action]:
			h.taker = applicant
		case e.Assignee != "":
			h.taker = names[e.Assignee]
		default:
			h.taker = nextActor(d.History[i+1:], e.Actor)
		}
		if h.taker == "" && e.Action == dossier.ActFinish {
			h.taker = "Bộ phận trả kết quả" // the result waits at the counter for the applicant
		}
		rows = append(rows, h)
	}
	return rows
}

// actorNames maps user names to the display names the history knows.
func actorNames(h []dossier.Event) map[string]string {
	m := map[string]string{}
	for _, e := range h {
		m[e.Actor] = who(e)
	}
	for _, e := range h {
		if e.Assignee != "" && m[e.Assignee] == "" {
			m[e.Assignee] = e.Assignee
		}
	}
	return m
}

// who is the actor's name with the role, as the sheet is signed.
func who(e dossier.Event) string {
	name := e.ActorName
	if name == "" {
		name = e.Actor
	}
	if r := auth.RoleName[e.ActorRole]; r != "" && e.ActorRole != auth.RoleApplicant {
		return r + "\n" + name
	}
	return name
}

// nextActor is the first later actor other than the giver: the one who took
// the dossier up.
func nextActor(rest []dossier.Event, giver string) string {
	for _, e := range rest {
		if e.Actor != giver && e.ActorRole != auth.RoleApplicant {
			return who(e)
		}
	}
	return ""
}

func controlBody(p *page, in FormData) {
	d := in.Dossier
	p.field("Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã", d.Code)
	p.field("Người nộp hồ sơ", d.Applicant.Name)
	p.field("Thủ tục", procName(in))
	agency := in.Procedure.Agency
	if agency == "" {
		agency = proseName(in.Office.Name)
	}
	p.field("Cơ quan (bộ phận) giải quyết hồ sơ", agency)
	p.field("Thời gian nhận hồ sơ", longTime(received(d)))
	p.field("Thời gian hẹn trả kết quả", longTime(d.DueAt))
	p.gap(2)
	t := newTable(p, []column{
		{"STT", 9, "C"}, {"Nội dung", 27, "L"}, {"Bên giao", 33, "L"}, {"Bên nhận", 33, "L"},
		{"Thời gian giao, nhận", 22, "C"}, {"Kết quả", 19, "C"}, {"Ghi chú", p.width - 143, "L"},
	}, 8.5)
	for i, h := range handOffs(d) {
		t.row([]string{fmt.Sprint(i + 1), h.what, h.giver, h.taker, h.at, h.outcome, h.note})
	}
	p.gap(3)
	if o := outcomeName[d.Outcome]; o != "" {
		p.field("Kết quả giải quyết hồ sơ", o)
	}
	p.font("", 9)
	p.SetX(p.left)
	p.MultiCell(p.width, 5, text("Kết quả của từng bước: Trước hạn / Đúng hạn / Quá hạn so với thời gian được giao cho bước đó."), "", "L", false)
}
