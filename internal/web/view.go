package web

import (
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// dossierView is a dossier as staff and its applicant see it.
type dossierView struct {
	*dossier.Dossier
	StatusName   string      `json:"status_name"`
	StatusNameEn string      `json:"status_name_en"`
	History      []eventView `json:"history,omitempty"`

	dossier.Stage // stage, stage_name, stage_name_en: the status as shown to people
	// AllowedActions are the actions the caller may take now (answers about
	// one dossier, not listings), found by the same probe as the pages' buttons.
	AllowedActions *[]string `json:"allowed_actions,omitempty"`
}

type eventView struct {
	dossier.Event
	ActionName string `json:"action_name"`
}

func view(d *dossier.Dossier) dossierView {
	v := dossierView{Dossier: d, StatusName: d.Status.Name(), StatusNameEn: d.Status.NameEn(), Stage: d.Stage()}
	for _, e := range d.History {
		v.History = append(v.History, eventView{Event: e, ActionName: dossier.ActionName[e.Action]})
	}
	return v
}

// publicDossier is what the public look-up shows: the status and its dates,
// and what is asked of the applicant; nothing about the applicant or the
// officers.
type publicDossier struct {
	Code          string       `json:"code"`
	ProcedureCode string       `json:"procedure_code"`
	ProcedureName string       `json:"procedure_name"`
	Status        int          `json:"status"`
	StatusName    string       `json:"status_name"`
	StatusNameEn  string       `json:"status_name_en"`
	SubmittedAt   time.Time    `json:"submitted_at"`
	ReceivedAt    time.Time    `json:"received_at,omitzero"`
	DueAt         time.Time    `json:"due_at,omitzero"`
	FinishedAt    time.Time    `json:"finished_at,omitzero"`
	Missing       []string     `json:"missing,omitempty"`
	FeeAmount     int64        `json:"fee_amount,omitempty"`
	Rated         bool         `json:"rated"`
	Timeline      []publicStep `json:"timeline"`
	Archived      bool         `json:"archived,omitempty"`

	dossier.Stage
}

type publicStep struct {
	Action     string    `json:"action"`
	ActionName string    `json:"action_name"`
	At         time.Time `json:"at"`
	Status     int       `json:"status"`
}

func publicView(d *dossier.Dossier) publicDossier {
	p := publicDossier{Code: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName, Status: int(d.Status),
		StatusName: d.Status.Name(), StatusNameEn: d.Status.NameEn(), Stage: d.Stage(), SubmittedAt: d.SubmittedAt, ReceivedAt: d.ReceivedAt,
		DueAt: d.DueAt, FinishedAt: d.FinishedAt, Missing: d.Missing, Rated: !d.RatedAt.IsZero(), Timeline: []publicStep{}, Archived: d.Archived}
	if d.Status == dossier.StatusPayment {
		p.FeeAmount = d.FeeAmount
	}
	for _, e := range d.History {
		p.Timeline = append(p.Timeline, publicStep{Action: e.Action, ActionName: dossier.ActionName[e.Action], At: e.At, Status: int(e.ToStatus)})
	}
	return p
}
