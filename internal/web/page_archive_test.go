package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// TestArchivedDossierPages: an archived dossier's page and its public
// look-up show it with the archived notice and no action or rating form.
func TestArchivedDossierPages(t *testing.T) {
	e := newPagesEnv(t)
	code := e.submit(false)
	for _, s := range []struct{ who, action string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}} {
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors[s.who], code, dossier.ActionRequest{Action: s.action}); err != nil {
			t.Fatal(err)
		}
	}
	e.submit(false) // the newest dossier stays in the working tables
	if _, err := e.f.DB.ArchiveFinished(context.Background(), e.f.Clock.Now().Add(time.Second), 0); err != nil {
		t.Fatal(err)
	}
	status, body := e.get("canbo", "/ho-so/"+code)
	if status != http.StatusOK || !strings.Contains(body, "Hồ sơ đã lưu trữ") || !strings.Contains(body, "Nguyễn Thị Hồng") || strings.Contains(body, `/stop"`) {
		t.Fatalf("archived dossier page: %d %s", status, body)
	}
	res, body := e.do("", http.MethodPost, "/tra-cuu", url.Values{"code": {code}, "proof": {"001190012345"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Hồ sơ đã lưu trữ") || strings.Contains(body, `name="rating"`) {
		t.Fatalf("look-up of an archived dossier: %d %s", res.StatusCode, body)
	}
	res, body = e.do("", http.MethodPost, "/tra-cuu/danh-gia", url.Values{"code": {code}, "proof": {"001190012345"}, "rating": {"3"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "đã lưu trữ") {
		t.Fatalf("rating an archived dossier: %d", res.StatusCode)
	}
}
