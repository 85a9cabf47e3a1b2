package web_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store/storetest"
)

// TestArchivedDossierAPI archives a returned dossier and reads it again:
// the officer's GET by code and the public look-up answer as before (the
// contract checks the shape), but for the archived mark and the actions
// offered, and every action answers 409 "hồ sơ đã lưu trữ".
func TestArchivedDossierAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		code := e.prep("returned")
		e.prep("submitted") // the newest dossier always stays in the working tables
		get := "/api/v1/dossiers/" + code
		lookup := "/api/v1/lookup?code=" + code + "&id=001190012345"
		_, staffBefore, _ := e.do("canbo", http.MethodGet, get, "")
		_, publicBefore, _ := e.do("", http.MethodGet, lookup, "")

		rep, err := e.f.DB.ArchiveFinished(context.Background(), e.f.Clock.Now().Add(time.Second), 0)
		if err != nil || rep.Dossiers != 1 {
			t.Fatalf("archive: %+v %v", rep, err)
		}
		for _, c := range []struct {
			user, path string
			before     map[string]any
		}{{"canbo", get, staffBefore}, {"", lookup, publicBefore}} {
			status, after, raw := e.do(c.user, http.MethodGet, c.path, "")
			if status != http.StatusOK || after["archived"] != true {
				t.Fatalf("GET %s after the move: %d %s", c.path, status, raw)
			}
			delete(after, "archived")
			if acts, _ := after["allowed_actions"].([]any); len(acts) != 0 {
				t.Errorf("actions offered on an archived dossier: %v", acts)
			}
			delete(after, "allowed_actions")
			delete(c.before, "allowed_actions")
			if !reflect.DeepEqual(after, c.before) {
				t.Errorf("GET %s answers differently from the archive:\n%v\nwant\n%v", c.path, after, c.before)
			}
		}
		if status, _, _ := e.do("canbo.ngocha", http.MethodGet, get, ""); status != http.StatusNotFound {
			t.Errorf("officer of another unit reads an archived dossier: %d", status)
		}
		status, _, raw := e.do("lanhdao", http.MethodPost, strings.ReplaceAll(act("stop"), "{code}", code), `{"reason":"Thử"}`)
		if status != http.StatusConflict || !strings.Contains(raw, "đã lưu trữ") {
			t.Errorf("action on an archived dossier: %d %s", status, raw)
		}
	})
}
