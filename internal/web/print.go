package web

import "github.com/motcua/motcua/internal/dossier"

// printForm is a link to a document an officer or applicant may print.
type printForm struct{ Label, URL string }

// printForms lists what can be printed for the dossier now: the receipt
// page, and the official forms when they can be rendered.
func (s *Server) printForms(d *dossier.Dossier, staff bool) []printForm {
	out := []printForm{{Label: "print.receipt", URL: "/ho-so/" + d.Code + "/bien-nhan"}}
	return append(out, s.pdfForms(d, staff)...)
}
