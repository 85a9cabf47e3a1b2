package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// workCodes asks the API for user's work and returns its codes in order,
// and each item by code.
func (e *pagesEnv) workCodes(user string) ([]string, map[string]map[string]any) {
	e.t.Helper()
	st, m := e.jsonDo(user, http.MethodGet, "/api/v1/my-work", "")
	if st != http.StatusOK {
		e.t.Fatalf("my work of %s: %d %v", user, st, m)
	}
	items, _ := m["items"].([]any)
	var codes []string
	byCode := map[string]map[string]any{}
	for _, it := range items {
		x := it.(map[string]any)
		codes = append(codes, x["code"].(string))
		byCode[x["code"].(string)] = x
	}
	if m["total"] != float64(len(codes)) {
		e.t.Fatalf("my work of %s: total %v for %d items", user, m["total"], len(codes))
	}
	return codes, byCode
}

// TestMyWork lays out dossiers at every kind of step in two wards and
// checks that each officer's work lists exactly theirs, the most urgent
// step first, with late and near-due said in words.
func TestMyWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEngineEnv(t, engine)
		ctx := context.Background()
		e.addUser(auth.User{Username: "chuyenvien.ngocha", FullName: "Ngô Thị Mai", Role: auth.RoleSpecialist, UnitCode: demo.OtherWard}, "mat-khau-dai-2")

		// prep submits proc at the counter of unit (online when unit is
		// empty) and runs the steps.
		prep := func(proc, unit string, steps ...dossier.ActionRequest) string {
			t.Helper()
			e.f.Clock.Advance(20 * time.Minute)
			req := dossier.SubmitRequest{ProcedureCode: proc, UnitCode: unit, Channel: dossier.ChannelCounter, Components: demo.Required(proc),
				Applicant: dossier.Applicant{Name: "Phan Văn Hải", IDNumber: "001090011111"}}
			by := e.f.Actors["canbo"]
			switch unit {
			case "":
				req.UnitCode, req.Channel, by = demo.Ward, dossier.ChannelOnline, e.f.Actors["congdan"]
			case demo.OtherWard:
				by = e.f.Actors["canbo.ngocha"]
			}
			d, err := e.f.Svc.Submit(ctx, by, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range steps {
				who := map[string]string{dossier.ActForward: by.Username, dossier.ActApprove: "lanhdao"}[s.Action]
				if s.Note != "" { // the specialist's forward
					who = "chuyenvien"
				}
				if _, err := e.f.Svc.Act(ctx, e.f.Actors[who], d.Code, s); err != nil {
					t.Fatalf("%s %s: %v", proc, s.Action, err)
				}
			}
			return d.Code
		}
		fwd := dossier.ActionRequest{Action: dossier.ActForward}
		toLeader := dossier.ActionRequest{Action: dossier.ActForward, Note: "Đủ điều kiện"}
		marriage := prep("1.000894", demo.Ward, fwd)                                                                       // specialist step, TP-HT: chuyenvien's department
		business := prep("1.001612", demo.Ward, fwd)                                                                       // specialist step, KT: another department
		assigned := prep("1.001612", demo.Ward, dossier.ActionRequest{Action: dossier.ActForward, Assignee: "chuyenvien"}) // KT, but assigned by name
		birth := prep("1.001193", demo.Ward, fwd)                                                                          // specialist step, TP-HT
		atLeader := prep("1.000894", demo.Ward, fwd, toLeader)                                                             // leader step
		atCounter := prep("1.000894", demo.Ward)                                                                           // received, reception step
		online := prep("1.000894", "")                                                                                     // online, not yet received: no clock
		otherWard := prep("1.000894", demo.OtherWard, fwd)                                                                 // another ward's specialist step

		get := func(code string) *dossier.Dossier {
			d, err := e.f.Svc.Store.Get(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		byDue := func(codes ...string) []string {
			ds := make([]*dossier.Dossier, len(codes))
			for i, c := range codes {
				ds[i] = get(c)
			}
			slices.SortFunc(ds, func(a, b *dossier.Dossier) int {
				if c := a.StepDueAt.Compare(b.StepDueAt); c != 0 {
					return c
				}
				return a.DueAt.Compare(b.DueAt)
			})
			out := make([]string, len(ds))
			for i, d := range ds {
				out[i] = d.Code
			}
			return out
		}
		want := map[string][]string{
			"chuyenvien":        byDue(marriage, assigned, birth),
			"lanhdao":           {atLeader},
			"canbo":             {atCounter, online}, // the one without a clock last
			"chuyenvien.ngocha": {otherWard},
			"canbo.ngocha":      nil,
			"quantri":           nil,
		}
		if w := want["chuyenvien"]; len(slices.Compact(slices.Clone(w))) != 3 || get(w[0]).StepDueAt.Equal(get(w[2]).StepDueAt) {
			t.Fatalf("the specialist's dossiers do not have distinct due times: %v", w)
		}
		for user, codes := range want {
			got, items := e.workCodes(user)
			if !slices.Equal(got, codes) {
				t.Errorf("%s's work: %v, want %v", user, got, codes)
			}
			if user == "chuyenvien" && (items[assigned]["assigned"] != true || items[marriage]["assigned"] != false) {
				t.Errorf("assigned flags: %v / %v", items[assigned]["assigned"], items[marriage]["assigned"])
			}
		}
		if st, _ := e.jsonDo("congdan", http.MethodGet, "/api/v1/my-work", ""); st != http.StatusForbidden {
			t.Errorf("an applicant's work: %d", st)
		}

		// Near the first step's due time, then past it.
		first := get(want["chuyenvien"][0])
		e.f.Clock.Set(first.StepDueAt.Add(-time.Hour))
		if _, items := e.workCodes("chuyenvien"); items[first.Code]["step_state"] != dossier.DueSoon {
			t.Errorf("an hour before the step's due time: %v", items[first.Code]["step_state"])
		}
		e.f.Clock.Set(first.StepDueAt.Add(time.Minute))
		_, items := e.workCodes("chuyenvien")
		if items[first.Code]["step_state"] != dossier.DueLate {
			t.Errorf("past the step's due time: %v", items[first.Code]["step_state"])
		}
		st, page := e.get("chuyenvien", "/viec-cua-toi")
		if st != http.StatusOK || !strings.Contains(page, "Quá hạn") || !strings.Contains(page, "Giao cho bạn") ||
			strings.Index(page, first.Code) > strings.Index(page, want["chuyenvien"][2]) || strings.Contains(page, business) ||
			!strings.Contains(page, `href="/viec-cua-toi" aria-current="page"`) {
			t.Fatalf("the page: %d\n%s", st, page)
		}
		// Assignees by name, in the unit's queue and on the dossier page.
		if _, q := e.get("canbo", "/ho-so"); !strings.Contains(q, "Giao: Trần Văn Đức") {
			t.Errorf("the queue does not name the assignee")
		}
		if _, p := e.get("canbo", "/ho-so/"+assigned); !strings.Contains(p, "Giao cho: Trần Văn Đức") && !strings.Contains(p, "Giao: Trần Văn Đức") {
			t.Errorf("the dossier page does not name the assignee")
		}

		// The forward form offers the next step's officers by full name.
		if _, p := e.get("canbo", "/ho-so/"+atCounter); !regexp.MustCompile(`<option value="chuyenvien"[^>]*>Trần Văn Đức`).MatchString(p) ||
			strings.Contains(p, `<option value="lanhdao"`) {
			t.Errorf("the forward form's assignees")
		}

		// The specialist sends a dossier back to reception with a reason,
		// from its page: it leaves their work and joins the counter's.
		post := func(form url.Values) (*http.Response, string) {
			return e.do("chuyenvien", http.MethodPost, "/ho-so/"+marriage+"/send_back", form)
		}
		if _, p := e.get("chuyenvien", "/ho-so/"+marriage); !strings.Contains(p, `action="/ho-so/`+marriage+`/send_back"`) {
			t.Fatalf("the specialist is not offered to send the dossier back")
		}
		if res, body := post(url.Values{"note": {" "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "phải ghi rõ lý do") {
			t.Fatalf("send back without a reason: %d", res.StatusCode)
		}
		if res, _ := post(url.Values{"note": {"Thiếu bản sao giấy xác nhận tình trạng hôn nhân"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send back: %d", res.StatusCode)
		}
		d := get(marriage)
		last := d.History[len(d.History)-1]
		if d.Step != 0 || last.Action != dossier.ActSendBack || last.Note != "Thiếu bản sao giấy xác nhận tình trạng hôn nhân" || last.Actor != "chuyenvien" {
			t.Fatalf("after the send back: step %d, last event %+v", d.Step, last)
		}
		if got, _ := e.workCodes("chuyenvien"); slices.Contains(got, marriage) {
			t.Errorf("the dossier sent back is still in the specialist's work")
		}
		if got, _ := e.workCodes("canbo"); !slices.Contains(got, marriage) {
			t.Errorf("the dossier sent back is not in the counter's work: %v", got)
		}
	})
}

// TestSigninLanding sends specialists and leaders to their work after
// signing in.
func TestSigninLanding(t *testing.T) {
	for role, want := range map[string]string{auth.RoleSpecialist: "/viec-cua-toi", auth.RoleLeader: "/viec-cua-toi", auth.RoleCounter: "/ho-so",
		auth.RoleApplicant: "/ho-so"} {
		if got := homeOf(auth.Actor{Role: role}); got != want {
			t.Errorf("%s lands on %s, want %s", role, got, want)
		}
	}
}
