package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCivilAPI walks the registry's API over real HTTP on both engines,
// every exchange checked against openapi.json: a registrar opens a book
// and enters a record from a scanned page; a second registrar's blind
// entry differs and nothing is verified until each difference is
// resolved; a correction amends the record; a duplicate is flagged and
// merged; the leader reads with a reason, sees the progress and the read
// log.
func TestCivilAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		call := func(user, method, path, body string, want int) map[string]any {
			t.Helper()
			st, m, raw := e.do(user, method, path, body)
			if st != want {
				t.Fatalf("%s %s as %q: %d %s, want %d", method, path, user, st, raw, want)
			}
			return m
		}
		civilCalls(t, e, call)
	})
}

// civilCalls is the registry's walk, also part of TestOpenAPILifecycle.
func civilCalls(t *testing.T, e *env, call func(user, method, path, body string, want int) map[string]any) {
	t.Helper()
	ctx := context.Background()
	u := auth.User{Username: "hotich2", FullName: "Phan Văn Hậu", Role: auth.RoleSpecialist, UnitCode: "00004", CivilRegistrar: true}
	if err := e.f.DB.CreateUser(ctx, &u, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	tok, err := e.f.DB.CreateToken(ctx, u.ID, store.TokenAPI, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["hotich2"] = tok
	id := func(m map[string]any) string { return fmt.Sprint(int64(m["id"].(float64))) }
	book := id(call("hotich", "POST", "/api/v1/civil/books", `{"kind":"birth","year":1992,"number":"02","origin":"paper"}`, 201))
	call("hotich", "POST", "/api/v1/civil/books", `{"kind":"birth","year":1992,"number":"02"}`, 409)
	call("canbo", "POST", "/api/v1/civil/books", `{"kind":"birth","year":1993,"number":"01"}`, 403)
	changes := id(call("hotich", "POST", "/api/v1/civil/books", `{"kind":"change","year":2026,"number":"01","origin":"electronic"}`, 201))
	rec := call("hotich", "POST", "/api/v1/civil/records", `{"book_id":`+book+`,"page":"7","entry":"31","registered_on":"15/08/1992",
		"officer":"Trần Văn Lộc","source":"digitised","declarant":{"name":"Vũ Thị Xuân","relation":"mẹ"},
		"people":[{"role":"child","full_name":"Vũ Minh Hoà","sex":"male","birth_date":"02/08/1992","birth_place":"Hà Nội"},
		{"role":"mother","full_name":"Vũ Thị Xuân","birth_date":"1968"}]}`, 201)
	rid := id(rec)
	if rec["status"].(float64) != 2 || rec["registered_on"] != "1992-08-15" {
		t.Fatalf("entered %v", rec)
	}
	call("hotich", "POST", "/api/v1/civil/records", `{"book_id":`+book+`,"people":[{"role":"husband","full_name":"X"}]}`, 422)
	// A scanned page: checked by its first bytes.
	if st, raw := e.upload("hotich", "/api/v1/civil/records/"+rid+"/scan", "trang-7.png", pngBytes); st != http.StatusOK {
		t.Fatalf("scan: %d %s", st, raw)
	}
	if st, raw := e.upload("hotich", "/api/v1/civil/records/"+rid+"/scan", "trang-7.png", []byte("not a picture at all")); st != 422 {
		t.Fatalf("a fake scan: %d %s", st, raw)
	}
	if st, _ := e.download("lanhdao", "/api/v1/civil/records/"+rid+"/scan?reason=verify"); st != 200 {
		t.Fatalf("scan download: %d", st)
	}
	// Double entry.
	blind := `{"page":"7","entry":"31","registered_on":"1992-08-15","child.full_name":"vũ minh hòa","child.sex":"male",
		"child.birth_date":"1992-08-02","child.id_number":"-","mother.full_name":"Vũ Thị Suân","mother.sex":"-","mother.birth_date":"1968","mother.id_number":"-"}`
	call("hotich", "POST", "/api/v1/civil/records/"+rid+"/verify", `{"fields":`+blind+`}`, 403)
	v := call("hotich2", "POST", "/api/v1/civil/records/"+rid+"/verify", `{"fields":`+blind+`}`, 200)
	diffs := v["differences"].([]any)
	if v["verified"] != false || len(diffs) != 1 || diffs[0].(map[string]any)["field"] != "mother.full_name" {
		t.Fatalf("verify: %v", v)
	}
	v = call("hotich2", "POST", "/api/v1/civil/records/"+rid+"/resolve", `{"fields":`+blind+`,"choices":{"mother.full_name":"record"}}`, 200)
	if v["verified"] != true || v["record"].(map[string]any)["verified_by"] != "hotich2" {
		t.Fatalf("resolve: %v", v)
	}
	// A correction amends; the original shows the corrected values.
	corr := call("hotich", "POST", "/api/v1/civil/records/"+rid+"/corrections", `{"book_id":`+changes+`,"entry":"3","registered_on":"2026-03-02",
		"basis":"Tờ khai cải chính","changes":{"child.full_name":"Vũ Minh Hoàng"}}`, 201)
	if corr["kind"] != "change" || fmt.Sprint(corr["amends"]) != rid {
		t.Fatalf("correction %v", corr)
	}
	call("lanhdao", "GET", "/api/v1/civil/records/"+rid, "", 422)
	got := call("lanhdao", "GET", "/api/v1/civil/records/"+rid+"?reason=check", "", 200)
	cur := got["current"].(map[string]any)["people"].([]any)[0].(map[string]any)
	if got["people"].([]any)[0].(map[string]any)["full_name"] != "Vũ Minh Hoà" || cur["full_name"] != "Vũ Minh Hoàng" {
		t.Fatalf("corrected %v", got)
	}
	call("quantri", "GET", "/api/v1/civil/records/"+rid+"?reason=check", "", 404)
	call("canbo.ngocha", "GET", "/api/v1/civil/records/"+rid+"?reason=check", "", 404)
	// A likely duplicate, flagged at entry and merged.
	dup := id(call("hotich", "POST", "/api/v1/civil/records", `{"book_id":`+book+`,"entry":"32","people":[{"role":"child","full_name":"Vu Minh Hoa",
		"birth_date":"1992-08-02"},{"role":"mother","full_name":"Vu Thi Xuan"}]}`, 201))
	list := call("lanhdao", "GET", "/api/v1/civil/duplicates?status=open", "", 200)
	pairs := list["duplicates"].([]any)
	if len(pairs) != 1 || pairs[0].(map[string]any)["reason"] != "same_parent" {
		t.Fatalf("duplicates %v", list)
	}
	pair := id(pairs[0].(map[string]any))
	call("hotich", "POST", "/api/v1/civil/duplicates/"+pair+"/merge", `{"keep":12345}`, 422)
	m := call("hotich", "POST", "/api/v1/civil/duplicates/"+pair+"/merge", `{"keep":`+rid+`}`, 200)
	if m["status"] != "merged" {
		t.Fatalf("merge %v", m)
	}
	if d := call("hotich", "GET", "/api/v1/civil/records/"+dup+"?reason=other&note=gộp", "", 200); fmt.Sprint(d["merged_into"]) != rid {
		t.Fatalf("merged %v", d)
	}
	// Search: any word order, no accents; by book and entry.
	hits := call("lanhdao", "GET", "/api/v1/civil/records?q=hoa+vu&birth_year=1992&kind=birth&limit=10", "", 200)
	if hits["total"].(float64) != 2 {
		t.Fatalf("search %v", hits)
	}
	// A hit is a summary; the kind alone is no criterion.
	if h := hits["hits"].([]any)[0].(map[string]any); h["people"] != nil || h["record"] != nil || h["principal_name"] == nil || h["record_id"] == nil {
		t.Fatalf("a hit %v", h)
	}
	call("lanhdao", "GET", "/api/v1/civil/records?kind=birth", "", 422)
	call("lanhdao", "GET", "/api/v1/civil/records?q=02/31", "", 200)
	call("lanhdao", "GET", "/api/v1/civil/records?birth_date=31/31/1992", "", 422)
	// Progress: counts, up to the province.
	p := call("canbo", "GET", "/api/v1/civil/progress?unit=00004", "", 200)
	if p["entered"].(float64) != 2 || p["verified"].(float64) != 1 {
		t.Fatalf("progress %v", p)
	}
	call("canbo.ngocha", "GET", "/api/v1/civil/progress?unit=00004", "", 403)
	b := call("lanhdao", "GET", "/api/v1/civil/books/"+book, "", 200)
	if b["verified"].(float64) != 1 {
		t.Fatalf("book %v", b)
	}
	call("lanhdao", "GET", "/api/v1/civil/books?kind=birth&year=1992", "", 200)
	// The read log: the leader's.
	reads := call("lanhdao", "GET", "/api/v1/civil/reads?limit=100", "", 200)
	var notes []string
	for _, r := range reads["reads"].([]any) {
		notes = append(notes, fmt.Sprint(r.(map[string]any)["username"], ":", r.(map[string]any)["reason"]))
	}
	if j := strings.Join(notes, " "); !strings.Contains(j, "lanhdao:check") || !strings.Contains(j, "lanhdao:search") || !strings.Contains(j, "hotich:other") ||
		!strings.Contains(j, "lanhdao:verify") {
		t.Fatalf("reads %v", j)
	}
	call("hotich", "GET", "/api/v1/civil/reads", "", 403)
	// A draft completed.
	draft := id(call("hotich", "POST", "/api/v1/civil/records", `{"book_id":`+book+`,"draft":true,"people":[{"role":"child","full_name":"Lò Văn Páo"}]}`, 201))
	ed := call("hotich", "PUT", "/api/v1/civil/records/"+draft, `{"book_id":`+book+`,"entry":"33","people":[{"role":"child","full_name":"Lò Văn Páo","sex":"male"}]}`, 200)
	if ed["status"].(float64) != 2 {
		t.Fatalf("edited %v", ed)
	}
	call("hotich", "POST", "/api/v1/civil/duplicates/"+pair+"/dismiss", "", 409)
	// A near miss (one letter), dismissed as another child.
	call("hotich", "POST", "/api/v1/civil/records", `{"book_id":`+book+`,"entry":"34","people":[{"role":"child","full_name":"Vũ Minh Hoan",
		"birth_date":"1992-08-02"}]}`, 201)
	near := call("lanhdao", "GET", "/api/v1/civil/duplicates?status=open", "", 200)["duplicates"].([]any)
	if len(near) != 1 || near[0].(map[string]any)["reason"] != "near_name" {
		t.Fatalf("near miss %v", near)
	}
	if d := call("hotich", "POST", "/api/v1/civil/duplicates/"+id(near[0].(map[string]any))+"/dismiss", "", 200); d["status"] != "dismissed" {
		t.Fatalf("dismissed %v", d)
	}
}
