package doc

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

// procName names the procedure with its national code.
func procName(in FormData) string {
	name := in.Procedure.Name
	if name == "" {
		name = in.Dossier.ProcedureName
	}
	code := in.Procedure.Code
	if code == "" {
		code = in.Dossier.ProcedureCode
	}
	if code == "" {
		return name
	}
	return fmt.Sprintf("%s (mã thủ tục: %s)", name, code)
}

// received is when the dossier was accepted, or submitted if it never was.
func received(d *dossier.Dossier) time.Time {
	if !d.ReceivedAt.IsZero() {
		return d.ReceivedAt
	}
	return d.SubmittedAt
}

// applicant writes who the dossier is for; label says in which role. The
// forms it serves (01, 02, 03) leave the office with the citizen, so the ID
// number's middle stays hidden.
func (p *page) applicant(label string, a dossier.Applicant) {
	p.field(label, a.Name)
	p.field("Số định danh cá nhân", vntext.MaskIDNumber(a.IDNumber))
	p.field("Địa chỉ", a.Address)
	p.fieldPair("Số điện thoại", a.Phone, "Email", a.Email)
}

// subjectText names the person or business concerned, with the relation
// and number.
func subjectText(s *dossier.Subject) string {
	t := s.Name
	if s.Relation != "" {
		t += " (" + s.Relation + ")"
	}
	if s.IDNumber != "" {
		label := "số định danh "
		if s.Kind == dossier.SubjectBusiness {
			label = "MSDN " // mã số doanh nghiệp
		}
		id := s.IDNumber
		if s.Kind != dossier.SubjectBusiness { // a business's code is public; a person's is not
			id = vntext.MaskIDNumber(id)
		}
		t += ", " + label + id
	}
	if day, err := time.Parse("2006-01-02", s.BirthDate); err == nil {
		t += ", sinh ngày " + day.Format("02/01/2006")
	}
	return t
}

// addressee is the "Kính gửi" line of a letter.
func (p *page) addressee(name string) {
	y := p.centered(p.left, p.GetY(), p.width, "Kính gửi: Ông/Bà "+name, "B", bodySize, lineH)
	p.SetXY(p.left, y+2)
}

func receiptBody(p *page, in FormData) {
	d := in.Dossier
	if err := p.codeBlock(d.Code, in.LookupURL); err != nil {
		p.SetError(err)
		return
	}
	p.field("Bộ phận tiếp nhận và trả kết quả", proseName(in.Office.Name))
	p.applicant("Tiếp nhận hồ sơ của", d.Applicant)
	if d.Subject != nil { // else the applicant is the person concerned, and the form has no line to spare
		p.field("Cấp kết quả cho", subjectText(d.Subject))
	}
	p.field("Nội dung yêu cầu giải quyết", procName(in))
	p.heading("1. Thành phần hồ sơ nộp gồm:")
	p.components(d, in.Procedure)
	n := 2
	item := func(label, value string) {
		if value != "" {
			p.field(fmt.Sprintf("%d. %s", n, label), value)
			n++
		}
	}
	item("Số lượng hồ sơ", "01 bộ")
	item("Thời gian giải quyết hồ sơ theo quy định", limitText(in.Procedure.Limit))
	item("Thời gian nhận hồ sơ", longTime(received(d)))
	item("Thời gian trả kết quả", longTime(d.DueAt))
	item("Phí, lệ phí", fee(d, in.Procedure))
	item("Hình thức nộp hồ sơ", dossier.ChannelName[d.Channel])
	item("Kết quả giải quyết", in.Procedure.Result)
	item("Nơi trả kết quả", in.Office.Address)
	p.gap(1)
	p.lookupNote(in)
	p.signatures(sig{role: "NGƯỜI NỘP HỒ SƠ", hint: signHint, name: d.Applicant.Name},
		sig{role: "NGƯỜI TIẾP NHẬN HỒ SƠ", hint: signHint, name: in.Officer})
}

// codeBlock prints the dossier code in large type beside its QR code, the
// two things a citizen needs to look the dossier up.
func (p *page) codeBlock(code, url string) error {
	const side = 26.0
	y := p.GetY()
	textW := p.width
	if url != "" {
		if err := p.qr(url, p.right-side, y-2, side); err != nil {
			return err
		}
		textW -= side + 4
	}
	ty := p.centered(p.left, y+2, textW, "Mã hồ sơ", "", 10, 5)
	size := p.fitSize(code, "B", 18, textW)
	ty = p.centered(p.left, ty+1, textW, code, "B", size, 9)
	if url != "" {
		ty = max(ty+2, y+side)
	}
	p.SetXY(p.left, ty+1)
	return nil
}

func (p *page) lookupNote(in FormData) {
	s := "Ông/Bà tra cứu tình trạng hồ sơ bằng mã hồ sơ kèm số định danh cá nhân hoặc số điện thoại"
	if in.LookupURL != "" {
		s += " tại " + in.LookupURL + " hoặc quét mã QR trên giấy này"
	}
	if in.Office.Phone != "" {
		s += "; điện thoại hỗ trợ: " + in.Office.Phone
	}
	p.font("", 9.5)
	p.SetX(p.left)
	p.MultiCell(p.width, 5, text(s+"."), "", "L", false)
}

// fee is the amount to pay, or "" when the procedure's fees are not known.
func fee(d *dossier.Dossier, pr *procedure.Procedure) string {
	switch {
	case d.FeeAmount > 0:
		return money(d.FeeAmount)
	case pr.DefaultFee() > 0:
		return money(pr.DefaultFee())
	case len(pr.Fees) > 0:
		return "Không thu"
	}
	return ""
}

// components lists what was handed in, with the form and quantity the
// procedure asks for when the names match.
func (p *page) components(d *dossier.Dossier, pr *procedure.Procedure) {
	byName := map[string]procedure.Component{}
	for _, c := range pr.Components {
		byName[strings.ToLower(text(c.Name))] = c
	}
	t := newTable(p, []column{
		{"STT", 12, "C"}, {"Tên giấy tờ", p.width - 70, "L"}, {"Hình thức", 40, "C"}, {"Số lượng", 18, "C"},
	}, 10)
	for i, name := range d.Components {
		c, ok := byName[strings.ToLower(text(name))]
		form, qty := "", ""
		if ok {
			form, qty = componentForm[c.Form], fmt.Sprintf("%02d", max(c.Quantity, 1))
		}
		t.row([]string{fmt.Sprint(i + 1), name, form, qty})
	}
	if len(d.Components) == 0 {
		t.row([]string{"", "(không có thành phần nào được ghi nhận)", "", ""})
	}
	p.gap(1)
}

func supplementBody(p *page, in FormData) {
	d := in.Dossier
	p.field("Mã hồ sơ", d.Code)
	p.applicant("Hồ sơ của", d.Applicant)
	p.field("Nội dung yêu cầu giải quyết", procName(in))
	if d.ReceivedAt.IsZero() {
		p.field("Thời gian nộp hồ sơ", longTime(d.SubmittedAt))
	} else {
		p.field("Thời gian nhận hồ sơ", longTime(d.ReceivedAt))
	}
	p.gap(1)
	p.para("Sau khi kiểm tra, hồ sơ của Ông/Bà chưa đầy đủ, hợp lệ. Đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
	p.list(missing(d))
	if d.ReceivedAt.IsZero() {
		// Asked at reception: the dossier is not received, no clock runs.
		p.para("Hồ sơ chưa được tiếp nhận. Thời hạn giải quyết được tính từ khi Ông/Bà nộp đủ hồ sơ bổ sung.")
	} else if !d.PausedAt.IsZero() {
		p.para("Thời gian giải quyết hồ sơ tạm dừng từ " + longTime(d.PausedAt) +
			" và được tính tiếp từ khi Ông/Bà nộp đủ hồ sơ bổ sung.")
	}
	p.para(contact(in))
	p.signatures(sig{role: "NGƯỜI NỘP HỒ SƠ", hint: signHint, name: d.Applicant.Name},
		sig{role: "NGƯỜI HƯỚNG DẪN", hint: signHint, name: in.Officer})
}

// missing is the one complete list of what to supplement: the dossier's own
// while it waits, else the last request in its history, so the form can be
// printed again after the supplement arrived.
func missing(d *dossier.Dossier) []string {
	if len(d.Missing) > 0 {
		return d.Missing
	}
	for i := len(d.History) - 1; i >= 0; i-- {
		e := d.History[i]
		// asked by request_supplement, or at reception by the counter entry
		if e.Action != dossier.ActRequestSupplement && (e.Action != dossier.ActSubmit || e.ToStatus != dossier.StatusSupplement) {
			continue
		}
		note, _, _ := strings.Cut(e.Note, " — ")
		if s, ok := strings.CutPrefix(note, "Cần bổ sung: "); ok {
			return strings.Split(s, "; ")
		}
	}
	return []string{""}
}

func contact(in FormData) string {
	s := "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
	if in.Officer != "" {
		s += "cán bộ " + in.Officer + ", "
	}
	s += proseName(in.Office.Name)
	if in.Office.Phone != "" {
		s += ", số điện thoại " + in.Office.Phone
	}
	return s + " để được hướng dẫn."
}

func refusalBody(p *page, in FormData) {
	d := in.Dossier
	p.field("Mã hồ sơ", d.Code)
	p.applicant("Tiếp nhận hồ sơ của", d.Applicant)
	p.field("Nội dung yêu cầu giải quyết", procName(in))
	p.gap(1)
	p.para("Qua xem xét, " + proseName(in.Office.Name) +
		" thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
	p.list([]string{dash(d.Reason)})
	p.para("Xin thông báo để Ông/Bà biết và thực hiện./.")
	p.signatures(sig{role: "NGƯỜI NỘP HỒ SƠ", hint: signHint, name: d.Applicant.Name},
		sig{role: "NGƯỜI TIẾP NHẬN HỒ SƠ", hint: signHint, name: in.Officer})
}

func apologyBody(p *page, in FormData) {
	d := in.Dossier
	office := proseName(in.Office.Name)
	oldDue, newDue, reason := extension(d)
	p.addressee(d.Applicant.Name)
	s := fmt.Sprintf("Ngày %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục %s của Ông/Bà, mã hồ sơ %s.",
		date(received(d)), office, procName(in), d.Code)
	if !oldDue.IsZero() {
		s += " Thời gian hẹn trả kết quả là " + longTime(oldDue) + "."
	}
	p.para(s)
	p.para(fmt.Sprintf("Tuy nhiên, đến nay %s chưa thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn. Lý do: %s.",
		office, strings.TrimSuffix(dash(reason), ".")))
	p.para(fmt.Sprintf("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. %s xin lỗi Ông/Bà "+
		"và đề nghị gia hạn thời gian giải quyết hồ sơ. Thời gian trả kết quả mới:", office))
	p.SetX(p.left)
	p.font("B", 12)
	p.MultiCell(p.width, 7, text(longTime(newDue)), "", "C", false)
	p.para(fmt.Sprintf("%s mong nhận được sự thông cảm của Ông/Bà./.", upperFirst(office)))
	p.signatures(recipient, sig{role: "THỦ TRƯỞNG CƠ QUAN", hint: sealHint, name: in.Officer})
}

// extension reads the apology's facts from the history: the due time before
// and after the one extension, and the reason given for it.
func extension(d *dossier.Dossier) (oldDue, newDue time.Time, reason string) {
	newDue, reason = d.DueAt, d.Reason
	for i := len(d.History) - 1; i >= 0; i-- {
		e := d.History[i]
		if e.Action != dossier.ActExtend {
			continue
		}
		reason = e.Note
		if !e.DueAt.IsZero() {
			newDue = e.DueAt
		}
		for j := i - 1; j >= 0; j-- {
			if !d.History[j].DueAt.IsZero() {
				oldDue = d.History[j].DueAt
				break
			}
		}
		break
	}
	return oldDue, newDue, reason
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func stopBody(p *page, in FormData) {
	d := in.Dossier
	office := proseName(in.Office.Name)
	p.addressee(d.Applicant.Name)
	p.para(fmt.Sprintf("Ngày %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục %s của Ông/Bà, mã hồ sơ %s.",
		date(received(d)), office, procName(in), d.Code))
	since := d.FinishedAt
	if since.IsZero() {
		since = in.Now
	}
	p.para(fmt.Sprintf("%s thông báo dừng giải quyết hồ sơ nêu trên kể từ %s.", upperFirst(office), longTime(since)))
	p.heading("Lý do dừng giải quyết:")
	p.list([]string{dash(d.Reason)})
	p.para("Xin thông báo để Ông/Bà biết./.")
	p.signatures(recipient, sig{role: "THỦ TRƯỞNG CƠ QUAN", hint: sealHint, name: in.Officer})
}
