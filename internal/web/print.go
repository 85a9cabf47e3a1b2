package web

import "github.com/motcua/motcua/internal/dossier"

// printForm is a link to a document an officer or applicant may print.
type printForm struct{ Label, URL string }

// printForms lists what can be printed for the dossier now: the receipt
// page once the dossier is received (or sent online and waiting), and the
// official forms when they can be rendered. A dossier asked for a supplement
// or refused at reception has no receipt: form 02 or 03 stands instead.
func (s *Server) printForms(d *dossier.Dossier, staff bool) []printForm {
	var out []printForm
	if hasReceipt(d) {
		out = append(out, printForm{Label: "print.receipt", URL: "/ho-so/" + d.Code + "/bien-nhan"})
	}
	return append(out, s.pdfForms(d, staff)...)
}

// hasReceipt tells whether the receipt page applies: the dossier was
// received, or was sent online and waits for reception.
func hasReceipt(d *dossier.Dossier) bool {
	return !d.ReceivedAt.IsZero() || d.Status == dossier.StatusSubmitted
}
