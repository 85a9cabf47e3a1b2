package web

import (
	"net/url"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/vntext"
)

// FuzzOpen311Form drives a GeoReport POST body as the server reads it:
// the form's text checks, the mapping onto a petition and its validation.
// A refusal is an "invalid" naming a field in both languages; what is
// accepted is a clean petition with a contact and a place.
func FuzzOpen311Form(f *testing.F) {
	for _, s := range []string{
		"jurisdiction_id=00004&service_code=environment&lat=21.0358&long=105.8342&address_string=Ng%C3%B5+5&description=R%C3%A1c%0Ath%E1%BA%A3i&email=an%40example.org&phone=0987654321&first_name=An&last_name=Nguy%E1%BB%85n&media_url=https%3A%2F%2Fexample.org%2F1.jpg",
		"service_code=traffic&description=X&phone=0912345678&lat=NaN&long=105",
		"service_code=traffic&description=%07&phone=0912345678&address_string=a",
		"service_code=urban&description=x&lat=1e400&long=2&email=a%40b.vn",
		"service_code=&description=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return // the server answers "the form could not be read"
		}
		req, err := open311Values("00004", vals)
		if err == nil {
			if err = checkValues(vals); err == nil {
				err = req.Validate()
			}
		}
		if err != nil {
			if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Message == "" || e.MessageEn == "" {
				t.Fatalf("%q: refusal %#v", body, err)
			}
			return
		}
		if req.Channel != petition.ChannelOpen311 || (req.Phone == "" && req.Email == "") || (req.Lat == nil && req.Address == "") {
			t.Fatalf("%q: accepted %+v", body, req)
		}
		if _, bad := vntext.Unclean(req.Subject, false); bad || req.Subject == "" {
			t.Fatalf("%q: subject %q", body, req.Subject)
		}
	})
}
