package dossier_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

var ict = time.FixedZone("ICT", 7*3600)

func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, ict) }

func counterReq(proc string) dossier.SubmitRequest {
	return dossier.SubmitRequest{ProcedureCode: proc, Components: demo.Required(proc), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Vũ Thị Thu", IDNumber: "001190012345"}}
}

// TestDueTimesAcrossHolidays checks due times computed by the service with the
// shipped 2026 schedule, against dates worked out by hand.
func TestDueTimesAcrossHolidays(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	cases := []struct {
		name     string
		proc     string
		received time.Time
		due      time.Time
	}{
		// Friday 16:00, 3 working days: 1 h on Friday; Monday 27/4 is Giỗ Tổ's
		// substitute; Tue and Wed give 16 h; 30/4–3/5 are off; 7 h on Monday 4/5
		// (4 in the morning, 3 after lunch).
		{"Giỗ Tổ and 30/4", "1.001612", at(2026, 4, 24, 16, 0), at(2026, 5, 4, 16, 0)},
		// Friday 10:00, 2 days: 6 h Friday, 8 h Monday 31/8, 1–2/9 off, 2 h Thursday.
		{"Quốc khánh", "2.001035", at(2026, 8, 28, 10, 0), at(2026, 9, 3, 10, 0)},
		// Same-day procedure received after the 15:00 cut-off on the Friday before
		// Tết (14–22/2 off): due at the end of the next working day.
		{"same day before Tết", "1.001193", at(2026, 2, 13, 15, 30), at(2026, 2, 23, 17, 0)},
		// Same-day, received before the cut-off: today 17:00.
		{"same day in time", "1.001193", at(2026, 3, 3, 14, 59), at(2026, 3, 3, 17, 0)},
		// Received at 18:30, after hours: the clock starts at 08:00 next morning.
		{"after hours", "1.001612", at(2026, 3, 3, 18, 30), at(2026, 3, 6, 17, 0)},
		// 24/11 (Ngày Văn hóa Việt Nam) is a holiday from 2026; a limit that
		// ends with the working day is due at 17:00, not at the next opening.
		{"24/11", "1.001612", at(2026, 11, 23, 8, 0), at(2026, 11, 26, 17, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.Clock.Set(c.received)
			d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq(c.proc))
			if err != nil {
				t.Fatal(err)
			}
			if !d.DueAt.Equal(c.due) {
				t.Fatalf("due %s, want %s", d.DueAt.In(ict).Format(time.RFC3339), c.due.Format(time.RFC3339))
			}
		})
	}
}

// TestPauseAcrossHoliday: a supplement request stops the clock; the remaining
// working time is laid from the day the supplement arrives.
func TestPauseAcrossHoliday(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	f.Clock.Set(at(2026, 4, 24, 16, 0))
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq("1.001612"))
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 28/4 10:00: 3 h used (1 on Friday, 2 on Tuesday), 21 h remain.
	f.Clock.Set(at(2026, 4, 28, 10, 0))
	if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActRequestSupplement, Missing: []string{"Bản sao hợp đồng thuê nhà"}}); err != nil {
		t.Fatal(err)
	}
	// The applicant comes back on Tuesday 5/5 09:00, after the 30/4–3/5 holiday:
	// 7 h Tuesday, 8 h Wednesday, 6 h Thursday → Thursday 7/5 15:00.
	f.Clock.Set(at(2026, 5, 5, 9, 0))
	d, err = f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActSupplement})
	if err != nil {
		t.Fatal(err)
	}
	if want := at(2026, 5, 7, 15, 0); !d.DueAt.Equal(want) {
		t.Fatalf("due after the pause %s, want %s", d.DueAt.In(ict), want)
	}
	if d.Status != dossier.StatusReceived {
		t.Fatalf("status after supplement %d, want back to 2", d.Status)
	}
}

// TestOutcomeClassification finishes dossiers early, on the due date and late.
func TestOutcomeClassification(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	run := func(finish time.Time) string {
		f.Clock.Set(at(2026, 3, 2, 9, 0)) // due Thursday 5/3 09:00
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq("1.001612"))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct{ who, act string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}} {
			if _, err := f.Svc.Act(ctx, f.Actors[s.who], d.Code, dossier.ActionRequest{Action: s.act}); err != nil {
				t.Fatal(err)
			}
		}
		f.Clock.Set(finish)
		d, err = f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActFinish})
		if err != nil {
			t.Fatal(err)
		}
		return d.Outcome
	}
	for _, c := range []struct {
		finish time.Time
		want   string
	}{
		{at(2026, 3, 4, 16, 0), "early"},
		{at(2026, 3, 5, 8, 30), "on_time"},
		{at(2026, 3, 5, 9, 1), "late"},
	} {
		if got := run(c.finish); got != c.want {
			t.Errorf("finished %s: %s, want %s", c.finish, got, c.want)
		}
	}
}

// TestExtendOnce: the apology with a new date may be given only once.
func TestExtendOnce(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq("1.001612"))
	if err != nil {
		t.Fatal(err)
	}
	ext := dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh tại nơi cư trú cũ", NewDueAt: d.DueAt.AddDate(0, 0, 7)}
	if d, err = f.Svc.Act(ctx, f.Actors["lanhdao"], d.Code, ext); err != nil {
		t.Fatal(err)
	}
	if !d.DueAt.Equal(ext.NewDueAt) {
		t.Fatalf("due %v, want %v", d.DueAt, ext.NewDueAt)
	}
	ext.NewDueAt = ext.NewDueAt.AddDate(0, 0, 7)
	if _, err := f.Svc.Act(ctx, f.Actors["lanhdao"], d.Code, ext); apperr.Code(err) != apperr.ECONFLICT {
		t.Fatalf("a second extension: %v, want a conflict", err)
	}
}

// TestExtendWorkingTime: the new date promised in the apology must be a
// time the office works; otherwise the refusal names the next working time.
func TestExtendWorkingTime(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq("1.001612")) // Monday 2026-03-02 09:00, 3 working days
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		at   time.Time
		next string
	}{
		{"a Saturday", at(2026, 3, 14, 10, 0), "08:00 16/03/2026"},
		{"a Sunday evening", at(2026, 3, 15, 18, 0), "08:00 16/03/2026"},
		{"the Giỗ Tổ substitute day", at(2026, 4, 27, 9, 30), "08:00 28/04/2026"},
		{"lunch", at(2026, 3, 17, 12, 30), "13:00 17/03/2026"},
		{"after hours", at(2026, 3, 17, 18, 0), "08:00 18/03/2026"},
		{"before opening", at(2026, 3, 17, 7, 0), "08:00 17/03/2026"},
	} {
		_, err := f.Svc.Act(ctx, f.Actors["lanhdao"], d.Code, dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh", NewDueAt: c.at})
		e := apperr.As(err)
		want := "Hạn mới rơi vào ngày nghỉ hoặc ngoài giờ làm việc; thời điểm làm việc gần nhất là " + c.next
		if e == nil || e.Field != "new_due_at" || e.Message != want {
			t.Errorf("%s: %v, want %q", c.name, err, want)
		}
	}
	for _, ok := range []time.Time{at(2026, 3, 17, 17, 0), at(2026, 3, 17, 12, 0)} {
		c := *d
		if _, err := dossier.Apply(&c, dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh", NewDueAt: ok},
			dossier.Env{Proc: mustProc(t, f, "1.001612"), Cal: mustCal(t, f), Actor: f.Actors["lanhdao"], Now: f.Clock.Now()}); err != nil {
			t.Errorf("the end of a working span %v was refused: %v", ok, err)
		}
	}
	got, err := f.Svc.Act(ctx, f.Actors["lanhdao"], d.Code, dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh", NewDueAt: at(2026, 3, 17, 14, 0)})
	if err != nil || !got.DueAt.Equal(at(2026, 3, 17, 14, 0)) {
		t.Fatalf("extension to a working time: %v, due %v", err, got)
	}
}

func mustProc(t *testing.T, f *storetest.Fixture, code string) *procedure.Procedure {
	t.Helper()
	p, err := f.Svc.Procedures.ForUnit(context.Background(), code, demo.Ward)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustCal(t *testing.T, f *storetest.Fixture) dossier.Calendar {
	t.Helper()
	c, err := f.Cals.For(context.Background(), "00004")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestUnitOfficeHours: a unit's own office hours decide when its clock runs.
func TestUnitOfficeHours(t *testing.T) {
	f := storetest.NewFixture(t, store.SQLite)
	ctx := context.Background()
	h := calendar.OfficeHours{Spans: []calendar.Span{{Start: 7 * 60, End: 11 * 60}, {Start: 13 * 60, End: 17 * 60}}}
	if err := f.DB.SetOfficeHours(ctx, "00004", h); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(at(2026, 3, 2, 7, 30))
	d, err := f.Svc.Submit(ctx, f.Actors["canbo"], counterReq("1.001612"))
	if err != nil {
		t.Fatal(err)
	}
	// With the default 08:00 opening it would be Thursday 08:00.
	if want := at(2026, 3, 5, 7, 30); !d.DueAt.Equal(want) {
		t.Fatalf("due %s, want %s", d.DueAt.In(ict), want)
	}
}
