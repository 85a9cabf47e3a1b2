package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// The generator runs every dossier through the real lifecycle rules
// (dossier.New and dossier.Apply) on a simulated clock, so that the
// generated rows are exactly what the server would have written: due times
// on the working calendar, step shares, outcomes, pauses and counts.

// staff are a commune's officers.
type staff struct {
	counter, specialist, leader auth.Actor
}

// proc is a procedure as the generator uses it.
type proc struct {
	*procedure.Procedure
	online     bool     // may be submitted online
	components []string // what the applicant hands in
}

// stage is where a dossier is left when the generator prepares it for one
// of the benchmark's lifecycle actions; stageEnd lets it run its course.
type stage int

const (
	stageEnd       stage = iota
	stageSubmitted       // online, waiting for the counter: receive
	stageReceived        // received, at the counter's step: forward
	stageLeader          // at the leader's step: approve
	stageLastStep        // approved, at the last step: finish
	stageDone            // result ready: return_result
)

// fate is what will happen to a dossier, drawn before it is submitted.
type fate struct {
	refuse, withdraw, supplement, payment, late bool
	rating                                      int // 0: not rated
	stop                                        stage
	fast                                        bool // one minute between actions, office hours ignored
}

// drawFate draws the shares the benchmark's dataset aims at: about 3%
// refused, 0.5% withdrawn, 5% supplement requests, 8% finished late, 70% of
// the returned rated (three in four very satisfied).
func drawFate(r *rand.Rand, p *proc) fate {
	f := fate{}
	x := r.Float64()
	f.refuse = x < 0.03
	f.withdraw = x >= 0.03 && x < 0.035
	f.supplement = r.Float64() < 0.053
	f.payment = p.DefaultFee() > 0 && r.Float64() < 0.1
	f.late = r.Float64() < 0.085
	if r.Float64() < 0.72 {
		switch y := r.Float64(); {
		case y < 0.74:
			f.rating = dossier.RatingVery
		case y < 0.95:
			f.rating = dossier.RatingOK
		default:
			f.rating = dossier.RatingBad
		}
	}
	return f
}

// story is one dossier being generated.
type story struct {
	d     *dossier.Dossier
	hist  []dossier.Change
	p     *proc
	staff staff
	f     fate
	t     time.Time // the last event's time
}

// life generates dossiers on one calendar up to end, the dataset's "now".
type life struct {
	cal dossier.Calendar
	end time.Time
	r   *rand.Rand
}

// working returns a random working duration between lo and hi.
func (l *life) working(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(l.r.Int64N(int64(hi-lo)+1))
}

// after returns when the next action happens, d of working time after the
// last one (one minute after it for the prepared dossiers).
func (l *life) after(s *story, d time.Duration) time.Time {
	if s.f.fast {
		return s.t.Add(time.Minute)
	}
	return l.cal.Add(s.t, d)
}

// act applies an action at a time; it reports false, leaving the dossier as
// it is, when that time is after the end of the dataset.
func (l *life) act(s *story, actor auth.Actor, at time.Time, req dossier.ActionRequest) (bool, error) {
	if at.After(l.end) {
		return false, nil
	}
	if !at.After(s.t) {
		at = s.t.Add(time.Second)
	}
	ch, err := dossier.Apply(s.d, req, dossier.Env{Proc: s.p.Procedure, Cal: l.cal, Actor: actor, Now: at, Proven: actor.Role == auth.RoleApplicant})
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", s.p.Code, req.Action, err)
	}
	s.hist = append(s.hist, ch)
	s.t = at
	return true, nil
}

// run submits a dossier at 'at' and moves it along its fate.
func (l *life) run(at time.Time, unit string, st staff, p *proc, channel int, a dossier.Applicant, f fate) (*story, error) {
	s, err := l.submit(at, unit, st, p, channel, a, f)
	if err != nil {
		return nil, err
	}
	for _, phase := range []func(*story) (bool, error){l.reception, l.pauses, l.process, l.handOver} {
		ok, err := phase(s)
		if err != nil || !ok {
			return s, err
		}
	}
	return s, nil
}

func (l *life) submit(at time.Time, unit string, st staff, p *proc, channel int, a dossier.Applicant, f fate) (*story, error) {
	req := dossier.SubmitRequest{ProcedureCode: p.Code, UnitCode: unit, Channel: channel, Applicant: a, Components: p.components}
	if channel != dossier.ChannelOnline && f.refuse {
		// The counter refuses at reception, before receiving: form 03.
		req.OnIncomplete, req.Reason = dossier.IncompleteRefuse, pick(l.r, refuseReasons)
	}
	actor := st.counter
	if channel == dossier.ChannelOnline {
		actor = auth.Actor{Username: a.IDNumber, FullName: a.Name, Role: auth.RoleApplicant}
	}
	d, ch, err := dossier.New(req, dossier.Env{Proc: p.Procedure, Cal: l.cal, Actor: actor, Now: at})
	if err != nil {
		return nil, fmt.Errorf("%s submit: %w", p.Code, err)
	}
	return &story{d: d, hist: []dossier.Change{ch}, p: p, staff: st, f: f, t: d.SubmittedAt}, nil
}

// reception: the counter receives an online dossier, or refuses it (a
// walk-in dossier is refused at its entry), or the applicant withdraws it.
func (l *life) reception(s *story) (bool, error) {
	c := s.staff.counter
	if s.d.Status == dossier.StatusSubmitted {
		if s.f.stop == stageSubmitted {
			return false, nil
		}
		at := l.after(s, l.working(10*time.Minute, 6*time.Hour))
		if s.f.refuse {
			_, err := l.act(s, c, at, dossier.ActionRequest{Action: dossier.ActRefuse, Reason: pick(l.r, refuseReasons)})
			return false, err
		}
		if ok, err := l.act(s, c, at, dossier.ActionRequest{Action: dossier.ActReceive}); !ok {
			return false, err
		}
	} else if s.f.refuse {
		return false, nil // refused at the counter entry
	}
	if s.f.stop == stageReceived {
		return false, nil
	}
	if s.f.withdraw {
		_, err := l.act(s, c, l.after(s, l.working(time.Hour, 16*time.Hour)),
			dossier.ActionRequest{Action: dossier.ActWithdraw, Reason: pick(l.r, withdrawReasons)})
		return false, err
	}
	return true, nil
}

// pauses: a request for a missing document, and a fee to pay; each stops
// the clock until the applicant comes back.
func (l *life) pauses(s *story) (bool, error) {
	c := s.staff.counter
	if s.f.supplement {
		item := pick(l.r, missingItems)
		if ok, err := l.act(s, c, l.after(s, l.working(5*time.Minute, 2*time.Hour)),
			dossier.ActionRequest{Action: dossier.ActRequestSupplement, Missing: []string{item}}); !ok {
			return false, err
		}
		back := s.t.Add(time.Duration(1+l.r.IntN(10))*24*time.Hour + time.Duration(l.r.IntN(8))*time.Hour)
		if ok, err := l.act(s, c, back, dossier.ActionRequest{Action: dossier.ActSupplement, Components: []string{item}}); !ok {
			return false, err
		}
	}
	if s.f.payment {
		if ok, err := l.act(s, c, l.after(s, l.working(5*time.Minute, 30*time.Minute)),
			dossier.ActionRequest{Action: dossier.ActRequestPayment}); !ok {
			return false, err
		}
		if ok, err := l.act(s, c, l.after(s, l.working(10*time.Minute, 16*time.Hour)),
			dossier.ActionRequest{Action: dossier.ActConfirmPayment}); !ok {
			return false, err
		}
	}
	return true, nil
}

// process takes the dossier through its steps, spending a share of the
// working time left before the due time (more than all of it when the
// dossier is to be late), each step its share of that.
func (l *life) process(s *story) (bool, error) {
	steps := s.p.Steps
	left := l.cal.Between(s.t, s.d.DueAt)
	frac := 0.1 + 0.85*l.r.Float64()
	if s.f.late {
		frac = 1.05 + 0.8*l.r.Float64()
		left = max(left, l.cal.DayLength())
	}
	budget := time.Duration(frac * float64(left))
	rest := 0
	for _, st := range steps[s.d.Step:] {
		rest += st.Share
	}
	start, used := s.t, 0
	for i := s.d.Step; i < len(steps); i++ {
		used += steps[i].Share
		at := l.cal.Add(start, budget*time.Duration(used)/time.Duration(max(rest, 1)))
		if s.f.fast {
			at = s.t.Add(time.Minute)
		}
		action, actor := l.stepAction(s, i)
		if (action == dossier.ActApprove && s.f.stop == stageLeader) || (action == dossier.ActFinish && s.f.stop == stageLastStep) {
			return false, nil
		}
		if ok, err := l.act(s, actor, at, dossier.ActionRequest{Action: action}); !ok {
			return false, err
		}
	}
	return s.f.stop != stageDone, nil
}

// stepAction is how step i ends: a leader approves, the last step finishes,
// the others forward; by an officer of the step's role.
func (l *life) stepAction(s *story, i int) (string, auth.Actor) {
	switch role := s.p.Steps[i].Role; {
	case role == procedure.RoleLeader:
		return dossier.ActApprove, s.staff.leader
	case i == len(s.p.Steps)-1:
		return dossier.ActFinish, s.staff.counter
	case role == procedure.RoleSpecialist:
		return dossier.ActForward, s.staff.specialist
	}
	return dossier.ActForward, s.staff.counter
}

// handOver: the applicant collects the result, and most rate the service.
func (l *life) handOver(s *story) (bool, error) {
	if ok, err := l.act(s, s.staff.counter, l.after(s, l.working(0, 4*8*time.Hour)),
		dossier.ActionRequest{Action: dossier.ActReturnResult}); !ok || s.f.rating == 0 {
		return false, err
	}
	a := auth.Actor{Username: "applicant", FullName: s.d.Applicant.Name, Role: auth.RoleApplicant}
	at := s.t.Add(time.Duration(l.r.Int64N(int64(48 * time.Hour))))
	_, err := l.act(s, a, at, dossier.ActionRequest{Action: dossier.ActRate, Rating: s.f.rating, Comment: pick(l.r, ratingComments)})
	return false, err
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }
