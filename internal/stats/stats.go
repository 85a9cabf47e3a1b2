// Package stats holds the roll-up counters that leaders' dashboards read.
// A counter row is kept per unit × procedure × day × channel and is changed
// in the same transaction as the dossier change that moves it, so reading a
// year of a province costs a few thousand rows, never a scan of dossiers.
package stats

import (
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
)

// Metrics, in the order of the roll-up table's columns.
const (
	Submitted          = "submitted"           // dossiers created (any channel)
	Received           = "received"            // dossiers accepted (status 2)
	Refused            = "refused"             // not accepted (status 3)
	SupplementRequests = "supplement_requests" // requests for supplement sent
	FinishedEarly      = "finished_early"      // result ready before the due date
	FinishedOnTime     = "finished_on_time"    // result ready on the due date
	FinishedLate       = "finished_late"       // result ready after the due time
	Returned           = "returned"            // result handed back (status 10)
	Withdrawn          = "withdrawn"           // withdrawn by the applicant (status 7)
	Stopped            = "stopped"             // processing stopped (status 8)
	Paid               = "paid"                // fee payments confirmed
	Extended           = "extended"            // apologies with a new due time
	RatedVery          = "rated_very"          // Rất hài lòng
	RatedOK            = "rated_ok"            // Hài lòng
	RatedBad           = "rated_bad"           // Không hài lòng
	// ResultElectronic counts dossiers finished with their signed result
	// file (an electronic result, indicator 4.1), on the day they finished.
	ResultElectronic = "result_electronic"
	// FinishedResupplied counts dossiers finished early or on time after
	// more than one request for supplement: indicator 2.1 counts them late.
	FinishedResupplied = "finished_resupplied"
	// ReceivedReused counts dossiers received that re-used papers of the
	// applicant's earlier dossiers (indicator 4.3), on the day received.
	ReceivedReused = "received_reused"
)

// Metrics lists every metric; the store keeps one column per entry.
var Metrics = []string{Submitted, Received, Refused, SupplementRequests, FinishedEarly, FinishedOnTime,
	FinishedLate, Returned, Withdrawn, Stopped, Paid, Extended, RatedVery, RatedOK, RatedBad, ResultElectronic,
	FinishedResupplied, ReceivedReused}

// Key names one roll-up row.
type Key struct {
	UnitCode      string
	ProcedureCode string
	Day           string // YYYY-MM-DD in Asia/Ho_Chi_Minh
	Channel       int
}

// Delta is a change to one roll-up row: metric → increment.
type Delta struct {
	Key    Key
	Counts map[string]int64
}

// Zone is the time zone in which days are counted: Việt Nam's, the
// calendar's.
var Zone = calendar.Zone

// Day returns the local date of t as YYYY-MM-DD.
func Day(t time.Time) string { return t.In(Zone).Format("2006-01-02") }

// Query selects the counters to add up.
type Query struct {
	UnitCode      string // the unit and every unit below it; "" = all the caller may see
	ProcedureCode string
	From, To      string // inclusive local dates
}

// Validate checks and defaults a query.
func (q *Query) Validate(now time.Time) error {
	if q.To == "" {
		q.To = Day(now)
	}
	if q.From == "" {
		q.From = now.In(Zone).AddDate(0, 0, -30).Format("2006-01-02")
	}
	f, err1 := time.Parse("2006-01-02", q.From)
	t, err2 := time.Parse("2006-01-02", q.To)
	if err1 != nil || err2 != nil {
		return apperr.Invalid("from", "Ngày phải có dạng YYYY-MM-DD", "dates must be YYYY-MM-DD")
	}
	if t.Before(f) {
		return apperr.Invalid("to", "Ngày kết thúc phải sau ngày bắt đầu", "'to' must not be before 'from'")
	}
	return nil
}

// Row is one group of a result.
type Row struct {
	Key    string           `json:"key"` // procedure code, unit code, month, or "" for the total
	Counts map[string]int64 `json:"counts"`
}

// Summary is what the dashboard shows.
type Summary struct {
	Query        Query            `json:"-"`
	Totals       map[string]int64 `json:"totals"`
	Online       int64            `json:"online_received"` // received through channel 2
	OnlineRate   float64          `json:"online_rate"`     // online ÷ received
	OnTimeRate   float64          `json:"on_time_rate"`    // (early + on time) ÷ finished
	Satisfaction float64          `json:"satisfaction"`    // (very + ok) ÷ rated
	ByProcedure  []Row            `json:"by_procedure"`
	ByMonth      []Row            `json:"by_month"`
	ByUnit       []Row            `json:"by_unit"` // receiving units under the queried one
}

// Finish fills the rates from the totals.
func (s *Summary) Finish() {
	t := s.Totals
	if r := t[Received]; r > 0 {
		s.OnlineRate = float64(s.Online) / float64(r)
	}
	if f := t[FinishedEarly] + t[FinishedOnTime] + t[FinishedLate]; f > 0 {
		s.OnTimeRate = float64(t[FinishedEarly]+t[FinishedOnTime]) / float64(f)
	}
	if r := t[RatedVery] + t[RatedOK] + t[RatedBad]; r > 0 {
		s.Satisfaction = float64(t[RatedVery]+t[RatedOK]) / float64(r)
	}
}
