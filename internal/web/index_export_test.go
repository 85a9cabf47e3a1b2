package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/auth"
)

// TestIndexExports: the index and ranking pages link to their Excel
// exports, and each export opens as a workbook naming the unit asked for
// and holding the page's rows; a ward leader cannot export another ward.
func TestIndexExports(t *testing.T) {
	e := newPagesEnv(t)
	e.submit(false)
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	period := "from=2026-01-01&to=2026-12-31"
	for page, link := range map[string]string{"/chi-so?" + period: "/chi-so.xlsx?", "/chi-so/xep-hang?" + period: "/chi-so/xep-hang.xlsx?"} {
		status, body := e.get("lanhdao.tinh", page)
		if status != http.StatusOK || !strings.Contains(body, link) {
			t.Errorf("%s: %d, want a link to %s", page, status, link)
		}
	}
	cells := map[string]map[string]string{
		"/chi-so.xlsx?unit=00004&" + period: {"A5": "Đơn vị: Phường Ba Đình", "A8": "Tổng điểm (thang 100)", "A10": "Nhóm / chỉ tiêu"},
		"/chi-so/xep-hang.xlsx?" + period:   {"A8": "Hạng", "A9": "1", "B8": "Đơn vị"},
	}
	for path, want := range cells {
		res, body := e.do("lanhdao.tinh", http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsxType {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		sheet := book.GetSheetList()[0]
		for cell, v := range want {
			if got, _ := book.GetCellValue(sheet, cell); got != v {
				t.Errorf("%s %s = %q, want %q", path, cell, got, v)
			}
		}
		if rows, _ := book.GetRows(sheet); !strings.Contains(fmt.Sprint(rows), "Ba Đình") {
			t.Errorf("%s names no Ba Đình row: %v", path, rows)
		}
		book.Close()
	}
	if status, _ := e.get("lanhdao", "/chi-so.xlsx?unit=00008"); status != http.StatusForbidden {
		t.Errorf("ward leader exporting another ward: %d, want 403", status)
	}
}

// TestRankingTrend: the ranking page carries, for the vendored chart, each
// ranked unit's total for each of the twelve months ending with the
// period's, and loads the script that draws it.
func TestRankingTrend(t *testing.T) {
	e := newPagesEnv(t)
	e.submit(false)
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	status, body := e.get("lanhdao.tinh", "/chi-so/xep-hang?from=2026-01-01&to=2026-12-31")
	if status != http.StatusOK || !strings.Contains(body, `src="/static/index_chart.js`) {
		t.Fatalf("ranking page: %d, want the chart script", status)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="trend-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("ranking page carries no chart data")
	}
	var tr rankTrend
	if err := json.Unmarshal([]byte(m[1]), &tr); err != nil {
		t.Fatalf("chart data %q: %v", m[1], err)
	}
	if len(tr.Labels) != 12 || tr.Labels[0] != "01/2026" || tr.Labels[11] != "12/2026" {
		t.Errorf("labels %v, want 01/2026 … 12/2026", tr.Labels)
	}
	names := ""
	for _, u := range tr.Units {
		names += u.Name + ";"
		if len(u.Totals) != 12 {
			t.Errorf("%s has %d totals, want 12", u.Name, len(u.Totals))
		}
	}
	if !strings.Contains(names, "Ba Đình") {
		t.Errorf("chart units %q lack Ba Đình", names)
	}
	if status, js := e.get("", "/static/index_chart.js"); status != http.StatusOK || !strings.Contains(js, "trend-data") {
		t.Errorf("chart script: %d", status)
	}
}
