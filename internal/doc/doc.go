// Package doc renders the printed documents of the one-stop shop from domain
// values: the forms of Circular 03/2025/TT-VPCP as PDF (receipt, supplement
// request, refusal, apology, stop notice, control sheet, tracking book) and
// the leaders' Excel exports.
//
// The PDFs embed DejaVu Sans, whose precomposed glyphs cover every
// Vietnamese letter, so stacked marks (ằ ẫ ợ ữ ệ ố) print as one glyph
// instead of relying on mark positioning the PDF library does not do.
package doc

import (
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
)

// Office is the unit that issues a document, as its letterhead reads.
type Office struct {
	Name       string // "UBND PHƯỜNG BA ĐÌNH"
	ParentName string // "THÀNH PHỐ HÀ NỘI"
	Address    string
	Phone      string
}

// FormData is everything a form prints.
type FormData struct {
	Office    Office
	Dossier   *dossier.Dossier // with History for form 06
	Procedure *procedure.Procedure
	Officer   string    // full name of the officer signing or issuing
	Now       time.Time // the date the document is issued
	LookupURL string    // printed as a QR code on the receipt (form 01)
}

// Form numbers of Circular 03/2025/TT-VPCP.
const (
	FormReceipt    = 1 // Giấy tiếp nhận hồ sơ và hẹn trả kết quả
	FormSupplement = 2 // Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	FormRefusal    = 3 // Phiếu từ chối tiếp nhận giải quyết hồ sơ
	FormApology    = 4 // Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết
	FormStop       = 5 // Thông báo dừng giải quyết hồ sơ
	FormControl    = 6 // Phiếu kiểm soát quá trình giải quyết hồ sơ
	FormBook       = 7 // Sổ theo dõi hồ sơ
)

// FormTitle is the Vietnamese title of each form.
var FormTitle = map[int]string{
	FormReceipt:    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
	FormSupplement: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
	FormRefusal:    "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
	FormApology:    "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
	FormStop:       "Thông báo dừng giải quyết hồ sơ",
	FormControl:    "Phiếu kiểm soát quá trình giải quyết hồ sơ",
	FormBook:       "Sổ theo dõi hồ sơ",
}

// formBody draws the part of a form below its title.
var formBody = map[int]func(*page, FormData){
	FormReceipt:    receiptBody,
	FormSupplement: supplementBody,
	FormRefusal:    refusalBody,
	FormApology:    apologyBody,
	FormStop:       stopBody,
	FormControl:    controlBody,
}

// Form writes form number form (1 to 6) for in.Dossier as a PDF.
func Form(w io.Writer, form int, in FormData) error {
	body, ok := formBody[form]
	if !ok {
		return fmt.Errorf("doc: no form number %d", form)
	}
	if in.Dossier == nil {
		return fmt.Errorf("doc: form %02d needs a dossier", form)
	}
	if in.Procedure == nil {
		in.Procedure = &procedure.Procedure{Code: in.Dossier.ProcedureCode, Name: in.Dossier.ProcedureName}
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	p := newPage(portrait, in.Now, FormTitle[form])
	p.letterhead(in.Office, form, in.Now)
	p.title(FormTitle[form])
	body(p, in)
	return p.output(w)
}
