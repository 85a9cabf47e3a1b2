package doc

// column is one column of a drawn table.
type column struct {
	head  string
	w     float64 // millimetres
	align string  // "L", "C" or "R"
}

// table draws rows whose cells wrap, breaking pages between rows and
// repeating the header row on every page, so a book of thousands of
// dossiers stays readable on paper.
type table struct {
	p    *page
	cols []column
	size float64 // font size in points
	lh   float64 // line height in millimetres
}

const cellPad = 1.0

func newTable(p *page, cols []column, size float64) *table {
	t := &table{p: p, cols: cols, size: size, lh: size * 0.45}
	t.header()
	return t
}

func (t *table) header() {
	heads := make([]string, len(t.cols))
	for i, c := range t.cols {
		heads[i] = c.head
	}
	t.p.SetFillColor(230, 230, 230)
	t.draw(heads, "B", true)
}

// row draws one row, first moving to a new page (with a new header) when the
// row would cross the bottom margin.
func (t *table) row(cells []string) {
	t.p.font("", t.size)
	h := t.height(cells)
	_, ph := t.p.GetPageSize()
	_, _, _, bottom := t.p.GetMargins()
	if t.p.GetY()+h > ph-bottom {
		t.p.AddPage()
		t.header()
	}
	t.draw(cells, "", false)
}

// height is the height of a row of cells in the current font.
func (t *table) height(cells []string) float64 {
	n := 1
	for i, c := range cells {
		n = max(n, len(t.p.SplitText(text(c), t.cols[i].w)))
	}
	return float64(n)*t.lh + 2*cellPad
}

func (t *table) draw(cells []string, style string, fill bool) {
	p := t.p
	p.font(style, t.size)
	h := t.height(cells)
	x, y := p.left, p.GetY()
	p.SetLineWidth(0.2)
	for i, c := range cells {
		col := t.cols[i]
		style := "D"
		if fill {
			style = "FD"
		}
		p.Rect(x, y, col.w, h, style)
		align := col.align
		if fill {
			align = "C"
		}
		for k, line := range p.SplitText(text(c), col.w) {
			p.SetXY(x, y+cellPad+float64(k)*t.lh)
			p.CellFormat(col.w, t.lh, line, "", 0, align, false, 0, "")
		}
		x += col.w
	}
	p.SetXY(p.left, y+h)
}
