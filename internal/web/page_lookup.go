package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
)

type lookupData struct {
	Code, Proof string
	Errors      formErrors
	Result      *citizenView
	Thanks      bool
	Rating      int
	Comment     string
}

// lookupPage is the public look-up form. The receipt's QR code opens it with
// the code filled in; the applicant adds their ID number or phone.
func (s *Server) lookupPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := lookupData{Code: strings.TrimSpace(q.Get("code")), Proof: q.Get("id")}
	if d.Proof != "" {
		s.lookupShow(w, r, d)
		return
	}
	p := s.newPage(w, r, "lookup", "lookup.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "lookup", p)
}

// lookupPost answers the form. It is a POST so that the ID number stays out
// of addresses, browser history and server logs.
func (s *Server) lookupPost(w http.ResponseWriter, r *http.Request) {
	d := lookupData{Code: strings.TrimSpace(r.PostFormValue("code")), Proof: strings.TrimSpace(r.PostFormValue("proof"))}
	s.lookupShow(w, r, d)
}

func (s *Server) lookupShow(w http.ResponseWriter, r *http.Request, d lookupData) {
	p := s.newPage(w, r, "lookup", "lookup.title")
	status := http.StatusOK
	if d.Code == "" {
		d.Errors.add("code", p.t("lookup.err.code"))
	}
	if d.Proof == "" {
		d.Errors.add("proof", p.t("lookup.err.proof"))
	}
	if !d.Errors.Any() {
		var found *dossier.Dossier
		err := s.publicTry(w, r, func() (err error) {
			found, err = s.Dossiers.Lookup(r.Context(), d.Code, d.Proof)
			return err
		})
		if apperr.Code(err) == apperr.ETOOMANY {
			s.publicRefused(w, r, p, d, err)
			return
		}
		switch apperr.Code(err) {
		case "":
			v := s.citizenView(r.Context(), p.c, found)
			d.Result = &v
		case apperr.ENOTFOUND, apperr.EINVALID:
			d.Errors.add("code", p.t("lookup.err.notfound"))
		default:
			s.pageFail(w, r, err)
			return
		}
	}
	if d.Errors.Any() {
		status = http.StatusUnprocessableEntity
		if d.Errors.Get("code") == p.t("lookup.err.notfound") {
			status = http.StatusNotFound
		}
	}
	p.Data = d
	s.render(w, r, status, "lookup", p)
}

// ratePost records the applicant's rating, proven by code and ID number or
// phone as for the look-up, then shows the dossier again with thanks.
func (s *Server) ratePost(w http.ResponseWriter, r *http.Request) {
	d := lookupData{Code: strings.TrimSpace(r.PostFormValue("code")), Proof: strings.TrimSpace(r.PostFormValue("proof")),
		Comment: r.PostFormValue("comment")}
	d.Rating, _ = strconv.Atoi(r.PostFormValue("rating"))
	p := s.newPage(w, r, "lookup", "lookup.title")
	p.setAlt("/tra-cuu", url.Values{"code": {d.Code}})
	var rated *dossier.Dossier
	err := s.publicTry(w, r, func() (err error) {
		rated, err = s.Dossiers.RateByProof(r.Context(), d.Code, d.Proof, d.Rating, d.Comment)
		return err
	})
	if apperr.Code(err) == apperr.ETOOMANY {
		s.publicRefused(w, r, p, d, err)
		return
	}
	if err != nil {
		e := apperr.As(err)
		if e == nil || e.Code == apperr.ENOTFOUND {
			s.pageFail(w, r, err)
			return
		}
		found, lerr := s.Dossiers.Lookup(r.Context(), d.Code, d.Proof)
		if lerr != nil {
			s.pageFail(w, r, lerr)
			return
		}
		v := s.citizenView(r.Context(), p.c, found)
		d.Result = &v
		d.Errors.add("rating", p.c.pick(e.Message, e.MessageEn))
		p.Data = d
		s.render(w, r, statusOf[e.Code], "lookup", p)
		return
	}
	v := s.citizenView(r.Context(), p.c, s.withHistory(r.Context(), rated))
	d.Result, d.Thanks = &v, true
	p.Data = d
	s.render(w, r, http.StatusOK, "lookup", p)
}

// publicRefused shows the look-up form again with err, the refusal of the
// limits (ETOOMANY): its callers answer every other error themselves.
func (s *Server) publicRefused(w http.ResponseWriter, r *http.Request, p *page, d lookupData, err error) {
	e := apperr.As(err)
	d.Errors.add("code", p.c.pick(e.Message, e.MessageEn))
	p.Data = d
	s.render(w, r, statusOf[e.Code], "lookup", p)
}

// withHistory reloads a dossier returned by an action, which comes without
// its history, so that the timeline shows the action just taken.
func (s *Server) withHistory(ctx context.Context, d *dossier.Dossier) *dossier.Dossier {
	if full, err := s.Dossiers.Store.Get(ctx, d.Code); err == nil {
		return full
	}
	return d
}
