package web

import (
	"net/url"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/vntext"
)

// FuzzPetitionForm drives the public petition form's fields as the server
// reads them (every value checked for control characters and bad bytes
// first, then petitionForm.check): a refused form names only the form's
// own fields, with a message in each language; an accepted one is a
// request the service accepts as it stands, with clean one-line texts.
func FuzzPetitionForm(f *testing.F) {
	f.Add("00004", "traffic", "Đèn đường hỏng", "Đèn tắt cả tuần.", "Ngõ 12", "21.03", "105.8", "", "0912345678", "", "An")
	f.Add("", "", "", "", "", "", "", "", "", "", "")
	f.Add("00004", "x", " ", "\t", "", "91", "200", "HS-1", "12", "a@", "")
	f.Add("00004", "urban", "a", "b", "", "NaN", "NaN", "000.00.22.H56-250715-0001", "", "a@b.vn", "")
	f.Add("00004", "land", "a\u202eb", "b", "", "21", "", "", "+84 912 345 678", "", "\u00a0")
	fields := []string{"unit", "field", "subject", "text", "address", "dossier_code", "name", "phone", "email", "file", ""}
	c := mustCatalogs(f)[langVI]
	f.Fuzz(func(t *testing.T, unitCode, field, subject, text, address, lat, long, dossierCode, phone, email, name string) {
		v := url.Values{"unit": {unitCode}, "field": {field}, "subject": {subject}, "text": {text}, "address": {address},
			"lat": {lat}, "long": {long}, "dossier_code": {dossierCode}, "phone": {phone}, "email": {email}, "name": {name}}
		if checkValues(v) != nil {
			return // the server refuses it before the form is read
		}
		req, errs := readPetitionForm(v).check(c)
		if errs.Any() {
			for _, e := range errs.List {
				if !slices.Contains(fields, e.Field) || e.Msg == "" || !utf8.ValidString(e.Msg) {
					t.Fatalf("refusal %+v names no field of the form", e)
				}
			}
			return
		}
		again := req
		if err := again.Validate(); err != nil {
			t.Fatalf("accepted form refused by the service: %v", err)
		}
		if req.Subject == "" || req.Text == "" || (req.Phone == "" && req.Email == "") || vntext.Clean(req.Subject) != req.Subject {
			t.Fatalf("accepted form %+v", req)
		}
	})
}

func mustCatalogs(f *testing.F) map[string]*catalog {
	c, err := loadCatalogs()
	if err != nil {
		f.Fatal(err)
	}
	return c
}
