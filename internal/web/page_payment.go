package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/payment"
)

// paymentOrigin is the gateway's origin, which the pages' forms may lead
// to; empty when online payment is off.
func (s *Server) paymentOrigin() string {
	if s.Payments == nil {
		return ""
	}
	return s.Payments.Gateway.Origin()
}

// payable tells whether the dossier page offers the caller "Pay online":
// its own applicant, while the dossier waits for a fee.
func (s *Server) payable(a auth.Actor, d *dossier.Dossier) bool {
	return s.Payments != nil && d.Status == dossier.StatusPayment && d.FeeAmount > 0 &&
		a.Role == auth.RoleApplicant && a.UserID != 0 && a.UserID == d.ApplicantUserID
}

// paidOnline tells whether the dossier has a receipt of an online payment.
func (s *Server) paidOnline(r *http.Request, d *dossier.Dossier) bool {
	if s.Payments == nil || d.PaidAt.IsZero() {
		return false
	}
	_, err := s.Payments.Store.PaidPayment(r.Context(), d.Code)
	return err == nil
}

// payPost records a pending payment of the dossier's fee and sends the
// citizen to the gateway.
func (s *Server) payPost(w http.ResponseWriter, r *http.Request) {
	if s.Payments == nil {
		s.pageNotFound(w, r)
		return
	}
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.PathValue("code")
	ip, _, _ := strings.Cut(s.clientAddr(r), "/")
	u, err := s.Payments.Start(r.Context(), a, code, s.baseURL(r)+"/thanh-toan/ket-qua", ip)
	if err != nil {
		s.refused(w, r, a, code, "pay", err)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// paymentIPN is the gateway's server-to-server notification: no session,
// a GET (so outside the cross-origin protection, which guards unsafe
// methods), trusted only through its signature.
func (s *Server) paymentIPN(w http.ResponseWriter, r *http.Request) {
	if s.Payments == nil {
		s.fail(w, r, apperr.NotFound("Thanh toán trực tuyến chưa được bật", "online payment is off"))
		return
	}
	writeJSON(w, http.StatusOK, s.Payments.Notify(r.Context(), r.URL.Query(), s.clientAddr(r)))
}

type paymentReturnData struct {
	P         *payment.Payment
	OK        bool // the gateway told the citizen the money was taken
	Confirmed bool // the notification has confirmed it
}

// paymentReturn shows the citizen what the gateway said. It changes
// nothing: only the notification confirms a payment.
func (s *Server) paymentReturn(w http.ResponseWriter, r *http.Request) {
	if s.Payments == nil {
		s.pageNotFound(w, r)
		return
	}
	n, p, err := s.Payments.Return(r.Context(), r.URL.Query())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	pg := s.newPage(w, r, "mine", "pay.title")
	pg.Data = paymentReturnData{P: p, OK: n.OK, Confirmed: p.Status == payment.StatusPaid}
	s.render(w, r, http.StatusOK, "payment", pg)
}

// paymentReceipt is the receipt (biên lai) of the dossier's online
// payment, for those who may see the dossier.
func (s *Server) paymentReceipt(w http.ResponseWriter, r *http.Request) {
	if s.Payments == nil {
		s.pageNotFound(w, r)
		return
	}
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d, p, err := s.Payments.Receipt(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	var buf bytes.Buffer
	err = doc.PaymentReceipt(&buf, doc.Payment{Office: s.office(r.Context(), d.UnitCode), Dossier: d, TxnRef: p.TxnRef,
		Gateway: strings.ToUpper(p.Gateway), GatewayTxnNo: p.GatewayTxnNo, BankCode: p.BankCode, Amount: p.Amount, PaidAt: p.PaidAt, Now: p.PaidAt})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", "bien-lai-"+d.Code+".pdf", buf.Bytes(), true)
}
