package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/doc"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
)

// documentRoutes serve the official forms (PDF) and the exports.
func (s *Server) documentRoutes(mux router) {
	mux.HandleFunc("GET /ho-so/{code}/mau/{form}", s.formPDF)
	mux.HandleFunc("GET /thong-ke/xlsx", s.dashboardXLSX)
	mux.HandleFunc("GET /so-theo-doi", s.trackingBook)
}

// pdfForms lists the official forms that apply to the dossier now: the
// receipt once received, each notice once its event happened, and the
// control sheet for staff.
func (s *Server) pdfForms(d *dossier.Dossier, staff bool) []printForm {
	var out []printForm
	add := func(form int, ok bool) {
		if ok {
			out = append(out, printForm{Label: "print.form." + strconv.Itoa(form), URL: "/ho-so/" + d.Code + "/mau/" + strconv.Itoa(form)})
		}
	}
	add(doc.FormReceipt, !d.ReceivedAt.IsZero())
	add(doc.FormSupplement, d.Status == dossier.StatusSupplement)
	add(doc.FormRefusal, d.Status == dossier.StatusRefused)
	add(doc.FormApology, !d.ExtendedAt.IsZero())
	add(doc.FormStop, d.Status == dossier.StatusStopped)
	add(doc.FormControl, staff && !d.ReceivedAt.IsZero())
	return out
}

// formPDF renders one form for a dossier the caller may see.
func (s *Server) formPDF(w http.ResponseWriter, r *http.Request) {
	a, d, ok := s.pathDossier(w, r)
	if !ok {
		return
	}
	form, _ := strconv.Atoi(r.PathValue("form"))
	allowed := false
	for _, f := range s.pdfForms(d, a.IsOfficer()) {
		allowed = allowed || strings.HasSuffix(f.URL, "/mau/"+strconv.Itoa(form))
	}
	if !allowed {
		s.pageFail(w, r, apperr.NotFound("Mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại", "this form does not apply to the dossier now"))
		return
	}
	p, err := s.Procs.ForUnit(r.Context(), d.ProcedureCode, d.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	in := doc.FormData{Office: s.office(r.Context(), d.UnitCode), Dossier: d, Procedure: p, Officer: signer(a, d, form),
		Now: s.now(), LookupURL: s.lookupURL(r, d.Code)}
	var buf bytes.Buffer
	if err := doc.Form(&buf, form, in); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", "mau-0"+strconv.Itoa(form)+"-"+d.Code+".pdf", buf.Bytes(), true)
}

// signer is the officer named on a form: who received the dossier for the
// receipt, who took the action for a notice, else the officer printing it.
func signer(a auth.Actor, d *dossier.Dossier, form int) string {
	action := map[int]string{doc.FormSupplement: dossier.ActRequestSupplement, doc.FormRefusal: dossier.ActRefuse,
		doc.FormApology: dossier.ActExtend, doc.FormStop: dossier.ActStop}[form]
	if form == doc.FormReceipt {
		if n := receivingOfficer(d); n != "" {
			return n
		}
	}
	for i := len(d.History) - 1; i >= 0 && action != ""; i-- {
		e := d.History[i]
		atReception := e.Action == dossier.ActSubmit && (form == doc.FormSupplement && e.ToStatus == dossier.StatusSupplement ||
			form == doc.FormRefusal && e.ToStatus == dossier.StatusRefused)
		if e.Action == action || atReception {
			return e.ActorName
		}
	}
	if a.IsOfficer() {
		return a.FullName
	}
	return ""
}

// office is a unit's letterhead.
func (s *Server) office(ctx context.Context, unitCode string) doc.Office {
	o := doc.Office{Name: unitCode}
	u, err := s.DB.Unit(ctx, unitCode)
	if err != nil {
		return o
	}
	o.Name = strings.ToUpper("UBND " + u.FullName)
	if c, err := s.DB.UnitContact(ctx, unitCode); err == nil {
		o.Address, o.Phone = c.Address, formatPhone(c.Hotline) // where results are handed back, whom to call
	}
	if u.ParentCode != "" {
		if parent, err := s.DB.Unit(ctx, u.ParentCode); err == nil {
			o.ParentName = strings.ToUpper(parent.FullName)
		}
	}
	return o
}

// dashboardXLSXURL is the address of the dashboard's Excel export.
func (s *Server) dashboardXLSXURL(q stats.Query) string {
	return "/thong-ke/xlsx?" + url.Values{"unit": {q.UnitCode}, "from": {q.From}, "to": {q.To}}.Encode()
}

func (s *Server) dashboardXLSX(w http.ResponseWriter, r *http.Request) {
	_, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	sum, err := s.DB.Summary(r.Context(), q)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	// The unit shown is the one asked for: a province leader may have opened
	// one of its communes.
	name, _ := s.unitNames(r, q.UnitCode)
	var buf bytes.Buffer
	if err := doc.DashboardXLSX(&buf, s.office(r.Context(), q.UnitCode), name, sum); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "thong-ke-"+q.From+"-"+q.To+".xlsx", buf.Bytes(), false)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// trackingBook is form 07 for the dossiers the officer's unit received in a
// period (local dates, both included), as PDF or Excel.
func (s *Server) trackingBook(w http.ResponseWriter, r *http.Request) {
	a, q, ok := s.officerQuery(w, r)
	if !ok {
		return
	}
	from, _ := time.ParseInLocation("2006-01-02", q.From, calendar.Zone)
	to, _ := time.ParseInLocation("2006-01-02", q.To, calendar.Zone)
	to = to.AddDate(0, 0, 1)
	ds, err := s.received(r.Context(), a, from, to)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	format, ctype := "pdf", "application/pdf"
	if r.URL.Query().Get("format") == "xlsx" {
		format, ctype = "xlsx", xlsxType
	}
	var buf bytes.Buffer
	if err := doc.TrackingBook(&buf, s.office(r.Context(), a.UnitCode), from, to, ds, format); err != nil {
		s.pageFail(w, r, err)
		return
	}
	sendFile(w, ctype, "so-theo-doi-"+q.From+"-"+q.To+"."+format, buf.Bytes(), format == "pdf")
}

// received lists every dossier the caller's unit received in [from, to),
// page by page, as the listing caps a page.
func (s *Server) received(ctx context.Context, a auth.Actor, from, to time.Time) ([]dossier.Dossier, error) {
	var out []dossier.Dossier
	for {
		page, total, err := s.Dossiers.List(ctx, a, dossier.Filter{ReceivedFrom: from, ReceivedTo: to, Limit: 500, Offset: len(out)})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// sendFile answers with a generated document; PDFs open in the browser,
// spreadsheets download.
// sendReport prints a report as PDF (shown in the browser) or as Excel
// (downloaded), by the format asked for; any other format is not found.
func (s *Server) sendReport(w http.ResponseWriter, r *http.Request, rep doc.Report, format, name string) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "pdf":
		if err = doc.ReportPDF(&buf, rep); err == nil {
			sendFile(w, "application/pdf", name+".pdf", buf.Bytes(), true)
			return
		}
	case "xlsx":
		if err = doc.ReportXLSX(&buf, rep); err == nil {
			sendFile(w, xlsxType, name+".xlsx", buf.Bytes(), false)
			return
		}
	default:
		err = apperr.NotFound("Không có định dạng này (pdf, xlsx)", "no such format (pdf, xlsx)")
	}
	s.pageFail(w, r, err)
}

func sendFile(w http.ResponseWriter, ctype, name string, body []byte, inline bool) {
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", disp+`; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}
