package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// pdfText fetches a PDF as user and returns its text as a reader sees it
// (pdftotext), on one line with single spaces.
func (e *pagesEnv) pdfText(user, path string) string {
	e.t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		e.t.Skip("pdftotext (poppler-utils) is absent")
	}
	res, pdf := e.do(user, http.MethodGet, path, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
		e.t.Fatalf("%s as %s: %d %s", path, user, res.StatusCode, res.Header.Get("Content-Type"))
	}
	cmd := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = strings.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		e.t.Fatal(err)
	}
	return strings.Join(strings.Fields(vntext.NFC(string(out))), " ")
}

// xlsxRows fetches a workbook as user and returns the rows of its first
// sheet.
func (e *pagesEnv) xlsxRows(user, path string) [][]string {
	e.t.Helper()
	res, body := e.do(user, http.MethodGet, path, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsxType {
		e.t.Fatalf("%s as %s: %d %s", path, user, res.StatusCode, res.Header.Get("Content-Type"))
	}
	book, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetList()[0])
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

var (
	trRE   = regexp.MustCompile(`(?s)<tr\b([^>]*)>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`(?s)<t[hd]\b[^>]*>(.*?)</t[hd]>`)
)

// tableRows is the text of each cell of the body rows of the table whose
// opening tag holds marker.
func tableRows(t *testing.T, body, marker string) [][]string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no table %s", marker)
	}
	table := body[i:]
	table = table[:strings.Index(table, "</table>")]
	if j := strings.Index(table, "<tbody>"); j >= 0 {
		table = table[j:strings.Index(table, "</tbody>")]
	}
	var out [][]string
	for _, tr := range trRE.FindAllStringSubmatch(table, -1) {
		var row []string
		for _, c := range cellRE.FindAllStringSubmatch(tr[2], -1) {
			row = append(row, html.UnescapeString(plainText(c[1])))
		}
		out = append(out, row)
	}
	return out
}

// leaderEnv is a ward with two dossiers of March 2026, one finished on
// time and one late, and a province leader above it.
func leaderEnv(t *testing.T) *pagesEnv {
	e := newPagesEnv(t)
	e.addUser(auth.User{Username: "lanhdao.tinh", FullName: "Đinh Thị Phương", Role: auth.RoleLeader, UnitCode: "01"}, "mật khẩu tỉnh")
	e.addUser(auth.User{Username: "lanhdao.ngocha", FullName: "Phan Văn Hùng", Role: auth.RoleLeader, UnitCode: "00008"}, "mật khẩu ngọc hà")
	onTime, late := e.submit(true), e.submit(false) // the counter's is received at once
	e.returned(onTime)
	e.f.Clock.Advance(20 * 24 * time.Hour) // past the limit
	for _, s := range []struct{ who, action string }{{"canbo", "forward"}, {"chuyenvien", "forward"}, {"lanhdao", "approve"}, {"canbo", "finish"}, {"canbo", "return_result"}} {
		if _, err := e.f.Svc.Act(context.Background(), e.f.Actors[s.who], late, dossier.ActionRequest{Action: s.action}); err != nil {
			t.Fatalf("%s by %s: %v", s.action, s.who, err)
		}
	}
	return e
}

const marchPeriod = "from=2026-03-01&to=2026-03-31"

// TestIndexPDFHoldsThePage: the province leader's PDF of a commune's index
// holds the total the page shows and each indicator's counts, rate,
// threshold, points and points lost as the page writes them; the ranking's
// PDF holds the commune's row as the ranking page shows it. The pages link
// to them, and a leader of another ward cannot print the commune.
func TestIndexPDFHoldsThePage(t *testing.T) {
	e := leaderEnv(t)
	status, page := e.get("lanhdao.tinh", "/chi-so?unit=00004&"+marchPeriod)
	if status != http.StatusOK || !strings.Contains(page, `href="/chi-so.pdf?from=2026-03-01&amp;to=2026-03-31&amp;unit=00004"`) {
		t.Fatalf("index page: %d, want a link to its PDF", status)
	}
	if !strings.Contains(page, "Phường Ba Đình · ") {
		t.Error("the commune's index page does not name the commune")
	}
	total := regexp.MustCompile(`id="index-total">([^<]+)<`).FindStringSubmatch(page)[1]
	pdf := e.pdfText("lanhdao.tinh", "/chi-so.pdf?unit=00004&"+marchPeriod)
	for _, want := range []string{"PHƯỜNG BA ĐÌNH", "Từ ngày 01/03/2026 đến ngày 31/03/2026", "Tổng điểm: " + total + "/100"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("index PDF lacks %q:\n%s", want, pdf)
		}
	}
	rows := tableRows(t, page, `aria-label="Các chỉ tiêu"`)
	for _, row := range rows {
		if len(row) == 7 { // with data: id, name, counts, rate, threshold, points, lost
			if want := strings.Join(row[2:], " "); !strings.Contains(pdf, want) {
				t.Errorf("index PDF lacks indicator %s's %q", row[0], want)
			}
		}
	}
	if !strings.Contains(pdf, "2.1. ") || !strings.Contains(pdf, "1/2 50 %") {
		t.Errorf("index PDF lacks 2.1 with one late dossier of two:\n%s", pdf)
	}

	status, page = e.get("lanhdao.tinh", "/chi-so/xep-hang?"+marchPeriod)
	if status != http.StatusOK || !strings.Contains(page, `href="/chi-so/xep-hang.pdf?`) {
		t.Fatalf("ranking page: %d, want a link to its PDF", status)
	}
	pdf = e.pdfText("lanhdao.tinh", "/chi-so/xep-hang.pdf?"+marchPeriod)
	found := false
	for _, row := range tableRows(t, page, `aria-label="Xếp hạng đơn vị"`) {
		if row[1] != "Ba Đình" {
			continue
		}
		found = true
		// rank, name, total, then (after the previous total) the change and the groups
		if head, tail := strings.Join(row[:3], " "), strings.Join(row[3:], " "); !strings.Contains(pdf, head) || !strings.Contains(pdf, tail) {
			t.Errorf("ranking PDF lacks %q … %q:\n%s", head, tail, pdf)
		}
	}
	if !found {
		t.Error("the ranking page has no Ba Đình row")
	}
	for _, path := range []string{"/chi-so.pdf?unit=00004", "/chi-so/xep-hang.pdf?unit=01"} {
		if status, _ := e.get("lanhdao.ngocha", path); status != http.StatusForbidden {
			t.Errorf("another ward's leader printing %s: %d, want 403", path, status)
		}
	}
}

// TestEvaluationExports: the unit's evaluation as Excel holds, cell for
// cell, the table the page shows (the unit, then each officer), and the
// PDF names them with their totals; one officer's export holds his page's
// criteria with the leader's reason. Officers get only their own; another
// ward's leader gets nothing of this ward.
func TestEvaluationExports(t *testing.T) {
	e := leaderEnv(t)
	if res, _ := e.do("lanhdao", http.MethodPost, "/danh-gia/canbo", url.Values{"unit": {"00004"}, "period": {"2026-03"},
		"criterion": {"feedback"}, "points": {"1,5"}, "reason": {"Trả lời phản ánh đúng hạn"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("entry: %d", res.StatusCode)
	}
	status, page := e.get("lanhdao", "/danh-gia?period=2026-03")
	if status != http.StatusOK || !strings.Contains(page, `href="/danh-gia/xuat/pdf?period=2026-03&amp;unit=00004"`) {
		t.Fatalf("evaluation page: %d, want a link to its PDF", status)
	}
	want := tableRows(t, page, `id="evaluations"`)
	got := e.xlsxRows("lanhdao", "/danh-gia/xuat/xlsx?period=2026-03")
	if len(got) < 6+len(want) || len(want) < 3 {
		t.Fatalf("workbook has %d rows for the page's %d", len(got), len(want))
	}
	for i, row := range want {
		if strings.Join(got[6+i], "|") != strings.Join(row, "|") {
			t.Errorf("workbook row %d = %q, the page shows %q", 7+i, got[6+i], row)
		}
	}
	pdf := e.pdfText("lanhdao", "/danh-gia/xuat/pdf?period=2026-03")
	for _, row := range want {
		if name, total := row[0], row[len(row)-2]; !strings.Contains(pdf, name) || !strings.Contains(pdf, total+" "+row[len(row)-1]) {
			t.Errorf("evaluation PDF lacks %s with %s %s:\n%s", name, total, row[len(row)-1], pdf)
		}
	}

	_, page = e.get("lanhdao", "/danh-gia/canbo?period=2026-03")
	lines := tableRows(t, page, `id="criteria"`)
	sheet := e.xlsxRows("lanhdao", "/danh-gia/canbo/xuat/xlsx?period=2026-03")
	for i, row := range lines {
		if strings.Join(sheet[6+i][:5], "|") != strings.Join(row[:5], "|") {
			t.Errorf("officer workbook row %d = %q, the page shows %q", 7+i, sheet[6+i], row)
		}
	}
	if pdf := e.pdfText("canbo", "/danh-gia/canbo/xuat/pdf?period=2026-03"); !strings.Contains(pdf, "Trả lời phản ánh đúng hạn") ||
		!strings.Contains(pdf, "Đánh giá cán bộ: Nguyễn Thị Hoà") {
		t.Errorf("the officer's own PDF:\n%s", pdf)
	}
	// An officer's unit export is his own page.
	if rows := e.xlsxRows("canbo", "/danh-gia/xuat/xlsx?period=2026-03"); !strings.Contains(strings.Join(rows[1], " "), "Nguyễn Thị Hoà") {
		t.Errorf("an officer's export is not his own: %q", rows[:3])
	}
	for _, c := range []struct {
		who, path string
		status    int
	}{
		{"chuyenvien", "/danh-gia/canbo/xuat/pdf?period=2026-03", http.StatusForbidden},
		{"lanhdao.ngocha", "/danh-gia/xuat/xlsx?unit=00004&period=2026-03", http.StatusForbidden},
		{"lanhdao.ngocha", "/danh-gia/canbo/xuat/pdf?unit=00004&period=2026-03", http.StatusForbidden},
		{"lanhdao.ngocha", "/danh-gia/canbo/xuat/pdf?period=2026-03", http.StatusNotFound},
		{"lanhdao", "/danh-gia/xuat/docx?period=2026-03", http.StatusNotFound},
	} {
		if status, _ := e.get(c.who, c.path); status != c.status {
			t.Errorf("%s as %s: %d, want %d", c.path, c.who, status, c.status)
		}
	}
}
