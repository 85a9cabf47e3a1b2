package web

import (
	"bytes"
	"context"
	"net/http"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/vntext"
)

// prefill fills the counter form's empty applicant fields from the most
// recent dossier of the same ID number that the officer's unit may see,
// and remembers that dossier, so that the new one records the re-use. A
// look-up that finds nothing says so and changes nothing.
func (s *Server) prefill(ctx context.Context, a auth.Actor, d *counterData, c *catalog) error {
	f := &d.Form
	f.ReusedFrom = ""
	if f.IDNumber == "" {
		d.Lookup = c.T("counter.lookup_need_id")
		return nil
	}
	id, err := vntext.NormalizeIDNumber(f.IDNumber, s.now())
	if err != nil {
		e := apperr.As(err)
		d.Errors.add("id_number", c.pick(e.Message, e.MessageEn))
		return nil
	}
	f.IDNumber = id
	prev, err := s.Dossiers.LastOf(ctx, a, id)
	if apperr.Code(err) == apperr.ENOTFOUND {
		d.Lookup = c.T("counter.lookup_none")
		return nil
	}
	if err != nil {
		return err
	}
	filled := false
	for _, x := range []struct {
		dst *string
		src string
	}{
		{&f.Name, prev.Applicant.Name}, {&f.Phone, prev.Applicant.Phone}, {&f.Email, prev.Applicant.Email}, {&f.Address, prev.Applicant.Address},
	} {
		if vntext.Clean(*x.dst) == "" && x.src != "" {
			*x.dst, filled = x.src, true
		}
	}
	if !filled {
		d.Lookup = c.T("counter.lookup_kept", prev.Code)
		return nil
	}
	f.ReusedFrom, d.Reuse = prev.Code, prev
	return nil
}

// counterPerson is the counter form's applicant part, filled from earlier
// dossiers: htmx asks for it when the ID number changes, and swaps it in.
func (s *Server) counterPerson(w http.ResponseWriter, r *http.Request) {
	a, err := counterOfficer(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageFail(w, r, apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read"))
		return
	}
	c := s.ui.cat[requestLang(w, r)]
	d := counterData{Form: readApplicantForm(r)}
	if err := s.prefill(r.Context(), a, &d, c); err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "counter", "counter.title")
	p.Data = d
	var buf bytes.Buffer
	if err := s.ui.pages[p.Lang]["counter"].ExecuteTemplate(&buf, "applicantpart", p); err != nil {
		s.pageFail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	securityHeaders(h)
	_, _ = buf.WriteTo(w)
}
