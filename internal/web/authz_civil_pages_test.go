package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// The "Hộ tịch" pages: a commune's records are read by its leaders and
// kept by its civil registrars (civilObjects makes each ward's specialist
// one; TestCivilPagesRegistrars covers more); nobody else — not the other
// ward, not administrators, not the applicants — reads a record or a book.
// The digitisation progress is counts only, so every officer sees their
// own unit's and the units above see those below. An extract issued for
// a dossier is its applicant's, and the unit's leaders'.
func init() {
	readers := []string{specialist, leader}                       // the ward's registrar (civilObjects makes the specialist one) and leader
	ownUnit := []string{specialist, leader, specialistX, leaderX} // each reads their own unit's
	const rec = "/ho-tich/ban-ghi/{civil_record}"
	for p, cases := range map[string][]authzCase{
		"GET /ho-tich":                            {{"/ho-tich", "", ownUnit}},
		"POST /ho-tich/so":                        {{"/ho-tich/so", "kind=birth&year=2001&number=09", []string{specialist, specialistX}}},
		"GET /ho-tich/so/{id}":                    {{"/ho-tich/so/{civil_book}", "", readers}},
		"GET /ho-tich/so/{id}/nhap":               {{"/ho-tich/so/{civil_book}/nhap", "", registrars}},
		"POST /ho-tich/so/{id}/nhap":              {{"/ho-tich/so/{civil_book}/nhap", "scan=none&child.full_name=L&child.birth_date=99%2F99%2F1999", registrars}},
		"POST /ho-tich/so/{id}/anh":               {{"/ho-tich/so/{civil_book}/anh", "", registrars}},
		"GET /ho-tich/tai-len/{ref}":              {{"/ho-tich/tai-len/{civil_pending}", "", nobody}}, // the uploader's only: the ward's other registrar
		"GET /ho-tich/tien-do":                    {{"/ho-tich/tien-do?unit=" + demo.Ward, "", unitStaff}, {"/ho-tich/tien-do", "", allStaff}},
		"GET /ho-tich/tim":                        {{"/ho-tich/tim?q=khanh", "", ownUnit}},
		"GET /ho-tich/nhat-ky":                    {{"/ho-tich/nhat-ky", "", []string{leader, leaderX}}},
		"GET /ho-tich/ban-ghi/{id}":               {{rec, "", readers}},
		"GET /ho-tich/ban-ghi/{id}/anh":           {{rec + "/anh", "", readers}},
		"GET /ho-tich/ban-ghi/{id}/trich-luc.pdf": {{rec + "/trich-luc.pdf", "", readers}},
		"GET /ho-tich/ban-ghi/{id}/doi-chieu":     {{rec + "/doi-chieu", "", registrars}},
		"POST /ho-tich/ban-ghi/{id}/doi-chieu":    {{rec + "/doi-chieu", "page=1", registrars}},
		"POST /ho-tich/ban-ghi/{id}/cai-chinh":    {{rec + "/cai-chinh", "book={civil_change_book}&field=child.full_name&value=", registrars}},
		"POST /ho-tich/ban-ghi/{id}/cap":          {{rec + "/cap", "copies=0", registrars}},
		"GET /ho-tich/trung-lap":                  {{"/ho-tich/trung-lap", "", ownUnit}},
		"GET /ho-tich/trung-lap/{id}":             {{"/ho-tich/trung-lap/{civil_dup}", "", readers}},
		"POST /ho-tich/trung-lap/{id}/{action}":   {{"/ho-tich/trung-lap/{civil_dup2}/bo-qua", "", registrars}},
		"GET /ho-so/{code}/trich-luc.pdf":         {{"/ho-so/{civil_dossier}/trich-luc.pdf", "", []string{owner, specialist, leader}}},
		"GET /api/v1/civil/records/{id}/extract.pdf": {
			{"/api/v1/civil/records/{civil_record}/extract.pdf?reason=check", "", readers},
		},
	} {
		authzMatrix[p] = cases
	}
	// The record's people: in the search and on its page, to the ward's
	// readers only; the progress page shows counts, never a name.
	authzSecrets["/ho-tich/tim?q=khanh "] = []authzSecret{{"Lạc Văn Khánh", readers}}
	authzSecrets["/ho-tich/tien-do "] = []authzSecret{{"Khánh", nobody}}
}

// civilPageObjects adds to the registry's objects (civilObjects) a page
// image the ward's registrar keeps pending ({civil_pending}) and the
// owner's dossier of 2.000635 ({civil_dossier}) for which the record's
// extract was issued.
func (m *authzEnv) civilPageObjects() {
	ctx := context.Background()
	svc, reg := m.f.Civil(), m.f.Actors["hotich"]
	rec, err := svc.Store.Get(ctx, m.id("{civil_record}"))
	if err != nil {
		m.t.Fatal(err)
	}
	pending := store.Attachment{FileName: "trang.jpg", ContentType: "image/jpeg", Size: 1, SHA256: rec.ScanSHA256, UploadedBy: "hotich"}
	if err := m.f.DB.AddPendingAttachment(ctx, &pending); err != nil {
		m.t.Fatal(err)
	}
	d, err := m.f.Svc.Submit(ctx, m.f.Actors[owner], dossier.SubmitRequest{ProcedureCode: ProcCivilCopy, Components: demo.Required(ProcCivilCopy),
		UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: ownPhone}})
	if err != nil {
		m.t.Fatal(err)
	}
	if err := svc.Issue(ctx, reg, &civil.Issuance{RecordID: rec.ID, Copies: 1, DossierCode: d.Code}); err != nil {
		m.t.Fatal(err)
	}
	m.objects["{civil_dossier}"] = d.Code
	m.objects["{civil_pending}"] = fmt.Sprintf("%d:%s", pending.ID, pending.SHA256)
}

// id is an object's number.
func (m *authzEnv) id(key string) int64 {
	n, err := strconv.ParseInt(m.objects[key], 10, 64)
	if err != nil {
		m.t.Fatalf("%s: %q", key, m.objects[key])
	}
	return n
}

// TestCivilPagesRegistrars: the ward's registrars keep its books through
// the pages — the registrar who entered a record cannot verify it, a
// second one can; another ward's registrar and the province's leader are
// refused every page of the ward's records, and read their own unit's
// (empty) books only.
func TestCivilPagesRegistrars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		m := newAuthzEnv(t, engine)
		ctx := context.Background()
		for _, u := range []auth.User{
			{Username: "hotich.b", FullName: "Bùi Thị Ngân", Role: auth.RoleSpecialist, UnitCode: demo.Ward, CivilRegistrar: true},
			{Username: "hotich.ngocha", FullName: "Vũ Văn Khoa", Role: auth.RoleSpecialist, UnitCode: demo.OtherWard, CivilRegistrar: true},
			{Username: "lanhdao.tinh", FullName: "Mai Văn Tỉnh", Role: auth.RoleLeader, UnitCode: demo.Province},
		} {
			if err := m.f.DB.CreateUser(ctx, &u, "mat-khau-dai-1"); err != nil {
				t.Fatal(err)
			}
			m.f.Users[u.Username] = u
		}
		for _, who := range []string{"hotich", "hotich.b", "hotich.ngocha", "lanhdao.tinh"} {
			m.session[who] = m.newSession(who)
		}
		wardOnly := []string{"/ho-tich/so/{civil_book}", "/ho-tich/so/{civil_book}/nhap", "/ho-tich/ban-ghi/{civil_record}", "/ho-tich/ban-ghi/{civil_record}/anh",
			"/ho-tich/ban-ghi/{civil_record}/trich-luc.pdf", "/ho-tich/ban-ghi/{civil_record}/doi-chieu", "/ho-tich/trung-lap/{civil_dup}"}
		for _, p := range wardOnly {
			path := m.fill(p)
			if st, _, _ := m.send("hotich", http.MethodGet, path, ""); st != http.StatusOK {
				t.Errorf("GET %s as the ward's registrar: %d", p, st)
			}
			for _, who := range []string{"hotich.ngocha", "lanhdao.tinh"} {
				if st, _, _ := m.send(who, http.MethodGet, path, ""); st != http.StatusForbidden && st != http.StatusNotFound {
					t.Errorf("GET %s as %s: %d, want refused", p, who, st)
				}
			}
		}
		// The pages in English.
		for path, want := range map[string]string{"/ho-tich?lang=en": "Register books", m.fill("/ho-tich/ban-ghi/{civil_record}?lang=en"): "Related records",
			m.fill("/ho-tich/so/{civil_book}/nhap?lang=en&scan=none"): "Place in the book", "/ho-tich/tim?lang=en&q=khanh": "Lạc Văn Khánh"} {
			if st, _, body := m.send("hotich", http.MethodGet, path, ""); st != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET %s: %d, without %q", path, st, want)
			}
		}
		// The registrar who entered the record is told someone else must verify it.
		_, _, body := m.send("hotich", http.MethodGet, m.fill("/ho-tich/ban-ghi/{civil_record}/doi-chieu"), "")
		if !strings.Contains(body, "một công chức hộ tịch khác phải đối chiếu") {
			t.Error("the enterer is offered the blind entry")
		}
		if st, _, _ := m.send("hotich", http.MethodPost, m.fill("/ho-tich/ban-ghi/{civil_record}/doi-chieu"), "page=12"); st != http.StatusForbidden {
			t.Errorf("the enterer verifies: %d", st)
		}
		// The second registrar's blind entry: the record's values are not on the form.
		_, _, body = m.send("hotich.b", http.MethodGet, m.fill("/ho-tich/ban-ghi/{civil_record}/doi-chieu"), "")
		if strings.Contains(body, "Khánh") || strings.Contains(body, "Mạc Thị Hằng") || !strings.Contains(body, `name="child.full_name"`) {
			t.Error("the blind entry form shows the record or lacks the key fields")
		}
		// Every key field is typed again; "-" for what the book leaves empty.
		blind := url.Values{"page": {"-"}, "entry": {"1"}, "registered_on": {"-"}, "child.full_name": {"lạc  văn KHÁNH"}, "child.sex": {"-"},
			"child.birth_date": {"30/04/1985"}, "child.id_number": {"-"}, "mother.full_name": {"Mạc Thị Hằng"}, "mother.sex": {"-"},
			"mother.birth_date": {"-"}, "mother.id_number": {"-"}}.Encode()
		st, loc, _ := m.send("hotich.b", http.MethodPost, m.fill("/ho-tich/ban-ghi/{civil_record}/doi-chieu"), blind)
		if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?ok=verified") {
			t.Fatalf("verify with the same key fields: %d %s", st, loc)
		}
		// A correction: a new registration in the change book; the record shows the new name.
		st, _, body = m.send("hotich", http.MethodPost, m.fill("/ho-tich/ban-ghi/{civil_record}/cai-chinh"),
			url.Values{"book": {m.objects["{civil_change_book}"]}, "field": {"child.full_name"}, "value": {"Lạc Văn Khải"}, "entry": {"1"},
				"registered_on": {"01/03/2026"}, "basis": {"Quyết định số 5"}}.Encode())
		if st != http.StatusSeeOther {
			t.Fatalf("correction: %d %s", st, body)
		}
		_, _, body = m.send("hotich", http.MethodGet, m.fill("/ho-tich/ban-ghi/{civil_record}"), "")
		if !strings.Contains(body, "Lạc Văn Khải") || !strings.Contains(body, "<s>Lạc Văn Khánh</s>") {
			t.Error("the corrected record does not show its correction")
		}
		// Another ward's registrar sees their own books (none) and cannot write into the ward's.
		if st, _, body := m.send("hotich.ngocha", http.MethodGet, "/ho-tich", ""); st != http.StatusOK || strings.Contains(body, "Quyển số 01/1985") {
			t.Errorf("the other ward's books: %d", st)
		}
		if st, _, _ := m.send("hotich.ngocha", http.MethodPost, m.fill("/ho-tich/so/{civil_book}/nhap"), "scan=none&child.full_name=A"); st != http.StatusNotFound && st != http.StatusForbidden {
			t.Errorf("the other ward's registrar enters into the ward's book: %d", st)
		}
		// The record page names the other records of its people.
		if _, _, body := m.send("hotich", http.MethodGet, m.fill("/ho-tich/ban-ghi/{civil_record}"), ""); !strings.Contains(body, "Bản ghi liên quan") {
			t.Error("the record page names no related record")
		}
		// Issuing through a dossier of 2.000635: the registrar picks the
		// record from the dossier page, issues it, and the applicant finds it there.
		d, err := m.f.Svc.Submit(ctx, m.f.Actors[owner], dossier.SubmitRequest{ProcedureCode: ProcCivilCopy, Components: demo.Required(ProcCivilCopy),
			UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: ownPhone}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, body := m.send("hotich", http.MethodGet, "/ho-so/"+d.Code, ""); !strings.Contains(body, `href="/ho-tich/tim?dossier=`+d.Code+`"`) {
			t.Error("the dossier page does not offer the registrar to pick the record")
		}
		issue := m.fill("/ho-tich/ban-ghi/{civil_record}/cap")
		if st, _, _ := m.send("hotich", http.MethodPost, issue, "copies=1&dossier="+m.objects["{own}"]); st != http.StatusUnprocessableEntity {
			t.Errorf("an extract for a dossier of another procedure: %d", st)
		}
		if st, loc, _ := m.send("hotich", http.MethodPost, issue, "copies=2&dossier="+d.Code); st != http.StatusSeeOther || !strings.HasSuffix(loc, "?ok=issued") {
			t.Fatalf("issue for the dossier: %d %s", st, loc)
		}
		if st, _, _ := m.send("hotich", http.MethodPost, issue, "copies=1&dossier="+d.Code); st != http.StatusConflict {
			t.Errorf("a second extract for the dossier: %d", st)
		}
		if _, _, body := m.send(owner, http.MethodGet, "/ho-so/"+d.Code, ""); !strings.Contains(body, `href="/ho-so/`+d.Code+`/trich-luc.pdf"`) {
			t.Error("the applicant's dossier page does not offer the extract")
		}
		if st, _, body := m.send(owner, http.MethodGet, "/ho-so/"+d.Code+"/trich-luc.pdf", ""); st != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("the applicant's extract: %d", st)
		}
		if st, _, _ := m.send(stranger, http.MethodGet, "/ho-so/"+d.Code+"/trich-luc.pdf", ""); st != http.StatusNotFound {
			t.Errorf("another applicant's download: %d", st)
		}
		// The extract of the dossier: the applicant's; the ward's counter officer is refused.
		if st, _, _ := m.send(owner, http.MethodGet, m.fill("/ho-so/{civil_dossier}/trich-luc.pdf"), ""); st != http.StatusOK {
			t.Errorf("the applicant's extract: %d", st)
		}
		if st, _, _ := m.send(counter, http.MethodGet, m.fill("/ho-so/{civil_dossier}/trich-luc.pdf"), ""); st != http.StatusForbidden {
			t.Errorf("the counter officer's extract: %d", st)
		}
	})
}
