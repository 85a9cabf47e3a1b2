package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// The "Hộ tịch" pages: a commune's records are read by its leaders and
// kept by its civil registrars (who are not among the matrix's callers:
// TestCivilPagesRegistrars covers them); nobody else — not the other
// ward, not administrators, not the applicants — reads a record or a book.
// The digitisation progress is counts only, so every officer sees their
// own unit's and the units above see those below. An extract issued for
// a dossier is its applicant's, and the unit's leaders'.
func init() {
	leaders := []string{leader, leaderX}
	for p, cases := range map[string][]authzCase{
		"GET /ho-tich":                            {{"/ho-tich", "", leaders}},
		"POST /ho-tich/so":                        {{"/ho-tich/so", "kind=birth&year=2001&number=09", nobody}},
		"GET /ho-tich/so/{id}":                    {{"/ho-tich/so/{civil_book}", "", []string{leader}}},
		"GET /ho-tich/so/{id}/nhap":               {{"/ho-tich/so/{civil_book}/nhap", "", nobody}},
		"POST /ho-tich/so/{id}/nhap":              {{"/ho-tich/so/{civil_book}/nhap", "scan=none&child.full_name=L%C3%AA+V%C4%83n+A", nobody}},
		"POST /ho-tich/so/{id}/anh":               {{"/ho-tich/so/{civil_book}/anh", "", nobody}},
		"GET /ho-tich/tai-len/{ref}":              {{"/ho-tich/tai-len/{civil_pending}", "", nobody}},
		"GET /ho-tich/tien-do":                    {{"/ho-tich/tien-do?unit=" + demo.Ward, "", unitStaff}, {"/ho-tich/tien-do", "", allStaff}},
		"GET /ho-tich/tim":                        {{"/ho-tich/tim?q=hoa+binh", "", leaders}},
		"GET /ho-tich/nhat-ky":                    {{"/ho-tich/nhat-ky", "", leaders}},
		"GET /ho-tich/ban-ghi/{id}":               {{"/ho-tich/ban-ghi/{civil_record}", "", []string{leader}}},
		"GET /ho-tich/ban-ghi/{id}/anh":           {{"/ho-tich/ban-ghi/{civil_record}/anh", "", []string{leader}}},
		"GET /ho-tich/ban-ghi/{id}/trich-luc.pdf": {{"/ho-tich/ban-ghi/{civil_record}/trich-luc.pdf", "", []string{leader}}},
		"GET /ho-tich/ban-ghi/{id}/doi-chieu":     {{"/ho-tich/ban-ghi/{civil_record}/doi-chieu", "", nobody}},
		"POST /ho-tich/ban-ghi/{id}/doi-chieu":    {{"/ho-tich/ban-ghi/{civil_record}/doi-chieu", "page=1", nobody}},
		"POST /ho-tich/ban-ghi/{id}/cai-chinh":    {{"/ho-tich/ban-ghi/{civil_record}/cai-chinh", "book={civil_change_book}&field=child.full_name&value=X", nobody}},
		"POST /ho-tich/ban-ghi/{id}/cap":          {{"/ho-tich/ban-ghi/{civil_record}/cap", "copies=1", nobody}},
		"GET /ho-tich/trung-lap":                  {{"/ho-tich/trung-lap", "", leaders}},
		"GET /ho-tich/trung-lap/{id}":             {{"/ho-tich/trung-lap/{civil_dup}", "", []string{leader}}},
		"POST /ho-tich/trung-lap/{id}/{action}":   {{"/ho-tich/trung-lap/{civil_dup}/bo-qua", "", nobody}},
		"GET /ho-so/{code}/trich-luc.pdf":         {{"/ho-so/{civil_dossier}/trich-luc.pdf", "", []string{owner, leader}}},
		"GET /api/v1/civil/records/{id}/extract.pdf": {
			{"/api/v1/civil/records/{civil_record}/extract.pdf?reason=check", "", []string{leader}},
		},
	} {
		authzMatrix[p] = cases
	}
	// The record's people: on its page and in the search, to the ward's
	// leader only; the progress page shows counts, never a name.
	authzSecrets["/ho-tich/tim?q=hoa+binh "] = []authzSecret{{"Nguyễn Thị Hòa Bình", []string{leader}}}
	authzSecrets["/ho-tich/tien-do "] = []authzSecret{{"Hòa Bình", nobody}}
}

// civilPageObjects makes the ward's registrar open a birth book and a
// change book, enter a record from a scanned page and its likely
// duplicate, keep a page image pending, and issue the record's extract
// for the owner's dossier of 2.000635.
func (m *authzEnv) civilPageObjects(files blob.Store) {
	ctx := context.Background()
	svc, reg := m.f.Civil(), m.f.Actors["hotich"]
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	info, err := files.Put(ctx, bytes.NewReader(png), 1<<20)
	if err != nil {
		m.t.Fatal(err)
	}
	book := &civil.Book{Kind: civil.KindBirth, Year: 1998, Number: "01"}
	change := &civil.Book{Kind: civil.KindChange, Year: 2026, Number: "01"}
	for _, b := range []*civil.Book{book, change} {
		if err := svc.CreateBook(ctx, reg, b); err != nil {
			m.t.Fatal(err)
		}
	}
	var recs []*civil.Record
	for i := range 2 {
		r := &civil.Record{BookID: book.ID, Source: civil.SourceDigitised, Page: "12", Entry: fmt.Sprint(34 + i), RegisteredOn: "1998-03-15",
			ScanSHA256: info.SHA256, People: []civil.Person{{Role: civil.RoleChild, FullName: "Nguyễn Thị Hòa Bình", Sex: "female", BirthDate: "1998-03-02"},
				{Role: civil.RoleMother, FullName: "Trần Thị Huệ"}}}
		if err := svc.Enter(ctx, reg, r); err != nil {
			m.t.Fatal(err)
		}
		recs = append(recs, r)
	}
	dups, _, err := svc.Duplicates(ctx, reg, civil.DupOpen, 10, 0)
	if err != nil || len(dups) != 1 {
		m.t.Fatalf("duplicates %v %v", dups, err)
	}
	pending := store.Attachment{FileName: "trang.png", ContentType: "image/png", Size: info.Size, SHA256: info.SHA256, UploadedBy: "hotich"}
	if err := m.f.DB.AddPendingAttachment(ctx, &pending); err != nil {
		m.t.Fatal(err)
	}
	d, err := m.f.Svc.Submit(ctx, m.f.Actors[owner], dossier.SubmitRequest{ProcedureCode: ProcCivilCopy, Components: demo.Required(ProcCivilCopy),
		UnitCode: demo.Ward, Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: ownPhone}})
	if err != nil {
		m.t.Fatal(err)
	}
	if err := svc.Issue(ctx, reg, &civil.Issuance{RecordID: recs[0].ID, Copies: 1, DossierCode: d.Code}); err != nil {
		m.t.Fatal(err)
	}
	for k, v := range map[string]string{"{civil_book}": fmt.Sprint(book.ID), "{civil_change_book}": fmt.Sprint(change.ID), "{civil_record}": fmt.Sprint(recs[0].ID),
		"{civil_second}": fmt.Sprint(recs[1].ID), "{civil_dup}": fmt.Sprint(dups[0].ID), "{civil_dossier}": d.Code,
		"{civil_pending}": fmt.Sprintf("%d:%s", pending.ID, pending.SHA256)} {
		m.objects[k] = v
	}
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
		if strings.Contains(body, "Hòa Bình") || !strings.Contains(body, `name="child.full_name"`) {
			t.Error("the blind entry form shows the record or lacks the key fields")
		}
		blind := "page=12&entry=34&registered_on=15%2F03%2F1998&child.full_name=Nguy%E1%BB%85n+Th%E1%BB%8B+Ho%C3%A0+B%C3%ACnh&child.sex=female" +
			"&child.birth_date=02%2F03%2F1998&mother.full_name=Tr%E1%BA%A7n+Th%E1%BB%8B+Hu%E1%BB%87"
		st, loc, _ := m.send("hotich.b", http.MethodPost, m.fill("/ho-tich/ban-ghi/{civil_record}/doi-chieu"), blind)
		if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?ok=verified") {
			t.Fatalf("verify with the same key fields: %d %s", st, loc)
		}
		// A correction: a new registration in the change book; the record shows the new name.
		st, _, body = m.send("hotich", http.MethodPost, m.fill("/ho-tich/ban-ghi/{civil_record}/cai-chinh"),
			m.fill("book={civil_change_book}&field=child.full_name&value=Nguy%E1%BB%85n+Th%E1%BB%8B+H%C3%B2a+An&entry=1&registered_on=01%2F03%2F2026&basis=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh+s%E1%BB%91+5"))
		if st != http.StatusSeeOther {
			t.Fatalf("correction: %d %s", st, body)
		}
		_, _, body = m.send("hotich", http.MethodGet, m.fill("/ho-tich/ban-ghi/{civil_record}"), "")
		if !strings.Contains(body, "Nguyễn Thị Hòa An") || !strings.Contains(body, "<s>Nguyễn Thị Hòa Bình</s>") {
			t.Error("the corrected record does not show its correction")
		}
		// Another ward's registrar sees their own books (none) and cannot write into the ward's.
		if st, _, body := m.send("hotich.ngocha", http.MethodGet, "/ho-tich", ""); st != http.StatusOK || strings.Contains(body, "Quyển số 01/1998") {
			t.Errorf("the other ward's books: %d", st)
		}
		if st, _, _ := m.send("hotich.ngocha", http.MethodPost, m.fill("/ho-tich/so/{civil_book}/nhap"), "scan=none&child.full_name=A"); st != http.StatusNotFound && st != http.StatusForbidden {
			t.Errorf("the other ward's registrar enters into the ward's book: %d", st)
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
