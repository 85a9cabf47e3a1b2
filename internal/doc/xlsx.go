package doc

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

// xlsxStyles are the cell styles a workbook of ours uses.
type xlsxStyles struct {
	title, bold, head, cell, when, pct int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	whenFmt, pctFmt := "dd/mm/yyyy hh:mm", "0.0%"
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center"}},
		{Font: &excelize.Font{Bold: true}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E6E6E6"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		{Border: border, CustomNumFmt: &whenFmt, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}},
		{Border: border, CustomNumFmt: &pctFmt},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return xlsxStyles{}, fmt.Errorf("doc: xlsx style: %w", err)
		}
		ids[i] = id
	}
	return xlsxStyles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]}, nil
}

// whenCell is a date cell in local time, or an empty bordered cell.
func (st xlsxStyles) whenCell(t time.Time) excelize.Cell {
	if t.IsZero() {
		return excelize.Cell{StyleID: st.cell}
	}
	return excelize.Cell{StyleID: st.when, Value: t.In(calendar.Zone)}
}

const bookSheet = "Sổ theo dõi"

// bookXLSX streams the book row by row, so a year of a busy centre does not
// sit in memory as a cell tree.
func bookXLSX(w io.Writer, office Office, from, to time.Time, ds []dossier.Dossier) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", bookSheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(bookSheet)
	if err != nil {
		return err
	}
	if err := bookSheetHead(sw, st, office, from, to); err != nil {
		return err
	}
	for i := range ds {
		e := entry(&ds[i])
		row := []any{
			excelize.Cell{StyleID: st.cell, Value: i + 1}, excelize.Cell{StyleID: st.cell, Value: e.code},
			excelize.Cell{StyleID: st.cell, Value: text(e.procedure)}, excelize.Cell{StyleID: st.cell, Value: text(e.applicant)},
			st.whenCell(e.received), st.whenCell(e.due), st.whenCell(e.forwarded), st.whenCell(e.returned),
			excelize.Cell{StyleID: st.cell, Value: e.result},
		}
		if err := sw.SetRow(cellName(1, bookFirstRow+i), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// bookFirstRow is the sheet row of the first dossier, below the heading.
const bookFirstRow = 7

func bookSheetHead(sw *excelize.StreamWriter, st xlsxStyles, o Office, from, to time.Time) error {
	for i, wd := range []float64{6, 28, 50, 26, 17, 17, 17, 17, 14} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: bookFirstRow - 1, TopLeftCell: cellName(1, bookFirstRow), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	rows := [][]any{
		{excelize.Cell{StyleID: st.bold, Value: text(o.ParentName)}},
		{excelize.Cell{StyleID: st.bold, Value: text(o.Name)}},
		{excelize.Cell{StyleID: st.title, Value: "SỔ THEO DÕI HỒ SƠ"}},
		{excelize.Cell{Value: period(from, to)}},
		{},
		headCells(st, bookHeads),
	}
	for i, r := range rows {
		if err := sw.SetRow(cellName(1, i+1), r); err != nil {
			return err
		}
	}
	return sw.MergeCell("A3", cellName(len(bookHeads), 3))
}

func headCells(st xlsxStyles, heads []string) []any {
	row := make([]any, len(heads))
	for i, h := range heads {
		row[i] = excelize.Cell{StyleID: st.head, Value: h}
	}
	return row
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}
