package report_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestPetitionsSection: the month's petitions of the unit, from the
// roll-ups: one received and refused on time, one late now is not settled.
func TestPetitionsSection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Petitions()
		f.Clock.Set(at(2026, 4, 15, 9))
		for range 2 {
			if _, err := svc.Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: demo.Ward, Field: "land", Subject: "Lấn chiếm",
				Text: "Lấn chiếm đất công.", Phone: "0912345678", DossierCode: ""}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Act(ctx, f.Actors["canbo"], "PA-260415-00004-0001", petition.ActionRequest{Action: petition.ActRefuse, Text: "Không thuộc thẩm quyền"}); err != nil {
			t.Fatal(err)
		}
		secs, err := report.Petitions(f.DB)(ctx, demo.Ward, at(2026, 4, 1, 0), at(2026, 4, 30, 0))
		if err != nil || len(secs) != 1 {
			t.Fatal(secs, err)
		}
		got := map[string]string{}
		for _, r := range secs[0].Rows {
			got[r[0]] = r[1]
		}
		if got["Tiếp nhận"] != "2" || got["Đã giải quyết (trả lời, từ chối, gộp)"] != "1" || got["Đúng hạn"] != "1" || got["Quá hạn"] != "0" {
			t.Fatalf("section: %v", got)
		}
	})
}
