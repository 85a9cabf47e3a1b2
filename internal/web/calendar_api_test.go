package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/motcua/motcua/internal/store/storetest"
)

// TestUnitCalendarAPIOwnUnitOnly is the finding that a ward's holiday moved
// another ward's due dates: through the API a ward's administrator changes
// only its own unit's calendar, other units are refused 403 and nothing is
// written, and the public calendar shows each unit's days with their origin.
func TestUnitCalendarAPIOwnUnitOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		open := e.prep("received") // ward A's, due within the week
		day := `{"date":"2026-03-04","kind":"holiday","name":"Nghỉ đột xuất","reason":"Quyết định số 1/QĐ-UBND"}`
		for _, c := range []struct {
			user, path string
			want       int
		}{
			{"quantri", "/api/v1/units/00008/calendar", http.StatusForbidden}, // another ward
			{"quantri", "/api/v1/units/01/calendar", http.StatusForbidden},    // the province above it
			{"canbo", "/api/v1/units/00004/calendar", http.StatusForbidden},   // not an administrator
			{"", "/api/v1/units/00004/calendar", http.StatusUnauthorized},
		} {
			if status, _, body := e.do(c.user, "POST", c.path, day); status != c.want {
				t.Errorf("%q POST %s: %d, want %d: %s", c.user, c.path, status, c.want, body)
			}
		}
		for _, unit := range []string{"", "01", "00004", "00008"} {
			if log, err := e.f.DB.CalendarChanges(context.Background(), unit); err != nil || len(log) != 0 {
				t.Fatalf("refused changes were written to %q's calendar: %v %v", unit, log, err)
			}
		}
		status, m, body := e.do("quantri", "POST", "/api/v1/units/00004/calendar", day)
		if status != http.StatusOK || m["moved"] != float64(1) || m["checked"] != float64(1) {
			t.Fatalf("the ward's own calendar: %d %s", status, body)
		}
		if d, _ := e.f.Svc.Store.Get(context.Background(), open); len(d.History) < 2 {
			t.Errorf("the ward's open dossier did not move: %+v", d.History)
		}
		sources := func(query string) map[string]string {
			t.Helper()
			status, m, body := e.do("", "GET", "/api/v1/calendar/2026"+query, "")
			if status != http.StatusOK {
				t.Fatalf("calendar%s: %d %s", query, status, body)
			}
			out := map[string]string{}
			for _, d := range m["days"].([]any) {
				d := d.(map[string]any)
				src, _ := d["source"].(string)
				unit, _ := d["unit"].(string)
				out[d["date"].(string)] = unit + " " + src
			}
			return out
		}
		if got := sources("?unit=00004")["2026-03-04"]; got != "00004 quản trị Phường Ba Đình" {
			t.Errorf("ward A's calendar, 4 March: %q", got)
		}
		for _, q := range []string{"", "?unit=00008", "?unit=01"} {
			if got, ok := sources(q)["2026-03-04"]; ok {
				t.Errorf("calendar%s has ward A's day: %q", q, got)
			}
		}
		if status, _, _ := e.do("", "GET", "/api/v1/calendar/2026?unit=99999", ""); status != http.StatusNotFound {
			t.Errorf("an unknown unit's calendar: %d, want 404", status)
		}
	})
}
