package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store/storetest"
)

// newEngineEnv is the pages' environment on the given engine, with a file
// store and a second applicant, "congdan2", who owns nothing.
func newEngineEnv(t *testing.T, engine string) *pagesEnv {
	e := newPagesEnvOn(t, engine)
	e.addUser(auth.User{Username: "congdan2", FullName: "Đặng Văn Bình", Role: auth.RoleApplicant, IDNumber: "001090054321"}, "mat-khau-dai-1")
	return e
}

// jsonDo sends a JSON request to the API as user and decodes the answer.
func (e *pagesEnv) jsonDo(user, method, path, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session[user]})
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// uploadResult posts a result file to the API as user.
func (e *pagesEnv) uploadResult(user, code, name string, content []byte) (int, map[string]any) {
	e.t.Helper()
	res, body := e.post(user, "/api/v1/dossiers/"+code+"/result-file", nil, filePart{"file", name, content})
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	return res.StatusCode, m
}

// atLastStep makes an online dossier of congdan's and takes it to the
// counter's last step through the service.
func (e *pagesEnv) atLastStep() string {
	e.t.Helper()
	code := e.submit(true)
	for _, s := range []struct{ who, action string }{{"canbo", "receive"}, {"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}} {
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors[s.who], code, dossier.ActionRequest{Action: s.action}); err != nil {
			e.t.Fatalf("%s: %v", s.action, err)
		}
	}
	return code
}

func errorMessage(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// TestResultDocument finishes a dossier through the API with its result
// document and signed file, and checks the refusals that change nothing,
// who may download the file before and after the return, and the
// electronic-result count in the statistics.
func TestResultDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEngineEnv(t, engine)
		code := e.atLastStep()
		today := stats.Day(e.f.Clock.Now())

		// The upload: a PDF by its name and content, by an officer who may
		// see the dossier.
		if st, m := e.uploadResult("canbo", code, "anh.pdf", tinyPNG); st != http.StatusUnprocessableEntity || !strings.Contains(errorMessage(m), "không phải tệp PDF") {
			t.Fatalf("a PNG named .pdf: %d %v", st, m)
		}
		if st, m := e.uploadResult("canbo", code, "ket-qua.png", tinyPDF); st != http.StatusUnprocessableEntity {
			t.Fatalf("a PDF named .png: %d %v", st, m)
		}
		if st, _ := e.uploadResult("canbo.ngocha", code, "ket-qua.pdf", tinyPDF); st != http.StatusNotFound {
			t.Fatalf("upload by another unit's officer: %d", st)
		}
		if st, _ := e.uploadResult("congdan", code, "ket-qua.pdf", tinyPDF); st != http.StatusForbidden {
			t.Fatalf("upload by the applicant: %d", st)
		}
		st, up := e.uploadResult("canbo", code, "ket-qua.pdf", tinyPDF)
		ref, _ := up["ref"].(string)
		if st != http.StatusCreated || !regexp.MustCompile(`^[0-9]+:[0-9a-f]{64}$`).MatchString(ref) {
			t.Fatalf("upload: %d %v", st, up)
		}
		_, other := e.uploadResult("lanhdao", code, "ket-qua-khac.pdf", tinyPDF)
		otherRef, _ := other["ref"].(string)

		finish := func(result string) (int, map[string]any) {
			return e.jsonDo("canbo", http.MethodPost, "/api/v1/dossiers/"+code+"/actions/finish", `{"result":`+result+`}`)
		}
		doc := func(number, day, file string, paper bool) string {
			b, _ := json.Marshal(dossier.ResultRequest{Number: number, SignedOn: day, Signer: "Lê Quang Vinh", SignerTitle: "Chủ tịch UBND phường",
				File: file, OnPaper: paper})
			return string(b)
		}
		for _, c := range []struct{ name, body, want string }{
			{"no number", doc(" ", today, ref, false), "Nhập số văn bản"},
			{"future date", doc("12/GCN-UBND", "2099-01-01", ref, false), "không được sau ngày hôm nay"},
			{"before reception", doc("12/GCN-UBND", "2026-03-01", ref, false), "không được trước ngày tiếp nhận"},
			{"not a date", doc("12/GCN-UBND", "02/03/2026", ref, false), "YYYY-MM-DD"},
			{"both file and paper", doc("12/GCN-UBND", today, ref, true), "Chỉ chọn một"},
			{"neither", doc("12/GCN-UBND", today, "", false), "hoặc ghi nhận kết quả là bản giấy"},
			{"someone else's upload", doc("12/GCN-UBND", today, otherRef, false), "không còn được giữ"},
		} {
			st, m := finish(c.body)
			if st != http.StatusUnprocessableEntity || !strings.Contains(errorMessage(m), c.want) {
				t.Fatalf("%s: %d %v", c.name, st, m)
			}
			d, err := e.f.Svc.Store.Get(context.Background(), code)
			if err != nil || d.Status != dossier.StatusProcessing || d.Result != nil || d.History[len(d.History)-1].Action != dossier.ActApprove {
				t.Fatalf("%s: the refused finish changed the dossier", c.name)
			}
		}
		st, m := finish(doc("12/GCN-UBND", today, ref, false))
		if st != http.StatusOK {
			t.Fatalf("finish: %d %v", st, m)
		}
		res, _ := m["result"].(map[string]any)
		file, _ := res["file"].(map[string]any)
		if res["number"] != "12/GCN-UBND" || res["signed_on"] != today || file["name"] != "ket-qua.pdf" || file["size"] != float64(len(tinyPDF)) {
			t.Fatalf("finished dossier's result: %v", m["result"])
		}
		d, _ := e.f.Svc.Store.Get(context.Background(), code)
		last := d.History[len(d.History)-1]
		if last.Action != dossier.ActFinish || !strings.Contains(last.Note, "Văn bản kết quả số 12/GCN-UBND ký ngày "+d.FinishedAt.In(stats.Zone).Format("02/01/2006")+
			", người ký: Lê Quang Vinh (Chủ tịch UBND phường); bản điện tử đã ký") {
			t.Fatalf("the finish event's note: %q", last.Note)
		}
		if st, _ := finish(doc("13/GCN-UBND", today, ref, false)); st != http.StatusConflict {
			t.Fatalf("a second finish: %d", st)
		}

		download := func(user string) (int, string) {
			e.t.Helper()
			st, page := e.get(user, "/ho-so/"+code+"/ket-qua")
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/dossiers/"+code+"/result-file", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.session[user]})
			r, err := e.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			api, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != st || st == http.StatusOK && (string(api) != page || r.Header.Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;")) {
				t.Fatalf("%s: the page answers %d, the API %d %v", user, st, r.StatusCode, r.Header)
			}
			return st, page
		}
		// Before the return: officers of the unit only.
		for user, want := range map[string]int{"canbo": 200, "lanhdao": 200, "congdan": 404, "congdan2": 404, "canbo.ngocha": 404} {
			if st, body := download(user); st != want || st == 200 && body != string(tinyPDF) {
				t.Fatalf("before the return, %s downloads: %d", user, st)
			}
		}
		if _, page := e.get("congdan", "/ho-so/"+code); strings.Contains(page, "/ket-qua\"") || !strings.Contains(page, "tải về được sau khi hồ sơ đã trả kết quả") {
			t.Fatalf("the applicant's page before the return offers the file")
		}
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActReturnResult}); err != nil {
			t.Fatal(err)
		}
		// After: the applicant too; nobody else.
		for user, want := range map[string]int{"canbo": 200, "congdan": 200, "congdan2": 404, "canbo.ngocha": 404} {
			if st, body := download(user); st != want || st == 200 && body != string(tinyPDF) {
				t.Fatalf("after the return, %s downloads: %d", user, st)
			}
		}
		if _, page := e.get("congdan", "/ho-so/"+code); !strings.Contains(page, `href="/ho-so/`+code+`/ket-qua"`) || !strings.Contains(page, "12/GCN-UBND") {
			t.Fatalf("the applicant's page after the return has no link to the result")
		}
		// The result file is not one of the component files.
		id := strings.Split(ref, ":")[0]
		if st, _ := e.get("canbo", "/ho-so/"+code+"/tep/"+id); st != http.StatusNotFound {
			t.Fatalf("the result file through the component files' address: %d", st)
		}

		// A second dossier finished on paper is not an electronic result.
		paper := e.atLastStep()
		if st, m := e.jsonDo("canbo", http.MethodPost, "/api/v1/dossiers/"+paper+"/actions/finish", `{"result":`+doc("14/GCN-UBND", today, "", true)+`}`); st != http.StatusOK {
			t.Fatalf("finish on paper: %d %v", st, m)
		}
		st, sum := e.jsonDo("lanhdao", http.MethodGet, "/api/v1/stats?from="+today+"&to="+today, "")
		summary, _ := sum["summary"].(map[string]any)
		totals, _ := summary["totals"].(map[string]any)
		if st != http.StatusOK || totals[stats.ResultElectronic] != float64(1) || totals[stats.FinishedEarly].(float64)+totals[stats.FinishedOnTime].(float64) != 2 {
			t.Fatalf("stats: %d %v", st, sum)
		}
	})
}

// TestFinishForm finishes a dossier from its page: a form refused for a
// missing number keeps the uploaded file, which the next post then binds.
func TestFinishForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newEngineEnv(t, engine)
		code := e.atLastStep()
		_, page := e.get("canbo", "/ho-so/"+code)
		if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `name="result_file"`) || !strings.Contains(page, `value="Lê Quang Vinh"`) {
			t.Fatalf("the finish form lacks its fields or the approving leader as signer")
		}
		today := stats.Day(e.f.Clock.Now())
		form := url.Values{"result_number": {""}, "result_signed_on": {today}, "result_signer": {"Lê Quang Vinh"}}
		res, body := e.post("canbo", "/ho-so/"+code+"/finish", form, filePart{"result_file", "giấy chứng nhận.pdf", tinyPDF})
		kept := regexp.MustCompile(`name="result_file" value="([0-9]+:[0-9a-f]{64})" checked`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Nhập số văn bản kết quả") || kept == nil ||
			!strings.Contains(body, "giấy chứng nhận.pdf") {
			t.Fatalf("finish without a number: %d\n%s", res.StatusCode, body)
		}
		res, body = e.post("canbo", "/ho-so/"+code+"/finish", form, filePart{"result_file", "anh.png", tinyPNG})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "không phải tệp PDF") {
			t.Fatalf("finish with a PNG: %d", res.StatusCode)
		}
		form.Set("result_number", "7/GCNKH")
		form.Set("result_file", kept[1])
		form.Set("result_file_name", "giấy chứng nhận.pdf")
		if res, body := e.post("canbo", "/ho-so/"+code+"/finish", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("finish with the kept file: %d\n%s", res.StatusCode, body)
		}
		_, page = e.get("canbo", "/ho-so/"+code)
		if !strings.Contains(page, `href="/ho-so/`+code+`/ket-qua"`) || !strings.Contains(page, "Số 7/GCNKH, ký ngày") {
			t.Fatalf("the dossier page does not show the result document\n%s", page)
		}
		if st, body := e.get("lanhdao", "/ho-so/"+code+"/ket-qua"); st != http.StatusOK || body != string(tinyPDF) {
			t.Fatalf("the leader downloads: %d", st)
		}
	})
}
