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

// TestCompare: names are compared as NFC text regardless of case and white
// space, so that a difference in the diacritics only is a mismatch of its
// own; birth dates as far as both go; the subject stands in for the
// applicant when the number is theirs, and the note says whose number it was.
func TestCompare(t *testing.T) {
	d := &dossier.Dossier{Applicant: dossier.Applicant{Name: "Hoàng Thị Lân", IDNumber: "001190012345"},
		Subject: &dossier.Subject{Name: "Trần Minh Khôi", IDNumber: "001225000111", BirthDate: "2025-01-10"}}
	for _, c := range []struct {
		p          population.Person
		role, want string
	}{
		{population.Person{IDNumber: "001190012345", FullName: "HOÀNG  THỊ LÂN", BirthDate: "1990-03-14"}, "applicant", ""},
		{population.Person{IDNumber: "001190012345", FullName: "Hoa\u0300ng Thi\u0323 La\u0302n"}, "applicant", ""}, // decomposed
		{population.Person{IDNumber: "001190012345", FullName: "Hoàng Thị Lan"}, "applicant", "full_name_diacritics"},
		{population.Person{IDNumber: "001190012345", FullName: "HOANG THI LAN"}, "applicant", "full_name_diacritics"},
		{population.Person{IDNumber: "001190012345", FullName: "Hoàng Thị Lam"}, "applicant", "full_name"},
		{population.Person{IDNumber: "001225000111", FullName: "Trần Minh Khôi", BirthDate: "2025"}, "subject", ""},
		{population.Person{IDNumber: "001225000111", FullName: "Trần Minh Khôi", BirthDate: "2025-01-11"}, "subject", "birth_date"},
		{population.Person{IDNumber: "001099000001", FullName: "Hoàng Thị Lân"}, "applicant", "id_number"},
	} {
		role, diff := population.Compare(c.p, d)
		if got := strings.Join(diff, ","); got != c.want || role != c.role {
			t.Errorf("Compare(%+v) = %s %q, want %s %q", c.p, role, got, c.role, c.want)
		}
	}
	// The old and the new tone placement (Thuý/Thúy, Hoà/Hòa) are one
	// name, as the civil registry compares them; a missing mark is not.
	old := &dossier.Dossier{Applicant: dossier.Applicant{Name: "Nguyễn Thị Thuý Hoà", IDNumber: "001190012345"}}
	for name, want := range map[string]string{"Nguyễn Thị Thúy Hòa": "", "Nguyễn Thị Thuy Hòa": "full_name_diacritics"} {
		if _, diff := population.Compare(population.Person{IDNumber: "001190012345", FullName: name}, old); strings.Join(diff, ",") != want {
			t.Errorf("%q against %q: %v, want %q", name, old.Applicant.Name, diff, want)
		}
	}
	for _, c := range []struct {
		outcome, role string
		diff          []string
		vi, en        string
	}{
		{population.Match, population.RoleApplicant, nil, "khớp (người nộp)", "match (applicant)"},
		{population.Mismatch, population.RoleSubject, []string{"full_name_diacritics", "birth_date"},
			"không khớp (người được cấp kết quả): họ tên (dấu), ngày sinh", "mismatch (subject): full name (diacritics), birth date"},
		{population.Mismatch, "", []string{"full_name"}, "không khớp: họ tên", "mismatch: full name"}, // as written before the role
		{population.Match, "", nil, "khớp", "match"},
	} {
		n := population.Note(c.outcome, c.role, c.diff)
		if n != c.vi {
			t.Errorf("note %q, want %q", n, c.vi)
		}
		if en, outcome := population.NoteIn(n, 1); en != c.en || outcome != c.outcome {
			t.Errorf("NoteIn(%q) = %q %q, want %q %q", n, en, outcome, c.en, c.outcome)
		}
		if vi, _ := population.NoteIn(n, 0); vi != c.vi {
			t.Errorf("NoteIn(%q, vi) = %q", n, vi)
		}
	}
	if text, outcome := population.NoteIn("ghi chú khác", 1); text != "ghi chú khác" || outcome != "" {
		t.Errorf("a note of another kind: %q %q", text, outcome)
	}
	e := population.Entry{Outcome: population.Mismatch, Detail: "id_number,full_name"}
	if got := population.DetailIn(e, 1); got != "ID number, full name" {
		t.Errorf("detail in English: %q", got)
	}
	if got := population.DetailIn(e, 0); got != "số định danh, họ tên" {
		t.Errorf("detail in Vietnamese: %q", got)
	}
	if e := (population.Entry{Outcome: population.Unavailable, Detail: "answered 500"}); population.DetailIn(e, 1) != "answered 500" {
		t.Errorf("the cause of an unavailable look-up: %q", population.DetailIn(e, 1))
	}
}

// TestHTTPRegistryRedirect: the key goes to the configured host only; a
// redirect, to another host or not, is not followed and counts as the
// registry being unavailable.
func TestHTTPRegistryRedirect(t *testing.T) {
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get(population.KeyHeader))
		w.Write([]byte(`{"so_dinh_danh":"001190012345","ho_ten":"A","ngay_sinh":"1990","gioi_tinh":"nu","thuong_tru":""}`))
	}))
	defer other.Close()
	redirect := httptest.NewServer(http.RedirectHandler(other.URL+population.LookupPath, http.StatusTemporaryRedirect))
	defer redirect.Close()
	for _, reg := range []*population.HTTPRegistry{
		population.NewHTTPRegistry(redirect.URL, "bi-mat"),
		{BaseURL: redirect.URL, Key: "bi-mat", Client: &http.Client{}}, // a client of the caller's own follows none either
	} {
		_, err := reg.Lookup(context.Background(), "001190012345")
		if apperr.Code(err) != apperr.EUNAVAILABLE || !strings.Contains(err.Error(), "307") {
			t.Errorf("a redirect: %v, want unavailable", err)
		}
	}
	if len(leaked) != 0 {
		t.Errorf("the key went to another host: %q", leaked)
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
