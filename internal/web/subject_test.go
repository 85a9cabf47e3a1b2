package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store/storetest"
)

// submitJSON submits a counter dossier as user through the API and returns
// the status and body.
func (e *env) submitJSON(user, name, id, extra string) (int, map[string]any, string) {
	e.t.Helper()
	body := fmt.Sprintf(`{"procedure_code":"1.001193","channel":1,"components":`+required("1.001193")+`,"applicant":{"name":%q,"id_number":%q,"phone":"0912345678","email":"a@example.vn","address":"Số 1 phố Đội Cấn"}%s}`,
		name, id, extra)
	return e.do(user, "POST", "/api/v1/dossiers", body)
}

func (e *env) total(user, query string) int {
	e.t.Helper()
	status, m, raw := e.do(user, "GET", "/api/v1/dossiers?"+query, "")
	if status != 200 {
		e.t.Fatalf("list %s: %d %s", query, status, raw)
	}
	return int(m["total"].(float64))
}

func TestSubjectStoredValidatedReturned(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			status, m, raw := e.submitJSON("canbo", "Nguyễn Văn An", "001090012345",
				`,"subject":{"kind":"person","name":"  Nguyễn Văn Bình ","birth_date":"2025-07-15","relation":"con"}`)
			if status != 201 {
				t.Fatalf("submit with a subject: %d %s", status, raw)
			}
			code := m["code"].(string)
			_, got, raw := e.do("canbo", "GET", "/api/v1/dossiers/"+code, "")
			s, _ := got["subject"].(map[string]any)
			if s["name"] != "Nguyễn Văn Bình" || s["kind"] != "person" || s["birth_date"] != "2025-07-15" || s["relation"] != "con" {
				t.Fatalf("subject read back: %s", raw)
			}
			status, m, raw = e.submitJSON("canbo", "Trần Thị Hà", "001190012345",
				`,"subject":{"kind":"business","name":"Công ty TNHH Hoà Bình","id_number":"0109876543-001","relation":"người đại diện theo pháp luật"}`)
			if status != 201 || m["subject"].(map[string]any)["id_number"] != "0109876543-001" {
				t.Fatalf("business subject: %d %s", status, raw)
			}
			if _, m, raw = e.submitJSON("canbo", "Trần Thị Hà", "001190012345", ""); m["subject"] != nil {
				t.Fatalf("no subject given, one returned: %s", raw)
			}
			before := e.total("canbo", "")
			for _, c := range []struct{ subject, field, msg string }{
				{`{"kind":"business","name":"Công ty A","id_number":"12345","relation":"giám đốc"}`, "subject.id_number", "Mã số doanh nghiệp"},
				{`{"kind":"business","name":"Công ty A","id_number":"0109876543-01","relation":"giám đốc"}`, "subject.id_number", "10 chữ số"},
				{`{"kind":"person","name":"Bé B","id_number":"0010250123","relation":"con"}`, "subject.id_number", "Người được cấp kết quả"},
				{`{"kind":"person","name":"Bé B","id_number":"001325012345","birth_date":"2024-01-02","relation":"con"}`, "subject.birth_date", "cho biết năm sinh 2025, khác năm sinh đã khai 2024"},
				{`{"kind":"person","name":"Bé B","birth_date":"2027-01-02","relation":"con"}`, "subject.birth_date", "tương lai"},
				{`{"kind":"person","name":"Bé B","birth_date":"15/07/2025","relation":"con"}`, "subject.birth_date", "năm-tháng-ngày"},
				{`{"kind":"robot","name":"Bé B","relation":"con"}`, "subject.kind", "Loại đối tượng"},
				{`{"kind":"person","relation":"con"}`, "subject.name", "không được để trống"},
				{`{"kind":"person","name":"Bé B"}`, "subject.relation", "quan hệ"},
			} {
				status, m, raw := e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", `,"subject":`+c.subject)
				er, _ := m["error"].(map[string]any)
				if status != 422 || er["field"] != c.field || !strings.Contains(er["message"].(string), c.msg) {
					t.Errorf("subject %s: %d %s, want 422 on %s saying %q", c.subject, status, raw, c.field, c.msg)
				}
			}
			if after := e.total("canbo", ""); after != before {
				t.Fatalf("refused submissions wrote dossiers: %d then %d", before, after)
			}
		})
	}
}

func TestPeopleAPIScopedAndReuseRecorded(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", "")
			_, m, _ := e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", "")
			latest := m["code"].(string)
			status, p, raw := e.do("canbo", "GET", "/api/v1/people/001090012345", "")
			if status != 200 || p["from_dossier"] != latest || p["name"] != "Nguyễn Văn An" || p["email"] != "a@example.vn" ||
				p["address"] != "Số 1 phố Đội Cấn" || p["phone"] == "" {
				t.Fatalf("person as the receiving unit's officer: %d %s (latest %s)", status, raw, latest)
			}
			for _, c := range []struct {
				user, id string
				status   int
			}{{"canbo.ngocha", "001090012345", 404}, {"canbo", "001190099999", 404}, {"congdan", "001090012345", 403},
				{"", "001090012345", 401}, {"canbo", "12345", 422}} {
				if status, _, raw := e.do(c.user, "GET", "/api/v1/people/"+c.id, ""); status != c.status {
					t.Errorf("person %s as %q: %d %s, want %d", c.id, c.user, status, raw, c.status)
				}
			}
			// Re-use by the unit that sees the earlier dossier is recorded in
			// the data and in the submit event's note.
			status, m, raw = e.submitJSON("canbo", "Nguyễn Văn An", "001090012345", `,"reused_from":"`+latest+`","note":"Nộp thay"`)
			if status != 201 || m["reused_from"] != latest {
				t.Fatalf("submit with reused_from: %d %s", status, raw)
			}
			// The applicant's number typed with spaces and dots is the same
			// person's.
			if status, m, raw := e.submitJSON("canbo", "Nguyễn Văn An", "001 090.012.345", `,"reused_from":"`+latest+`"`); status != 201 || m["reused_from"] != latest {
				t.Fatalf("submit with reused_from and a grouped number: %d %s", status, raw)
			}
			_, got, raw := e.do("canbo", "GET", "/api/v1/dossiers/"+m["code"].(string), "")
			h := got["history"].([]any)
			if got["reused_from"] != latest || h[0].(map[string]any)["note"] != "Dùng lại thông tin từ hồ sơ "+latest+". Nộp thay" {
				t.Fatalf("re-use not in the history: %s", raw)
			}
			// Another unit cannot claim a dossier it may not see, nor may the
			// details of another person be claimed.
			before := e.total("canbo", "")
			for _, c := range []struct{ user, id string }{{"canbo.ngocha", "001090012345"}, {"canbo", "001190012345"}} {
				status, m, raw := e.submitJSON(c.user, "Nguyễn Văn An", c.id, `,"reused_from":"`+latest+`"`)
				if er, _ := m["error"].(map[string]any); status != 422 || er["field"] != "reused_from" {
					t.Errorf("reused_from as %s for %s: %d %s", c.user, c.id, status, raw)
				}
			}
			if after := e.total("canbo", ""); after != before {
				t.Fatalf("refused re-use wrote a dossier")
			}
		})
	}
}

func TestDossierSearch(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine)
			codes := map[string]string{}
			for _, d := range []struct{ key, name, id, extra string }{
				{"an", "Nguyễn Văn An", "001090011111", ""},
				{"binh", "Trần Thị Bình", "001190022222", `,"subject":{"name":"Nguyễn Thị Hoà","id_number":"001325077777","relation":"con"}`},
				{"pct", "Đặng Văn 100%_Xuân", "001090033333", ""},
				{"other", "Lê Văn Khánh", "001090044444", ""},
			} {
				status, m, raw := e.submitJSON("canbo", d.name, d.id, d.extra)
				if status != 201 {
					t.Fatalf("submit %s: %d %s", d.key, status, raw)
				}
				codes[d.key] = m["code"].(string)
			}
			last := codes["binh"][strings.LastIndexByte(codes["binh"], '-')-6:] // yyMMdd-NNNN
			cases := []struct {
				q    string
				want []string
			}{
				{"nguyen an", []string{"an"}},
				{"An NGUYỄN", []string{"an"}},
				{"nguyen", []string{"an", "binh"}},
				{"hoa", []string{"binh"}},   // the subject's name, "Hoà" without its accent
				{"nguyen binh", []string{}}, // each word must match the same name
				{"tran hoa", []string{}},    // words of two different names do not make a match
				{"van", []string{"an", "pct", "other"}},
				{"an thi", []string{}},
				{last, []string{"binh"}},               // part of the code
				{last[len(last)-4:], []string{"binh"}}, // its last digits
				{"1111", []string{"an"}},               // part of the applicant's ID number
				{"7777", []string{"binh"}},             // part of the subject's ID number
				{"111", []string{}},                    // under 4 digits: not an ID search
				{"%", []string{}},                      // literal, not "anything"
				{"_", []string{}},
				{"nguy_n", []string{}},
				{"%an", []string{}},
				{"100%_x", []string{"pct"}},
				{"100%", []string{"pct"}},
			}
			for _, c := range cases {
				status, m, raw := e.do("canbo", "GET", "/api/v1/dossiers?q="+url.QueryEscape(c.q), "")
				if status != 200 {
					t.Fatalf("q=%q: %d %s", c.q, status, raw)
				}
				var got []string
				for _, d := range m["dossiers"].([]any) {
					for k, code := range codes {
						if d.(map[string]any)["code"] == code {
							got = append(got, k)
						}
					}
				}
				slices.Sort(got)
				want := slices.Clone(c.want)
				slices.Sort(want)
				if !slices.Equal(got, want) || int(m["total"].(float64)) != len(want) {
					t.Errorf("q=%q: got %v (total %v), want %v", c.q, got, m["total"], want)
				}
			}
			// The search stays within what the caller may see.
			if n := e.total("canbo.ngocha", "q=nguyen"); n != 0 {
				t.Errorf("another unit's officer found %d dossiers", n)
			}
			if n := e.total("canbo.ngocha", "q=1111"); n != 0 {
				t.Errorf("another unit's officer found %d dossiers by ID", n)
			}
		})
	}
}
