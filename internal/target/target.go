// Package target holds a unit's yearly targets (chỉ tiêu): what the People's
// Council or the unit itself set for the year, the actuals a leader enters
// per month or quarter or the system computes from the roll-ups, and the
// rule that says whether each target was met. No SQL, no HTTP.
package target

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// Kinds of target. A manual target's actuals are entered by a leader; the
// computed kinds read the unit's roll-ups for the year so far, as
// percentages; a budget target is money, entered per period and added up,
// and read as a percentage of the estimate.
const (
	KindManual       = "manual"
	KindOnlineRate   = "online_rate"  // received online ÷ received
	KindOnTimeRate   = "on_time_rate" // finished early or on time ÷ finished
	KindSatisfaction = "satisfaction" // very satisfied or satisfied ÷ rated
	KindBudget       = "budget"       // budget revenue against the estimate
)

// Kinds lists every kind, in the order the forms offer them.
var Kinds = []string{KindManual, KindOnlineRate, KindOnTimeRate, KindSatisfaction, KindBudget}

// Computed tells whether a kind's actual comes from the system.
func Computed(kind string) bool {
	return kind == KindOnlineRate || kind == KindOnTimeRate || kind == KindSatisfaction
}

// Directions: whether a higher or a lower actual is the better one.
const (
	Higher = "higher"
	Lower  = "lower"
)

// How the actuals of a year make its value: the sum of the periods (counts,
// money) or the latest period entered (a rate, a level reached).
const (
	AggSum  = "sum"
	AggLast = "last"
)

// Period granularities of the actuals.
const (
	ByMonth   = "month"
	ByQuarter = "quarter"
)

// Target is one of a unit's targets for a year.
type Target struct {
	ID        int64   `json:"id"`
	UnitCode  string  `json:"unit"`
	Year      int     `json:"year"`
	Name      string  `json:"name"`
	Measure   string  `json:"measure"` // unit of measure: "%", "triệu đồng", "hộ"
	Kind      string  `json:"kind"`
	Plan      float64 `json:"plan"`
	Direction string  `json:"direction"`
	Aggregate string  `json:"aggregate"`
	Period    string  `json:"period"` // month or quarter: how actuals are entered
	Source    string  `json:"source"` // "Nghị quyết 12/NQ-HĐND ngày ..."
	Version   int     `json:"version"`
}

// maxValue bounds plans and actuals: the largest budget in đồng fits well.
const maxValue = 1e15

// Validate checks and normalises a target; a computed kind is a percentage
// of the year so far, a budget target adds its periods up.
func (t *Target) Validate() error {
	t.Name, t.Measure, t.Source = clean(t.Name), clean(t.Measure), clean(t.Source)
	if t.Direction == "" {
		t.Direction = Higher
	}
	switch {
	case t.Name == "" || utf8.RuneCountInString(t.Name) > 500:
		return apperr.Invalid("name", "Tên chỉ tiêu không được để trống và dài tối đa 500 ký tự", "name is required, 500 characters at most")
	case utf8.RuneCountInString(t.Measure) > 50:
		return apperr.Invalid("measure", "Đơn vị tính dài tối đa 50 ký tự", "measure is 50 characters at most")
	case utf8.RuneCountInString(t.Source) > 500:
		return apperr.Invalid("source", "Căn cứ giao chỉ tiêu dài tối đa 500 ký tự", "source is 500 characters at most")
	case t.Year < 2000 || t.Year > 2100:
		return apperr.Invalid("year", "Năm phải từ 2000 đến 2100", "year must be between 2000 and 2100")
	case !oneOf(t.Kind, Kinds...):
		return apperr.Invalid("kind", "Loại chỉ tiêu không hợp lệ (manual, online_rate, on_time_rate, satisfaction, budget)", "kind must be manual, online_rate, on_time_rate, satisfaction or budget")
	case !oneOf(t.Direction, Higher, Lower):
		return apperr.Invalid("direction", "Chiều đánh giá phải là higher (càng cao càng tốt) hoặc lower (càng thấp càng tốt)", "direction must be higher or lower")
	case !validNumber(t.Plan) || t.Plan < 0:
		return apperr.Invalid("plan", "Giá trị kế hoạch phải là số không âm, không quá 10^15", "plan must be a number from 0 to 10^15")
	}
	if t.Period == "" {
		t.Period = ByMonth
	}
	if !oneOf(t.Period, ByMonth, ByQuarter) {
		return apperr.Invalid("period", "Kỳ nhập số liệu phải là month (tháng) hoặc quarter (quý)", "period must be month or quarter")
	}
	return t.kindRules()
}

// kindRules fixes what a kind decides for itself.
func (t *Target) kindRules() error {
	switch {
	case Computed(t.Kind):
		if t.Plan > 100 {
			return apperr.Invalid("plan", "Chỉ tiêu tính tự động là tỷ lệ phần trăm: kế hoạch không quá 100", "a computed target is a percentage: plan at most 100")
		}
		t.Measure, t.Aggregate, t.Direction = "%", AggLast, Higher
	case t.Kind == KindBudget:
		if t.Plan <= 0 {
			return apperr.Invalid("plan", "Dự toán thu ngân sách phải lớn hơn 0", "the budget estimate must be above 0")
		}
		t.Aggregate, t.Direction = AggSum, Higher
		if t.Measure == "" {
			t.Measure = "triệu đồng"
		}
	default:
		if t.Aggregate == "" {
			t.Aggregate = AggLast
		}
		if !oneOf(t.Aggregate, AggSum, AggLast) {
			return apperr.Invalid("aggregate", "Cách cộng số liệu phải là sum (cộng các kỳ) hoặc last (kỳ mới nhất)", "aggregate must be sum or last")
		}
	}
	if t.Measure == "" {
		return apperr.Invalid("measure", "Cần ghi đơn vị tính", "measure is required")
	}
	return nil
}

func clean(s string) string { return strings.TrimSpace(vntext.NFC(s)) }

func oneOf(s string, xs ...string) bool {
	for _, x := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func validNumber(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) <= maxValue
}

// ValidValue checks an actual's value.
func ValidValue(v float64) error {
	if !validNumber(v) {
		return apperr.Invalid("value", "Giá trị thực hiện phải là số, không quá 10^15", "value must be a number within 10^15")
	}
	return nil
}

// ValidPeriod checks that p names a period of the target's kind in its year:
// "2026-03" for a month, "2026-Q1" for a quarter.
func (t *Target) ValidPeriod(p string) error {
	y, rest, ok := strings.Cut(p, "-")
	if yy, err := strconv.Atoi(y); ok && err == nil && yy == t.Year {
		if t.Period == ByQuarter && len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4' {
			return nil
		}
		if m, err := strconv.Atoi(rest); t.Period == ByMonth && err == nil && len(rest) == 2 && m >= 1 && m <= 12 {
			return nil
		}
	}
	want := fmt.Sprintf("%d-03", t.Year)
	if t.Period == ByQuarter {
		want = fmt.Sprintf("%d-Q1", t.Year)
	}
	return apperr.Invalid("period", "Kỳ số liệu phải thuộc năm "+strconv.Itoa(t.Year)+", dạng "+want, "period must be in "+strconv.Itoa(t.Year)+", like "+want)
}

// Actual is a value entered for one period.
type Actual struct {
	Period string  `json:"period"`
	Value  float64 `json:"value"`
	By     string  `json:"by"`
	At     string  `json:"at"` // RFC 3339
}
