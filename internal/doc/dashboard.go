package doc

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/stats"
)

// metricName is the Vietnamese column title of each roll-up metric.
var metricName = map[string]string{
	stats.Submitted:          "Hồ sơ đăng ký",
	stats.Received:           "Hồ sơ tiếp nhận",
	stats.Refused:            "Từ chối tiếp nhận",
	stats.SupplementRequests: "Yêu cầu bổ sung",
	stats.FinishedEarly:      "Giải quyết trước hạn",
	stats.FinishedOnTime:     "Giải quyết đúng hạn",
	stats.FinishedLate:       "Giải quyết quá hạn",
	stats.Returned:           "Đã trả kết quả",
	stats.Withdrawn:          "Rút hồ sơ",
	stats.Stopped:            "Dừng giải quyết",
	stats.Paid:               "Đã nộp phí, lệ phí",
	stats.Extended:           "Gia hạn, xin lỗi",
	stats.RatedVery:          "Rất hài lòng",
	stats.RatedOK:            "Hài lòng",
	stats.RatedBad:           "Không hài lòng",
	stats.ResultElectronic:   "Kết quả điện tử",
	stats.FinishedResupplied: "Đúng hạn nhưng bổ sung nhiều lần",
	stats.ReceivedReused:     "Dùng lại giấy tờ đã số hoá",
}

// Sheet names of the leaders' export.
const (
	sheetTotals    = "Tổng hợp"
	sheetProcedure = "Theo thủ tục"
	sheetMonth     = "Theo tháng"
)

// DashboardXLSX writes the leaders' export of a dashboard summary for
// unitName: the totals and rates, then the counts by procedure and by month.
func DashboardXLSX(w io.Writer, office Office, unitName string, s *stats.Summary) error {
	if s == nil {
		return fmt.Errorf("doc: no summary to export")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", sheetTotals); err != nil {
		return err
	}
	x := &sheetWriter{f: f, st: st}
	x.totals(office, unitName, s)
	x.groups(sheetProcedure, "Mã thủ tục", s.ByProcedure, func(k string) string { return k })
	x.groups(sheetMonth, "Tháng", s.ByMonth, monthName)
	if x.err != nil {
		return fmt.Errorf("doc: dashboard export: %w", x.err)
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetWriter keeps the first error so that the many cell writes of a
// report read as a list, not as a ladder of checks.
type sheetWriter struct {
	f   *excelize.File
	st  xlsxStyles
	err error
}

func (x *sheetWriter) set(sheet string, col, row int, v any, style int) {
	if x.err != nil {
		return
	}
	c := cellName(col, row)
	if x.err = x.f.SetCellValue(sheet, c, v); x.err == nil && style != 0 {
		x.err = x.f.SetCellStyle(sheet, c, c, style)
	}
}

func (x *sheetWriter) totals(o Office, unitName string, s *stats.Summary) {
	sh := sheetTotals
	x.set(sh, 1, 1, text(o.ParentName), x.st.bold)
	x.set(sh, 1, 2, text(o.Name), x.st.bold)
	x.set(sh, 1, 4, "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", x.st.bold)
	x.set(sh, 1, 5, "Đơn vị: "+text(unitName), 0)
	x.set(sh, 1, 6, queryPeriod(s.Query), 0)
	x.set(sh, 1, 8, "Chỉ tiêu", x.st.head)
	x.set(sh, 2, 8, "Giá trị", x.st.head)
	r := 9
	for _, m := range stats.Metrics {
		x.set(sh, 1, r, metricName[m], x.st.cell)
		x.set(sh, 2, r, s.Totals[m], x.st.cell)
		r++
	}
	x.set(sh, 1, r, "Tiếp nhận trực tuyến", x.st.cell)
	x.set(sh, 2, r, s.Online, x.st.cell)
	for i, rate := range []struct {
		name string
		v    float64
	}{{"Tỷ lệ hồ sơ trực tuyến", s.OnlineRate}, {"Tỷ lệ giải quyết đúng hạn", s.OnTimeRate}, {"Tỷ lệ hài lòng", s.Satisfaction}} {
		x.set(sh, 1, r+1+i, rate.name, x.st.cell)
		x.set(sh, 2, r+1+i, rate.v, x.st.pct)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(sh, "A", "A", 34)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(sh, "B", "B", 16)
	}
}

// groups writes one row per group with every metric and the on-time rate.
func (x *sheetWriter) groups(sheet, keyHead string, rows []stats.Row, key func(string) string) {
	if x.err != nil {
		return
	}
	if _, x.err = x.f.NewSheet(sheet); x.err != nil {
		return
	}
	heads := append([]string{keyHead}, metricHeads()...)
	heads = append(heads, "Tỷ lệ đúng hạn")
	for i, h := range heads {
		x.set(sheet, i+1, 1, h, x.st.head)
	}
	for r, row := range rows {
		x.set(sheet, 1, r+2, key(row.Key), x.st.cell)
		for i, m := range stats.Metrics {
			x.set(sheet, i+2, r+2, row.Counts[m], x.st.cell)
		}
		x.set(sheet, len(heads), r+2, onTime(row.Counts), x.st.pct)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(sheet, "A", "A", 16)
	}
	if x.err == nil {
		x.err = x.f.SetColWidth(sheet, "B", cellCol(len(heads)), 13)
	}
	if x.err == nil {
		x.err = x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"})
	}
}

func metricHeads() []string {
	h := make([]string, len(stats.Metrics))
	for i, m := range stats.Metrics {
		h[i] = metricName[m]
	}
	return h
}

// onTime is (early + on time) ÷ finished, as the dashboard computes it.
func onTime(c map[string]int64) float64 {
	done := c[stats.FinishedEarly] + c[stats.FinishedOnTime] + c[stats.FinishedLate]
	if done == 0 {
		return 0
	}
	return float64(c[stats.FinishedEarly]+c[stats.FinishedOnTime]) / float64(done)
}

// monthName turns a month key "2026-11" into "11/2026".
func monthName(k string) string {
	if t, err := time.Parse("2006-01", k); err == nil {
		return t.Format("01/2006")
	}
	return k
}

// PeriodText is "Từ ngày … đến ngày …" for a period's YYYY-MM-DD bounds,
// as the printed reports write it under their title.
func PeriodText(from, to string) string { return queryPeriod(stats.Query{From: from, To: to}) }

// queryPeriod is the period of a summary, from its YYYY-MM-DD bounds.
func queryPeriod(q stats.Query) string {
	f, _ := time.ParseInLocation("2006-01-02", q.From, calendar.Zone)
	t, _ := time.ParseInLocation("2006-01-02", q.To, calendar.Zone)
	return fmt.Sprintf("Từ ngày %s đến ngày %s", dash(date(f)), dash(date(t)))
}

func cellCol(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}
