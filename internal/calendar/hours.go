package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
)

// minutesPerDay bounds a Span: office hours never cross midnight.
const minutesPerDay = 24 * 60

// Span is a stretch of office hours within one day, in minutes after local
// midnight, half-open: [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

func (s Span) startDur() time.Duration { return time.Duration(s.Start) * time.Minute }
func (s Span) endDur() time.Duration   { return time.Duration(s.End) * time.Minute }

// OfficeHours is a unit's working day. Saturday lists when the counter
// receives on Saturday mornings; receiving alone does not run the deadline
// clock, so Saturday is working time only when SaturdayWorks is set.
type OfficeHours struct {
	Spans         []Span `json:"spans"`
	Saturday      []Span `json:"saturday,omitempty"`
	SaturdayWorks bool   `json:"saturday_works,omitempty"`
}

// DefaultOfficeHours returns the common 08:00–12:00, 13:00–17:00 day.
func DefaultOfficeHours() OfficeHours {
	return OfficeHours{Spans: []Span{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}}
}

// Validate reports the first rule the hours break: spans must lie within one
// day, be non-empty, and be listed in order without overlapping, because the
// deadline arithmetic walks them in order.
func (h OfficeHours) Validate() error {
	if len(h.Spans) == 0 {
		return apperr.Invalid("spans", "Chưa khai báo giờ làm việc", "office hours have no spans")
	}
	if err := validateSpans("spans", h.Spans); err != nil {
		return err
	}
	if err := validateSpans("saturday", h.Saturday); err != nil {
		return err
	}
	if h.SaturdayWorks && len(h.Saturday) == 0 {
		return apperr.Invalid("saturday", "Làm việc thứ Bảy nhưng chưa khai báo giờ thứ Bảy",
			"Saturday is a working day but has no spans")
	}
	return nil
}

func validateSpans(field string, spans []Span) error {
	prevEnd := 0
	for i, s := range spans {
		if s.Start < 0 || s.End > minutesPerDay || s.Start >= s.End {
			return apperr.Invalid(field,
				fmt.Sprintf("Khoảng giờ thứ %d không hợp lệ", i+1),
				fmt.Sprintf("span %d must satisfy 0 <= start < end <= 1440", i+1))
		}
		if i > 0 && s.Start < prevEnd {
			return apperr.Invalid(field,
				fmt.Sprintf("Khoảng giờ thứ %d chồng lấn hoặc sai thứ tự", i+1),
				fmt.Sprintf("span %d overlaps or precedes the one before it", i+1))
		}
		prevEnd = s.End
	}
	return nil
}

// length is the working time in spans.
func length(spans []Span) time.Duration {
	var d time.Duration
	for _, s := range spans {
		d += s.endDur() - s.startDur()
	}
	return d
}

// clone copies the hours so the caller cannot change a calendar after New.
func (h OfficeHours) clone() OfficeHours {
	return OfficeHours{
		Spans:         append([]Span(nil), h.Spans...),
		Saturday:      append([]Span(nil), h.Saturday...),
		SaturdayWorks: h.SaturdayWorks,
	}
}

// ParseSpans reads office hours written as an officer would:
// "08:00-12:00,13:00-17:00". An empty string gives no spans.
func ParseSpans(s string) ([]Span, error) {
	var out []Span
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(part, "-")
		a, errA := parseClock(from)
		b, errB := parseClock(to)
		if !ok || errA != nil || errB != nil {
			return nil, apperr.Invalid("spans", "Giờ làm việc phải viết dạng 08:00-12:00,13:00-17:00: \""+part+"\"",
				"office hours must look like 08:00-12:00,13:00-17:00: \""+part+"\"")
		}
		out = append(out, Span{Start: a, End: b})
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		if s = strings.TrimSpace(s); s == "24:00" {
			return minutesPerDay, nil
		}
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}
