package doc

import (
	"io"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Payment is a fee paid online, as its receipt prints it.
type Payment struct {
	Office       Office
	Dossier      *dossier.Dossier
	TxnRef       string // ours
	Gateway      string // e.g. vnpay
	GatewayTxnNo string // the gateway's
	BankCode     string
	Amount       int64 // đồng
	PaidAt       time.Time
	Now          time.Time
}

// PaymentReceiptTitle is the receipt's title.
const PaymentReceiptTitle = "Biên lai thu phí, lệ phí"

// PaymentReceipt draws the receipt (biên lai) of a fee paid online: who
// paid, for which dossier and procedure, how much, through which gateway
// and under which transaction numbers.
func PaymentReceipt(w io.Writer, in Payment) error {
	d := in.Dossier
	p := newPage(portrait, in.Now, PaymentReceiptTitle)
	p.letterhead(in.Office, 0, in.Now)
	p.title(PaymentReceiptTitle)
	p.field("Số biên lai", in.TxnRef)
	p.field("Người nộp", d.Applicant.Name)
	p.field("Địa chỉ", d.Applicant.Address)
	p.field("Mã hồ sơ", d.Code)
	p.field("Thủ tục", d.ProcedureName)
	p.field("Số tiền", money(in.Amount))
	p.field("Hình thức thanh toán", "Trực tuyến qua cổng thanh toán "+in.Gateway)
	p.fieldPair("Mã giao dịch cổng thanh toán", in.GatewayTxnNo, "Ngân hàng", in.BankCode)
	p.field("Thời điểm thanh toán", dateTime(in.PaidAt))
	p.gap(4)
	p.para("Biên lai được lập từ thông báo đã xác thực chữ ký của cổng thanh toán; tra cứu hồ sơ bằng mã hồ sơ trên đây.")
	p.signatures(sig{role: "NGƯỜI NỘP TIỀN", name: d.Applicant.Name}, sig{role: "ĐƠN VỊ THU", hint: "(Biên lai điện tử, không cần chữ ký)"})
	return p.output(w)
}
