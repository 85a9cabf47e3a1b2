package web

import (
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/vntext"
)

// FuzzParseFilter drives the dossier list's query string as the server
// reads it (every value checked for control characters and bad bytes
// first, then parseFilter): a refusal is an "invalid" naming one of the
// filter's parameters; an accepted filter holds only clean text and
// bounded paging, and written back as a query string reads the same.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"", "status=2&limit=20&offset=40", "unit=00004&procedure=1.001193&channel=2&outcome=late",
		"q=L%C3%BD+V%C4%83n+Ph%C3%BAc", "q=001090012345", "due_before=2026-05-04T17:00:00%2B07:00",
		"status=11", "status=x", "limit=-1&offset=-5", "limit=99999999999999999999", "channel=4", "outcome=soon",
		"due_before=2026-05-04", "q=%FF", "q=a%00b", "unit=%E2%80%AE", "status=1&status=2", "%zz", "a;b=c",
	} {
		f.Add(s)
	}
	params := []string{"status", "unit", "procedure", "q", "outcome", "limit", "offset", "channel", "due_before"}
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest("GET", "/api/v1/dossiers", nil)
		r.URL.RawQuery = query
		if err := checkValues(r.URL.Query()); err != nil {
			return // the server refuses it before any handler runs
		}
		fl, err := parseFilter(r)
		if err != nil {
			e := apperr.As(err)
			if e == nil || e.Code != apperr.EINVALID || !slices.Contains(params, e.Field) || e.Message == "" || e.MessageEn == "" {
				t.Fatalf("%q: refusal %#v", query, err)
			}
			return
		}
		for _, s := range []string{fl.UnitCode, fl.ProcedureCode, fl.Query, fl.Outcome} {
			if _, bad := vntext.Unclean(s, false); bad {
				t.Fatalf("%q: kept text that is not clean: %q", query, s)
			}
		}
		if fl.Limit < 1 || fl.Limit > 500 || fl.Offset < 0 || (fl.Status != 0 && !fl.Status.Valid()) {
			t.Fatalf("%q: filter out of bounds: %+v", query, fl)
		}
		back := url.Values{}
		set := func(k, v string) {
			if v != "" {
				back.Set(k, v)
			}
		}
		set("unit", fl.UnitCode)
		set("procedure", fl.ProcedureCode)
		set("q", fl.Query)
		set("outcome", fl.Outcome)
		set("limit", strconv.Itoa(fl.Limit))
		set("offset", strconv.Itoa(fl.Offset))
		if fl.Status != 0 {
			set("status", strconv.Itoa(int(fl.Status)))
		}
		if fl.Channel != 0 {
			set("channel", strconv.Itoa(fl.Channel))
		}
		if !fl.DueBefore.IsZero() {
			set("due_before", fl.DueBefore.Format(time.RFC3339Nano))
		}
		r2 := httptest.NewRequest("GET", "/api/v1/dossiers", nil)
		r2.URL.RawQuery = back.Encode()
		again, err := parseFilter(r2)
		if err != nil {
			t.Fatalf("%q: written back as %q, refused: %v", query, back.Encode(), err)
		}
		if !again.DueBefore.Equal(fl.DueBefore) {
			t.Fatalf("%q: due_before %v reads back as %v", query, fl.DueBefore, again.DueBefore)
		}
		again.DueBefore = fl.DueBefore
		if !reflect.DeepEqual(again, fl) {
			t.Fatalf("%q: %+v reads back as %+v", query, fl, again)
		}
	})
}
