package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCivilSearchPageSaysMore: past the search's cap the page says "more
// than 200" and asks for a birth year or a parent, instead of a count of
// 201, and offers the four pages of 50 the cap allows, the last without a
// next page; a page past them shows the last. A book's page is not a
// search: it counts and pages through all its records.
func TestCivilSearchPageSaysMore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		st := store.Civil{DB: e.f.DB}
		b := &civil.Book{UnitCode: demo.Ward, Kind: civil.KindBirth, Year: 2001, Number: "01", Origin: civil.OriginPaper, Created: storetest.Start}
		if err := st.CreateBook(ctx, b); err != nil {
			t.Fatal(err)
		}
		for i := range store.CivilSearchCap + 3 {
			r := &civil.Record{UnitCode: demo.Ward, BookID: b.ID, Kind: civil.KindBirth, Entry: strconv.Itoa(i + 1), RegisteredOn: "2001-02-01",
				Status: civil.StatusEntered, Source: civil.SourceDigitised, EnteredBy: "test", EnteredAt: storetest.Start, CreatedAt: storetest.Start,
				People: []civil.Person{{Role: civil.RoleChild, FullName: "Phan Thanh Bình", BirthDate: "2001-01-01"}}}
			if err := st.Create(ctx, r, civil.Event{Action: "enter", Actor: "test", ActorRole: "officer", At: storetest.Start, ToStatus: 2}); err != nil {
				t.Fatal(err)
			}
		}
		res, body := e.get(t, "hotich", "/ho-tich/tim?q=phan+thanh+binh", "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Hơn 200 bản ghi") || strings.Contains(body, "201 bản ghi") {
			t.Fatalf("first page: %d, says more than 200: %v", res.StatusCode, strings.Contains(body, "Hơn 200 bản ghi"))
		}
		for _, page := range []string{"4", "9"} {
			res, body = e.get(t, "hotich", "/ho-tich/tim?q=phan+thanh+binh&page="+page, "")
			if res.StatusCode != http.StatusOK || strings.Contains(body, "page=5") || !strings.Contains(body, "page=3") {
				t.Errorf("page %s: %d, links a fifth: %v, the third: %v", page, res.StatusCode, strings.Contains(body, "page=5"), strings.Contains(body, "page=3"))
			}
		}
		book := "/ho-tich/so/" + strconv.FormatInt(b.ID, 10)
		res, body = e.get(t, "hotich", book, "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "203 bản ghi") || !strings.Contains(body, "page=2") {
			t.Errorf("the book: %d, counts 203: %v", res.StatusCode, strings.Contains(body, "203 bản ghi"))
		}
		res, body = e.get(t, "hotich", book+"?page=5", "")
		if res.StatusCode != http.StatusOK || strings.Count(body, "Phan Thanh Bình") < 3 || !strings.Contains(body, "page=4") {
			t.Errorf("the book's fifth page: %d, names %d", res.StatusCode, strings.Count(body, "Phan Thanh Bình"))
		}
	})
}
