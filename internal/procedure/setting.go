package procedure

import (
	"slices"
	"time"
)

// Setting is what a unit may change of a national procedure, for itself and
// the units below it: the steps inside the unit (whose departments are its
// own) and whether it takes dossiers. The time limit, the fees, the
// components and the legal basis are set by law for the whole country and
// stay in the national definition. A field left empty is inherited.
type Setting struct {
	Steps  []Step `json:"steps,omitempty"`
	Active *bool  `json:"active,omitempty"`
}

// Empty tells whether s changes nothing, so that the unit inherits all.
func (s Setting) Empty() bool { return len(s.Steps) == 0 && s.Active == nil }

// Validate checks the steps of s by the procedure's rules.
func (s Setting) Validate() error {
	if len(s.Steps) == 0 {
		return nil
	}
	p := Procedure{Steps: slices.Clone(s.Steps)}
	return p.validateSteps()
}

// Layer is one unit's setting as stored, with who changed it and when.
type Layer struct {
	UnitCode string
	Setting
	ChangedBy string
	ChangedAt time.Time
}

// Effective is the procedure as the unit unitCode applies it: the national
// definition with layers laid over it in order (the province first, the
// unit itself last), each field taken from the last layer that sets it.
// Departments are a unit's own, so the departments of steps inherited from
// another unit are dropped (the step goes to any department of the unit).
// A procedure the national catalogue suspends stays suspended: a unit may
// stop taking a procedure, not revive one the law withdrew.
func Effective(national *Procedure, unitCode string, layers []Layer) *Procedure {
	p := national.Clone()
	active := true
	for _, l := range layers {
		if len(l.Steps) > 0 {
			p.Steps = slices.Clone(l.Steps)
			if l.UnitCode != unitCode {
				for i := range p.Steps {
					p.Steps[i].Department = ""
				}
			}
		}
		if l.Active != nil {
			active = *l.Active
		}
	}
	p.Active = national.Active && active
	return p
}

// Sources names the units whose layers give the steps and the active flag
// of the effective procedure; "" is the national definition.
func Sources(layers []Layer) (steps, active string) {
	for _, l := range layers {
		if len(l.Steps) > 0 {
			steps = l.UnitCode
		}
		if l.Active != nil {
			active = l.UnitCode
		}
	}
	return steps, active
}
