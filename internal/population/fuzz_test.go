package population_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
)

// FuzzDecodeAnswer: whatever the registry answers, the client never
// panics, and a person it accepts is about the number asked, named, male
// or female, born on a date of the wire's shapes, and goes back on the
// wire unchanged.
func FuzzDecodeAnswer(f *testing.F) {
	for _, s := range []string{
		`{"so_dinh_danh":"001190012345","ho_ten":"Hoàng Thị Lan","ngay_sinh":"1990-03-14","gioi_tinh":"nu","thuong_tru":"Hà Nội"}`,
		`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nam","thuong_tru":""}`,
		`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990-02-30","gioi_tinh":"nam"}`,
		`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nam"} {}`,
		`[]`, `null`, `{"so_dinh_danh":1}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		p, err := population.DecodeAnswer(strings.NewReader(answer), "001190012345")
		if err != nil {
			return
		}
		if p.IDNumber != "001190012345" || p.FullName == "" || (p.Sex != "male" && p.Sex != "female") {
			t.Fatalf("accepted %+v from %q", p, answer)
		}
		switch len(p.BirthDate) {
		case 4, 7, 10:
		default:
			t.Fatalf("accepted the birth date %q from %q", p.BirthDate, answer)
		}
		again, err := population.FromPerson(p).ToPerson()
		if err != nil || again != p {
			t.Fatalf("%+v does not go back on the wire: %+v, %v", p, again, err)
		}
	})
}

// FuzzPopserverParse: a people file is read whole or refused, and every
// person read is one the client would accept.
func FuzzPopserverParse(f *testing.F) {
	f.Add(`[{"so_dinh_danh":"001190012345","ho_ten":"Hoàng Thị Lan","ngay_sinh":"1990-03-14","gioi_tinh":"nu","thuong_tru":"Hà Nội"}]`)
	f.Add(`[{"so_dinh_danh":"1","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nam"},{"so_dinh_danh":"1","ho_ten":"B","ngay_sinh":"1990","gioi_tinh":"nu"}]`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, file string) {
		people, err := popserver.Parse([]byte(file))
		if err != nil {
			return
		}
		for id, w := range people {
			if _, err := population.DecodeAnswer(bytes.NewReader(mustJSON(t, w)), id); err != nil {
				t.Fatalf("read %+v from %q, which the client refuses: %v", w, file, err)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
