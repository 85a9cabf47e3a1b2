package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCivilSearchIDNumber: an ID number, in the id_number filter or as the
// query, is found as people type it (spaces, dots, dashes) and refused with
// the ID rules' own message when it is not one; on both engines.
func TestCivilSearchIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1993, "01")
		r := birthRecord(book.ID, "Mai Thị Thu", "1993-04-05", "Đinh Thị Yến", "3")
		r.People[0].IDNumber, r.People[0].Sex = "001193012345", "female"
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		for _, q := range []civil.Query{{IDNumber: "001193012345"}, {IDNumber: "001.193.012.345"}, {IDNumber: " 001 193-012 345 "},
			{Q: "001.193.012.345"}, {Q: "001 193 012 345"}} {
			if hits, n, err := svc.Search(ctx, reg, q); err != nil || n != 1 || len(hits) != 1 || hits[0].Record.ID != r.ID {
				t.Errorf("search %+v: %d, %v", q, n, err)
			}
		}
		for _, c := range []struct {
			q            civil.Query
			field, words string
		}{
			{civil.Query{IDNumber: "12345"}, "id_number", "12 chữ số"},
			{civil.Query{IDNumber: "00119301234x"}, "id_number", "chỉ gồm chữ số"},
			{civil.Query{IDNumber: "999.193.012.345"}, "id_number", ""},
			{civil.Query{Q: "999.193.012.345"}, "q", ""},
		} {
			_, _, err := svc.Search(ctx, reg, c.q)
			if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Field != c.field || !strings.Contains(e.Message, c.words) ||
				e.Message == "" || e.MessageEn == "" {
				t.Errorf("search %+v: %v, want the field %s refused saying %q", c.q, err, c.field, c.words)
			}
		}
	})
}
