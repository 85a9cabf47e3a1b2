package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/unit"
)

// TestUnitContact stores a unit's contact normalised, refuses a bad one
// without writing any of it, and lists the receiving units that published
// one, with their office hours.
func TestUnitContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		db := f.DB
		c, err := db.UnitContact(ctx, demo.Ward)
		if want, _ := demo.WardContact().Normalize(); err != nil || c != want {
			t.Fatalf("the demo ward's contact: %+v %v", c, err)
		}
		if c, err := db.UnitContact(ctx, demo.OtherWard); err != nil || c != (unit.Contact{}) {
			t.Errorf("a unit without contact: %+v %v", c, err)
		}
		err = db.SetUnitContact(ctx, demo.Ward, unit.Contact{Address: "Số 1 phố Mới", Hotline: "0912", Email: "x@y.vn"})
		if e := apperr.As(err); e == nil || e.Field != "hotline" {
			t.Fatalf("a short hotline: %v", err)
		}
		if c, _ := db.UnitContact(ctx, demo.Ward); c.Address != "Số 25 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội" {
			t.Errorf("a refused contact was half written: %+v", c)
		}
		if err := db.SetUnitContact(ctx, "99999", unit.Contact{}); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("an unknown unit: %v", err)
		}
		if err := db.SetOfficeHours(ctx, demo.Ward, calendar.OfficeHours{Spans: []calendar.Span{{Start: 7*60 + 30, End: 11*60 + 30}}}); err != nil {
			t.Fatal(err)
		}
		offices, err := db.PublicOffices(ctx)
		if err != nil || len(offices) != 1 || offices[0].Unit.Code != demo.Ward || offices[0].Contact.Hotline != "02438234567" ||
			len(offices[0].Hours.Spans) != 1 || offices[0].Hours.Spans[0].Start != 7*60+30 {
			t.Fatalf("public offices: %+v %v", offices, err)
		}
		if err := db.SetUnitContact(ctx, demo.OtherWard, unit.Contact{Hotline: "0243 733 1234"}); err != nil {
			t.Fatal(err)
		}
		if offices, _ := db.PublicOffices(ctx); len(offices) != 2 || offices[1].Unit.Code != demo.OtherWard || offices[1].Hours.Spans[0].Start != 8*60 {
			t.Errorf("a second office with the default hours: %+v", offices)
		}
	})
}
