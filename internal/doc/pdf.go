package doc

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"github.com/motcua/motcua/internal/vntext"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

const (
	family    = "dejavu"
	portrait  = "P"
	landscape = "L"
	lineH     = 5.6 // body line height in mm: room for stacked marks at 11 pt
	bodySize  = 11.0
)

// page is a PDF being drawn with the house layout: A4, margins after Decree
// 30/2020 (wide left margin for binding), DejaVu Sans.
type page struct {
	*fpdf.Fpdf
	left, right, width float64
}

func newPage(orient string, now time.Time, title string) *page {
	f := fpdf.New(orient, "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", regularTTF)
	f.AddUTF8FontFromBytes(family, "B", boldTTF)
	left, top, right := 25.0, 15.0, 15.0
	if orient == landscape {
		left, top, right = 12, 12, 10
	}
	f.SetMargins(left, top, right)
	f.SetAutoPageBreak(true, 15)
	// Fixed dates keep the output of the same input byte for byte the same.
	f.SetCreationDate(now)
	f.SetModificationDate(now)
	f.SetTitle(title, true)
	f.SetCreator("motcua", true)
	f.SetCompression(true)
	pw, _ := f.GetPageSize()
	p := &page{Fpdf: f, left: left, right: pw - right, width: pw - left - right}
	p.AddPage()
	p.font("", bodySize)
	return p
}

// font sets the house font; text set afterwards must be NFC (see text).
func (p *page) font(style string, size float64) { p.SetFont(family, style, size) }

// text normalises to NFC: decomposed marks would be drawn as separate
// glyphs at the wrong place, since the PDF library does no mark positioning.
func text(s string) string { return vntext.NFC(s) }

func (p *page) output(w io.Writer) error {
	if err := p.Error(); err != nil {
		return fmt.Errorf("doc: drawing the PDF: %w", err)
	}
	return p.Output(w)
}

// centered draws s centred in the band [x, x+w), wrapping as needed, and
// returns the y below it.
func (p *page) centered(x, y, w float64, s, style string, size, h float64) float64 {
	p.font(style, size)
	p.SetXY(x, y)
	p.MultiCell(w, h, text(s), "", "C", false)
	return p.GetY()
}

// fitSize is the largest size up to max at which s fits in width w, so that
// a long unit name or code shrinks instead of wrapping mid-word.
func (p *page) fitSize(s, style string, max, w float64) float64 {
	size := max
	for ; size > 6; size -= 0.5 {
		p.font(style, size)
		if p.GetStringWidth(text(s)) <= w {
			break
		}
	}
	return size
}

// letterhead draws the unit on the left, the national motto on the right,
// the form number above and the place and date below the motto.
func (p *page) letterhead(o Office, form int, now time.Time) {
	top := p.GetY()
	leftW := p.width * 0.42
	rightX, rightW := p.left+leftW, p.width-leftW

	if form > 0 { // a receipt of payment has no form number
		p.font("", 9)
		p.SetXY(p.left, top-6)
		p.CellFormat(p.width, 5, text(fmt.Sprintf("Mẫu số %02d", form)), "", 0, "R", false, 0, "")
	}

	y := top
	if o.ParentName != "" {
		y = p.centered(p.left, y, leftW, strings.ToUpper(o.ParentName), "", 11, 5.5)
	}
	y = p.centered(p.left, y, leftW, strings.ToUpper(o.Name), "B", 11, 5.5)
	p.rule(p.left+leftW/2, y+1, leftW/3)
	leftEnd := y + 2

	motto := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	size := p.fitSize(motto, "B", 11, rightW)
	y = p.centered(rightX, top, rightW, motto, "B", size, 5.5)
	slogan := "Độc lập - Tự do - Hạnh phúc"
	y = p.centered(rightX, y, rightW, slogan, "B", 12, 6)
	p.rule(rightX+rightW/2, y+0.5, p.GetStringWidth(text(slogan)))
	y = p.centered(rightX, y+5, rightW, placeDate(placeName(o), now), "", 11, 6)

	p.SetXY(p.left, max(leftEnd, y)+6)
}

// rule draws a thin horizontal line of width w centred on cx, as under the
// motto and the unit name.
func (p *page) rule(cx, y, w float64) {
	p.SetLineWidth(0.3)
	p.Line(cx-w/2, y, cx+w/2, y)
}

// title draws the form's name in bold capitals.
func (p *page) title(t string) {
	y := p.centered(p.left, p.GetY(), p.width, strings.ToUpper(t), "B", 13, 7)
	p.SetXY(p.left, y+4)
}

// field writes "label: value" on one flowing line, the value in bold, and
// skips the line when there is nothing to say.
func (p *page) field(label, value string) {
	p.SetX(p.left)
	p.font("", bodySize)
	p.Write(lineH, text(label+": "))
	p.font("B", bodySize)
	p.Write(lineH, text(dash(value)))
	p.font("", bodySize)
	p.Ln(lineH)
}

// fieldPair writes two short fields on one line, like phone and e-mail.
func (p *page) fieldPair(l1, v1, l2, v2 string) {
	if strings.TrimSpace(v2) == "" {
		p.field(l1, v1)
		return
	}
	p.SetX(p.left)
	p.font("", bodySize)
	p.Write(lineH, text(l1+": "))
	p.font("B", bodySize)
	p.Write(lineH, text(dash(v1)))
	p.font("", bodySize)
	p.Write(lineH, text("        "+l2+": "))
	p.font("B", bodySize)
	p.Write(lineH, text(v2))
	p.font("", bodySize)
	p.Ln(lineH)
}

// para writes a justified paragraph with a little space above it.
func (p *page) para(s string) {
	p.SetXY(p.left, p.GetY()+1.5)
	p.font("", bodySize)
	p.MultiCell(p.width, lineH, text(s), "", "J", false)
}

// heading writes a line in bold, such as a numbered item with a list below.
func (p *page) heading(s string) {
	p.SetX(p.left)
	p.font("B", bodySize)
	p.MultiCell(p.width, lineH, text(s), "", "L", false)
	p.font("", bodySize)
}

// list writes items with a hanging indent, numbered when there are more
// than one.
func (p *page) list(items []string) {
	for i, s := range items {
		p.SetX(p.left + 4)
		p.font("", bodySize)
		n := ""
		if len(items) > 1 {
			n = fmt.Sprintf("%d. ", i+1)
		}
		p.CellFormat(7, lineH, n, "", 0, "R", false, 0, "")
		p.MultiCell(p.width-11, lineH, text(s), "", "L", false)
	}
}

// gap moves down by h millimetres.
func (p *page) gap(h float64) { p.SetXY(p.left, p.GetY()+h) }

// sig is one signature block: who signs, the instruction under it, the
// printed name below the space for the signature.
type sig struct {
	role, hint, name string
	lines            []string // a "Nơi nhận" list instead of a signature
}

var (
	signHint  = "(Ký và ghi rõ họ tên)"
	sealHint  = "(Ký, ghi rõ họ tên và đóng dấu)"
	recipient = sig{lines: []string{"Nơi nhận:", "- Như trên;", "- Lưu: VT, hồ sơ."}}
)

// signatures draws two blocks side by side, kept together on one page.
func (p *page) signatures(l, r sig) {
	const need = 42
	_, ph := p.GetPageSize()
	_, _, _, bottom := p.GetMargins()
	if p.GetY()+need > ph-bottom {
		p.AddPage()
	}
	y := p.GetY() + 5
	half := p.width / 2
	p.sigBlock(p.left, y, half, l)
	p.sigBlock(p.left+half, y, half, r)
	p.SetXY(p.left, y+need)
}

func (p *page) sigBlock(x, y, w float64, s sig) {
	if s.lines != nil {
		p.font("B", 10)
		p.SetXY(x, y)
		p.CellFormat(w, 5, text(s.lines[0]), "", 2, "L", false, 0, "")
		p.font("", 9)
		for _, l := range s.lines[1:] {
			p.SetX(x)
			p.CellFormat(w, 4.5, text(l), "", 2, "L", false, 0, "")
		}
		return
	}
	y = p.centered(x, y, w, s.role, "B", bodySize, lineH)
	p.centered(x, y, w, s.hint, "", 9, 5)
	if s.name != "" {
		p.centered(x, y+22, w, s.name, "B", bodySize, lineH)
	}
}

// qr places a QR code of s, side long, at (x, y).
func (p *page) qr(s string, x, y, side float64) error {
	png, err := qrcode.Encode(s, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("doc: QR code: %w", err)
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	p.RegisterImageOptionsReader("qr", opt, bytes.NewReader(png))
	p.ImageOptions("qr", x, y, side, side, false, opt, 0, "")
	return nil
}
