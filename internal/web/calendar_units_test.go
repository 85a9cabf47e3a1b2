package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
)

// TestAdminCalendarPerUnit checks the page: it acts on the administrator's
// own unit whatever the form says, shows each day's origin, and a ward
// removing the province's day removes it for itself only, until it takes
// the removal back.
func TestAdminCalendarPerUnit(t *testing.T) {
	e := newPagesEnv(t)
	e.addUser(auth.User{Username: "quantri.hanoi", FullName: "Đặng Thu Trang", Role: auth.RoleAdmin, UnitCode: demo.Province}, "mật khẩu dài")
	set := func(date, name string) url.Values {
		return url.Values{"op": {"set"}, "date": {date}, "kind": {"holiday"}, "name": {name}, "reason": {"Thông báo số 5/TB-UBND"}}
	}
	naming := set("2026-03-11", "Nghỉ của phường")
	naming.Set("unit", demo.OtherWard) // a field no handler reads: the page acts on the caller's unit
	e.run([]formCase{
		{"the province sets a day", "quantri.hanoi", "/quan-tri/lich", set("2026-03-10", "Nghỉ của thành phố"), 303, "Đã lưu thay đổi lịch"},
		{"the ward sets one", "quantri", "/quan-tri/lich", naming, 303, "Đã lưu thay đổi lịch"},
	})
	ctx := context.Background()
	year := func(unit string) map[string]string {
		days, err := e.f.Cals.Year(ctx, unit, 2026)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, d := range days {
			out[d.Date] = d.Name
		}
		return out
	}
	if got := year(demo.OtherWard); got["2026-03-11"] != "" || got["2026-03-10"] != "Nghỉ của thành phố" {
		t.Errorf("ward B: 10 March %q, 11 March %q; want the province's day only", got["2026-03-10"], got["2026-03-11"])
	}
	_, page := e.get("quantri", "/quan-tri/lich?nam=2026")
	for _, want := range []string{"Phường Ba Đình", "Cấp trên", "quản trị Thành phố Hà Nội", "Đơn vị tự đặt", "quản trị Phường Ba Đình", "Lịch Nhà nước"} {
		if !strings.Contains(page, want) {
			t.Errorf("ward A's page lacks %q", want)
		}
	}
	if _, page := e.get("quantri.hanoi", "/quan-tri/lich?nam=2026"); strings.Contains(page, "Nghỉ của phường") {
		t.Error("the province's page lists the ward's own day")
	}
	e.run([]formCase{{"the ward removes the province's day", "quantri", "/quan-tri/lich",
		url.Values{"op": {"unset"}, "date": {"2026-03-10"}, "reason": {"Phường vẫn làm việc"}}, 303, "Phường vẫn làm việc"}})
	if got := year(demo.Ward)["2026-03-10"]; got != "" {
		t.Errorf("ward A still has the removed day: %q", got)
	}
	if got := year(demo.OtherWard)["2026-03-10"]; got != "Nghỉ của thành phố" {
		t.Errorf("ward B lost the province's day: %q", got)
	}
	// The removal is listed, and taking it back gives the ward the day again.
	if _, page := e.get("quantri", "/quan-tri/lich?nam=2026"); !strings.Contains(page, "Ngày kế thừa mà đơn vị đã bỏ") || !strings.Contains(page, `name="date" value="2026-03-10"`) {
		t.Errorf("ward A's page does not list the day it removed")
	}
	e.run([]formCase{{"the ward applies the province's day again", "quantri", "/quan-tri/lich",
		url.Values{"op": {"unset"}, "date": {"2026-03-10"}, "reason": {"Theo thành phố"}}, 303, "Theo thành phố"}})
	if got := year(demo.Ward)["2026-03-10"]; got != "Nghỉ của thành phố" {
		t.Errorf("ward A after applying the day again: %q", got)
	}
	if log, _ := e.f.DB.CalendarChanges(ctx, demo.OtherWard); len(log) != 0 {
		t.Errorf("ward B's calendar log: %v", log)
	}
}

// TestAdminHoursOwnUnitOnly checks that the office-hours form sets the
// caller's unit's hours even when it names another unit: there is no field
// for a unit, and no API route that sets hours.
func TestAdminHoursOwnUnitOnly(t *testing.T) {
	e := newPagesEnv(t)
	form := url.Values{"spans": {"07:00-11:00, 13:00-16:00"}, "unit": {demo.OtherWard}, "unit_code": {demo.OtherWard}, "code": {demo.OtherWard}}
	e.run([]formCase{{"hours naming another unit", "quantri", "/quan-tri/gio-lam-viec", form, 303, "07:00-11:00, 13:00-16:00"}})
	ctx := context.Background()
	if own, _ := e.f.DB.OfficeHours(ctx, demo.Ward); own.Spans[0].Start != 7*60 {
		t.Errorf("the caller's hours: %+v", own)
	}
	if other, _ := e.f.DB.OfficeHours(ctx, demo.OtherWard); other.Spans[0].Start != 8*60 {
		t.Errorf("another unit's hours changed: %+v", other)
	}
	var rec routeRecorder
	(&Server{}).routes(&rec)
	for _, p := range rec.patterns {
		if strings.HasPrefix(p, "POST /api/") || strings.HasPrefix(p, "PUT /api/") || strings.HasPrefix(p, "PATCH /api/") {
			if strings.Contains(p, "hours") {
				t.Errorf("an API route sets hours: %s; it needs a unit scope test", p)
			}
		}
	}
}
