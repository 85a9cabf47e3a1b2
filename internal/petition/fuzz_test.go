package petition_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/vntext"
)

// FuzzSubmitRequest drives the public form's body through Validate: a
// refusal is an "invalid" naming its field in both languages; what is
// accepted is clean, bounded, has a contact in its stored form and a point
// in Vietnam, and validates again to itself.
func FuzzSubmitRequest(f *testing.F) {
	for _, s := range []string{
		`{"unit":"00004","field":"traffic","subject":"Đèn đường hỏng","text":"Ngõ 12\r\ntối","phone":"+84 912 345 678"}`,
		`{"unit":"00004","field":"environment","subject":"Rác","text":"x","email":"An@Example.org","lat":21.03,"long":105.83}`,
		`{"unit":"00004","field":"urban","subject":"a\u0007","text":"x","phone":"0912345678"}`,
		`{"unit":" ","field":"x","subject":"","text":""}`,
		`{"unit":"00004","field":"land","subject":"s","text":"t","phone":"0912345678","lat":90,"long":null}`,
		`{"unit":"00004","field":"other","subject":"s","text":"t","email":"a@b","dossier_code":"00004-260302-0001","media_url":"javascript:x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req petition.SubmitRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		err := req.Validate()
		if err != nil {
			e := apperr.As(err)
			if e == nil || e.Code != apperr.EINVALID || e.Field == "" || e.Message == "" || e.MessageEn == "" {
				t.Fatalf("%q: refusal %#v", body, err)
			}
			return
		}
		for name, s := range map[string]string{"subject": req.Subject, "address": req.Address, "name": req.Name, "unit": req.Unit} {
			if _, bad := vntext.Unclean(s, false); bad || s != vntext.Clean(s) {
				t.Fatalf("%q: %s accepted unclean: %q", body, name, s)
			}
		}
		if _, bad := vntext.Unclean(req.Text, true); bad || req.Text == "" || utf8.RuneCountInString(req.Text) > petition.MaxText ||
			req.Subject == "" || utf8.RuneCountInString(req.Subject) > petition.MaxSubject {
			t.Fatalf("%q: text or subject accepted: %q / %q", body, req.Subject, req.Text)
		}
		if req.Phone == "" && req.Email == "" {
			t.Fatalf("%q: accepted without a contact", body)
		}
		if p, err := vntext.NormalizePhone(req.Phone); req.Phone != "" && (err != nil || p != req.Phone) {
			t.Fatalf("%q: phone kept as %q", body, req.Phone)
		}
		if (req.Lat == nil) != (req.Long == nil) || (req.Lat != nil && (*req.Lat < 6 || *req.Lat > 24 || *req.Long < 102 || *req.Long > 118)) {
			t.Fatalf("%q: point accepted", body)
		}
		if req.MediaURL != "" && !strings.HasPrefix(req.MediaURL, "http") {
			t.Fatalf("%q: media_url accepted: %q", body, req.MediaURL)
		}
		again := req
		if err := again.Validate(); err != nil || again.Subject != req.Subject || again.Text != req.Text || again.Phone != req.Phone || again.Email != req.Email {
			t.Fatalf("%q: validating again: %v %+v", body, err, again)
		}
	})
}
