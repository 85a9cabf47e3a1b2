package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

type receiptData struct {
	D          *dossier.Dossier
	P          *procedure.Procedure
	UnitName   string
	ParentName string
	Officer    string
	IDNumber   string // the applicant's, its middle hidden: the receipt leaves the office
	QR         template.HTML
	LookupURL  string
	Online     bool // submitted online, not yet received: no due time yet
	Forms      []printForm
}

// receipt is the page printed for the applicant (form 01's content) or shown
// after an online submission: the code in large type, the QR code that opens
// the look-up, the due time and what happens next.
func (s *Server) receipt(w http.ResponseWriter, r *http.Request) {
	a, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	if !hasReceipt(d) {
		// Never received (asked for a supplement or refused at reception):
		// there is no receipt; the dossier page offers form 02 or 03.
		http.Redirect(w, r, "/ho-so/"+d.Code, http.StatusSeeOther)
		return
	}
	x := receiptData{D: d, Online: d.Status == dossier.StatusSubmitted, LookupURL: s.lookupURL(r, d.Code)}
	x.P, _ = s.Procs.ForUnit(r.Context(), d.ProcedureCode, d.UnitCode)
	x.UnitName, x.ParentName = s.unitNames(r, d.UnitCode)
	x.Officer = receivingOfficer(d)
	x.IDNumber = vntext.MaskIDNumber(d.Applicant.IDNumber)
	if d.Subject != nil && d.Subject.Kind != dossier.SubjectBusiness { // the person concerned's number is hidden too
		shown, subj := *d, *d.Subject
		subj.IDNumber = vntext.MaskIDNumber(subj.IDNumber)
		shown.Subject = &subj
		x.D = &shown
	}
	var err error
	if x.QR, err = qrSVG(x.LookupURL, d.Code); err != nil {
		s.pageFail(w, r, err)
		return
	}
	x.Forms = s.printForms(d, a.IsOfficer())
	p := s.newPage(w, r, navOf(a), "receipt.title", d.Code)
	p.Data = x
	s.render(w, r, http.StatusOK, "receipt", p)
}

// lookupURL is the address the receipt's QR code opens: the public look-up
// with the code filled in. The configured public address wins over the
// request's host, which a proxy may have rewritten.
func (s *Server) lookupURL(r *http.Request, code string) string {
	return s.baseURL(r) + "/tra-cuu?code=" + url.QueryEscape(code)
}

// baseURL is the site's address: the configured public one, else the
// request's.
func (s *Server) baseURL(r *http.Request) string {
	base := strings.TrimSuffix(s.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base
}

// unitNames returns the full names of a unit and of its parent.
func (s *Server) unitNames(r *http.Request, code string) (string, string) {
	u, err := s.DB.Unit(r.Context(), code)
	if err != nil {
		return code, ""
	}
	if u.ParentCode == "" {
		return u.FullName, ""
	}
	parent, err := s.DB.Unit(r.Context(), u.ParentCode)
	if err != nil {
		return u.FullName, ""
	}
	return u.FullName, parent.FullName
}

// receivingOfficer is who received the dossier: the officer of the counter
// entry, or of the receive action of an online dossier.
func receivingOfficer(d *dossier.Dossier) string {
	for _, e := range d.History {
		if e.ToStatus == dossier.StatusReceived && (e.Action == dossier.ActSubmit || e.Action == dossier.ActReceive) {
			return e.ActorName
		}
	}
	return ""
}
