package doc

import (
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// TrackingBook writes the tracking book (form 07) of the dossiers ds
// received from from to to, as "pdf" or "xlsx". to is exclusive like the
// listing filter's bound: a bound at local midnight prints as the day
// before.
func TrackingBook(w io.Writer, office Office, from, to time.Time, ds []dossier.Dossier, format string) error {
	switch format {
	case "pdf", "":
		return bookPDF(w, office, from, to, ds)
	case "xlsx":
		return bookXLSX(w, office, from, to, ds)
	}
	return fmt.Errorf("doc: unknown tracking book format %q (pdf or xlsx)", format)
}

// bookHeads are the columns of the book, in order.
var bookHeads = []string{"STT", "Mã hồ sơ", "Thủ tục hành chính", "Người nộp hồ sơ", "Ngày nhận",
	"Ngày hẹn trả", "Ngày chuyển xử lý", "Ngày trả kết quả", "Kết quả"}

// bookEntry is one dossier's line of the book.
type bookEntry struct {
	code, procedure, applicant         string
	received, due, forwarded, returned time.Time
	result                             string
}

func entry(d *dossier.Dossier) bookEntry {
	proc := d.ProcedureName
	if proc == "" {
		proc = d.ProcedureCode
	}
	return bookEntry{
		code: d.Code, procedure: proc, applicant: d.Applicant.Name,
		received: received(d), due: d.DueAt, forwarded: forwarded(d), returned: d.ReturnedAt,
		result: result(d),
	}
}

// forwarded is when the counter first passed the dossier on for
// processing; a dossier listed without its history has none.
func forwarded(d *dossier.Dossier) time.Time {
	for _, e := range d.History {
		if e.Action == dossier.ActForward {
			return e.At
		}
	}
	return time.Time{}
}

// result is the on-time outcome of a finished dossier, else its status.
func result(d *dossier.Dossier) string {
	if o := outcomeName[d.Outcome]; o != "" {
		return o
	}
	return d.Status.Name()
}

// period is "Từ ngày 01/11/2026 đến ngày 30/11/2026".
func period(from, to time.Time) string {
	if l := to.In(calendar.Zone); !to.IsZero() && l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
		to = to.Add(-time.Nanosecond)
	}
	return fmt.Sprintf("Từ ngày %s đến ngày %s", dash(date(from)), dash(date(to)))
}

func bookPDF(w io.Writer, office Office, from, to time.Time, ds []dossier.Dossier) error {
	p := newPage(landscape, time.Now(), FormTitle[FormBook])
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetXY(p.left, -11)
		p.font("", 8)
		p.CellFormat(p.width, 5, text(fmt.Sprintf("%s - Trang %d/{nb}", FormTitle[FormBook], p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.bookHead(office, from, to)
	t := newTable(p, bookColumns(p.width), 8)
	for i := range ds {
		e := entry(&ds[i])
		t.row([]string{fmt.Sprint(i + 1), e.code, e.procedure, e.applicant, twoLine(e.received),
			twoLine(e.due), twoLine(e.forwarded), twoLine(e.returned), e.result})
	}
	if len(ds) == 0 {
		t.row([]string{"", "Không có hồ sơ trong kỳ", "", "", "", "", "", "", ""})
	}
	return p.output(w)
}

func bookColumns(width float64) []column {
	w := []float64{11, 44, 0, 42, 21, 21, 21, 21, 22}
	fixed := 0.0
	for _, x := range w {
		fixed += x
	}
	w[2] = width - fixed // the procedure's name takes what is left
	cols := make([]column, len(w))
	for i, head := range bookHeads {
		cols[i] = column{head: head, w: w[i], align: "C"}
	}
	cols[2].align, cols[3].align = "L", "L"
	return cols
}

// twoLine puts the date over the time so that a narrow column needs no
// wrapping in the middle of a date.
func twoLine(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return date(t) + "\n" + t.In(calendar.Zone).Format("15:04")
}

// bookHead draws the unit on the left, the form number on the right, and
// the title with the period.
func (p *page) bookHead(o Office, from, to time.Time) {
	top := p.GetY()
	leftW := 100.0
	y := top
	if o.ParentName != "" {
		y = p.centered(p.left, y, leftW, o.ParentName, "", 10, 5)
	}
	y = p.centered(p.left, y, leftW, o.Name, "B", 10, 5)
	p.rule(p.left+leftW/2, y+1, leftW/4)
	p.font("", 9)
	p.SetXY(p.left, top)
	p.CellFormat(p.width, 5, text(fmt.Sprintf("Mẫu số %02d", FormBook)), "", 0, "R", false, 0, "")
	y = p.centered(p.left, y+4, p.width, "SỔ THEO DÕI HỒ SƠ", "B", 14, 7)
	y = p.centered(p.left, y, p.width, period(from, to), "", 10, 5)
	p.SetXY(p.left, y+3)
}
