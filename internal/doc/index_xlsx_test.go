package doc

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/index"
)

func checkCells(t *testing.T, buf *bytes.Buffer, cells map[[2]string]string) {
	t.Helper()
	f, err := excelize.OpenReader(buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for k, want := range cells {
		got, err := f.GetCellValue(k[0], k[1])
		if err != nil || got != want {
			t.Errorf("%s!%s = %q (%v), want %q", k[0], k[1], got, err, want)
		}
	}
}

func TestIndexXLSX(t *testing.T) {
	res := index.Result{
		Total: 87.5,
		Groups: []index.Group{{ID: "2", NameVI: "Tiến độ giải quyết", Points: 17.5, Max: 20, MaxWithData: 20},
			{ID: "3", NameVI: "Dịch vụ công trực tuyến", Points: 0, Max: 22, MaxWithData: 0}},
		Indicators: []index.Score{
			{Indicator: index.Indicator{ID: "2.1", Group: "2", Max: 20, NameVI: "Tỷ lệ giải quyết đúng hạn"},
				Count: index.Count{Numerator: 35, Denominator: 40}, Rate: 0.875, Points: 17.5},
			{Indicator: index.Indicator{ID: "3.3", Group: "3", Max: 22, NameVI: "Tỷ lệ hồ sơ trực tuyến"}, NoData: true},
		},
	}
	var buf bytes.Buffer
	if err := IndexXLSX(&buf, office, "Phường Ba Đình", "2026-03-01", "2026-03-31", res); err != nil {
		t.Fatal(err)
	}
	checkCells(t, &buf, map[[2]string]string{
		{sheetIndex, "A5"}:  "Đơn vị: Phường Ba Đình",
		{sheetIndex, "A6"}:  "Từ ngày 01/03/2026 đến ngày 31/03/2026",
		{sheetIndex, "B8"}:  "87.5",
		{sheetIndex, "A11"}: "2",
		{sheetIndex, "F11"}: "17.5",
		{sheetIndex, "A12"}: "2.1",
		{sheetIndex, "C12"}: "35",
		{sheetIndex, "D12"}: "40",
		{sheetIndex, "E12"}: "87.5%",
		{sheetIndex, "B13"}: "Dịch vụ công trực tuyến",
		{sheetIndex, "A14"}: "3.3",
		{sheetIndex, "C14"}: "Không có dữ liệu",
	})
}

func TestRankingXLSX(t *testing.T) {
	g := func(p float64) []index.Group {
		return []index.Group{{ID: "2", NameVI: "Tiến độ giải quyết", Points: p, MaxWithData: 20}}
	}
	rows := []RankRow{
		{Rank: 1, Name: "Phường Ba Đình", Total: 92.5, PreviousTotal: 90, Change: 2.5, Groups: g(18.5)},
		{Rank: 2, Name: "Phường Ngọc Hà", Total: 70, PreviousTotal: 75, Change: -5, Groups: g(14)},
	}
	var buf bytes.Buffer
	if err := RankingXLSX(&buf, office, "Quận Ba Đình", "2026-01-01", "2026-03-31", rows); err != nil {
		t.Fatal(err)
	}
	checkCells(t, &buf, map[[2]string]string{
		{sheetRanking, "A5"}:  "Đơn vị: Quận Ba Đình",
		{sheetRanking, "F8"}:  "Tiến độ giải quyết",
		{sheetRanking, "A9"}:  "1",
		{sheetRanking, "B9"}:  "Phường Ba Đình",
		{sheetRanking, "C9"}:  "92.5",
		{sheetRanking, "B10"}: "Phường Ngọc Hà",
		{sheetRanking, "E10"}: "-5",
		{sheetRanking, "F10"}: "14",
	})
}
