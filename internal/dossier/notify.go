package dossier

import (
	"context"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

// How the applicant is told of the dossier's progress.
const (
	NotifyEmail = "email"
	NotifySMS   = "sms"
	NotifyZalo  = "zalo"
	NotifyNone  = "none"
)

// ActNotify changes the applicant's choice of notifications. It is recorded
// in the history like every change, but moves no status.
const ActNotify = "notify"

// NotifyName is the Vietnamese name of each choice.
var NotifyName = map[string]string{NotifyEmail: "Thư điện tử", NotifySMS: "Tin nhắn SMS", NotifyZalo: "Zalo", NotifyNone: "Không nhận thông báo"}

// CheckNotify defaults and checks the applicant's choice: an SMS when a
// phone is given, else an e-mail when one is given, else none; a channel
// needs its address.
func CheckNotify(choice string, a Applicant) (string, error) {
	switch choice {
	case "":
		switch {
		case a.Phone != "":
			return NotifySMS, nil
		case a.Email != "":
			return NotifyEmail, nil
		}
		return NotifyNone, nil
	case NotifySMS, NotifyZalo:
		if a.Phone == "" {
			return "", apperr.Invalid("notify", "Cần số điện thoại để nhận thông báo qua "+NotifyName[choice], "a phone number is needed for notifications by "+choice)
		}
	case NotifyEmail:
		if a.Email == "" {
			return "", apperr.Invalid("notify", "Cần địa chỉ thư điện tử để nhận thông báo qua thư", "an e-mail address is needed for notifications by e-mail")
		}
	case NotifyNone:
	default:
		return "", apperr.Invalid("notify", "Cách nhận thông báo phải là email, sms, zalo hoặc none", "notify must be email, sms, zalo or none")
	}
	return choice, nil
}

// doNotify sets the choice; an empty one is the default for the addresses
// the dossier holds.
func doNotify(d *Dossier, req ActionRequest, _ Env, ev *Event) (map[string]int64, error) {
	choice, err := CheckNotify(req.Notify, d.Applicant)
	if err != nil {
		return nil, err
	}
	d.Notify = choice
	ev.Note = NotifyName[choice]
	return nil, nil
}

// SetNotify lets the signed-in applicant change how they are notified.
func (s *Service) SetNotify(ctx context.Context, actor auth.Actor, code, choice string) (*Dossier, error) {
	return s.act(ctx, actor, code, ActionRequest{Action: ActNotify, Notify: choice}, false)
}

// StopNotifyProven turns notifications off for a caller who proved to be
// the applicant by other means (the signed link of a notification).
func (s *Service) StopNotifyProven(ctx context.Context, code string) (*Dossier, error) {
	anon := auth.Actor{Username: "applicant", Role: auth.RoleApplicant}
	return s.act(ctx, anon, code, ActionRequest{Action: ActNotify, Notify: NotifyNone}, true)
}
