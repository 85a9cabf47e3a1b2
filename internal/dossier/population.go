package dossier

import (
	"context"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
)

// ActPopulationCheck records that an officer compared the dossier's person
// with the national population database. Like a change of notifications it
// is sealed into the history and moves no status; its note is the outcome.
// Clients cannot request it by name (it is not in Actions): only the
// look-up itself appends it, through RecordPopulationCheck.
const ActPopulationCheck = "population_check"

func init() {
	ActionName[ActPopulationCheck] = "Đối chiếu Cơ sở dữ liệu quốc gia về dân cư"
}

// officerOfUnit: any officer of a unit the dossier passed through.
func officerOfUnit(d *Dossier, env Env) error {
	if !inUnit(d, env.Actor) {
		return errNotYourUnit
	}
	return nil
}

func doPopulationCheck(_ *Dossier, _ ActionRequest, _ Env, ev *Event) (map[string]int64, error) {
	if ev.Note == "" || len(ev.Note) > 500 {
		return nil, apperr.Invalid("note", "Thiếu kết quả đối chiếu", "the outcome of the check is missing")
	}
	return nil, nil
}

// RecordPopulationCheck appends the outcome of a look-up in the population
// database to the history of the dossier code, as actor did it.
func (s *Service) RecordPopulationCheck(ctx context.Context, actor auth.Actor, code, outcome string) (*Dossier, error) {
	return s.act(ctx, actor, code, ActionRequest{Action: ActPopulationCheck, Note: strings.TrimSpace(outcome)}, false)
}

// LastPopulationCheck is the latest population check in d's history, or
// nil when there was none.
func (d *Dossier) LastPopulationCheck() *Event {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Action == ActPopulationCheck {
			return &d.History[i]
		}
	}
	return nil
}
