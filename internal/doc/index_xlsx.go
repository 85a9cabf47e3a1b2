package doc

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/index"
	"github.com/motcua/motcua/internal/stats"
)

// Sheet names of the index exports.
const (
	sheetIndex   = "Chỉ số"
	sheetRanking = "Xếp hạng"
)

// RankRow is one unit of a ranking, as the ranking page shows it.
type RankRow struct {
	Rank                 int
	Name                 string
	Total, PreviousTotal float64
	Change               float64
	Groups               []index.Group
}

// IndexXLSX writes a unit's service index over a period: the total, the
// groups, then every indicator with its counts, rate and points.
func IndexXLSX(w io.Writer, office Office, unitName, from, to string, res index.Result) error {
	x, err := newIndexBook(sheetIndex)
	if err != nil {
		return err
	}
	defer x.f.Close()
	sh := sheetIndex
	r := x.heading(sh, office, unitName, "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP", from, to)
	x.set(sh, 1, r, "Tổng điểm (thang 100)", x.st.bold)
	x.set(sh, 2, r, res.Total, 0)
	r += 2
	for i, h := range []string{"Nhóm / chỉ tiêu", "Tên", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Điểm tối đa"} {
		x.set(sh, i+1, r, h, x.st.head)
	}
	for _, g := range res.Groups {
		r++
		x.set(sh, 1, r, g.ID, x.st.head)
		x.set(sh, 2, r, g.NameVI, x.st.head)
		x.set(sh, 6, r, g.Points, x.st.head)
		x.set(sh, 7, r, g.MaxWithData, x.st.head)
		for _, sc := range res.Indicators {
			if sc.Group == g.ID {
				r++
				x.indicator(sh, r, sc)
			}
		}
	}
	x.widths(sh, []float64{14, 60, 10, 10, 10, 10, 12})
	return x.finish(w, "index")
}

func (x *sheetWriter) indicator(sh string, r int, sc index.Score) {
	x.set(sh, 1, r, sc.ID, x.st.cell)
	x.set(sh, 2, r, sc.NameVI, x.st.cell)
	if sc.NoData {
		// Without data the indicator is left out of the total, not scored 0.
		x.set(sh, 3, r, "Không có dữ liệu", x.st.cell)
		return
	}
	x.set(sh, 3, r, sc.Numerator, x.st.cell)
	x.set(sh, 4, r, sc.Denominator, x.st.cell)
	x.set(sh, 5, r, sc.Rate, x.st.pct)
	x.set(sh, 6, r, sc.Points, x.st.cell)
	x.set(sh, 7, r, sc.Max, x.st.cell)
}

// RankingXLSX writes the ranking of the units under unitName: rank, total,
// change from the period before, and each group's points.
func RankingXLSX(w io.Writer, office Office, unitName, from, to string, rows []RankRow) error {
	x, err := newIndexBook(sheetRanking)
	if err != nil {
		return err
	}
	defer x.f.Close()
	sh := sheetRanking
	r := x.heading(sh, office, unitName, "XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP", from, to)
	heads := []string{"Hạng", "Đơn vị", "Tổng điểm", "Kỳ trước", "Thay đổi"}
	if len(rows) > 0 {
		for _, g := range rows[0].Groups {
			heads = append(heads, g.NameVI)
		}
	}
	for i, h := range heads {
		x.set(sh, i+1, r, h, x.st.head)
	}
	for _, row := range rows {
		r++
		for i, v := range []any{row.Rank, row.Name, row.Total, row.PreviousTotal, row.Change} {
			x.set(sh, i+1, r, v, x.st.cell)
		}
		for i, g := range row.Groups {
			x.set(sh, 6+i, r, g.Points, x.st.cell)
		}
	}
	widths := []float64{8, 36, 12, 12, 12}
	for range len(heads) - len(widths) {
		widths = append(widths, 18)
	}
	x.widths(sh, widths)
	return x.finish(w, "ranking")
}

func newIndexBook(sheet string) (*sheetWriter, error) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err == nil {
		err = f.SetSheetName("Sheet1", sheet)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &sheetWriter{f: f, st: st}, nil
}

// heading writes the letterhead, title, unit and period; it returns the
// first free row below a blank one.
func (x *sheetWriter) heading(sh string, o Office, unitName, title, from, to string) int {
	x.set(sh, 1, 1, text(o.ParentName), x.st.bold)
	x.set(sh, 1, 2, text(o.Name), x.st.bold)
	x.set(sh, 1, 4, title, x.st.bold)
	x.set(sh, 1, 5, "Đơn vị: "+text(unitName), 0)
	x.set(sh, 1, 6, queryPeriod(stats.Query{From: from, To: to}), 0)
	return 8
}

func (x *sheetWriter) widths(sh string, ws []float64) {
	for i, wd := range ws {
		if x.err == nil {
			x.err = x.f.SetColWidth(sh, cellCol(i+1), cellCol(i+1), wd)
		}
	}
}

func (x *sheetWriter) finish(w io.Writer, what string) error {
	if x.err != nil {
		return fmt.Errorf("doc: %s export: %w", what, x.err)
	}
	_, err := x.f.WriteTo(w)
	return err
}
