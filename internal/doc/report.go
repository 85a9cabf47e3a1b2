package doc

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Section is one titled table of a report: the roll-up summary, the
// targets, and later the service index or the evaluations each bring their
// own, so that one renderer prints them all, in PDF and in Excel.
type Section struct {
	Title  string
	Heads  []string
	Widths []float64 // relative column widths; the first column takes what is left when 0
	Rows   [][]string
	Note   string // a line under the table, e.g. "12/14 chỉ tiêu đạt"
	// Align is each column's alignment in the PDF, "L" or "R" per column
	// ("RLRR": a rank, then a name); by default the first is L, the others R.
	Align string
}

// Report is a titled list of sections issued by a unit.
type Report struct {
	Office   Office
	Title    string // "BÁO CÁO THÁNG 11/2026"
	Subtitle string // the period
	Now      time.Time
	Sections []Section
	// Landscape turns the A4 page for wide tables (a ranking, the
	// evaluation of every officer on nine criteria).
	Landscape bool
}

// ReportPDF draws the report: the unit on top, the title, then each section
// as a table whose header repeats on every page.
func ReportPDF(w io.Writer, r Report) error {
	orient := portrait
	if r.Landscape {
		orient = landscape
	}
	p := newPage(orient, r.Now, r.Title)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetXY(p.left, -11)
		p.font("", 8)
		p.CellFormat(p.width, 5, text(fmt.Sprintf("%s - Trang %d/{nb}", r.Title, p.PageNo())), "", 0, "C", false, 0, "")
	})
	y := p.GetY()
	if r.Office.ParentName != "" {
		y = p.centered(p.left, y, p.width*0.5, strings.ToUpper(r.Office.ParentName), "", 10, 5)
	}
	y = p.centered(p.left, y, p.width*0.5, strings.ToUpper(r.Office.Name), "B", 10, 5)
	y = p.centered(p.left, y+6, p.width, strings.ToUpper(r.Title), "B", 13, 7)
	y = p.centered(p.left, y, p.width, r.Subtitle, "", 10, 5)
	p.SetXY(p.left, y+4)
	for i, s := range r.Sections {
		p.heading(fmt.Sprintf("%d. %s", i+1, s.Title))
		t := newTable(p, sectionColumns(s, p.width), 9)
		for _, row := range s.Rows {
			t.row(row)
		}
		if len(s.Rows) == 0 {
			empty := make([]string, len(s.Heads))
			empty[0] = "Không có số liệu"
			t.row(empty)
		}
		if s.Note != "" {
			p.gap(2)
			p.para(s.Note)
		}
		p.gap(4)
	}
	return p.output(w)
}

func sectionColumns(s Section, width float64) []column {
	ws := make([]float64, len(s.Heads))
	total := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(s.Widths) && s.Widths[i] > 0 {
			ws[i] = s.Widths[i]
		}
		total += ws[i]
	}
	cols := make([]column, len(s.Heads))
	for i, h := range s.Heads {
		cols[i] = column{head: h, w: width * ws[i] / total, align: "R"}
	}
	cols[0].align = "L"
	for i, a := range s.Align {
		if i < len(cols) {
			cols[i].align = string(a)
		}
	}
	return cols
}

// ReportXLSX writes the report as a workbook, one sheet per section.
func ReportXLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	x := &sheetWriter{f: f, st: st}
	for i, s := range r.Sections {
		name := sheetName(i, s.Title)
		if i == 0 {
			x.err = f.SetSheetName("Sheet1", name)
		} else if x.err == nil {
			_, x.err = f.NewSheet(name)
		}
		x.set(name, 1, 1, text(r.Office.Name), x.st.bold)
		x.set(name, 1, 2, text(r.Title), x.st.bold)
		x.set(name, 1, 3, text(r.Subtitle), 0)
		x.set(name, 1, 4, text(s.Title), x.st.bold)
		for c, h := range s.Heads {
			x.set(name, c+1, 6, text(h), x.st.head)
		}
		for rr, row := range s.Rows {
			for c, v := range row {
				x.set(name, c+1, rr+7, text(v), x.st.cell)
			}
		}
		if s.Note != "" {
			x.set(name, 1, len(s.Rows)+8, text(s.Note), x.st.bold)
		}
		if x.err == nil {
			x.err = f.SetColWidth(name, "A", "A", 40)
		}
		if x.err == nil && len(s.Heads) > 1 {
			x.err = f.SetColWidth(name, "B", cellCol(len(s.Heads)), 16)
		}
	}
	if x.err != nil {
		return fmt.Errorf("doc: report export: %w", x.err)
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName is a section's title cut to Excel's 31 characters, without the
// characters a sheet name may not hold, numbered so that names never clash.
func sheetName(i int, title string) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, text(title))
	name := []rune(fmt.Sprintf("%d. %s", i+1, clean))
	if len(name) > 31 {
		name = name[:31]
	}
	return string(name)
}
