package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestMeListsOnlyTheCallersOwn: each citizen's /me lists hold their own
// dossiers and papers, never another's; officers are refused; a dossier
// filed through the API re-uses a paper of the caller's, and a paper of
// someone else, or without the applicant's consent, is refused with
// nothing written.
func TestMeListsOnlyTheCallersOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		other := auth.User{Username: "congdan.binh", FullName: "Đặng Văn Bình", Role: auth.RoleApplicant, IDNumber: "001090054321"}
		if err := e.f.DB.CreateUser(ctx, &other, demo.Password()); err != nil {
			t.Fatal(err)
		}
		tok, err := e.f.DB.CreateToken(ctx, other.ID, store.TokenAPI, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[other.Username] = tok

		const proc = "1.001193"
		comp := demo.Required(proc)[0]
		submit := func(user, idNumber, reuse string) (int, map[string]any, string) {
			t.Helper()
			body := fmt.Sprintf(`{"procedure_code":%q,"unit_code":%q,"channel":2,"components":%s,"applicant":{"name":"Người nộp","id_number":%q}%s}`,
				proc, demo.Ward, required(proc), idNumber, reuse)
			return e.do(user, "POST", "/api/v1/dossiers", body)
		}
		// Each citizen files a dossier with a paper.
		papers := map[string]int64{}
		for _, c := range []struct{ user, id, sum string }{{"congdan", "001190012345", strings.Repeat("a", 64)}, {other.Username, "001090054321", strings.Repeat("b", 64)}} {
			status, d, raw := submit(c.user, c.id, "")
			if status != 201 {
				t.Fatalf("%s submits: %d %s", c.user, status, raw)
			}
			made, err := store.Dossiers{DB: e.f.DB}.Get(ctx, d["code"].(string))
			if err != nil {
				t.Fatal(err)
			}
			a := store.Attachment{Component: comp, FileName: "giay-to-" + c.user + ".pdf", ContentType: "application/pdf", Size: 10, SHA256: c.sum, UploadedBy: c.user}
			if err := e.f.DB.AddPendingAttachment(ctx, &a); err != nil {
				t.Fatal(err)
			}
			if err := e.f.DB.BindAttachments(ctx, made.ID, c.user, []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
				t.Fatal(err)
			}
			papers[c.user] = a.ID
		}
		docs := func(user string) []any {
			t.Helper()
			status, m, raw := e.do(user, "GET", "/api/v1/me/documents", "")
			if status != 200 {
				t.Fatalf("%s: /me/documents %d %s", user, status, raw)
			}
			return m["documents"].([]any)
		}
		for user, id := range papers {
			got := docs(user)
			if len(got) != 1 {
				t.Fatalf("%s sees %d papers, want their own 1", user, len(got))
			}
			doc := got[0].(map[string]any)
			if int64(doc["id"].(float64)) != id || doc["kind"] != "attachment" || doc["component"] != comp ||
				!strings.HasPrefix(doc["link"].(string), "/ho-so/"+doc["dossier_code"].(string)+"/tep/") {
				t.Fatalf("%s's paper: %v", user, doc)
			}
			status, m, _ := e.do(user, "GET", "/api/v1/me/dossiers?limit=10", "")
			if status != 200 || m["total"].(float64) != 1 {
				t.Fatalf("%s: /me/dossiers %d %v", user, status, m)
			}
		}
		for _, officer := range []string{"canbo", "lanhdao", "quantri"} {
			for _, path := range []string{"/api/v1/me/documents", "/api/v1/me/dossiers"} {
				if status, _, _ := e.do(officer, "GET", path, ""); status != 403 {
					t.Fatalf("%s: %s %d, want 403", officer, path, status)
				}
			}
		}
		if status, _, _ := e.do("", "GET", "/api/v1/me/documents", ""); status != 401 {
			t.Fatalf("anonymous: %d", status)
		}

		// Re-using someone else's paper: refused, nothing written.
		reuse := func(id int64) string {
			return fmt.Sprintf(`,"reuse":[{"component":%q,"document_id":%d}],"reuse_consent":true`, comp, id)
		}
		status, m, raw := submit("congdan", "001190012345", reuse(papers[other.Username]))
		if status != 422 || m["error"].(map[string]any)["field"] != "reuse[0]" {
			t.Fatalf("forged re-use: %d %s", status, raw)
		}
		// Re-using one's own paper without consenting: refused.
		status, m, raw = submit("congdan", "001190012345", strings.TrimSuffix(reuse(papers["congdan"]), `,"reuse_consent":true`))
		if e := m["error"].(map[string]any); status != 422 || e["field"] != "reuse_consent" || !strings.HasPrefix(e["message"].(string), "Cần sự đồng ý của người nộp") {
			t.Fatalf("re-use without consent: %d %s", status, raw)
		}
		if _, m, _ := e.do("congdan", "GET", "/api/v1/me/dossiers", ""); m["total"].(float64) != 1 {
			t.Fatalf("a refused re-use left a dossier: %v", m["total"])
		}
		// Re-using one's own: the new dossier names it, and the wallet
		// holds the new copy too.
		status, d, raw := submit("congdan", "001190012345", reuse(papers["congdan"]))
		if status != 201 {
			t.Fatalf("re-use: %d %s", status, raw)
		}
		reused := d["reused"].([]any)
		if len(reused) != 1 || reused[0].(map[string]any)["component"] != comp || reused[0].(map[string]any)["file_name"] != "giay-to-congdan.pdf" {
			t.Fatalf("reused: %v", d["reused"])
		}
		if got := docs("congdan"); len(got) != 2 || got[0].(map[string]any)["dossier_code"] != d["code"] {
			t.Fatalf("congdan's papers after the re-use: %v", got)
		}
		if got := docs(other.Username); len(got) != 1 {
			t.Fatalf("the other citizen's papers: %v", got)
		}

		// Received, the dossier that re-used a paper counts for 4.3; the
		// explanation lists the ward's received dossiers that did not.
		var all []string
		for _, user := range []string{"congdan", other.Username} {
			_, m, _ := e.do(user, "GET", "/api/v1/me/dossiers", "")
			for _, x := range m["dossiers"].([]any) {
				all = append(all, x.(map[string]any)["code"].(string))
			}
		}
		for _, code := range all {
			if status, _, raw := e.do("canbo", "POST", "/api/v1/dossiers/"+code+"/actions/receive", "{}"); status != 200 {
				t.Fatalf("receive %s: %d %s", code, status, raw)
			}
		}
		codes, total := explained(t, e, "lanhdao", "unit=00004&indicator=4.3")
		if total != 2 || slices.Contains(codes, d["code"].(string)) {
			t.Fatalf("4.3 explained: %v (%v), want the 2 received without a re-use, not %s", codes, total, d["code"])
		}
		status, m, raw = e.do("lanhdao", "GET", "/api/v1/index?unit=00004&from=2026-03-01&to=2026-03-31", "")
		if status != 200 || indicator(m, "4.3") != "1/3" {
			t.Fatalf("4.3: %d %s", status, raw)
		}
	})
}
