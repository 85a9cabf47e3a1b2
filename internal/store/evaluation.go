package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/unit"
)

// Evaluations implements evaluation.Store.
type Evaluations struct{ DB *DB }

var _ evaluation.Store = Evaluations{}

// UnitMeasures counts a unit's criteria (its subtree, as the dashboard
// does) from the roll-ups of the period's days.
func (s Evaluations) UnitMeasures(ctx context.Context, unitCode string, p evaluation.Period) (evaluation.Measures, error) {
	sum, err := s.DB.Summary(ctx, stats.Query{UnitCode: unitCode, From: p.FirstDay(), To: p.LastDay()})
	if err != nil {
		return nil, err
	}
	t := sum.Totals
	finished := t[stats.FinishedEarly] + t[stats.FinishedOnTime] + t[stats.FinishedLate]
	counter, err := s.unitCounterRatings(ctx, unitCode, p)
	if err != nil {
		return nil, err
	}
	return evaluation.Measures{
		evaluation.TotalTime: {Num: t[stats.FinishedEarly] + t[stats.FinishedOnTime], Den: finished},
		evaluation.Contacts:  {Num: max(0, t[stats.Received]-t[stats.SupplementRequests]), Den: t[stats.Received]},
		evaluation.OneStop:   {Num: min(t[stats.Returned], finished), Den: finished},
		// The dossiers' ratings and those given at the desks.
		evaluation.Attitude: {Num: t[stats.RatedVery] + t[stats.RatedOK] + counter.Num,
			Den: t[stats.RatedVery] + t[stats.RatedOK] + t[stats.RatedBad] + counter.Den},
		evaluation.Online: {Num: sum.Online, Den: t[stats.Received]},
	}, nil
}

// unitCounterRatings counts the ratings given at the desks of a unit and
// the units under it in the period, from the counter's roll-up (good =
// satisfied or very satisfied): they join the officers' attitude criterion.
func (s Evaluations) unitCounterRatings(ctx context.Context, unitCode string, p evaluation.Period) (evaluation.Measure, error) {
	var m evaluation.Measure
	path, err := s.DB.unitPathOf(ctx, unitCode)
	if apperr.Code(err) == apperr.ENOTFOUND {
		return m, nil // no such unit: no desks either
	} else if err != nil {
		return m, err
	}
	err = s.DB.queryRow(ctx, `SELECT COALESCE(SUM(q.rated_good), 0), COALESCE(SUM(q.rated_n), 0) FROM queue_stats q JOIN units u ON u.code = q.unit_code
		WHERE (u.path = ? OR u.path LIKE ?) AND q.day >= ? AND q.day <= ?`, path, path+"/%", p.FirstDay(), p.LastDay()).Scan(&m.Num, &m.Den)
	return m, err
}

// officerEventsQuery reads the history entries an officer wrote in a period,
// by the (actor, at) index, with the channel of each entry's dossier.
const officerEventsQuery = `SELECT e.dossier_id, e.action, e.outcome, d.channel FROM dossier_events e
	JOIN dossiers d ON d.id = e.dossier_id WHERE e.actor = ? AND e.at >= ? AND e.at < ?`

// officerRatingsQuery reads the ratings given in a period to dossiers the
// officer acted on in the year before the period's end: a rating belongs
// to every officer who handled the dossier.
const officerRatingsQuery = `SELECT DISTINCT d.id, d.rating FROM dossier_events e
	JOIN dossiers d ON d.id = e.dossier_id WHERE e.actor = ? AND e.at >= ? AND e.at < ?
	AND d.rated_at >= ? AND d.rated_at < ? AND d.rating > 0`

// ratingLookback is how long before a rating an officer's work on the
// dossier still earns it a share of the rating.
const ratingLookback = 366 * 24 * time.Hour

// OfficerMeasures counts an officer's criteria from what the officer did in
// the period: the dossiers finished (on time or not), the steps left (each
// step's outcome), the supplements asked of the dossiers handled, the share
// of those dossiers that came online, and the ratings of dossiers handled.
func (s Evaluations) OfficerMeasures(ctx context.Context, username string, p evaluation.Period) (evaluation.Measures, error) {
	rows, err := s.DB.query(ctx, officerEventsQuery, username, micros(p.From), micros(p.To))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var total, steps evaluation.Measure
	var supplements int64
	handled, online := map[int64]bool{}, map[int64]bool{}
	for rows.Next() {
		var id int64
		var action, outcome string
		var channel int
		if err := rows.Scan(&id, &action, &outcome, &channel); err != nil {
			return nil, err
		}
		handled[id] = true
		if channel == dossier.ChannelOnline {
			online[id] = true
		}
		onTime := int64(0)
		if outcome != "" && outcome != "late" {
			onTime = 1
		}
		switch {
		case action == dossier.ActFinish:
			total.Num, total.Den = total.Num+onTime, total.Den+1
			steps.Num, steps.Den = steps.Num+onTime, steps.Den+1
		case outcome != "":
			steps.Num, steps.Den = steps.Num+onTime, steps.Den+1
		case action == dossier.ActRequestSupplement:
			supplements++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n := int64(len(handled))
	m := evaluation.Measures{
		evaluation.TotalTime:  total,
		evaluation.AgencyTime: steps,
		evaluation.Contacts:   {Num: max(0, n-supplements), Den: n},
		evaluation.Online:     {Num: int64(len(online)), Den: n},
	}
	m[evaluation.Attitude], err = s.officerRatings(ctx, username, p)
	return m, err
}

func (s Evaluations) officerRatings(ctx context.Context, username string, p evaluation.Period) (evaluation.Measure, error) {
	var m evaluation.Measure
	rows, err := s.DB.query(ctx, officerRatingsQuery, username, micros(p.From.Add(-ratingLookback)), micros(p.To), micros(p.From), micros(p.To))
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var rating int
		if err := rows.Scan(&id, &rating); err != nil {
			return m, err
		}
		m.Den++
		if rating >= dossier.RatingOK {
			m.Num++
		}
	}
	if err := rows.Err(); err != nil {
		return m, err
	}
	counter, err := s.counterRatings(ctx, username, p)
	return evaluation.Measure{Num: m.Num + counter.Num, Den: m.Den + counter.Den}, err
}

// counterRatings counts the ratings citizens gave at the desk, in the
// period, to the tickets the officer served (Queue.RateTicket): the
// officer's attitude as the counter's tablet saw it.
func (s Evaluations) counterRatings(ctx context.Context, username string, p evaluation.Period) (evaluation.Measure, error) {
	var m evaluation.Measure
	err := s.DB.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN rating >= ? THEN 1 ELSE 0 END), 0) FROM queue_ratings
		WHERE officer = ? AND rated_at >= ? AND rated_at < ?`, dossier.RatingOK, username, micros(p.From), micros(p.To)).Scan(&m.Den, &m.Num)
	return m, err
}

// UnitOfficers lists the unit's officers who are evaluated: every enabled
// officer but the administrators, who handle no dossiers.
func (s Evaluations) UnitOfficers(ctx context.Context, unitCode string) ([]evaluation.Officer, error) {
	users, err := s.DB.UnitUsers(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	var out []evaluation.Officer
	for _, u := range users {
		if !u.Disabled && u.Role != auth.RoleAdmin {
			out = append(out, evaluation.Officer{Username: u.Username, FullName: u.FullName})
		}
	}
	return out, nil
}

// Entries returns a unit's entries for a period, oldest first.
func (s Evaluations) Entries(ctx context.Context, unitCode, period string) ([]evaluation.Entry, error) {
	rows, err := s.DB.query(ctx, `SELECT id, unit_code, officer, period, criterion, points, reason, entered_by, entered_at
		FROM evaluation_entries WHERE unit_code = ? AND period = ? ORDER BY id`, unitCode, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []evaluation.Entry
	for rows.Next() {
		var e evaluation.Entry
		var at int64
		if err := rows.Scan(&e.ID, &e.UnitCode, &e.Officer, &e.Period, &e.Criterion, &e.Points, &e.Reason, &e.EnteredBy, &at); err != nil {
			return nil, err
		}
		e.EnteredAt = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddEntry stores a validated entry, stamped now.
func (s Evaluations) AddEntry(ctx context.Context, e evaluation.Entry) (evaluation.Entry, error) {
	e.EnteredAt = s.DB.Now().UTC().Truncate(time.Microsecond)
	err := s.DB.inTx(ctx, func(tx *Tx) error {
		return normalize(tx.queryRow(ctx, `INSERT INTO evaluation_entries (unit_code, officer, period, criterion, points, reason, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.UnitCode, e.Officer, e.Period, e.Criterion, e.Points, e.Reason, e.EnteredBy, micros(e.EnteredAt)).Scan(&e.ID))
	})
	return e, err
}

// SaveEvaluations keeps computed evaluations, replacing those of the same
// unit, officer and period, in one transaction.
func (s Evaluations) SaveEvaluations(ctx context.Context, evs []evaluation.Evaluation) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		for _, ev := range evs {
			criteria, err := json.Marshal(ev.Criteria)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO evaluations (unit_code, officer, period, criteria, total, grade, computed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_code, period, officer) DO UPDATE SET criteria = excluded.criteria,
				total = excluded.total, grade = excluded.grade, computed_at = excluded.computed_at`,
				ev.UnitCode, ev.Officer, ev.Period, string(criteria), ev.Total, ev.Grade, micros(ev.ComputedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}

// SavedEvaluations returns a unit's kept evaluations of a period, the unit's
// first.
func (s Evaluations) SavedEvaluations(ctx context.Context, unitCode, period string) ([]evaluation.Evaluation, error) {
	rows, err := s.DB.query(ctx, `SELECT officer, criteria, total, grade, computed_at FROM evaluations
		WHERE unit_code = ? AND period = ? ORDER BY officer`, unitCode, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []evaluation.Evaluation
	for rows.Next() {
		ev := evaluation.Evaluation{UnitCode: unitCode, Period: period}
		var criteria string
		var at int64
		if err := rows.Scan(&ev.Officer, &criteria, &ev.Total, &ev.Grade, &at); err != nil {
			return nil, err
		}
		ev.ComputedAt = fromMicros(at)
		if err := json.Unmarshal([]byte(criteria), &ev.Criteria); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// EvaluatedUnits lists the administrative units that have officers, for
// the periodic job: a residential group has a leader's account but is no
// administrative unit, and is not evaluated.
func (s Evaluations) EvaluatedUnits(ctx context.Context) ([]string, error) {
	rows, err := s.DB.query(ctx, `SELECT DISTINCT unit_code FROM users WHERE unit_code <> '' AND role <> ? AND disabled = 0
		AND unit_code NOT IN (SELECT code FROM units WHERE kind = ?) ORDER BY unit_code`, auth.RoleApplicant, unit.KindGroup)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
