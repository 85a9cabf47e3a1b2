package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/store"
)

// TestEvaluationNoSelfScoring: a leader's own page shows why he cannot
// score himself and has no form; his points on himself are refused, on the
// page and in the API, in Vietnamese first; another leader of the unit and
// the province's leader may score him. Officers who are not leaders enter
// no points at all, not even on themselves. Only the allowed entries are
// kept.
func TestEvaluationNoSelfScoring(t *testing.T) {
	e := newPagesEnv(t)
	e.addUser(auth.User{Username: "lanhdao.pho", FullName: "Cao Thị Mai", Role: auth.RoleLeader, UnitCode: "00004"}, "mật khẩu phó")
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	period := evaluation.Month(e.f.Clock.Now()).Key
	entry := func(criterion string) url.Values {
		return url.Values{"unit": {"00004"}, "period": {period}, "criterion": {criterion}, "points": {"1,5"}, "reason": {"Tiếp dân chu đáo"}}
	}

	status, body := e.get("lanhdao", "/danh-gia/lanhdao?period="+period)
	if status != http.StatusOK || !strings.Contains(body, `id="self-note"`) || strings.Contains(body, `name="points"`) {
		t.Errorf("own page: %d, want the note and no form", status)
	}
	if _, body := e.get("lanhdao", "/danh-gia/canbo?period="+period); !strings.Contains(body, `name="points"`) {
		t.Error("a leader's page of an officer has no form")
	}
	refused := []struct{ user, path string }{
		{"lanhdao", "/danh-gia/lanhdao"},  // himself
		{"canbo", "/danh-gia/canbo"},      // an officer on himself
		{"canbo", "/danh-gia/chuyenvien"}, // an officer on another
		{"chuyenvien", "/danh-gia"},       // an officer on the unit
	}
	for _, c := range refused {
		res, body := e.do(c.user, http.MethodPost, c.path, entry("feedback"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s as %s: %d, want 403", c.path, c.user, res.StatusCode)
		}
		if want := map[bool]string{true: "không được tự chấm điểm", false: "Chỉ lãnh đạo đơn vị được chấm điểm"}[c.user == "lanhdao"]; !strings.Contains(body, want) {
			t.Errorf("POST %s as %s: the page does not say %q", c.path, c.user, want)
		}
	}
	for _, who := range []string{"lanhdao", "canbo"} {
		st, m := e.jsonDo(who, http.MethodPost, "/api/v1/evaluations/entries",
			`{"officer":"`+who+`","period":"`+period+`","criterion":"feedback","points":2,"reason":"Tự chấm"}`)
		if st != http.StatusForbidden || !strings.Contains(fmt.Sprint(m), "chấm điểm") {
			t.Errorf("API entry by %s on himself: %d %v, want 403", who, st, m)
		}
	}

	for _, who := range []string{"lanhdao.pho", "lanhdao.tinh"} {
		if res, _ := e.do(who, http.MethodPost, "/danh-gia/lanhdao", entry("attitude")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s scoring lanhdao: %d, want 303", who, res.StatusCode)
		}
	}
	kept, err := store.Evaluations{DB: e.f.DB}.Entries(context.Background(), "00004", period)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range kept {
		got = append(got, k.EnteredBy+">"+k.Officer+":"+k.Criterion)
	}
	if want := "[lanhdao.pho>lanhdao:attitude lanhdao.tinh>lanhdao:attitude]"; fmt.Sprint(got) != want {
		t.Errorf("entries kept %v, want %s", got, want)
	}
}
