package web

import (
	"bytes"
	"context"
	"fmt"

	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
)

// The petitions: anyone sends one and reads the published answers; the
// unit's officers (not its administrator, who reads but does not handle)
// read and act on their unit's, and read the sender's phone; the sender
// reads their own, signed in or with the phone; every other caller finds
// nothing. Open311 is public, like the published answers: their question
// as the leader published it, never the sender's words; the rest to the
// sender (account or contact) and the unit's officers.
const (
	petitionPhone      = "0911222333"
	petitionPublicText = "Giờ tắt đèn đường ở phường"
)

func init() {
	const send = `{"unit":"00004","field":"traffic","subject":"Ổ gà trên phố Đội Cấn","text":"Ổ gà sâu trước số 40.","phone":"0911222444"}`
	for p, cases := range map[string][]authzCase{
		"POST /api/v1/petitions":       {{"/api/v1/petitions", send, everyone}},
		"GET /api/v1/petitions":        {{"/api/v1/petitions", "", allStaff}},
		"GET /api/v1/petitions/public": {{"/api/v1/petitions/public?q=den", "", everyone}},
		"GET /api/v1/petitions/{code}": {
			{"/api/v1/petitions/{petition}", "", append([]string{owner}, unitStaff...)},
			{"/api/v1/petitions/{petition}?phone=" + petitionPhone, "", everyone},
		},
		"GET /api/v1/petitions/{code}/files/{id}": {
			{"/api/v1/petitions/{petition}/files/{petition_file}", "", append([]string{owner}, unitStaff...)},
			{"/api/v1/petitions/{petition}/files/{petition_file}?phone=" + petitionPhone, "", everyone},
		},
		"POST /api/v1/petitions/{code}/actions/{action}": {
			{"/api/v1/petitions/{petition}/actions/classify", `{"field":"other"}`, []string{counter, specialist, leader}},
			{"/api/v1/petitions/{published}/actions/vote", `{"useful":true}`, everyone},
		},
		"GET /open311/v2/services.json":   {{"/open311/v2/services.json?jurisdiction_id=00004", "", everyone}},
		"GET /open311/v2/services/{file}": {{"/open311/v2/services/traffic.json", "", everyone}},
		"GET /open311/v2/requests.json":   {{"/open311/v2/requests.json?jurisdiction_id=00004", "", everyone}},
		"POST /open311/v2/requests.json":  {{"/open311/v2/requests.json", "jurisdiction_id=00004&service_code=environment&address_string=Ng%C3%B5+5&description=R%C3%A1c&phone=0911222555", everyone}},
		"GET /open311/v2/requests/{file}": {
			{"/open311/v2/requests/{published}.json", "", everyone},
			{"/open311/v2/requests/{petition}.json", "", everyone},
			{"/open311/v2/requests/{petition}.json?phone=" + petitionPhone, "", everyone},
			{"/open311/v2/requests/{petition}.json?phone=0911222334", "", nobody},
			{"/open311/v2/requests/{published}.json?email=ai@example.org", "", nobody},
		},
		"/open311/": {{"/open311/v2/nothing.json", "", nobody}},
	} {
		authzMatrix[p] = cases
	}
	// The sender's phone: to the unit's officers only, in the queue and
	// the petition; masked to the sender.
	authzSecrets["/api/v1/petitions "] = []authzSecret{{"{petition}", unitStaff}, {petitionPhone, unitStaff}}
	authzSecrets["/api/v1/petitions/{petition} "] = []authzSecret{{petitionPhone, unitStaff}}
	authzSecrets["/api/v1/petitions/{petition}?phone="+petitionPhone+" "] = []authzSecret{{petitionPhone, unitStaff}}
	authzSecrets["/api/v1/petitions/public?q=den "] = []authzSecret{{"{published}", everyone}, {"{petition}", nobody}}
	// Open311: the sender's text to the sender and the unit's officers;
	// the published question to everyone; contacts to nobody.
	const ownText, pubText = "Đèn đường ngõ 12 hỏng.", "Đèn tắt lúc 22 giờ."
	authzSecrets["/open311/v2/requests/{petition}.json "] = []authzSecret{{ownText, append([]string{owner}, unitStaff...)}, {petitionPhone, nobody}}
	authzSecrets["/open311/v2/requests/{petition}.json?phone="+petitionPhone+" "] = []authzSecret{{ownText, everyone}, {petitionPhone, nobody}}
	authzSecrets["/open311/v2/requests/{published}.json "] = []authzSecret{{pubText, append([]string{stranger}, unitStaff...)},
		{"Đã chỉnh giờ đèn đường.", everyone}, {"an@example.org", nobody}}
	authzSecrets["/open311/v2/requests.json?jurisdiction_id=00004 "] = []authzSecret{{pubText, nobody}, {petitionPublicText, everyone},
		{"{published}", everyone}, {"{petition}", nobody}}
}

// petitionObjects adds a petition of the ward sent by the owner's account
// with a photo ({petition}, {petition_file}) and a published answer
// ({published}).
func (m *authzEnv) petitionObjects(files blob.Store) {
	ctx := context.Background()
	svc := m.f.Petitions()
	jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}
	info, err := files.Put(ctx, bytes.NewReader(jpeg), 1<<20)
	if err != nil {
		m.t.Fatal(err)
	}
	p, err := svc.Submit(ctx, m.f.Actors[owner], petition.SubmitRequest{Unit: demo.Ward, Field: "traffic", Subject: "Đèn đường hỏng",
		Text: "Đèn đường ngõ 12 hỏng.", Phone: petitionPhone}, []petition.File{{Name: "den.jpg", ContentType: "image/jpeg", Size: info.Size, SHA256: info.SHA256}})
	if err != nil {
		m.t.Fatal(err)
	}
	pub, err := svc.Submit(ctx, m.f.Actors[stranger], petition.SubmitRequest{Unit: demo.Ward, Field: "traffic", Subject: "Đèn đường tắt sớm",
		Text: "Đèn tắt lúc 22 giờ.", Email: "an@example.org"}, nil)
	if err != nil {
		m.t.Fatal(err)
	}
	for _, req := range []petition.ActionRequest{{Action: petition.ActAnswer, Text: "Đã chỉnh giờ đèn đường."}, {Action: petition.ActPublish, Text: petitionPublicText}} {
		if _, err := svc.Act(ctx, m.f.Actors[leader], pub.Code, req); err != nil {
			m.t.Fatal(err)
		}
	}
	m.objects["{petition}"], m.objects["{published}"], m.objects["{petition_file}"] = p.Code, pub.Code, fmt.Sprint(p.Files[0].ID)
}
