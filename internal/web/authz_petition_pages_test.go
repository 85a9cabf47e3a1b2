package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/store"
)

// The petitions' pages: anyone sends one, follows it with the code and
// contact, and reads and rates the published answers; the queue is the
// officers', each seeing their own unit's; a petition's page, its actions
// and its photos belong to its unit's officers (the actions to those who
// handle petitions, not the administrator), and every other caller finds
// nothing.
func init() {
	const send = "unit=00004&field=environment&subject=R%C3%A1c+%C4%91%E1%BB%95+tr%E1%BB%99m&text=R%C3%A1c+%E1%BB%9F+ng%C3%B5+7.&phone=0911222666"
	for p, cases := range map[string][]authzCase{
		"GET /phan-anh/gui":           {{"/phan-anh/gui", "", everyone}},
		"POST /phan-anh/gui":          {{"/phan-anh/gui", send, everyone}},
		"GET /phan-anh/da-gui/{code}": {{"/phan-anh/da-gui/{petition}", "", everyone}},
		"GET /phan-anh/tra-cuu":       {{"/phan-anh/tra-cuu?ma={petition}", "", everyone}},
		"POST /phan-anh/tra-cuu":      {{"/phan-anh/tra-cuu", "code={petition}&contact=" + petitionPhone, everyone}},
		"POST /phan-anh/tra-cuu/{action}": {
			{"/phan-anh/tra-cuu/danh-gia", "code={published}&contact=an%40example.org&satisfaction=satisfied", everyone},
		},
		"GET /phan-anh":        {{"/phan-anh", "", allStaff}},
		"GET /phan-anh/{code}": {{"/phan-anh/{petition}", "", unitStaff}},
		"POST /phan-anh/{code}/{action}": {
			{"/phan-anh/{petition}/classify", "field=other", []string{counter, specialist, leader}},
		},
		"GET /phan-anh/{code}/tep/{id}": {{"{petition_photo}", "", unitStaff}},
		"GET /hoi-dap":                  {{"/hoi-dap?q=den", "", everyone}},
		"GET /hoi-dap/{code}":           {{"/hoi-dap/{published}", "", everyone}},
		"POST /hoi-dap/{code}/danh-gia": {{"/hoi-dap/{published}/danh-gia", "useful=1", everyone}},
	} {
		authzMatrix[p] = cases
	}
	// The sender's phone: on the petition's page and in the queue, to the
	// unit's officers only; never on the sender's look-up (masked) nor on
	// the public answers.
	authzSecrets["/phan-anh "] = []authzSecret{{"{petition}", unitStaff}}
	authzSecrets["/phan-anh/{petition} "] = []authzSecret{{petitionPhone, unitStaff}}
	authzSecrets["/phan-anh/tra-cuu code={petition}&contact="+petitionPhone] = []authzSecret{{petitionPhone, nobody}, {"Đèn đường hỏng", everyone}}
	authzSecrets["/hoi-dap?q=den "] = []authzSecret{{"{published}", everyone}, {"{petition}", nobody}, {"an@example.org", nobody}}
}

// petitionPageObjects sends a petition with a photo through the public
// form and names its photo's address ({petition_photo}).
func (m *authzEnv) petitionPageObjects() {
	body, ctype := multipartBody(url.Values{"unit": {"00004"}, "field": {"urban"}, "subject": {"Lấn chiếm vỉa hè"},
		"text": {"Quán lấn chiếm vỉa hè số 9."}, "phone": {"0911222777"}}, filePart{"file", "via-he.png", tinyPNG})
	req, _ := http.NewRequest(http.MethodPost, m.srv.URL+"/phan-anh/gui", body)
	req.Header.Set("Content-Type", ctype)
	res, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	res.Body.Close()
	code, ok := strings.CutPrefix(res.Header.Get("Location"), "/phan-anh/da-gui/")
	if !ok {
		m.t.Fatalf("petition with a photo: %d", res.StatusCode)
	}
	p, err := store.Petitions{DB: m.f.DB}.Get(context.Background(), code)
	if err != nil || len(p.Files) != 1 {
		m.t.Fatalf("petition with a photo: %v %v", p, err)
	}
	m.objects["{petition_photo}"] = "/phan-anh/" + code + "/tep/" + strconv.FormatInt(p.Files[0].ID, 10)
}
