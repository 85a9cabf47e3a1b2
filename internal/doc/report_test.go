package doc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func testReport() Report {
	return Report{Office: Office{Name: "UBND PHƯỜNG BA ĐÌNH", ParentName: "THÀNH PHỐ HÀ NỘI"}, Title: "Báo cáo tháng 04/2026",
		Subtitle: "Từ ngày 01/04/2026 đến ngày 30/04/2026", Now: at(2026, 5, 4, 8, 0),
		Sections: []Section{
			{Title: "Tình hình tiếp nhận, giải quyết hồ sơ", Heads: []string{"Nội dung", "Số liệu"}, Widths: []float64{3, 1},
				Rows: [][]string{{"Hồ sơ tiếp nhận", "1.234"}, {"Tỷ lệ giải quyết đúng hạn", "98,5%"}}},
			{Title: "Kết quả thực hiện chỉ tiêu năm 2026", Heads: []string{"Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Đánh giá"},
				Rows: [][]string{{"Thu ngân sách (Nghị quyết 07/NQ-HĐND)", "triệu đồng", "2.000", "2.300", "115% dự toán", "Vượt"}},
				Note: "1/1 chỉ tiêu đạt (1 vượt, 0 không đạt, 0 đang thực hiện)"},
			{Title: "Chỉ số phục vụ", Heads: []string{"Chỉ số", "Điểm"}},
		}}
}

// TestReportPDF: the sections print with their Vietnamese text whole, an
// empty section says so, and the page is drawn (not only its text layer).
func TestReportPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := ReportPDF(&buf, testReport()); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes())
	checkText(t, buf.Bytes(), []string{"BÁO CÁO THÁNG 04/2026", "Tình hình tiếp nhận, giải quyết hồ sơ", "115% dự toán", "Vượt",
		"1/1 chỉ tiêu đạt", "Không có số liệu", "UBND PHƯỜNG BA ĐÌNH"})
	checkImage(t, buf.Bytes())
}

// TestReportXLSX: one sheet per section, the cells as printed.
func TestReportXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := ReportXLSX(&buf, testReport()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 3 || !strings.HasPrefix(sheets[1], "2. Kết quả thực hiện chỉ tiêu") || len([]rune(sheets[1])) > 31 {
		t.Fatalf("sheets %q", sheets)
	}
	if v, _ := f.GetCellValue(sheets[1], "E7"); v != "115% dự toán" {
		t.Errorf("E7 = %q", v)
	}
	if v, _ := f.GetCellValue(sheets[1], "A9"); !strings.HasPrefix(v, "1/1 chỉ tiêu đạt") {
		t.Errorf("A9 = %q", v)
	}
}
