package population_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/population/popserver"
)

// TestHTTPRegistry asks the local population server on a loopback port:
// a person found, an unknown number, a wrong key, and servers that answer
// wrongly, slowly or too much, all of which count as unavailable.
func TestHTTPRegistry(t *testing.T) {
	people, err := popserver.Parse(demo.PopulationPeople())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&popserver.Handler{People: people, Key: "k"})
	defer srv.Close()
	ctx := context.Background()
	reg := population.NewHTTPRegistry(srv.URL+"/", "k")
	p, err := reg.Lookup(ctx, "001190012345")
	if err != nil || p != (population.Person{IDNumber: "001190012345", FullName: "Hoàng Thị Lan", BirthDate: "1990-03-14", Sex: "female",
		PermanentResidence: "Số 12 ngõ 5 phố Hàng Bông, phường Ba Đình, Hà Nội"}) {
		t.Fatalf("lookup: %+v, %v", p, err)
	}
	if p, err := reg.Lookup(ctx, "001090012345"); err != nil || p.BirthDate != "1990" || p.Sex != "male" {
		t.Fatalf("a partial birth date: %+v, %v", p, err)
	}
	if _, err := reg.Lookup(ctx, "001099012345"); err != population.ErrNotFound {
		t.Fatalf("unknown number: %v", err)
	}
	wrongKey := population.NewHTTPRegistry(srv.URL, "sai")
	if _, err := wrongKey.Lookup(ctx, "001190012345"); apperr.Code(err) != apperr.EUNAVAILABLE || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong key: %v", err)
	}
	for name, h := range map[string]http.HandlerFunc{
		"unknown field": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nu","thuong_tru":"","them":1}`))
		},
		"another number": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190099999","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nu","thuong_tru":""}`))
		},
		"bad sex": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"x","thuong_tru":""}`))
		},
		"bad date": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"14/03/1990","gioi_tinh":"nu","thuong_tru":""}`))
		},
		"two values": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nu","thuong_tru":""} {}`))
		},
		"too big": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"` + strings.Repeat("A", 100<<10) + `"}`))
		},
		"error": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) },
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
			}
		},
	} {
		bad := httptest.NewServer(h)
		reg := &population.HTTPRegistry{BaseURL: bad.URL, Key: "k", Timeout: 300 * time.Millisecond}
		start := time.Now()
		_, err := reg.Lookup(ctx, "001190012345")
		if apperr.Code(err) != apperr.EUNAVAILABLE || time.Since(start) > 3*time.Second {
			t.Errorf("%s: %v after %v, want unavailable within the timeout", name, err, time.Since(start))
		}
		bad.Close()
	}
}

// TestCompare: names are compared folded, birth dates as far as both go,
// and the subject stands in for the applicant when the number is theirs.
func TestCompare(t *testing.T) {
	d := &dossier.Dossier{Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345"},
		Subject: &dossier.Subject{Name: "Trần Minh Khôi", IDNumber: "001225000111", BirthDate: "2025-01-10"}}
	for _, c := range []struct {
		p    population.Person
		want string
	}{
		{population.Person{IDNumber: "001190012345", FullName: "HOANG THI LAN", BirthDate: "1990-03-14"}, ""},
		{population.Person{IDNumber: "001190012345", FullName: "Hoàng Thị Lam"}, "full_name"},
		{population.Person{IDNumber: "001225000111", FullName: "Trần Minh Khôi", BirthDate: "2025"}, ""},
		{population.Person{IDNumber: "001225000111", FullName: "Trần Minh Khôi", BirthDate: "2025-01-11"}, "birth_date"},
		{population.Person{IDNumber: "001099000001", FullName: "Hoàng Thị Lan"}, "id_number"},
	} {
		if got := strings.Join(population.Compare(c.p, d), ","); got != c.want {
			t.Errorf("Compare(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
	if n := population.Note(population.Mismatch, []string{"full_name", "birth_date"}); n != "không khớp: họ tên, ngày sinh" {
		t.Errorf("note %q", n)
	}
}

// TestPopserverParse refuses people files with a wrong field, a person the
// client would refuse, or a number twice.
func TestPopserverParse(t *testing.T) {
	for _, b := range []string{
		`[{"so_dinh_danh":"1","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nam","thuong_tru":"","x":1}]`,
		`[{"so_dinh_danh":"1","ho_ten":"","ngay_sinh":"1990","gioi_tinh":"nam","thuong_tru":""}]`,
		`[{"so_dinh_danh":"1","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nam"},{"so_dinh_danh":"1","ho_ten":"B","ngay_sinh":"1990","gioi_tinh":"nu"}]`,
		`{}`,
	} {
		if _, err := popserver.Parse([]byte(b)); err == nil {
			t.Errorf("accepted %s", b)
		}
	}
}
